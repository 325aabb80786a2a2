import type { ObligationRule, Rule, RulePack } from '../rule-pack.js';
import { CALLS, EVERYONE, oneClickUnsubscribe, personsWord, TEXTS } from './shared.js';
import { ALL_STATE_ZONES, MORE_ZONES, ZONES } from './us-zones.js';

/**
 * United States, federal law only. CAN-SPAM Act (15 U.S.C. §§7701-7713; 16 CFR Part 316) for email; TCPA
 * (47 U.S.C. §227) with the FCC rules (47 CFR §64.1200, §64.1601(e)) for calls, texts and fax, as amended by the
 * Junk Fax Prevention Act of 2005; FTC Telemarketing Sales Rule (16 CFR Part 310) for telemarketing calls.
 * Email and human calls are opt-out; autodialed or prerecorded telemarketing and texts need prior express (written)
 * consent; fax advertising needs permission or an established business relationship.
 */
const START = '2004-01-01'; // CAN-SPAM in force: from here every channel has its federal rule.
const PEWC = '2013-10-16'; // Prior express written consent for telemarketing robocalls and texts (FCC 12-21).
const BEFORE_PEWC = '2013-10-15';
const AUTOMATED = ['automated_call', ...TEXTS] as const;

/**
 * A STOP to texts or a do-not-call request stops the seller's robocalls and texts alike: texts are calls under the
 * TCPA, a revocation "by any reasonable means" reaches both (47 CFR 64.1200(a)(10), from 2025-04-11, read as the
 * FCC read revocation before it), and a do-not-call request covers the seller's calls (64.1200(d)(3)).
 */
function linkCallsAndTexts(said: Rule[]): Rule[] {
  // The shared objection parameters kept (a "no" during a call objects to calls: 47 CFR 64.1200(d)(3)).
  return said.map((r) =>
    r.check === 'objection' ? { ...r, params: { ...r.params, linked: [[...CALLS, ...TEXTS]] } } : r,
  );
}

const rules: Rule[] = [
  // What the person said: an opt-out, a company-specific do-not-call request, a revocation (STOP), a refusal.
  ...linkCallsAndTexts(
    personsWord('US', START, {
      objection:
        '15 U.S.C. §7704(a)(4) (email opt-out); 47 CFR §64.1200(d)(3), (a)(10) (company-specific do-not-call list, revocation of consent); 16 CFR §310.4(b)(1)(iii)(A); 47 U.S.C. §227(b)(2)(E) and 47 CFR §64.1200(a)(4)(v) (fax opt-out request); 39 U.S.C. §3008 (prohibitory order, mail)',
      refusal:
        '47 CFR §64.1200(f)(9) (consent is an agreement the person signs); 15 U.S.C. §7704(a)(4) (a request not to receive commercial email)',
    }),
  ),
  // The National Do Not Call Registry.
  {
    id: 'us.dnc.national',
    title:
      'No telephone solicitation of a residential number on the National Do Not Call Registry (31 days after registering), unless the person agreed in writing or has an established business relationship (purchase within 18 months, inquiry within 3)',
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: {
      lists: ['dnc'],
      graceDays: 31,
      exceptConsent: 'any',
      exceptContract: 'client',
      clientWithinMonths: 18,
      inquiryWithinMonths: 3,
      // The safe harbour needs a registry version at most 31 days old, texts included ((c)(2)(i)(D), (e)).
      mustConsult: true,
    },
    channels: [...CALLS, ...TEXTS],
    audiences: ['b2c'],
    from: START,
    ref: '47 CFR §64.1200(c)(2), (c)(2)(i)(D) (31 days), (c)(2)(ii) (signed written agreement), (e) (wireless numbers, texts), (f)(5) and (f)(15) (established business relationship excluded from "telephone solicitation"); 16 CFR §310.4(b)(1)(iii)(B), (b)(3)(iv); Registry enforced since 2003-10-01',
  },
  // Calling hours.
  {
    id: 'us.calls.hours',
    title:
      'Telemarketing calls and texts to consumers only between 8:00 and 21:00 at the called party’s location, every day, unless the person consented to them',
    effect: 'forbid',
    code: 'OUTSIDE_HOURS',
    check: 'calling-hours',
    // A call made with the person's prior express invitation or permission is no "telephone solicitation" (47 CFR
    // 64.1200(f)(15)(i)), and the TSR's hours bind "without the prior consent of a person" (16 CFR 310.4(c)). An
    // established business relationship alone does not lift them (the TSR still binds).
    // "before the hour of 8 a.m. or after 9 p.m.": 21:00:00 itself is still allowed, 21:00:01 is not.
    params: {
      weekdays: [1, 2, 3, 4, 5, 6, 7],
      windows: [['08:00', '21:00']],
      endInclusive: true,
      liftedByConsent: true,
    },
    channels: [...CALLS, ...TEXTS],
    audiences: ['b2c'],
    from: START,
    ref: '47 CFR §64.1200(c)(1) ("local time at the called party’s location"), (e), (f)(15); 16 CFR §310.4(c)',
  },
  // Email: opt-out (CAN-SPAM).
  {
    id: 'us.email.consent',
    title: 'Commercial email the person affirmatively consented to',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['email'],
    audiences: EVERYONE,
    from: START,
    ref: '15 U.S.C. §7702(1) (affirmative consent), §7704(a)(4)',
  },
  {
    id: 'us.email.opt-out',
    title: 'Commercial email needs no consent: it may be sent unless the recipient opted out',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['email'],
    audiences: EVERYONE,
    from: START,
    ref: '15 U.S.C. §7704(a)(3)-(5); 16 CFR §316.5',
  },
  // Autodialed or prerecorded calls, and texts.
  {
    id: 'us.automated.consent',
    title:
      'Until 2013-10-15, autodialed or prerecorded calls and texts to a wireless number need the called party’s prior express consent',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: AUTOMATED,
    audiences: EVERYONE,
    from: START,
    until: BEFORE_PEWC,
    ref: '47 U.S.C. §227(b)(1)(A)(iii), (b)(1)(B); 47 CFR §64.1200(a)(1)(iii), (a)(2) (2003-2012 text); FCC 03-153 ¶165 (texts are calls)',
  },
  {
    id: 'us.automated.pewc',
    title:
      'From 2013-10-16, telemarketing by autodialed or prerecorded call or by text needs prior express written consent naming the seller, from every called party; no exemption for existing customers',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: AUTOMATED,
    audiences: EVERYONE,
    from: PEWC,
    ref: '47 U.S.C. §227(b)(1)(A)(iii), (b)(1)(B); 47 CFR §64.1200(a)(2), (a)(3), (f)(9) (prior express written consent, not a condition of purchase); FCC 12-21',
  },
  // Fax advertising: Junk Fax Prevention Act.
  {
    id: 'us.fax.consent',
    title: 'A fax advertisement the recipient invited or permitted beforehand is not unsolicited',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['fax'],
    audiences: EVERYONE,
    from: START,
    ref: '47 U.S.C. §227(a)(5) (unsolicited advertisement: without prior express invitation or permission), (b)(1)(C)',
  },
  {
    id: 'us.fax.ebr',
    title:
      'An unsolicited fax advertisement may go to a business or residential subscriber with whom the sender has an established business relationship, the number given by the recipient, with the opt-out notice; no time limit',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    // (f)(6): an inquiry or application makes the relation as a purchase does, with no time limit either; the
    // statute asks for the number given voluntarily and the opt-out notice, not for a notice at collection.
    params: { anyOffer: true, inquiryWithinMonths: Number.POSITIVE_INFINITY, requireInformed: false },
    channels: ['fax'],
    audiences: EVERYONE,
    from: START,
    ref: '47 U.S.C. §227(b)(1)(C)(i)-(iii), (a)(2) (Junk Fax Prevention Act of 2005); 47 CFR §64.1200(a)(4)(ii)-(iii), (f)(6); FCC 06-42 ¶¶21-23 (no limit on the duration of the relationship)',
  },
  // Human telephone solicitation: opt-out, within the registry and the hours.
  {
    id: 'us.phone.consent',
    title: 'A call the person agreed to receive (a signed written agreement also lifts the Do Not Call Registry)',
    effect: 'permit',
    basis: 'CONSENT',
    check: 'consent',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: '47 CFR §64.1200(c)(2)(ii), (f)(15)(i); 16 CFR §310.4(b)(1)(iii)(B) (express agreement in writing)',
  },
  {
    id: 'us.phone.ebr',
    title:
      'A consumer with whom the seller has an established business relationship (purchase or contract within the last 18 months, or an inquiry or application within the last 3) may be called, even on the Do Not Call Registry',
    effect: 'permit',
    basis: 'CLIENT_EXCEPTION',
    check: 'client-exception',
    params: { withinMonths: 18, anyOffer: true, inquiryWithinMonths: 3, requireInformed: false },
    channels: ['phone'],
    audiences: ['b2c'],
    from: START,
    ref: '47 CFR §64.1200(f)(5), (f)(15)(ii); 16 CFR §310.2 (established business relationship), §310.4(b)(1)(iii)(B)',
  },
  {
    id: 'us.phone.opt-out',
    title: 'Human telephone solicitation needs no consent: open unless the person asked not to be called',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['phone'],
    audiences: EVERYONE,
    from: START,
    ref: '47 U.S.C. §227(c); 47 CFR §64.1200(c)-(d); 16 CFR §310.4(b)(1)(iii)',
  },
  // Postal mail.
  {
    id: 'us.postal',
    title: 'Advertising mail needs no consent: open unless the addressee objected (prohibitory order)',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from: START,
    ref: 'No federal consent rule for mail; 39 U.S.C. §3008; Rowan v. U.S. Post Office Dept., 397 U.S. 728 (1970)',
  },
];

const obligations: ObligationRule[] = [
  {
    code: 'MARK_AS_ADVERTISING',
    channels: ['email'],
    message: 'Identify the message clearly and conspicuously as an advertisement or solicitation.',
    ref: '15 U.S.C. §7704(a)(5)(A)(i) (not required with affirmative consent, §7704(a)(5)(B))',
    // §7704(a)(5)(B): a recipient's prior affirmative consent (§7702(1)) lifts the label, not the opt-out or address.
    when: { bases: ['OPT_OUT_REGIME'] },
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: ['email'],
    message:
      'Use accurate header and "From" information naming the sender, a non-deceptive subject line, and the sender’s valid physical postal address.',
    ref: '15 U.S.C. §7704(a)(1), (a)(2), (a)(5)(A)(iii); 16 CFR §316.2',
    from: START,
  },
  {
    code: 'UNSUBSCRIBE_LINK',
    channels: ['email'],
    message:
      'Offer a free, working opt-out (reply address or web link needing nothing but the email address), live for 30 days after sending, and honour it within 10 business days.',
    ref: '15 U.S.C. §7704(a)(3), (a)(4), (a)(5)(A)(ii); 16 CFR §316.5',
    from: START,
  },
  oneClickUnsubscribe(START, '15 U.S.C. §7704(a)(3)(A) (functioning internet-based opt-out)'),
  {
    code: 'STOP_KEYWORD',
    channels: TEXTS,
    message: 'Honour a reply such as STOP as a revocation of consent (any reasonable means of revoking).',
    ref: 'FCC 15-72, 30 FCC Rcd 7961 (2015) (revocation by any reasonable means)',
    from: '2015-07-10',
    until: '2025-04-10',
  },
  {
    code: 'STOP_KEYWORD',
    channels: TEXTS,
    message:
      'Accept replies such as "stop", "quit", "end", "revoke", "opt out", "cancel" or "unsubscribe" as a revocation and honour it within 10 business days; if replies cannot be received, say so in each text and give another way to opt out.',
    ref: '47 CFR §64.1200(a)(10), (d)(3) (FCC 24-24)',
    from: '2025-04-11',
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: TEXTS,
    message:
      'Name the seller on whose behalf the text is sent and a telephone number or address where it can be reached.',
    ref: '47 CFR §64.1200(d)(4), (e) (texts are calls)',
    from: START,
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: CALLS,
    message:
      'Transmit caller ID: a number (and, where the carrier allows, the name) of the telemarketer or seller, answered for do-not-call requests during business hours; never block or spoof it.',
    ref: '47 CFR §64.1601(e); 16 CFR §310.4(a)(8); 47 U.S.C. §227(e) (Truth in Caller ID Act, from 2010-12-22)',
    from: '2004-01-29',
  },
  {
    code: 'ANNOUNCE_CALLER_AND_PURPOSE',
    channels: ['phone'],
    audiences: ['b2c'],
    message:
      'At once: the caller’s name, the seller on whose behalf the call is made, that the call is to sell, what is sold, and a telephone number or address of the seller.',
    ref: '47 CFR §64.1200(d)(4); 16 CFR §310.4(d)',
    from: START,
  },
  {
    code: 'ANNOUNCE_CALLER_AND_PURPOSE',
    channels: ['automated_call'],
    message:
      'At the beginning of the message, state clearly the business responsible for the call; during or after it, give a telephone number of that business.',
    ref: '47 CFR §64.1200(b)(1)-(2); 16 CFR §310.4(d)',
    from: START,
  },
  {
    code: 'OBJECTION_NOTICE',
    channels: ['automated_call'],
    message:
      'Offer an automated, interactive opt-out (voice or key press) within two seconds of the identification, which records the do-not-call request and ends the call.',
    ref: '47 CFR §64.1200(b)(3) (FCC 12-21)',
    from: '2013-01-14',
  },
  {
    code: 'IDENTIFY_SENDER',
    channels: ['fax'],
    message:
      'Mark the top or bottom margin of each page (or the first page) with the date and time of sending, the sender’s name and the sending machine’s telephone number.',
    ref: '47 U.S.C. §227(d)(1)(B); 47 CFR §68.318(d)',
    from: START,
  },
  {
    code: 'OBJECTION_NOTICE',
    channels: ['fax'],
    message:
      'On the first page, a clear and conspicuous notice that the recipient may ask not to receive further fax advertisements, honoured within 30 days, with a cost-free domestic telephone and fax number to do so.',
    ref: '47 U.S.C. §227(b)(1)(C)(iii), (b)(2)(D); 47 CFR §64.1200(a)(4)(iii) (FCC 06-42)',
    from: '2006-08-01',
  },
];

export const US: RulePack = {
  jurisdiction: 'US',
  name: 'United States (federal law)',
  timeZone: 'America/New_York',
  // The TCPA and the TSR ban no calling day: no public holidays.
  holidays: [],
  regions: Object.fromEntries(
    Object.entries(ZONES).map(([code, [name, timeZone]]) => {
      const more = MORE_ZONES[code];
      return [code, more ? { name, timeZone, zones: [timeZone, ...more] } : { name, timeZone }];
    }),
  ),
  // A recipient of unknown location may be in any zone of the 50 states: the hours must hold in all of them.
  zonesWhenUnknown: ALL_STATE_ZONES,
  rules,
  obligations,
  notes: [
    'Federal law only. State laws are not decided: mini-TCPAs (Florida FTSA, Oklahoma OTSA, Maryland, Washington…) with their own consent, hours and frequency limits, state do-not-call lists, state anti-spam and fax laws. Check them before relying on an allow.',
    'Channels sms, mms and automated_call are treated as autodialed or prerecorded telemarketing to a wireless number, which needs prior express (from 2013-10-16: written) consent from any subscriber, business or not. Manually sent texts (after Facebook v. Duguid, 2021), calls to business landlines and informational (non-marketing) calls are not told apart.',
    'The engine cannot check that a consent meets 47 CFR §64.1200(f)(9) (signed, clear disclosure that it is not a condition of purchase, naming the seller) or that a phone consent lifting the Do Not Call Registry is a signed written agreement with the number: record only such consents as consent.given. Consent by accepting terms and conditions (bundled) is not counted.',
    'The established business relationship is an own purchase or contract live or ended within 18 months, or an inquiry or application (an `interaction` of kind `request`) within 3 months (calls, 47 CFR 64.1200(f)(5)). For fax, the relationship has no time limit and an inquiry or application makes it too (64.1200(f)(6)); a fax number must come from the recipient: a purchase, contract or inquiry is read as the occasion where they gave it, even after a bought list held it (as the FR client exception reads a sale). Neither relation asks that the person was told at collection they could object (a European condition): the fax itself must carry the opt-out notice.',
    'The 31-day delay is the safe harbour of 47 CFR §64.1200(c)(2)(i)(D) (registry version at most 31 days old): it protects only a caller with written do-not-call procedures, training and a current registry download. A registration of unknown date binds at once.',
    'Opt-outs and revocations are applied at once, stricter than the law’s delays (email: 10 business days, 15 U.S.C. §7704(a)(4); calls and texts: 10 business days since 2025-04-11; fax: 30 days). The 2024 "revoke-all" part of 47 CFR §64.1200(a)(10) (a revocation reaching unrelated messages) is delayed by FCC waiver (to 2027-01-31); an objection here stops every marketing message on its channel, and one on calls or texts stops the seller’s calls and texts alike.',
    'Calling hours (8:00-21:00 local time, every day, no holidays) bind consumer calls and texts made without the person’s consent (47 CFR §64.1200(c)(1), (f)(15)(i); 16 CFR §310.4(c)); an established business relationship alone does not lift them. The recipient’s zone is contact.timeZone, else every zone of their state (contact.region; TX, FL, TN… span two), else the US zone whose offset the request’s `at` was written with (-05:00 in winter: Eastern), else every zone of the 50 states: the call must be within hours in each (fail closed). An unknown region code is read as an unknown location.',
    'The Do Not Call Registry binds residential numbers (b2c) only; sole proprietors using a home or personal cell number should be sent as individuals. Company-specific do-not-call requests bind only calls to residential subscribers, but an objection is honoured here on every audience.',
    'MARK_AS_ADVERTISING is not needed in email to a person who gave affirmative consent (15 U.S.C. §7704(a)(5)(B)), and the fax opt-out notice is not needed on a fax sent with prior permission (Bais Yaakov v. FCC, D.C. Cir. 2017): the pack lists both on every allow, the stricter reading.',
    'ONE_CLICK_UNSUBSCRIBE (RFC 8058) is a mailbox-provider requirement for bulk senders, not a CAN-SPAM duty. No federal rule requires naming the source of the data (no DISCLOSE_DATA_SOURCE), nor any mention on advertising mail. Commercial email to wireless-carrier domains (47 CFR §64.3100, express prior authorization) is not detected.',
    'The pre-2013 exemption for prerecorded calls to an established customer (47 CFR §64.1200(a)(2)(iv), 2003 text) covered residential landlines only; automated_call is read as a call to a wireless number, which always needed consent.',
  ],
};
