import type { Channel } from '../../domain/channels.js';
import type { Audience, CheckParams, ObligationRule, Rule } from '../rule-pack.js';

export const ALL_CHANNELS: Channel[] = ['email', 'sms', 'mms', 'automated_call', 'fax', 'phone', 'postal'];
export const EVERYONE = ['b2c', 'b2b-named', 'b2b-generic'] as const;

/**
 * What the person said, which every pack honours on every channel: an objection or withdrawal, and a refusal.
 * `ref` cites the jurisdiction's own texts; `objection` sets the objection check's parameters. By default a "no"
 * during a prospecting call (`call` with `outcome: refused`) objects to further calls (GDPR art. 21(2)-(3): an
 * objection to direct marketing, however expressed); France overrides it with its 60-day pause (D223-9). A STOP to
 * an SMS stops MMS to the number too, and the other way round: the same messages to the same phone, which the texts
 * treat as one (ePrivacy Directive recital 40 and art. 2(h): "electronic mail" includes SMS and MMS).
 */
export function personsWord(
  jurisdiction: string,
  from: string,
  ref: { objection: string; refusal: string },
  objection: CheckParams['objection'] = { callRefusalObjects: true },
): Rule[] {
  const j = jurisdiction.toLowerCase();
  return [
    {
      id: `${j}.objection`,
      title: 'An objection (unsubscribe, STOP, "do not call") stops all prospecting on that channel at once',
      effect: 'forbid',
      code: 'WITHDRAWN',
      check: 'objection',
      params: { ...objection, linked: [...(objection.linked ?? []), ['sms', 'mms']] },
      channels: ALL_CHANNELS,
      audiences: EVERYONE,
      from,
      ref: ref.objection,
    },
    {
      id: `${j}.refusal`,
      title: 'A refusal when asked blocks prospecting until the person consents',
      effect: 'forbid',
      code: 'REFUSED_AT_COLLECTION',
      check: 'refusal',
      params: {},
      channels: ALL_CHANNELS,
      audiences: EVERYONE,
      from,
      ref: ref.refusal,
    },
  ];
}

/** Channels grouped as the laws group them. */
export const CALLS: Channel[] = ['phone', 'automated_call'];
export const TEXTS: Channel[] = ['sms', 'mms'];

/** The postal Robinson list of a jurisdiction: existing clients still receive mail. */
export function robinsonPostal(
  jurisdiction: string,
  spec: {
    title: string;
    audiences: readonly Audience[];
    from: string;
    ref: string;
    senders?: readonly ('own' | 'partner')[];
    /** The list's names (default `robinson`): GB's Mailing Preference Service is `mps`. */
    lists?: readonly string[];
    until?: string;
    /**
     * Whether the sender's own consent lifts the list (default: yes). The self-regulated lists exclude only senders
     * the person is not a customer of and did not ask for mail (DDV: "kein Kunde ist oder … nicht ausdrücklich
     * zugestimmt hat"; MPS, Robinson Mail, Postfilter likewise); a statute without that exception says none.
     */
    exceptConsent?: 'any' | 'none';
  },
): Rule {
  const lists = spec.lists ?? ['robinson'];
  const exceptConsent = spec.exceptConsent === 'none' ? {} : { exceptConsent: 'any' as const };
  return {
    id: `${jurisdiction.toLowerCase()}.robinson.postal`,
    title: spec.title,
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: spec.senders
      ? { lists, exceptContract: 'client', ...exceptConsent, senders: spec.senders }
      : { lists, exceptContract: 'client', ...exceptConsent },
    channels: ['postal'],
    audiences: spec.audiences,
    from: spec.from,
    ...(spec.until !== undefined ? { until: spec.until } : {}),
    ref: spec.ref,
  };
}

/** Postal advertising open unless the person objects (GDPR art. 21(2) everywhere in Europe). */
export function postalOptOut(jurisdiction: string, from: string, ref: string): Rule {
  return {
    id: `${jurisdiction.toLowerCase()}.postal`,
    title: 'Postal advertising is open unless the person objects',
    effect: 'permit',
    basis: 'OPT_OUT_REGIME',
    check: 'opt-out',
    params: {},
    channels: ['postal'],
    audiences: EVERYONE,
    from,
    ref,
  };
}

/** RFC 8058 one-click unsubscribe headers on every prospecting email; `ref` adds the jurisdiction's stop duty. */
export function oneClickUnsubscribe(from: string, ref: string): ObligationRule {
  return {
    code: 'ONE_CLICK_UNSUBSCRIBE',
    channels: ['email'],
    message: 'Send List-Unsubscribe and List-Unsubscribe-Post: List-Unsubscribe=One-Click headers.',
    ref: `RFC 8058; ${ref}`,
    from,
  };
}

/** Why the person receives the message and where the details came from (article 14 wording for third-party data). */
export function dataSource(from: string, ref: { direct: string; indirect: string }): ObligationRule {
  return {
    code: 'DISCLOSE_DATA_SOURCE',
    channels: ALL_CHANNELS,
    message: 'Say why the person receives this message and how their details were obtained.',
    ref: ref.direct,
    indirect: {
      message: 'First message: name the source of the details (bought, rented or public) and the right to object.',
      ref: ref.indirect,
    },
    from,
  };
}

/** The caller says who they are, for whom they call, and that the call is commercial (Directive 2011/83/EU art. 8(5)). */
export function announceCaller(from: string, ref: string): ObligationRule {
  return {
    code: 'ANNOUNCE_CALLER_AND_PURPOSE',
    channels: CALLS,
    message: 'At the start of the call: the caller’s identity, for whom they call, and the commercial purpose.',
    ref,
    from,
  };
}

/** The right to object, stated in messages that carry no unsubscribe link (GDPR art. 21(4)). */
export function objectionNotice(from: string, ref: string): ObligationRule {
  return {
    code: 'OBJECTION_NOTICE',
    channels: ['fax', 'postal', ...CALLS],
    message: 'Tell the person they may object to advertising at any time, free of charge.',
    ref,
    from,
  };
}

/**
 * The right to object, stated in every email, SMS or MMS sent under the client exception (soft opt-in), beside the
 * unsubscribe link or STOP: UWG §7 Abs. 3 Nr. 4 ("bei jeder Verwendung") and TKG 2021 §174 Abs. 4 Z 3 ("bei jeder
 * Übertragung") make the notice itself a condition of the exception, in every message and not only at collection.
 */
export function clientObjectionNotice(from: string, spec: { message: string; ref: string }): ObligationRule {
  return {
    code: 'OBJECTION_NOTICE',
    channels: ['email', ...TEXTS],
    when: { bases: ['CLIENT_EXCEPTION'] },
    message: spec.message,
    ref: spec.ref,
    from,
  };
}

/**
 * Details from a third party or a public source (as DISCLOSE_DATA_SOURCE's third-party wording): the message is the
 * first communication with the person, so it states the right to object explicitly, clearly and apart from any
 * other information (GDPR art. 21(4), with 14(2)(c) and 14(3)(b)). On email, SMS and MMS: the other channels carry
 * OBJECTION_NOTICE on every message already (objectionNotice). To a person: a company's generic address (info@)
 * is no personal data, so no data subject to inform. `ref` cites the jurisdiction's GDPR.
 */
export function sourceObjectionNotice(from: string, ref: string): ObligationRule {
  return {
    code: 'OBJECTION_NOTICE',
    channels: ['email', ...TEXTS],
    audiences: ['b2c', 'b2b-named'],
    when: { source: 'indirect' },
    message:
      'Details from a third party or a public source: state, clearly and apart from any other information, that the person may object to advertising at any time, free of charge.',
    ref,
    from,
  };
}

/** A free way to stop text messages, such as replying STOP. */
export function stopKeyword(from: string, ref: string): ObligationRule {
  return {
    code: 'STOP_KEYWORD',
    channels: TEXTS,
    message: 'Offer a free way to stop further messages, such as replying STOP.',
    ref,
    from,
  };
}
