import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  ALL_CHANNELS,
  announceCaller,
  dataSource,
  EVERYONE,
  objectionNotice,
  oneClickUnsubscribe,
  personsWord,
  sourceObjectionNotice,
  stopKeyword,
  TEXTS,
} from './shared.js';

/**
 * Italy. Codice in materia di protezione dei dati personali (d.lgs. 196/2003) art. 130: automated calls, email, fax,
 * SMS and MMS need the consent of the subscriber or user, legal persons included (co. 1-2); the "soft spam" exception
 * for own clients' email (co. 4); calls by an operator and postal mail to numbers and addresses in public directories
 * are open unless the subscriber registered in the Registro pubblico delle opposizioni (co. 3-bis; DPR 178/2010, from
 * 2011-01-31; directory postal addresses since DPR 149/2018, 2019-02-03; every number since DPR 26/2022, operational
 * 2022-07-27, when registering also revoked earlier consents: legge 5/2018 art. 1 co. 5). GDPR art. 21.
 */
const START = '2004-01-01'; // d.lgs. 196/2003 in force.
const RPO_ALL = '2022-07-27'; // DPR 26/2022 (in force 2022-04-13): the register covers every number, operational this day.
const POSTAL_RPO = '2019-02-03'; // DPR 149/2018: the register covers postal addresses in public directories.

const rules: Rule[] = [
  ...personsWord('IT', START, {
    objection: 'd.lgs. 196/2003 art. 130 co. 4 and 130 co. 3-bis; GDPR art. 21(2)-(3)',
    refusal: 'd.lgs. 196/2003 art. 130 co. 4 ("non rifiuti tale uso")',
  }),
  {
    id: 'it.rpo.2011',
    title:
      'No call to a directory number registered in the Registro pubblico delle opposizioni, unless the person consented to the caller',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: { lists: ['rpo'], exceptConsent: 'any', mustConsult: true },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2011-01-31',
    until: '2022-07-26',
    ref: 'd.lgs. 196/2003 art. 130 co. 3-bis; DPR 7 settembre 2010 n. 178',
  },
  {
    id: 'it.rpo.2022',
    title:
      'No call (by operator or automated) or addressed mail to a number or address in the Registro pubblico delle opposizioni: registering revokes earlier consents, except those given within a contract in progress or ended less than 30 days ago',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    // L. 5/2018 art. 1 co. 5: registering revokes earlier consents, "fatti salvi i consensi prestati nell'ambito di
    // specifici rapporti contrattuali in essere, ovvero cessati da non più di trenta giorni".
    params: {
      lists: ['rpo'],
      exceptConsent: 'after-listing',
      exceptContract: 'client',
      clientWithinDays: 30,
      clientNeedsConsent: true,
      // Operators check their lists against the register before each campaign (DPR 26/2022), letters included.
      mustConsult: true,
    },
    channels: ['phone', 'automated_call', 'postal'],
    audiences: EVERYONE,
    from: RPO_ALL,
    ref: 'legge 11 gennaio 2018 n. 5 art. 1 co. 5; DPR 27 gennaio 2022 n. 26; d.lgs. 196/2003 art. 130 co. 3-bis',
  },
  {
    id: 'it.electronic.consent',
    title: 'Email, SMS, MMS, automated calls and fax need prior consent, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['email', ...TEXTS, 'automated_call', 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'd.lgs. 196/2003 art. 130 co. 1-2',
  },
  {
    id: 'it.email.client-exception',
    title:
      'A client’s email given at a sale may be used for own similar products, unless the client refused ("soft spam")',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    channels: ['email'],
    audiences: EVERYONE,
    from: START,
    ref: 'd.lgs. 196/2003 art. 130 co. 4',
  },
  {
    id: 'it.phone.consent',
    title: 'Advertising calls by an operator need consent, unless the number is listed in a public directory',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'd.lgs. 196/2003 art. 130 co. 3; GDPR art. 6(1)(a)',
  },
  {
    id: 'it.phone.directory-opt-out',
    title: 'A number listed in a public directory may be called unless the subscriber objected or is in the register',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: { directory: 'listed' },
    channels: ['phone'],
    audiences: EVERYONE,
    from: '2011-01-31',
    ref: 'd.lgs. 196/2003 art. 130 co. 3-bis; DPR 7 settembre 2010 n. 178',
  },
  {
    id: 'it.rpo.postal-2019',
    title:
      'No addressed mail to a directory address registered in the Registro pubblico delle opposizioni, unless the person consented',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: { lists: ['rpo'], exceptConsent: 'any', mustConsult: true },
    channels: ['postal'],
    audiences: EVERYONE,
    from: POSTAL_RPO,
    until: '2022-07-26',
    ref: 'd.lgs. 196/2003 art. 130 co. 3-bis; DPR 8 novembre 2018 n. 149',
  },
  {
    id: 'it.postal.consent',
    title: 'Addressed advertising mail needs consent, unless the address is listed in a public directory',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from: START,
    ref: 'd.lgs. 196/2003 art. 130 co. 3; GDPR art. 6(1)(a)',
  },
  {
    id: 'it.postal.directory-opt-out',
    title:
      'An address listed in a public directory may receive advertising mail unless the person objected or is in the register',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: { directory: 'listed' },
    channels: ['postal'],
    audiences: EVERYONE,
    from: POSTAL_RPO,
    ref: 'd.lgs. 196/2003 art. 130 co. 3-bis (post added 2011, in effect with DPR 149/2018); GDPR art. 21(2)',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ALL_CHANNELS,
    message: 'Name the sender on whose behalf the message is sent; never disguise or conceal it.',
    ref: 'd.lgs. 196/2003 art. 130 co. 5; d.lgs. 70/2003 art. 8',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', ...TEXTS],
    message: 'Make the unsolicited commercial communication identifiable as such as soon as it is received.',
    ref: 'd.lgs. 70/2003 art. 8-9',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Give a valid address where the recipient can ask, free and easily, to stop the messages.',
    ref: 'd.lgs. 196/2003 art. 130 co. 4-5',
    from: START,
  },
  oneClickUnsubscribe(START, 'd.lgs. 196/2003 art. 130 co. 5'),
  stopKeyword(START, 'd.lgs. 196/2003 art. 130 co. 5'),
  objectionNotice(START, 'GDPR art. 21(4); d.lgs. 196/2003 art. 130 co. 3-bis'),
  announceCaller(START, 'd.lgs. 206/2005 (Codice del consumo) art. 51 co. 5'),
  dataSource(START, { direct: 'GDPR art. 13', indirect: 'GDPR art. 14(2)(f), 14(3)(b) and 21(4)' }),
  sourceObjectionNotice(START, 'GDPR art. 21(4), 14(2)(c) and 14(3)(b)'),
];

export const IT: RulePack = {
  jurisdiction: 'IT',
  name: 'Italy',
  timeZone: 'Europe/Rome',
  holidays: [],
  rules,
  obligations,
  notes: [
    'Legal persons are protected like individuals (art. 130 speaks of the "contraente", a company included): no B2B exception.',
    'The "soft spam" exception covers email only, not SMS (art. 130 co. 4).',
    'Opt-out calls need `contact.directory: "listed"` (a number in a public directory); an unlisted or unknown status needs consent. List name: "rpo" for the Registro pubblico delle opposizioni (phone; phone and postal since 2022-07-27).',
    'The 30-day grace after a contract ends (legge 5/2018) is read as one month. No statutory calling hours.',
  ],
};
