import type { Channel } from '../../domain/channels.js';
import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  ALL_CHANNELS as ALL,
  dataSource,
  oneClickUnsubscribe,
  personsWord,
  robinsonPostal,
  sourceObjectionNotice,
} from './shared.js';

/**
 * France. Sources: CPCE art. L34-5 (electronic prospecting), Code de la consommation art. L223-1 (Bloctel, then
 * phone opt-in from 2026-08-11, loi n° 2025-594 art. 13), D223-9 (calling days and hours, décret n° 2022-1313),
 * CNIL guidance (B2B, partners, retention), RGPD art. 21 (objection).
 */

const ELECTRONIC: Channel[] = ['email', 'sms', 'mms', 'automated_call', 'fax'];
const CALLS: Channel[] = ['phone', 'automated_call'];
// The opposition list governs human canvassing, the opt-out regime; automated calls need prior consent under CPCE
// L34-5, to which the same chapter of the Code de la consommation refers them (art. L223-7).
const HUMAN_CALLS: Channel[] = ['phone'];
/** Offers of newspapers, periodicals or magazines: C. consom. L223-5 lifts the phone bans of L223-1 for them. */
const PRESS = ['press'] as const;
const START = '2004-06-22'; // LCEN (loi n° 2004-575) creates the consent rule of CPCE L34-5.
/** D223-9 al. 1 (décret n° 2022-1313), the same before and after 2026-08-11, and the consent that always lifts it. */
const CALLING_DAYS_AND_HOURS = {
  weekdays: [1, 2, 3, 4, 5],
  windows: [
    ['10:00', '13:00'],
    ['14:00', '20:00'],
  ],
  liftedByConsentPurpose: 'calls_outside_hours',
} as const;

const rules: Rule[] = [
  // Bans that consent does not lift.
  {
    id: 'fr.sector-ban.energy-renovation-calls',
    title: 'No phone prospecting of consumers for energy-renovation works or equipment',
    effect: 'forbid',
    code: 'SECTOR_BAN',
    check: 'sector-ban',
    params: { sectors: ['energy_renovation'], unlessContract: true },
    channels: CALLS,
    audiences: ['b2c'],
    from: '2020-07-26',
    until: '2025-07-01',
    ref: 'C. consom. art. L223-1 (loi n° 2020-901 du 24 juillet 2020)',
  },
  {
    id: 'fr.sector-ban.housing-works',
    title: 'No prospecting of consumers for energy-renovation or home-adaptation works, by phone or electronic means',
    effect: 'forbid',
    code: 'SECTOR_BAN',
    check: 'sector-ban',
    params: { sectors: ['energy_renovation', 'home_adaptation'], unlessContract: true },
    channels: ['phone', 'automated_call', 'email', 'sms', 'mms', 'fax'],
    audiences: ['b2c'],
    from: '2025-07-02',
    ref: 'C. consom. art. L223-1 al. 5 (loi n° 2025-594 du 30 juin 2025, art. 13)',
  },
  // What the person said: an objection or withdrawal, a refusal.
  // CNIL: who stops receiving the newsletter must get no prospecting email of any kind, so on electronic messages
  // withdrawing the newsletter closes the channel as an unsubscribe does. Other purposes are withdrawn one by one
  // (RGPD art. 7(3): the person chose them separately).
  ...personsWord(
    'FR',
    START,
    {
      objection: 'CPCE art. L34-5 al. 4; RGPD art. 21(2)-(3); C. consom. art. L223-1; CNIL, prospection commerciale',
      refusal: 'CPCE art. L34-5 al. 4 ("n\'aurait pas refusé d\'emblée"); CNIL, prospection commerciale',
    },
    { channelWideWithdrawal: { channels: ['email', 'sms', 'mms'], purposes: ['newsletter'] } },
  ),
  // Opposition lists.
  {
    id: 'fr.bloctel.2016',
    title: 'No phone prospecting of a consumer registered on Bloctel, except pre-existing contractual relations',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: { lists: ['bloctel'], exceptContract: 'client', exceptSectors: PRESS, mustConsult: true },
    channels: HUMAN_CALLS,
    audiences: ['b2c'],
    from: '2016-06-01',
    until: '2020-07-25',
    ref: 'C. consom. art. L223-1 al. 2 (ordonnance n° 2016-301); L223-5 (press)',
  },
  {
    id: 'fr.bloctel.2020',
    title:
      'No phone prospecting of a consumer registered on Bloctel, except an offer related to a contract in progress',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: { lists: ['bloctel'], exceptContract: 'related', exceptSectors: PRESS, mustConsult: true },
    channels: HUMAN_CALLS,
    audiences: ['b2c'],
    from: '2020-07-26',
    until: '2026-08-10',
    ref: 'C. consom. art. L223-1 al. 2 (loi n° 2020-901 du 24 juillet 2020); L223-5 (press)',
  },
  robinsonPostal('FR', {
    title: 'Addressed mail is not sent to a consumer on the Robinson "Stop Publicité" list',
    audiences: ['b2c'],
    from: START,
    ref: 'Liste Robinson – Stop Publicité (UFMD, self-regulation); RGPD art. 21(2)',
  }),
  // Retention.
  {
    id: 'fr.retention',
    title: 'Prospect and former-client data may be used for 3 years after the last active contact from the person',
    effect: 'forbid',
    code: 'RETENTION_EXPIRED',
    check: 'retention',
    params: { years: 3 },
    channels: ALL,
    audiences: ['b2c', 'b2b-named'],
    from: START,
    ref: 'CNIL, référentiel « gestion des activités commerciales » (3 ans à compter du dernier contact émanant de la personne); RGPD art. 5(1)(e)',
  },
  // Electronic channels: B2C opt-in.
  {
    id: 'fr.electronic.b2c.consent',
    title: 'Email, SMS, MMS, automated calls and fax to an individual need prior consent',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ELECTRONIC,
    audiences: ['b2c'],
    from: START,
    ref: 'CPCE art. L34-5 al. 1-2; RGPD art. 4(11) and 7',
  },
  // Consent first: when the person consented, that is the ground, whatever exception would also apply.
  {
    id: 'fr.electronic.b2b.consent',
    title: 'A professional who consented may receive electronic prospecting',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ELECTRONIC,
    audiences: ['b2b-named'],
    from: START,
    ref: 'CPCE art. L34-5 al. 1-2',
  },
  {
    id: 'fr.electronic.client-exception',
    title: 'An existing client may receive messages about similar own products unless they refused (soft opt-in)',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    channels: ['email', 'sms', 'mms', 'automated_call'],
    audiences: ['b2c', 'b2b-named'],
    from: START,
    ref: 'CPCE art. L34-5 al. 4; CNIL, prospection par SMS-MMS et par automates d’appel',
  },
  // Electronic channels: B2B.
  {
    id: 'fr.electronic.b2b.related',
    title: 'A named professional address may be prospected without consent if the offer relates to the profession',
    effect: 'permit',
    basis: 'B2B_RELATED',
    check: 'b2b-related',
    params: { requireInformed: true },
    // Not fax: "le consentement préalable est exigé pour démarcher toute personne physique, y compris dans le cadre
    // de son activité professionnelle" (CNIL, prospection par télécopie). Automated calls: professionals may object.
    channels: ['email', 'sms', 'mms', 'automated_call'],
    audiences: ['b2b-named'],
    from: START,
    ref: 'CNIL, prospection commerciale B2B (information et droit d’opposition, objet en rapport avec la profession); CNIL, prospection par automates d’appel; RGPD art. 6(1)(f)',
  },
  {
    id: 'fr.electronic.b2b.generic',
    title: 'A generic company address (contact@, info@) is a legal person’s, outside the consent rule',
    effect: 'permit',
    basis: 'LEGAL_PERSON',
    check: 'legal-person',
    params: {},
    channels: ELECTRONIC,
    audiences: ['b2b-generic'],
    from: START,
    ref: 'CPCE art. L34-5 al. 1 (personnes physiques only); CNIL, adresses génériques de personnes morales',
  },
  // Human phone calls.
  {
    id: 'fr.phone.b2c.consent',
    title: 'Phone prospecting of consumers needs prior consent (from 2026-08-11)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    // The law sets no period for this consent: it stands until it is withdrawn ("révocable", al. 2).
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: '2026-08-11',
    ref: 'C. consom. art. L223-1 al. 1-3 (loi n° 2025-594 du 30 juin 2025, art. 13)',
  },
  {
    id: 'fr.phone.b2c.contract',
    title: 'A consumer may be called about an offer related to a contract in progress (even on Bloctel)',
    effect: 'permit',
    basis: 'CONTRACT_IN_PROGRESS',
    check: 'contract-in-progress',
    params: {},
    channels: ['phone'],
    audiences: ['b2c'],
    from: '2016-06-01',
    ref: 'C. consom. art. L223-1 (contract exception: al. 2 until 2026-08-10, al. 4 as amended by loi n° 2025-594 art. 13 since)',
  },
  {
    id: 'fr.phone.b2c.press',
    title:
      'From 2026-08-11 too, calls offering newspapers, periodicals or magazines stay open unless the consumer objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: { sectors: PRESS, requireInformed: true },
    channels: ['phone'],
    audiences: ['b2c'],
    from: '2026-08-11',
    ref: 'C. consom. art. L223-5 (the bans of L223-1 do not apply to press canvassing); RGPD art. 21',
  },
  {
    id: 'fr.phone.b2c.opt-out',
    title: 'Phone prospecting of consumers is open unless they object or are on Bloctel',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: { requireInformed: true },
    channels: ['phone'],
    audiences: ['b2c'],
    from: START,
    until: '2026-08-10',
    ref: 'C. consom. art. L223-1 (before loi n° 2025-594); RGPD art. 21',
  },
  {
    id: 'fr.phone.b2b',
    title: 'Phone prospecting of professionals is open unless they object',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: { requireInformed: true },
    channels: ['phone'],
    audiences: ['b2b-named', 'b2b-generic'],
    from: START,
    ref: 'C. consom. article liminaire (L223-1 protects consumers); RGPD art. 21',
  },
  {
    id: 'fr.postal',
    title: 'Postal prospecting is open unless the person objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: { requireInformed: true },
    channels: ['postal'],
    audiences: ['b2c', 'b2b-named', 'b2b-generic'],
    from: START,
    ref: 'RGPD art. 6(1)(f) and 21(2); CNIL, prospection par voie postale',
  },
  // Calls to consumers: days, hours, frequency, after a refusal (décret n° 2022-1313, in force 2023-03-01).
  {
    id: 'fr.calls.hours',
    title:
      'Until 2026-08-10, calls to consumers only Monday–Friday 10:00–13:00 and 14:00–20:00 local time, never on public holidays, unless the consumer expressly agreed to be called',
    effect: 'forbid',
    code: 'OUTSIDE_HOURS',
    check: 'calling-hours',
    params: {
      ...CALLING_DAYS_AND_HOURS,
      // D223-9 al. 2: "en dehors de ces jours et de ces plages horaires s'il a obtenu le consentement exprès et
      // préalable du consommateur": in the opt-out era a consent to be called is that distinct act. Human calls
      // only: automated calls always need consent (CPCE L34-5), which would leave the hours nothing to bind.
      liftedByPhoneConsent: true,
    },
    channels: CALLS,
    audiences: ['b2c'],
    from: '2023-03-01',
    until: '2026-08-10',
    ref: 'C. consom. art. D223-9 al. 1-2 (décret n° 2022-1313); C. trav. art. L3133-1',
  },
  {
    id: 'fr.calls.hours-opt-in',
    title:
      'From 2026-08-11, calls to consumers only Monday–Friday 10:00–13:00 and 14:00–20:00 local time, never on public holidays: every call needs consent, so only a consent to calls outside them lifts them',
    effect: 'forbid',
    code: 'OUTSIDE_HOURS',
    check: 'calling-hours',
    params: {
      ...CALLING_DAYS_AND_HOURS,
    },
    channels: CALLS,
    audiences: ['b2c'],
    from: '2026-08-11',
    ref: 'C. consom. art. D223-9 (décret n° 2022-1313); L223-1 (loi n° 2025-594 art. 13); C. trav. art. L3133-1',
  },
  {
    id: 'fr.calls.frequency',
    title: 'At most 4 calls or attempts to the same consumer within 30 days',
    effect: 'forbid',
    code: 'FREQUENCY_LIMIT',
    check: 'call-frequency',
    params: { max: 4, days: 30 },
    channels: CALLS,
    audiences: ['b2c'],
    from: '2023-03-01',
    ref: 'C. consom. art. D223-9 al. 3 (décret n° 2022-1313)',
  },
  {
    id: 'fr.calls.after-refusal',
    title: 'No new call for 60 days after a consumer refused during a call',
    effect: 'forbid',
    code: 'RECENT_REFUSAL',
    check: 'call-refusal-cooldown',
    params: { days: 60 },
    channels: CALLS,
    audiences: ['b2c'],
    from: '2023-03-01',
    ref: 'C. consom. art. D223-9 al. 3 (décret n° 2022-1313)',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ['email', 'sms', 'mms', 'fax', 'postal'],
    message: 'Name the advertiser the message is sent for; never hide it.',
    ref: 'CPCE art. L34-5 al. 5; LCEN art. 20',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: CALLS,
    message: 'Display a number assigned to the advertiser (no masked number, no premium-rate number).',
    ref: 'C. consom. art. L221-17; arrêté du 5 juillet 2016',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', 'sms', 'mms', 'fax'],
    message: 'Make the message identifiable as advertising from its subject or first words.',
    ref: 'LCEN art. 20',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Carry a free, working unsubscribe link that takes effect at once.',
    ref: 'CPCE art. L34-5 al. 4-5; RGPD art. 21(4)',
    from: START,
  },
  oneClickUnsubscribe(START, 'CPCE art. L34-5 al. 5 (a working means to stop)'),
  {
    code: 'STOP_KEYWORD',
    channels: ['sms', 'mms'],
    message: 'End with a free opt-out such as "STOP au 36xxx".',
    ref: 'CPCE art. L34-5 al. 4-5; CNIL, prospection par SMS-MMS',
    from: START,
  },
  {
    code: 'OBJECTION_NOTICE',
    channels: ['fax', 'automated_call', 'postal', 'phone'],
    message: 'Tell the person how to object, free of charge, to further prospecting.',
    ref: 'RGPD art. 21(4); CPCE art. L34-5 al. 5',
    from: START,
  },
  {
    code: 'OBJECTION_NOTICE',
    channels: ['phone'],
    audiences: ['b2c'],
    message: 'Tell the consumer they may register for free on the Bloctel opposition list.',
    ref: 'C. consom. art. L221-16 al. 1',
    from: '2016-06-01',
    until: '2026-08-10',
  },
  {
    code: 'ANNOUNCE_CALLER_AND_PURPOSE',
    channels: CALLS,
    message: 'At the start of the call: who is calling, for whom, and that the call is commercial.',
    ref: 'C. consom. art. L221-16 al. 1',
    from: START,
  },
  dataSource(START, {
    direct: 'RGPD art. 13; CNIL, mentions d’information en prospection',
    indirect: 'RGPD art. 14(2)(f), 14(3)(b) and 21(4); CNIL, location et achat de fichiers',
  }),
  sourceObjectionNotice(START, 'RGPD art. 21(4), 14(2)(c) and 14(3)(b)'),
];

export const FR: RulePack = {
  jurisdiction: 'FR',
  name: 'France',
  timeZone: 'Europe/Paris',
  holidays: [
    { name: 'Jour de l’an', date: '01-01' },
    { name: 'Lundi de Pâques', easter: 1 },
    { name: 'Fête du Travail', date: '05-01' },
    { name: 'Victoire 1945', date: '05-08' },
    { name: 'Ascension', easter: 39 },
    { name: 'Lundi de Pentecôte', easter: 50 },
    { name: 'Fête nationale', date: '07-14' },
    { name: 'Assomption', date: '08-15' },
    { name: 'Toussaint', date: '11-01' },
    { name: 'Armistice 1918', date: '11-11' },
    { name: 'Noël', date: '12-25' },
  ],
  // D223-9 counts hours in the consumer's time zone; overseas departments and collectivities have their own.
  regions: {
    'FR-971': { name: 'Guadeloupe', timeZone: 'America/Guadeloupe' },
    'FR-972': { name: 'Martinique', timeZone: 'America/Martinique' },
    'FR-973': { name: 'Guyane', timeZone: 'America/Cayenne' },
    'FR-974': { name: 'La Réunion', timeZone: 'Indian/Reunion' },
    'FR-976': { name: 'Mayotte', timeZone: 'Indian/Mayotte' },
    'FR-BL': { name: 'Saint-Barthélemy', timeZone: 'America/St_Barthelemy' },
    'FR-MF': { name: 'Saint-Martin', timeZone: 'America/Marigot' },
    'FR-PM': { name: 'Saint-Pierre-et-Miquelon', timeZone: 'America/Miquelon' },
  },
  rules,
  obligations,
  notes: [
    'Public holidays are those of C. trav. art. L3133-1, the only ones D223-9 names; Alsace-Moselle and overseas abolition days are not calling bans.',
    'D223-9 al. 2 lifts the days and hours for a consumer who gave express prior consent: until 2026-08-10 (calls opt-out) any standing consent to be called does, for human calls; from 2026-08-11 (every call needs consent) and for automated calls, only a consent on channel phone with purpose "calls_outside_hours".',
    'Bloctel has no consent exception in the text of L223-1 before 2026-08-11: a registered consumer is called by a person only within a (related) contract. Automated calls are outside it: they need prior consent under CPCE L34-5 (C. consom. L223-7), and a consumer who gave it may receive them though registered.',
    'The 2025 extension of the housing-works ban to electronic channels and to home adaptation is applied from 2025-07-02, the stricter of the published readings.',
    'A refusal during a call blocks calls for 60 days (D223-9); from 2026-08-11 it also tends to revoke phone consent (L221-16 as amended) — record it as consent.withdrawn to end calls for good.',
    'From 2026-08-11 the law sets no period for a consumer’s phone consent: it stands until withdrawn (L223-1 al. 2, "révocable"). L223-1 as amended leaves the days, hours and frequency of calls to a decree to come; no such decree was found in the sources consulted, so the pack keeps D223-9 (décret n° 2022-1313) as it stands, its 60-day pause after a refusal and its "calls_outside_hours" consent included.',
  ],
};
