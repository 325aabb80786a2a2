import type { Channel } from '../../domain/channels.js';
import type { Audience, ObligationRule, Rule } from '../rule-pack.js';

export const ALL_CHANNELS: Channel[] = ['email', 'sms', 'mms', 'automated_call', 'fax', 'phone', 'postal'];
export const EVERYONE = ['b2c', 'b2b-named', 'b2b-generic'] as const;

/**
 * What the person said, which every pack honours on every channel: an objection or withdrawal, and a refusal.
 * `ref` cites the jurisdiction's own texts.
 */
export function personsWord(jurisdiction: string, from: string, ref: { objection: string; refusal: string }): Rule[] {
  const j = jurisdiction.toLowerCase();
  return [
    {
      id: `${j}.objection`,
      title: 'An objection (unsubscribe, STOP, "do not call") stops all prospecting on that channel at once',
      effect: 'forbid',
      code: 'WITHDRAWN',
      check: 'objection',
      params: {},
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
  },
): Rule {
  return {
    id: `${jurisdiction.toLowerCase()}.robinson.postal`,
    title: spec.title,
    effect: 'forbid',
    code: 'OPPOSITION_LIST',
    check: 'opposition-list',
    params: spec.senders
      ? { lists: ['robinson'], exceptContract: 'client', senders: spec.senders }
      : { lists: ['robinson'], exceptContract: 'client' },
    channels: ['postal'],
    audiences: spec.audiences,
    from: spec.from,
    ref: spec.ref,
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
