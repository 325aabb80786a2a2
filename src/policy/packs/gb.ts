import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  announceCaller,
  CALLS,
  dataSource,
  EVERYONE,
  objectionNotice,
  oneClickUnsubscribe,
  personsWord,
  robinsonPostal,
  sourceObjectionNotice,
  stopKeyword,
  TEXTS,
} from './shared.js';

/**
 * United Kingdom. Privacy and Electronic Communications (EC Directive) Regulations 2003 (PECR, SI 2003/2426):
 * reg. 19 (automated calls: consent), reg. 20 (fax: consent from individuals; corporate subscribers opt-out and the
 * Fax Preference Service), reg. 21 (live calls: opt-out and the Telephone Preference Service, corporate numbers since
 * 2004-06-25, 28 days after registration, consent overrides it), reg. 22 (email and texts to individual subscribers:
 * consent or the soft opt-in; corporate subscribers are outside it), reg. 23-24 (identity, opt-out address);
 * UK GDPR art. 21.
 */
const START = '2003-12-11'; // PECR in force.
const B2B = ['b2b-named', 'b2b-generic'] as const;
const ELECTRONIC_MAIL = ['email', ...TEXTS] as const;

const rules: Rule[] = [
  ...personsWord('GB', START, {
    objection: 'PECR reg. 21(1)(a), 22(3)(c); UK GDPR art. 21(2)-(3)',
    refusal: 'PECR reg. 22(3)(c) (did not refuse when the details were collected)',
  }),
  // Reg. 21(6): paragraph (1) — the TPS/CTPS bar and an objection to the caller — does not apply to calls within
  // reg. 21A (claims management, from 2018-09-08) or 21B (pensions, from 2019-01-09): those regulations alone govern
  // them (consent; for pensions also an existing client who has not objected).
  ...[
    { id: 'gb.calls.tps-until-2018', until: '2018-09-07', exceptSectors: [] },
    { id: 'gb.calls.tps-until-2019', from: '2018-09-08', until: '2019-01-08', exceptSectors: ['claims_management'] },
    { id: 'gb.calls.tps', from: '2019-01-09', exceptSectors: ['claims_management', 'pensions'] },
  ].map(
    ({ id, from, until, exceptSectors }): Rule => ({
      id,
      title:
        'No live marketing call to a number registered with the TPS or CTPS for 28 days or more, unless the subscriber told the caller they do not object',
      effect: 'forbid',
      code: 'OPPOSITION_LIST',
      check: 'opposition-list',
      params: { lists: ['tps', 'ctps'], graceDays: 28, exceptConsent: 'any', exceptSectors, mustConsult: true },
      channels: ['phone'],
      audiences: EVERYONE,
      from: from ?? START,
      ...(until ? { until } : {}),
      ref: `PECR reg. 21(1)(b), 21(3)-(4), 26 (corporate subscribers since SI 2004/1039, 2004-06-25)${exceptSectors.length ? '; 21(6)' : ''}`,
    }),
  ),
  {
    id: 'gb.fax.fps',
    title:
      'No marketing fax to a corporate number registered with the Fax Preference Service for 28 days or more, unless the subscriber agreed',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: { lists: ['fps'], graceDays: 28, exceptConsent: 'any', mustConsult: true },
    channels: ['fax'],
    audiences: B2B,
    from: START,
    ref: 'PECR reg. 20(1)(c), 20(3)-(4), 25',
  },
  {
    id: 'gb.calls.claims-management',
    title: 'No live marketing call about claims management services unless the person consented to such calls',
    effect: 'forbid',
    code: 'SECTOR_BAN',
    check: 'sector-ban',
    params: { sectors: ['claims_management'], unlessConsent: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2018-09-08',
    ref: 'PECR reg. 21A (inserted by the Financial Guidance and Claims Act 2018 s. 35)',
  },
  {
    id: 'gb.calls.pensions',
    title: 'No live marketing call about pensions unless the person consented or is an existing client',
    effect: 'forbid',
    code: 'SECTOR_BAN',
    check: 'sector-ban',
    params: { sectors: ['pensions'], unlessConsent: true, unlessClient: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2019-01-09',
    ref: 'PECR reg. 21B (SI 2018/1396)',
  },
  robinsonPostal('GB', {
    title: 'Addressed mail is not sent to a non-customer registered with the Mailing Preference Service',
    audiences: ['b2c'],
    lists: ['mps'],
    from: START,
    ref: 'Mailing Preference Service (DMA Code, self-regulation); UK GDPR art. 21(2)',
  }),
  {
    id: 'gb.electronic-mail.consent',
    title: 'Email, SMS and MMS marketing to an individual subscriber needs prior consent',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ELECTRONIC_MAIL,
    audiences: EVERYONE,
    from: START,
    ref: 'PECR reg. 22(2) (consent as defined by the GDPR art. 4(11) since 2018-05-25)',
  },
  {
    id: 'gb.electronic-mail.soft-opt-in',
    title:
      'A customer whose details were collected in a sale, or in negotiations for one (a quote asked for), may receive marketing of the sender’s own similar products, unless they refused (soft opt-in)',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    // "in the course of the sale or negotiations for the sale": a person who asked for a quote or details of an
    // offer (an interaction of kind request) is in negotiations, with no purchase yet (ICO, direct marketing
    // guidance). PECR sets no period after it.
    params: { inquiryWithinMonths: Number.POSITIVE_INFINITY },
    channels: ELECTRONIC_MAIL,
    audiences: EVERYONE,
    from: START,
    ref: 'PECR reg. 22(3)(a)',
  },
  {
    id: 'gb.electronic-mail.corporate-related',
    title: 'A corporate subscriber’s employee may receive marketing related to their job without consent',
    effect: 'permit',
    basis: 'B2B_RELATED',
    check: 'b2b-related',
    params: {},
    channels: ELECTRONIC_MAIL,
    audiences: ['b2b-named'],
    from: START,
    ref: 'PECR reg. 22 (individual subscribers only), 23; UK GDPR art. 6(1)(f) and 21',
  },
  {
    id: 'gb.electronic-mail.corporate',
    title: 'Email and texts to a corporate subscriber need no consent: open unless the recipient objects',
    effect: 'permit',
    basis: 'LEGAL_PERSON',
    check: 'legal-person',
    params: {},
    channels: ELECTRONIC_MAIL,
    audiences: B2B,
    from: START,
    ref: 'PECR reg. 22 (individual subscribers only), 23',
  },
  {
    id: 'gb.automated-call.consent',
    title: 'Automated (recorded) marketing calls need prior consent, from every subscriber',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['automated_call'],
    audiences: EVERYONE,
    from: START,
    ref: 'PECR reg. 19',
  },
  {
    id: 'gb.fax.consent',
    title: 'Marketing faxes to an individual subscriber need prior consent',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'PECR reg. 20(1)(a), 20(2)',
  },
  {
    id: 'gb.fax.corporate',
    title: 'Marketing faxes to a corporate subscriber are open unless it objected or registered with the FPS',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['fax'],
    audiences: B2B,
    from: START,
    ref: 'PECR reg. 20(1)(b)-(c)',
  },
  {
    id: 'gb.phone.consent',
    title: 'A subscriber who agreed to marketing calls may be called, even if registered with the TPS',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'PECR reg. 21(4)',
  },
  {
    // Reg. 21B lets pension calls reach an existing client: for them that relation is the basis (the ban yields).
    id: 'gb.phone.pensions-client',
    title: 'A live call about pensions may go to an existing client',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: { anyOffer: true, sectors: ['pensions'] },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2019-01-09',
    ref: 'PECR reg. 21B(2)(b) (Privacy and Electronic Communications (Amendment) Regulations 2018)',
  },
  {
    id: 'gb.phone.opt-out',
    title: 'Live marketing calls are open unless the subscriber objected to the caller or registered with the TPS/CTPS',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'PECR reg. 21(1); UK GDPR art. 21(2)',
  },
  {
    id: 'gb.postal',
    title: 'Postal marketing is open unless the person objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from: START,
    ref: 'UK GDPR art. 6(1)(f) and 21(2)',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ['email', ...TEXTS],
    message: 'Never disguise or conceal who the marketing is sent by or for.',
    ref: 'PECR reg. 23(a)',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: ['fax', ...CALLS],
    message:
      'Give the caller’s or sender’s name and, for automated calls and faxes (or when asked), an address or freephone number.',
    ref: 'PECR reg. 24',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: CALLS,
    message: 'Present a caller line identity on which the caller can be contacted.',
    ref: 'PECR reg. 21(A1) (SI 2016/524)',
    from: '2016-05-16',
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: ['postal'],
    message: 'Name the organisation the mailing is sent by or for.',
    ref: 'UK GDPR art. 13(1)(a), 14(1)(a) (Data Protection Act 1998 before 2018-05-25)',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', ...TEXTS],
    message: 'Make the commercial communication clearly identifiable as such.',
    ref: 'Electronic Commerce (EC Directive) Regulations 2002 reg. 7(a)',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message:
      'Give in every message a valid address to which the recipient can send an opt-out request, free of charge.',
    ref: 'PECR reg. 22(3)(c), 23(b)',
    from: START,
  },
  oneClickUnsubscribe(START, 'PECR reg. 23(b)'),
  stopKeyword(START, 'PECR reg. 22(3)(c), 23(b)'),
  objectionNotice(START, 'UK GDPR art. 21(4) (Data Protection Act 1998 s. 11 before 2018-05-25)'),
  announceCaller(START, 'PECR reg. 24(1)(a)-(b); Consumer Contracts Regulations 2013 reg. 11(1) (since 2014-06-13)'),
  dataSource(START, {
    direct: 'UK GDPR art. 13 (Data Protection Act 1998 Sch. 1 Part II para. 2 before 2018-05-25)',
    indirect: 'UK GDPR art. 14(2)(f), 14(3)(b) and 21(4) (Data Protection Act 1998 before 2018-05-25)',
  }),
  sourceObjectionNotice(
    START,
    'UK GDPR art. 21(4), 14(2)(c) and 14(3)(b) (Data Protection Act 1998 before 2018-05-25)',
  ),
];

export const GB: RulePack = {
  jurisdiction: 'GB',
  name: 'United Kingdom',
  timeZone: 'Europe/London',
  holidays: [],
  rules,
  obligations,
  notes: [
    '"Professional" contacts are read as employees of corporate subscribers (companies, LLPs, Scottish partnerships, public bodies); sole traders and other partnerships are individual subscribers — record them as individuals.',
    'The soft opt-in is applied to customers (a sale); details collected during negotiations for a sale that did not conclude are not modelled (record a consent).',
    'List names: "tps" and "ctps" (live calls; binding 28 days after registration), "fps" (corporate faxes), "mps" (addressed mail).',
    'Not modelled: the charity soft opt-in of reg. 22(3A) (Data (Use and Access) Act 2025 s. 114, in force 2026-02-05) — the contract has no charity sender: record a consent. A refusal during a call (`call` with `outcome: refused`) is read as a request not to be called again (UK GDPR art. 21(3); reg. 21(1)(a)), as in every pack but France, whose D223-9 sets a 60-day pause instead.',
    'Sectors (`message.offer.sector`): "claims_management" (reg. 21A: calls need consent) and "pensions" (reg. 21B: consent or an existing client relationship; the trustee and authorised-firm conditions are not checked). No statutory calling hours.',
  ],
};
