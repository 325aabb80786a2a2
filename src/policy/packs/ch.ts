import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import { dataSource, EVERYONE, oneClickUnsubscribe, personsWord, robinsonPostal, TEXTS } from './shared.js';

/**
 * Switzerland. UWG Art. 3 Abs. 1 lit. o (mass advertising by telecommunication: consent, correct sender, free
 * opt-out; existing-customer exception), lit. u and v (directory star; unlisted numbers count as starred since
 * 2021-01-01; displayed registered number).
 */
const START = '2007-04-01'; // lit. o in force.

const rules: Rule[] = [
  ...personsWord('CH', START, {
    objection: 'UWG Art. 3 Abs. 1 lit. o (Ablehnungsmöglichkeit); DSG Art. 30 Abs. 2 lit. b',
    refusal: 'UWG Art. 3 Abs. 1 lit. o',
  }),
  robinsonPostal('CH', {
    title: 'Addressed mail is not sent to a private non-customer on the SDV Robinson list',
    audiences: ['b2c'],
    from: START,
    ref: 'SDV Robinsonliste (Selbstregulierung); DSG Art. 30 Abs. 2 lit. b',
  }),
  {
    id: 'ch.phone.directory-star',
    title: 'No advertising call to a number whose directory entry carries the star, unless a customer or consented',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'directory-notice',
    params: { unlistedCounts: false },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2012-04-01',
    until: '2020-12-31',
    ref: 'UWG Art. 3 Abs. 1 lit. u',
  },
  {
    id: 'ch.phone.directory-star-or-unlisted',
    title: 'No advertising call to a starred or unlisted number, unless a customer or consented',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'directory-notice',
    params: { unlistedCounts: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2021-01-01',
    ref: 'UWG Art. 3 Abs. 1 lit. u (as amended, in force 2021-01-01)',
  },
  {
    id: 'ch.electronic-mail.consent',
    title: 'Mass email, SMS and MMS need prior consent, proven by double opt-in (or a written or recorded consent)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: { proof: 'double_opt_in' },
    // The sender must prove the consent; a ticked box alone proves neither the address or number nor who ticked it.
    channels: ['email', ...TEXTS],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG Art. 3 Abs. 1 lit. o',
  },
  {
    id: 'ch.electronic.consent',
    title: 'Automated calls and fax advertising need prior consent, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['automated_call', 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG Art. 3 Abs. 1 lit. o',
  },
  {
    id: 'ch.electronic.client-exception',
    title: 'A customer told of the opt-out at the sale may receive advertising for own similar offerings',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    channels: ['email', ...TEXTS, 'automated_call', 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG Art. 3 Abs. 1 lit. o, second half',
  },
  {
    id: 'ch.phone.consent',
    title: 'A person who consented may be called',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG Art. 3 Abs. 1 lit. u',
  },
  {
    // Customers may be called despite the star (lit. u): their relation is the basis, as a consent is above.
    id: 'ch.phone.client',
    title: 'A customer may be called, even with a starred or unlisted number',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: { anyOffer: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG Art. 3 Abs. 1 lit. u',
  },
  {
    id: 'ch.phone.opt-out',
    title: 'Advertising calls are open unless the person objects or the directory says no',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG Art. 3 Abs. 1 lit. u',
  },
  {
    id: 'ch.postal',
    title: 'Postal advertising is open unless the person objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from: START,
    ref: 'DSG Art. 30 Abs. 2 lit. b',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ['email', 'sms', 'mms', 'fax', 'automated_call', 'postal'],
    message: 'Give the correct sender.',
    ref: 'UWG Art. 3 Abs. 1 lit. o',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: ['phone'],
    message: 'Display a number registered in the directory that the caller is entitled to use.',
    ref: 'UWG Art. 3 Abs. 1 lit. v',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Point to an easy, free way to refuse further advertising in every email.',
    ref: 'UWG Art. 3 Abs. 1 lit. o',
    from: START,
  },
  oneClickUnsubscribe(START, 'UWG Art. 3 Abs. 1 lit. o'),
  {
    code: 'STOP_KEYWORD',
    channels: TEXTS,
    message: 'Offer an easy, free way to refuse further messages, such as replying STOP.',
    ref: 'UWG Art. 3 Abs. 1 lit. o',
    from: START,
  },
  {
    code: 'OBJECTION_NOTICE',
    channels: ['fax', 'automated_call', 'phone', 'postal'],
    message: 'Tell the person how to refuse further advertising, free of charge.',
    ref: 'UWG Art. 3 Abs. 1 lit. o; DSG Art. 30 Abs. 2 lit. b',
    from: START,
  },
  {
    code: 'ANNOUNCE_CALLER_AND_PURPOSE',
    channels: ['phone', 'automated_call'],
    message: 'At the start of the call: who is calling, for whom, and that the call is advertising.',
    ref: 'UWG Art. 3 Abs. 1 lit. b',
    from: START,
  },
  dataSource(START, { direct: 'DSG Art. 19', indirect: 'DSG Art. 19 Abs. 2 and 5' }),
];

export const CH: RulePack = {
  jurisdiction: 'CH',
  name: 'Switzerland',
  timeZone: 'Europe/Zurich',
  holidays: [],
  rules,
  obligations,
  notes: [
    'The contact\'s `directory` field carries the phone-directory status: starred, unlisted (treated as starred since 2021-01-01) or listed. When a request gives none, the number is read as listed without the star, as a number absent from `lists` is read as not on a list: the caller states what it checked (lit. u binds the caller to check the directory), and the answer says "directory status not given".',
    'lit. o covers businesses too: there is no B2B exception for electronic advertising.',
  ],
};
