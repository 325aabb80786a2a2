// Webhook subscriptions and outbox messages: their types, the topic of a ledger event, rows to objects (docs/webhooks.md).
import type { Selectable } from 'kysely';
import type { LedgerEvent } from '../domain/ledger.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

export type OutboxRow = Selectable<Database['webhook_outbox']>;

/** Topics a subscription may ask for; `*` is all of them. */
export const WEBHOOK_TOPICS = ['consent.changed', 'objection.recorded', 'contact.merged', 'contact.updated'] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];
/** Sent by `POST /v1/webhooks/{id}/test` whatever the subscription's topics. */
export const WEBHOOK_TEST_TOPIC = 'webhook.test';

/**
 * The topic of a ledger event. A call the person refused is a `call` event (`contact.updated`), not an objection:
 * the engine reads it as a pause of calls (docs/engine.md), not as an objection to all prospecting.
 */
export function topicOf(e: Pick<LedgerEvent, 'type' | 'data'>): WebhookTopic {
  if (e.type.startsWith('consent.')) return 'consent.changed';
  if (e.type === 'objection') return 'objection.recorded';
  if (e.type === 'contact.merged') return 'contact.merged';
  return 'contact.updated';
}

export interface WebhookSubscription {
  id: string;
  url: string;
  topics: string[];
  description: string | null;
  active: boolean;
  createdAt: string;
  disabledAt: string | null;
}

export type WebhookStatus = 'pending' | 'delivered' | 'dead' | 'cancelled';

/** One message to one subscriber: where it stands. */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  topic: string;
  eventSeq: number | null;
  status: WebhookStatus;
  attempts: number;
  /** When a pending message is next due (a claimed one: when its claim lapses); null once settled. */
  nextAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** A message the dispatcher claimed: the exact body to send and where, with the secret that signs it. */
export interface ClaimedDelivery {
  delivery: WebhookDelivery;
  url: string;
  secret: string;
  body: string;
}

/** The outcome of one attempt: delivered, to retry at `nextAttemptMs`, or dead (no attempt left). */
export interface WebhookAttempt {
  outcome: 'delivered' | 'retry' | 'dead';
  at: Date;
  status: number | null;
  error: string | null;
  nextAttemptMs?: number;
}

export const subscriptionOf = (r: Selectable<Database['webhook_subscriptions']>): WebhookSubscription => ({
  id: r.id,
  url: r.url,
  topics: JSON.parse(r.topics) as string[],
  description: r.description,
  active: Number(r.active) === 1,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

export const deliveryOf = (r: OutboxRow): WebhookDelivery => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  topic: r.topic,
  eventSeq: r.event_seq === null ? null : Number(r.event_seq),
  status: r.status as WebhookStatus,
  attempts: Number(r.attempts),
  nextAttemptAt: r.status === 'pending' ? new Date(Number(r.next_attempt_ms)).toISOString() : null,
  lastStatus: r.last_status === null ? null : Number(r.last_status),
  lastError: r.last_error,
  lastAttemptAt: r.last_attempt_at,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});

/** 169.254.0.0/16 and fe80::/10. */
const LINK_LOCAL = /^(?:169\.254(?:\.\d{1,3}){2}|\[fe[89ab][0-9a-f]?:[^\]]*\])$/i;

/** Hosts on this machine: localhost, 127.0.0.0/8, ::1. */
const LOOPBACK = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The 16 bytes of a bracketed IPv6 host as the URL parser writes it (hex groups, `::` at most once), or null. */
function ipv6Bytes(host: string): number[] | null {
  const m = /^\[([0-9a-f:]+)\]$/i.exec(host);
  if (m === null) return null;
  const [head, tail, ...more] = (m[1] as string).split('::');
  if (more.length > 0) return null;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right];
  if (all.length !== 8 || fill < 0 || !all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  return all.flatMap((g) => {
    const n = Number.parseInt(g, 16);
    return [n >> 8, n & 255];
  });
}

/** How an IPv6 address carries an IPv4 one (see {@link embeddedIpv4s}). */
export type Ipv4Carrier = 'mapped' | 'compatible' | 'siit' | 'nat64' | 'nat64-local' | '6to4';

/**
 * The IPv4 addresses an IPv6 host (bracketed, as a URL spells it) carries, or may route to; none for any other host.
 * IPv4-mapped ::ffff:0:0/96 (`[::ffff:a9fe:a9fe]` is 169.254.169.254: a socket talks IPv4 to it, the only form that
 * stays on this machine for 127.0.0.1), IPv4-compatible ::/96 (RFC 4291 §2.5.5.1), SIIT ::ffff:0:0:0/96 (RFC 2765
 * §2.1), NAT64's well-known 64:ff9b::/96 (RFC 6052 §2.1), 6to4 2002::/16 in bits 16-47 (RFC 3056 §2), and NAT64's
 * local-use 64:ff9b:1::/48 (RFC 8215), which may be cut to any RFC 6052 §2.2 length from /48 on, so every place those
 * lengths put it (/48, /56, /64, /96; bits 64-71 are skipped) is a candidate.
 */
export function embeddedIpv4s(host: string): { address: string; carrier: Ipv4Carrier }[] {
  const b = ipv6Bytes(host);
  if (b === null) return [];
  const v4 = (carrier: Ipv4Carrier, ...at: number[]) => ({ address: at.map((i) => b[i]).join('.'), carrier });
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const last = [12, 13, 14, 15];
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return [v4('mapped', ...last)];
  if (zero(0, 12)) return [v4('compatible', ...last)];
  if (zero(0, 8) && b[8] === 0xff && b[9] === 0xff && zero(10, 12)) return [v4('siit', ...last)];
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b) {
    if (zero(4, 12)) return [v4('nat64', ...last)];
    if (b[4] === 0x00 && b[5] === 0x01) {
      return [[6, 7, 9, 10], [7, 9, 10, 11], [9, 10, 11, 12], last].map((at) => v4('nat64-local', ...at));
    }
  }
  if (b[0] === 0x20 && b[1] === 0x02) return [v4('6to4', 2, 3, 4, 5)];
  return [];
}

/** The instance metadata services' own IPv6 addresses (AWS fd00:ec2::254), beside the link-local 169.254.169.254. */
const METADATA_V6 = new Set(['[fd00:ec2::254]']);

/**
 * A link-local address is the cloud's instance metadata service (169.254.169.254), never a receiver: deliveries sent
 * there would be requests made on Assent's behalf to whatever answers. `host` as a URL spells it (IPv6 in brackets).
 */
export function isLinkLocal(host: string): boolean {
  return (
    LINK_LOCAL.test(host) ||
    embeddedIpv4s(host).some((v4) => LINK_LOCAL.test(v4.address)) ||
    METADATA_V6.has(host.toLowerCase())
  );
}

/** `host` (as a URL spells it) is this machine. */
function isLoopback(host: string): boolean {
  // Only an IPv4-mapped address is the IPv4 address itself to a socket: every other form carrying 127.0.0.1 leaves
  // the machine for a translator or relay, so deliveries in clear would cross a network.
  const mapped = embeddedIpv4s(host).filter((v4) => v4.carrier === 'mapped');
  return LOOPBACK.test(host) || mapped.some((v4) => LOOPBACK.test(v4.address));
}

export function checkUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError('INVALID', `url: ${JSON.stringify(url)} is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new StoreError('INVALID', 'url: http(s) only');
  // Deliveries carry who consented or objected: in clear only to this machine (a receiver beside Assent).
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname)) {
    throw new StoreError('INVALID', `url: use https for ${parsed.hostname} (plain http only to a loopback host)`);
  }
  if (isLinkLocal(parsed.hostname)) {
    throw new StoreError(
      'INVALID',
      `url: ${parsed.hostname} is a link-local address (instance metadata), not a receiver`,
    );
  }
  // Credentials in a URL would be shown by every listing; the signature authenticates Assent instead.
  if (parsed.username || parsed.password) throw new StoreError('INVALID', 'url: no user or password in the URL');
  return parsed.toString();
}

export function checkTopics(topics: readonly string[]): string[] {
  if (topics.length === 0) throw new StoreError('INVALID', 'topics: at least one topic (or "*")');
  for (const t of topics) {
    if (t !== '*' && !(WEBHOOK_TOPICS as readonly string[]).includes(t)) {
      throw new StoreError('INVALID', `topics: unknown topic ${JSON.stringify(t)} (${WEBHOOK_TOPICS.join(', ')}, *)`);
    }
  }
  return [...new Set(topics)];
}
