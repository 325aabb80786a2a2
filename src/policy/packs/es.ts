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
  sourceObjectionNotice,
  stopKeyword,
  TEXTS,
} from './shared.js';

/**
 * Spain. Ley 34/2002 (LSSI) art. 20-22: advertising by email or an equivalent electronic means (SMS, MMS) needs the
 * recipient's prior request or express authorisation, companies included, except own clients for similar products
 * (art. 21.2); Ley 11/2022 General de Telecomunicaciones art. 66.1 a)-b): automated calls and fax need consent, and
 * since 2023-06-29 unwanted commercial calls need consent or another GDPR basis; LOPDGDD (LO 3/2018) art. 23.4:
 * consult the advertising exclusion lists (Lista Robinson) first; TRLGDCU (RDL 1/2007) art. 96.2 (Ley 3/2014):
 * consumers are called only on working days 09:00-21:00.
 */
const START = '2002-10-12'; // LSSI in force.
const CALLS_OPT_IN = '2023-06-29'; // LGT 11/2022 art. 66.1 b), one year after its publication.

const rules: Rule[] = [
  ...personsWord('ES', START, {
    objection: 'LSSI art. 22.1; RGPD art. 21(2)-(3)',
    refusal: 'LSSI art. 21.2 (oponerse en el momento de la recogida)',
  }),
  {
    id: 'es.robinson',
    title: 'No advertising to a person on the Lista Robinson for the channel, unless they consented to this sender',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    // "deberán previamente consultar los sistemas de exclusión publicitaria", unless the person consented.
    params: { lists: ['robinson'], exceptConsent: 'any', mustConsult: true },
    channels: ALL_CHANNELS,
    audiences: ['b2c'],
    from: '2008-04-19',
    ref: 'LOPDGDD (LO 3/2018) art. 23.4 (RD 1720/2007 art. 49.4 before 2018-12-07)',
  },
  {
    id: 'es.calls.hours',
    title: 'Calls to consumers only on working days, 09:00-21:00 local time, never at weekends or on public holidays',
    effect: 'forbid',
    code: 'OUTSIDE_HOURS',
    check: 'calling-hours',
    params: {
      weekdays: [1, 2, 3, 4, 5],
      windows: [['09:00', '21:00']],
    },
    channels: CALLS,
    audiences: ['b2c'],
    from: '2014-03-29',
    ref: 'TRLGDCU art. 96.2 (Ley 3/2014, BOE 28/03/2014, in force the next day)',
  },
  {
    id: 'es.electronic.consent',
    title: 'Email, SMS and MMS advertising need prior express authorisation, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['email', ...TEXTS],
    audiences: EVERYONE,
    from: START,
    ref: 'LSSI art. 21.1',
  },
  {
    id: 'es.electronic.client-exception',
    title:
      'A client whose details were obtained lawfully in a prior contract may receive offers of own similar products, unless they refused',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    channels: ['email', ...TEXTS],
    audiences: EVERYONE,
    from: START,
    ref: 'LSSI art. 21.2',
  },
  {
    id: 'es.automated-fax.consent',
    title: 'Automated calls and fax advertising need prior consent',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['automated_call', 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'LGT 11/2022 art. 66.1 a) (LGT 9/2014 art. 48.1 b) before); TRLGDCU art. 96.3',
  },
  {
    id: 'es.phone.consent',
    title: 'Commercial calls to an individual need consent (from 2023-06-29) or another lawful ground',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: CALLS_OPT_IN,
    ref: 'LGT 11/2022 art. 66.1 b)',
  },
  {
    id: 'es.phone.client',
    title:
      'An existing client, or one whose contract ended less than a year ago, may be called about own similar products (legitimate interest), unless they objected',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    // AEPD Circular 1/2023: legitimate interest for the same company's similar products; after the contract, only
    // within a year (read here from the last purchase or contract end).
    params: { withinMonths: 12 },
    channels: ['phone'],
    audiences: ['b2c'],
    from: CALLS_OPT_IN,
    ref: 'LGT 11/2022 art. 66.1 b) ("otra base de legitimación", RGPD art. 6(1)(f)); AEPD Circular 1/2023 art. 3; LOPDGDD art. 23',
  },
  {
    id: 'es.phone.b2c.opt-out-until-2023',
    title:
      'Until 2023-06-28, commercial calls to individuals were open unless they objected or were on the Lista Robinson',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: START,
    until: '2023-06-28',
    ref: 'RGPD art. 6(1)(f) and 21; LOPDGDD art. 23 (before LGT 11/2022 art. 66.1 b))',
  },
  {
    id: 'es.phone.b2b',
    title: 'Commercial calls to businesses are open unless they object',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: ['b2b-named', 'b2b-generic'],
    from: START,
    ref: 'RGPD art. 6(1)(f) and 21(2); LGT 11/2022 art. 66.1 b)',
  },
  postalOptOut('ES', START, 'RGPD art. 6(1)(f) and 21(2); LOPDGDD art. 23'),
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ALL_CHANNELS,
    message: 'Identify clearly the person or company on whose behalf the message is sent.',
    ref: 'LSSI art. 20.1; TRLGDCU art. 96.2',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', ...TEXTS],
    message: 'Begin the message with the word "publicidad" or "publi".',
    ref: 'LSSI art. 20.1',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Offer in every email a simple, free way to object, with an email or other electronic address for it.',
    ref: 'LSSI art. 21.2 and 22.1',
    from: START,
  },
  oneClickUnsubscribe(START, 'LSSI art. 22.1'),
  stopKeyword(START, 'LSSI art. 21.2 and 22.1'),
  objectionNotice(START, 'RGPD art. 21(4); LOPDGDD art. 23'),
  announceCaller(START, 'TRLGDCU art. 96.2'),
  dataSource(START, { direct: 'RGPD art. 13; LOPDGDD art. 11', indirect: 'RGPD art. 14(2)(f), 14(3)(b) and 21(4)' }),
  sourceObjectionNotice(START, 'RGPD art. 21(4), 14(2)(c) and 14(3)(b)'),
];

export const ES: RulePack = {
  jurisdiction: 'ES',
  name: 'Spain',
  timeZone: 'Europe/Madrid',
  holidays: [
    { name: 'Año Nuevo', date: '01-01' },
    { name: 'Epifanía del Señor', date: '01-06' },
    { name: 'Viernes Santo', easter: -2 },
    { name: 'Fiesta del Trabajo', date: '05-01' },
    { name: 'Asunción de la Virgen', date: '08-15' },
    { name: 'Fiesta Nacional de España', date: '10-12' },
    { name: 'Todos los Santos', date: '11-01' },
    { name: 'Día de la Constitución', date: '12-06' },
    { name: 'Inmaculada Concepción', date: '12-08' },
    { name: 'Natividad del Señor', date: '12-25' },
  ],
  regions: {
    'ES-CN': { name: 'Canarias', timeZone: 'Atlantic/Canary' },
  },
  rules,
  obligations,
  notes: [
    'The LSSI protects companies too: email and SMS to a business address need consent or the client exception.',
    'Public holidays are the national ones; regional and local holidays are not known to the pack (give `contact.timeZone` for Canarias).',
    'The Lista Robinson binds consumers on every channel it covers, unless they consented to the sender; after 2023-06-29 calls to individuals need consent, or the client relation as the "other lawful basis" (legitimate interest).',
  ],
};
