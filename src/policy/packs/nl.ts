import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  ALL_CHANNELS,
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
 * Netherlands. Telecommunicatiewet (Tw) art. 11.7: electronic messages, fax and automated calls need prior consent
 * (natural persons since 2004-05-19, every end user since 2009-10-01), except own customers (lid 3); telemarketing to
 * natural persons is opt-in since 2021-07-01 (Stb. 2021, 103), except customers up to three years after the customer
 * relationship; until then calls were opt-out with the Bel-me-niet Register (2009-10-01 to 2021-06-30).
 * BW art. 3:15e (identifiable commercial communication), AVG art. 21.
 */
const START = '2004-05-19'; // Tw art. 11.7 as amended for Directive 2002/58/EC.
const ELECTRONIC = ['email', ...TEXTS, 'automated_call', 'fax'] as const;
const B2B = ['b2b-named', 'b2b-generic'] as const;

const rules: Rule[] = [
  ...personsWord('NL', START, {
    objection: 'Tw art. 11.7; AVG art. 21(2)-(3)',
    refusal: 'Tw art. 11.7 lid 3 (verzet bij het verkrijgen van de gegevens)',
  }),
  {
    id: 'nl.calls.bel-me-niet',
    title:
      'Until 2021-06-30, no telemarketing call to a number in the Bel-me-niet Register, except to own customers about similar products',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: { lists: ['bel-me-niet'], exceptContract: 'client', clientSimilarOnly: true, mustConsult: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2009-10-01',
    until: '2021-06-30',
    ref: 'Tw art. 11.7 (Bel-me-niet Register, Besluit bel-me-niet-register; Wet van 13 november 2008, Stb. 2008, 525)',
  },
  robinsonPostal('NL', {
    title: 'Addressed mail is not sent to a non-customer registered with the Postfilter (Robinson) list',
    audiences: ['b2c'],
    lists: ['postfilter', 'robinson'],
    from: START,
    ref: 'Postfilter (zelfregulering, DDMA); AVG art. 21(2)',
  }),
  {
    id: 'nl.electronic.consent',
    title: 'Email, SMS, MMS, automated calls and fax need prior consent',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ELECTRONIC,
    audiences: EVERYONE,
    from: START,
    ref: 'Tw art. 11.7 lid 1 (every end user, businesses included, since 2009-10-01)',
  },
  {
    id: 'nl.electronic.client-exception',
    title:
      'A customer whose details were obtained at a sale may receive messages about own similar products, unless they objected',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    // Lid 3 speaks of electronic contact details for electronic messages: fax and automated calls have no exception.
    channels: ['email', ...TEXTS],
    audiences: EVERYONE,
    from: START,
    ref: 'Tw art. 11.7 lid 3',
  },
  {
    id: 'nl.electronic.b2b.opt-out-until-2009',
    title: 'Until 2009-09-30, electronic messages to businesses needed no consent',
    effect: 'permit',
    // The subscriber is the company, a legal person the article did not yet protect.
    basis: 'LEGAL_PERSON',
    check: 'opt-out',
    params: {},
    channels: ELECTRONIC,
    audiences: B2B,
    from: START,
    until: '2009-09-30',
    ref: 'Tw art. 11.7 lid 1 (natural persons only before the Wet van 13 november 2008, Stb. 2008, 525, in force 2009-10-01)',
  },
  {
    id: 'nl.phone.consent',
    title: 'Telemarketing to a natural person needs prior consent (from 2021-07-01)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: '2021-07-01',
    ref: 'Tw art. 11.7 lid 1-2 (Wet van 10 februari 2021, Stb. 2021, 103)',
  },
  {
    id: 'nl.phone.client',
    title:
      'A customer may be called about own similar products during the relationship and up to three years after it ended',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: { withinMonths: 36 },
    channels: ['phone'],
    audiences: ['b2c'],
    from: '2021-07-01',
    ref: 'Tw art. 11.7 lid 3 as extended to calls (Stb. 2021, 103); three years after the customer relationship: the sector’s self-regulation endorsed by the legislator (Kamerstukken 35 421)',
  },
  {
    // The Bel-me-niet Register spared customers called about similar products (clientSimilarOnly): for them the
    // customer relation is the basis, as it is after 2021-07-01.
    id: 'nl.phone.client-until-2021',
    title: 'Until 2021-06-30, a customer could be called about own similar products, registered or not',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: START,
    until: '2021-06-30',
    ref: 'Tw art. 11.7 lid 5-6 (Bel-me-niet Register, customer exception for similar products; before Stb. 2021, 103)',
  },
  {
    id: 'nl.phone.b2c.opt-out-until-2021',
    title:
      'Until 2021-06-30, telemarketing to consumers was open unless they objected or were in the Bel-me-niet Register',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: START,
    until: '2021-06-30',
    ref: 'Tw art. 11.7 (opt-out for telemarketing before Stb. 2021, 103)',
  },
  {
    id: 'nl.phone.b2b',
    title: 'Telemarketing to businesses is open unless they object',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: B2B,
    from: START,
    ref: 'Tw art. 11.7 lid 2 (opt-in for natural persons only); AVG art. 21(2)',
  },
  postalOptOut('NL', START, 'AVG art. 6(1)(f) and 21(2)'),
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ALL_CHANNELS,
    message: 'Name the advertiser on whose behalf the message is sent, with a valid address to stop further messages.',
    ref: 'Tw art. 11.7; BW art. 3:15e lid 1',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: CALLS,
    message: 'Show a caller number the person can call back; never call anonymously.',
    ref: 'Tw art. 11.7 (nummerweergave, Stb. 2021, 103)',
    from: '2021-07-01',
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', ...TEXTS],
    message: 'Make the commercial communication clearly recognisable as such.',
    ref: 'BW art. 3:15e lid 1',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Give in every email a valid address where the recipient can stop further messages, free of charge.',
    ref: 'Tw art. 11.7 lid 3',
    from: START,
  },
  oneClickUnsubscribe(START, 'Tw art. 11.7'),
  stopKeyword(START, 'Tw art. 11.7 lid 3'),
  objectionNotice(START, 'Tw art. 11.7; AVG art. 21(4)'),
  announceCaller(START, 'Directive 2011/83/EU art. 8(5) (BW boek 6, afdeling 2B)'),
  dataSource(START, { direct: 'AVG art. 13', indirect: 'AVG art. 14(2)(f), 14(3)(b) and 21(4)' }),
  sourceObjectionNotice(START, 'AVG art. 21(4), 14(2)(c) and 14(3)(b)'),
];

export const NL: RulePack = {
  jurisdiction: 'NL',
  name: 'Netherlands',
  timeZone: 'Europe/Amsterdam',
  holidays: [],
  rules,
  obligations,
  notes: [
    'Electronic messages need consent from businesses too (since 2009-10-01); the exception for contact details a legal person published for such messages is not modelled (record a consent).',
    'Calls to "professional" contacts are treated as calls to a legal person (opt-out); a sole trader is a natural person and needs consent — record such contacts as individuals.',
    'List names: "bel-me-niet" for the Bel-me-niet Register (abolished 2021-07-01); "postfilter" (or "robinson") for addressed mail.',
    'No statutory calling hours (the Gedragscode Telemarketing is self-regulation); no 3-year retention rule beyond the customer exception for calls.',
  ],
};
