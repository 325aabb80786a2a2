// Ledger events as an import or a busy form backend produces them: consent, objection and purchase with evidence,
// spread over many contacts. Deterministic (seeded) and streamed from a generator, so nothing holds them all.
import type { NewLedgerEvent } from '../src/domain/ledger.js';
import type { Store } from '../src/store/store.js';

export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
];
const CHANNELS = ['email', 'email', 'email', 'sms', 'phone', 'postal'] as const;
const METHODS = ['checkbox', 'checkbox', 'double_opt_in', 'written'] as const;
const CATEGORIES = ['shoes', 'bags', 'coats', 'hats', 'socks'] as const;
const DAY = 86_400_000;
const FROM = Date.UTC(2023, 0, 1);

export interface Workload {
  /** Contact ids the events go to. */
  contacts: readonly string[];
  /** An idempotency key on every event (`import:<run>:<n>`), as a resumable import sets them. */
  keys?: string | null;
  seed?: number;
  /**
   * `random`: each event for any contact, as a live form/API backend appends them (the index on contact_id takes
   * a random page per event). `grouped`: each contact's events in a row, contacts in creation order, as an import
   * writes them.
   */
  order?: 'random' | 'grouped';
}

/** `count` events, 45 % consent.given, 15 % objection, 40 % purchase, each with its evidence. */
export function* ledgerEvents(count: number, w: Workload): Generator<NewLedgerEvent> {
  const r = rng(w.seed ?? 7);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const perContact = Math.max(1, Math.ceil(count / w.contacts.length));
  for (let n = 0; n < count; n++) {
    const k = w.order === 'grouped' ? Math.floor(n / perContact) : Math.floor(r() * w.contacts.length);
    const contactId = w.contacts[k % w.contacts.length] as string;
    const at = new Date(FROM + Math.floor(r() * 1000 * DAY) + Math.floor(r() * 86_400) * 1000).toISOString();
    const roll = r();
    const data: Record<string, unknown> =
      roll < 0.45
        ? { channel: pick(CHANNELS), purpose: 'marketing', method: pick(METHODS) }
        : roll < 0.6
          ? { channel: pick(CHANNELS) }
          : { category: pick(CATEGORIES) };
    yield {
      contactId,
      type: roll < 0.45 ? 'consent.given' : roll < 0.6 ? 'objection' : 'purchase',
      at,
      data,
      evidence: {
        method: roll < 0.6 ? 'form' : 'api',
        pageUrl: `https://shop.example/${roll < 0.6 ? 'preferences' : 'checkout'}/${Math.floor(r() * 5000)}`,
        ip: `203.0.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`,
        userAgent: pick(AGENTS),
      },
      recordedBy: 'bench',
      idempotencyKey: w.keys ? `${w.keys}:${n}` : null,
    };
  }
}

/** Groups a stream into arrays of `size`. */
export function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const x of items) {
    batch.push(x);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** `count` contacts (FR/DE, individuals and professionals), created through the store; `inFlight` at a time. */
export async function createContacts(
  store: Store,
  count: number,
  inFlight = 1,
): Promise<{ id: string; email: string }[]> {
  const out: { id: string; email: string }[] = [];
  for (let i = 0; i < count; i += inFlight) {
    const group = [];
    for (let k = i; k < Math.min(count, i + inFlight); k++) {
      const email = `person.${k}@example${k % 50}.fr`;
      group.push(
        store
          .createContact({
            type: k % 5 === 0 ? 'professional' : 'individual',
            jurisdiction: k % 4 === 0 ? 'DE' : 'FR',
            email,
            externalId: `crm-${k}`,
          })
          .then((c) => ({ id: c.id, email })),
      );
    }
    out.push(...(await Promise.all(group)));
  }
  return out;
}
