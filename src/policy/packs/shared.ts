import type { Channel } from '../../domain/channels.js';
import type { Rule } from '../rule-pack.js';

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
