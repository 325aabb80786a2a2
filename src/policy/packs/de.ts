import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import {
  announceCaller,
  CALLS,
  clientObjectionNotice,
  dataSource,
  EVERYONE,
  oneClickUnsubscribe,
  personsWord,
  robinsonPostal,
  sourceObjectionNotice,
  stopKeyword,
} from './shared.js';

/**
 * Germany. UWG §7 (unzumutbare Belästigungen; numbering after the reform in force 2022-05-28), §7a (documenting
 * phone consent), BGH I ZR 164/09 (double opt-in as the proof of email consent), DSGVO Art. 21.
 * Electronic mail, fax and automated calls need prior express consent from every addressee, businesses included.
 */
const START = '2009-08-04'; // Gesetz zur Bekämpfung unerlaubter Telefonwerbung: express consent for consumer calls.
const B2B = ['b2b-named', 'b2b-generic'] as const;

const rules: Rule[] = [
  ...personsWord('DE', START, {
    objection: 'UWG §7 Abs. 1 S. 2 (erkennbar nicht wünscht); DSGVO Art. 21(2)-(3)',
    refusal: 'UWG §7 Abs. 1 S. 2; DSGVO Art. 7',
  }),
  robinsonPostal('DE', {
    title: 'Addressed mail is not sent to a non-customer on the DDV Robinson list',
    audiences: ['b2c'],
    from: START,
    ref: 'DDV-Robinsonliste (Selbstregulierung); UWG §7 Abs. 1 S. 2',
  }),
  {
    id: 'de.electronic-mail.consent',
    title: 'Email, SMS and MMS need prior express consent, proven by double opt-in (or a written or recorded consent)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: { proof: 'double_opt_in' },
    // A ticked box proves neither that the address or number is the person's nor that they ticked it: the
    // advertiser bears the proof (BGH I ZR 164/09), given by confirming the address, or the number by SMS code.
    channels: ['email', 'sms', 'mms'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG §7 Abs. 2 Nr. 2 (Nr. 3 before 2022-05-28); BGH, 10.02.2011, I ZR 164/09',
  },
  {
    id: 'de.electronic.consent',
    title: 'Automated calls and fax need prior express consent, from businesses too',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['automated_call', 'fax'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG §7 Abs. 2 Nr. 2 (Nr. 3 before 2022-05-28)',
  },
  {
    id: 'de.electronic.client-exception',
    title:
      'A customer may receive electronic mail (email, SMS, MMS) about own similar products, told at collection and in every message they may object',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: {},
    // "Elektronische Post" is the directive's "electronic mail" (2002/58/EC art. 2 h, recital 40): text and
    // multimedia messages too, as the prevailing commentary reads §7 Abs. 3 and as AT and CH apply it.
    channels: ['email', 'sms', 'mms'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG §7 Abs. 3',
  },
  {
    id: 'de.phone.consent',
    title: 'Advertising calls need prior express consent (consumers: documented and kept 5 years)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG §7 Abs. 2 Nr. 1 (Nr. 2 before 2022-05-28); UWG §7a',
  },
  {
    id: 'de.phone.b2b.presumed-consent',
    title: 'A business may be called with its presumed consent: an offer related to its activity',
    effect: 'permit',
    basis: 'B2B_RELATED',
    check: 'b2b-related',
    params: {},
    channels: ['phone'],
    audiences: B2B,
    from: START,
    ref: 'UWG §7 Abs. 2 Nr. 1 (mutmaßliche Einwilligung eines sonstigen Marktteilnehmers)',
  },
  {
    id: 'de.postal',
    title: 'Postal advertising is open unless the person objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from: START,
    ref: 'UWG §7 Abs. 1 S. 2; DSGVO Art. 6(1)(f), 21(2)',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'IDENTIFY_SENDER',
    channels: ['email', 'sms', 'mms', 'fax', 'postal'],
    message: 'Name the sender the advertising is sent for, with a valid address to stop it.',
    ref: 'UWG §7 Abs. 2 Nr. 3; DDG §6 Abs. 1',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: CALLS,
    message: 'Never suppress or falsify the caller number.',
    ref: 'TDDDG §15 Abs. 2 (TKG §102 Abs. 2 a.F.)',
    from: START,
  },
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email', 'sms', 'mms'],
    message: 'Make the commercial communication clearly recognisable as such.',
    ref: 'DDG §6 Abs. 1 Nr. 1 (TMG §6 before 2024-05-14)',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message: 'Tell the recipient in every email that they may object at any time, at no cost beyond basic rates.',
    ref: 'UWG §7 Abs. 2 Nr. 3, Abs. 3 Nr. 4; DSGVO Art. 21(4)',
    from: START,
  },
  oneClickUnsubscribe(START, 'UWG §7 Abs. 2 Nr. 3'),
  stopKeyword(START, 'UWG §7 Abs. 2 Nr. 3'),
  {
    code: 'OBJECTION_NOTICE',
    channels: ['fax', 'automated_call', 'phone', 'postal'],
    message: 'Tell the person they may object to advertising at any time, free of charge.',
    ref: 'DSGVO Art. 21(4)',
    from: START,
  },
  clientObjectionNotice(START, {
    message:
      'Customer exception: say in every message that the customer may object to this use of their address at any time, at no cost other than transmission at basic rates.',
    ref: 'UWG §7 Abs. 3 Nr. 4',
  }),
  announceCaller(START, 'BGB §312a Abs. 1'),
  dataSource(START, { direct: 'DSGVO Art. 13', indirect: 'DSGVO Art. 14(2)(f), 14(3)(b), 21(4)' }),
  sourceObjectionNotice(START, 'DSGVO Art. 21(4), 14(2)(c), 14(3)(b)'),
];

export const DE: RulePack = {
  jurisdiction: 'DE',
  name: 'Germany',
  timeZone: 'Europe/Berlin',
  holidays: [],
  rules,
  obligations,
  notes: [
    'No statutory calling hours or frequency caps; consent (consumers) or presumed consent (businesses) decides.',
    'The existing-customer exception (§7 Abs. 3) covers "elektronische Post": email, SMS and MMS (Directive 2002/58/EC art. 2 h); a minority reads it as email only.',
    'A double opt-in confirmation proves the consent of the address or number it reached (email, SMS, MMS): confirm a number by a message sent to it, not by an email link; call consent needs its own documented record (§7a). A consumer’s recorded consent to calls (any method but bundled) allows the call: proving it (BGH I ZR 164/09: an email confirmation proves no consent to calls) is the caller’s burden under §7a, not a condition the pack checks.',
  ],
};
