import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  announceCaller,
  CALLS,
  clientObjectionNotice,
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
 * Austria. TKG 2021 §174 (unerbetene Nachrichten; TKG 2003 §107 before 2021-11-01): calls, fax, email and SMS need
 * prior consent from consumers and businesses alike; the existing-customer exception excludes the ECG-Liste.
 */
const START = '2003-08-20'; // TKG 2003 in force.

const rules: Rule[] = [
  ...personsWord('AT', START, {
    objection: 'TKG 2021 §174 Abs. 4 Z 3; DSGVO Art. 21(2)-(3)',
    refusal: 'TKG 2021 §174 Abs. 4 Z 4',
  }),
  robinsonPostal('AT', {
    title: 'Addressed mail for a third party is not sent to anyone on the Robinson list (own mailings are not bound)',
    audiences: EVERYONE,
    from: START,
    ref: 'GewO 1994 §151 Abs. 9 (binds address publishers and direct marketers, not own mailings)',
    senders: ['partner'],
    exceptConsent: 'none', // §151 Abs. 9 names no exception for a consent
  }),
  {
    id: 'at.electronic.b2b.ecg-until-2006',
    title: 'Until 2006-02-28, email and SMS to businesses without consent spare addresses on the ECG list',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    // §7 Abs. 2 binds the senders of Abs. 1, those who send "zulässigerweise ohne vorherige Zustimmung": a consent
    // the business gave lets its address be written to though it is on the list.
    params: { lists: ['ecg'], exceptConsent: 'any' },
    channels: ['email', ...TEXTS],
    audiences: ['b2b-named', 'b2b-generic'],
    from: START,
    until: '2006-02-28',
    ref: 'ECG §7 Abs. 2',
  },
  {
    id: 'at.electronic-mail.consent',
    title: 'Email, SMS and MMS need prior consent, proven by double opt-in (or a written or recorded consent)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: { proof: 'double_opt_in' },
    // The sender must prove the consent; a ticked box alone proves neither the address or number nor who ticked it.
    channels: ['email', ...TEXTS],
    audiences: EVERYONE,
    from: START,
    ref: 'TKG 2021 §174 Abs. 3 (TKG 2003 §107 Abs. 2)',
  },
  // After the consent rule: a business that consented is written to on that consent (the basis names it).
  {
    id: 'at.electronic.b2b.opt-out-until-2006',
    title: 'Until 2006-02-28, email and SMS to businesses needed no consent (consumers only)',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['email', ...TEXTS],
    audiences: ['b2b-named', 'b2b-generic'],
    from: START,
    until: '2006-02-28',
    ref: 'TKG 2003 §107 Abs. 2 (to consumers only before BGBl. I Nr. 133/2005, in force 2006-03-01)',
  },
  {
    id: 'at.calls.consent',
    title: 'Advertising calls, automated calls and fax need prior consent, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: [...CALLS, 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'TKG 2021 §174 Abs. 1 (TKG 2003 §107 Abs. 1)',
  },
  {
    id: 'at.electronic.client-exception',
    title: 'A customer not on the ECG list may receive email/SMS about own similar products',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: { excludedByLists: ['ecg'] },
    channels: ['email', ...TEXTS],
    audiences: EVERYONE,
    from: START,
    ref: 'TKG 2021 §174 Abs. 4; ECG §7 Abs. 2 (ECG-Liste)',
  },
  {
    id: 'at.postal',
    title: 'Postal advertising is open unless the person objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from: START,
    ref: 'DSGVO Art. 6(1)(f), 21(2)',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ['email', 'sms', 'mms', 'fax', 'postal', ...CALLS],
    message: 'Name the sender; never conceal or falsify it (nor the caller number).',
    ref: 'TKG 2021 §174 Abs. 5; ECG §6 Abs. 1',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', 'sms', 'mms'],
    message: 'Make the commercial communication clearly recognisable as such.',
    ref: 'ECG §6 Abs. 1 Z 1',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Give an authentic address to stop further messages, free of charge, in every email.',
    ref: 'TKG 2021 §174 Abs. 4 Z 3, Abs. 5',
    from: START,
  },
  oneClickUnsubscribe(START, 'TKG 2021 §174 Abs. 5'),
  stopKeyword(START, 'TKG 2021 §174 Abs. 4 Z 3, Abs. 5'),
  objectionNotice(START, 'DSGVO Art. 21(4)'),
  clientObjectionNotice(START, {
    message:
      'Customer exception: tell the customer clearly in every message that they may refuse this use of their contact details at any time, free of charge and easily.',
    ref: 'TKG 2021 §174 Abs. 4 Z 3 (TKG 2003 §107 Abs. 3 Z 3 before 2021-11-01)',
  }),
  announceCaller(START, 'Directive 2011/83/EU art. 8(5) (FAGG)'),
  dataSource(START, { direct: 'DSGVO Art. 13', indirect: 'DSGVO Art. 14(2)(f), 14(3)(b); GewO §151 Abs. 7' }),
  sourceObjectionNotice(START, 'DSGVO Art. 21(4), 14(2)(c), 14(3)(b)'),
];

export const AT: RulePack = {
  jurisdiction: 'AT',
  name: 'Austria',
  timeZone: 'Europe/Vienna',
  holidays: [],
  rules,
  obligations,
  notes: [
    'No presumed consent for businesses: calls and electronic messages to companies need consent too (email and SMS since 2006-03-01).',
    'List names: "ecg" is the RTR ECG-Liste (excludes the existing-customer exception); "robinson" the GewO §151 list.',
  ],
};
