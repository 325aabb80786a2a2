import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  announceCaller,
  CALLS,
  dataSource,
  EVERYONE,
  objectionNotice,
  oneClickUnsubscribe,
  personsWord,
  postalOptOut,
  robinsonPostal,
  sourceObjectionNotice,
  stopKeyword,
  TEXTS,
} from './shared.js';

/**
 * Belgium. Code de droit économique (CDE) / Wetboek van economisch recht: art. XII.13 (advertising by electronic
 * mail, SMS included: prior, free, specific and informed consent, from natural and legal persons alike), arrêté royal
 * du 4 avril 2003 art. 1 (two exceptions: own clients for similar products; legal persons at impersonal addresses),
 * art. VI.110 (automated calls and fax: consent), art. VI.111–VI.114 ("Ne m'appelez plus" / "Bel-me-niet-meer" list
 * for calls, consumers and businesses), RGPD art. 21.
 */
const START = '2003-03-27'; // Loi du 11 mars 2003 (MB 17 mars 2003), art. 14 now CDE XII.13.
const AR_2003 = '2003-06-07'; // Arrêté royal du 4 avril 2003 (MB 28 mai 2003): its two exceptions.
const ELECTRONIC_MAIL = ['email', ...TEXTS] as const;

const rules: Rule[] = [
  ...personsWord('BE', START, {
    objection: 'CDE art. XII.13 §2; AR du 4 avril 2003 art. 2; RGPD art. 21(2)-(3)',
    refusal: 'CDE art. XII.13 §1; AR du 4 avril 2003 art. 1, 1° (opposition at collection)',
  }),
  {
    id: 'be.calls.dncm',
    title:
      'No advertising call to a number on the "Ne m’appelez plus" list, clients included, unless the person consented after registering',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    // The list binds prospects and clients, consumers and businesses; the subscriber's last act prevails, so only a
    // consent to calls given after the registration lifts it (DNCM; Commission vie privée).
    params: { lists: ['dncm'], exceptConsent: 'after-listing', mustConsult: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2014-05-31',
    ref: 'CDE art. VI.111-VI.114 (loi du 21 décembre 2013, liste « Ne m’appelez plus »)',
  },
  robinsonPostal('BE', {
    title: 'Addressed mail is not sent to a non-client on the Robinson Mail list',
    audiences: ['b2c'],
    from: START,
    ref: 'Liste Robinson Mail (BDMA, autorégulation); RGPD art. 21(2)',
  }),
  {
    id: 'be.electronic-mail.consent',
    title: 'Email, SMS and MMS advertising need prior, free, specific and informed consent, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ELECTRONIC_MAIL,
    audiences: EVERYONE,
    from: START,
    ref: 'CDE art. XII.13 §1 (ex-loi du 11 mars 2003 art. 14)',
  },
  {
    id: 'be.electronic-mail.client-exception',
    title:
      'A client whose address was collected at a sale may receive offers of the sender’s own similar products, unless they refused',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    channels: ELECTRONIC_MAIL,
    audiences: EVERYONE,
    from: AR_2003,
    ref: 'AR du 4 avril 2003 art. 1, 1°',
  },
  {
    id: 'be.electronic-mail.legal-person',
    title: 'An impersonal address of a legal person (info@, contact@) may receive advertising without consent',
    effect: 'permit',
    basis: 'LEGAL_PERSON',
    check: 'legal-person',
    params: {},
    channels: ELECTRONIC_MAIL,
    audiences: ['b2b-generic'],
    from: AR_2003,
    ref: 'AR du 4 avril 2003 art. 1, 2° (coordonnées électroniques impersonnelles de personnes morales)',
  },
  {
    id: 'be.automated-fax.consent',
    title: 'Automated calls and fax advertising need prior consent, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['automated_call', 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'CDE art. VI.110 §1 (ex-LPMC art. 100)',
  },
  {
    id: 'be.phone.consent',
    title:
      'A person who agreed to advertising calls may be called (after registering on the list, only by a later consent)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'CDE art. VI.111-VI.114; RGPD art. 6(1)(a)',
  },
  {
    id: 'be.phone.opt-out',
    title: 'Advertising calls by a person are open unless the person objected or is on "Ne m’appelez plus"',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'CDE art. VI.110 §2, VI.111; RGPD art. 21(2)',
  },
  postalOptOut('BE', START, 'RGPD art. 6(1)(f) and 21(2)'),
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: [...ELECTRONIC_MAIL],
    message: 'Name the advertiser on whose behalf the message is sent; never disguise it.',
    ref: 'CDE art. XII.12 §1',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: ['fax', 'postal', ...CALLS],
    message: 'Name the advertiser on whose behalf the message is sent or the call made.',
    ref: 'RGPD art. 13(1)(a), 14(1)(a)',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: [...ELECTRONIC_MAIL],
    message: 'Make the message recognisable as advertising as soon as it is received (subject line).',
    ref: 'CDE art. XII.12 §1-2',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message:
      'Say in every email that the recipient may refuse further advertising, and give a working electronic way to do it.',
    ref: 'CDE art. XII.13 §2; AR du 4 avril 2003 art. 2',
    from: START,
  },
  oneClickUnsubscribe(START, 'CDE art. XII.13 §2'),
  stopKeyword(START, 'CDE art. XII.13 §2; AR du 4 avril 2003 art. 2'),
  objectionNotice(START, 'RGPD art. 21(4)'),
  announceCaller(START, 'Directive 2011/83/EU art. 8(5) (CDE livre VI)'),
  dataSource(START, { direct: 'RGPD art. 13', indirect: 'RGPD art. 14(2)(f), 14(3)(b) and 21(4)' }),
  sourceObjectionNotice(START, 'RGPD art. 21(4), 14(2)(c) and 14(3)(b)'),
];

export const BE: RulePack = {
  jurisdiction: 'BE',
  name: 'Belgium',
  timeZone: 'Europe/Brussels',
  holidays: [],
  rules,
  obligations,
  notes: [
    'Natural persons are protected at every address: a named professional address needs consent or the client exception; only an impersonal address of a legal person (b2b-generic) is exempt.',
    'List names: "dncm" is the "Ne m’appelez plus / Bel-me-niet-meer" list (binding since 2014-05-31, clients included); "robinson" the Robinson Mail list.',
    'No statutory calling hours; no 3-year retention rule is applied (the CNIL reference is French).',
  ],
};
