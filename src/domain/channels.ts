/** The channels of the decision contract, in a fixed order so each can be a bit in a mask. */
export const CHANNELS = ['email', 'sms', 'mms', 'automated_call', 'fax', 'phone', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];

/** One bit per channel: history events name one channel, a list of channels or all of them. */
export const CHANNEL_BIT: Readonly<Record<Channel, number>> = Object.freeze(
  Object.fromEntries(CHANNELS.map((c, i) => [c, 1 << i])) as Record<Channel, number>,
);
export const ALL_CHANNELS_MASK = (1 << CHANNELS.length) - 1;

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(CHANNEL_BIT, value);
}

/** Names of the channels set in a mask, in contract order. */
export function channelsOf(mask: number): Channel[] {
  return CHANNELS.filter((c) => (mask & CHANNEL_BIT[c]) !== 0);
}

/** The identifier a message on the channel goes to: an email address, a number, or neither (post). */
export function identifierKindOf(channel: Channel): 'email' | 'phone' | null {
  if (channel === 'email') return 'email';
  if (channel === 'postal') return null;
  return 'phone';
}
