import type { HistoryEvent } from '../domain/request.js';
import type { Restriction } from '../store/recipient-tokens.js';
import type { ContactFields } from '../store/store.js';

/**
 * What a decision needs of a stored contact, and its history parsed for the engine (or why it cannot be); and the
 * restriction of processing in force on the person (GDPR art. 18), which stops every decision on them.
 */
export interface DecisionInputs {
  contact: Pick<ContactFields, 'id' | 'type' | 'address' | 'jurisdiction' | 'timeZone' | 'region' | 'createdAt'>;
  history: readonly HistoryEvent[] | { message: string; path: string };
  /** Every restriction of the person, in force or ended: each decision judges them at its own instant. */
  restrictions: readonly Restriction[];
}

/**
 * Decision inputs of stored contacts, kept between requests of a long-running process (the HTTP server) and
 * trusted only while the store's change token is the one they were read under: any write, by this process or
 * another (an import, the CLI), drops them all before the next decision, so an unsubscribe still takes effect on
 * the very next decision. A store that cannot give a token (PostgreSQL, today) gets no caching at all.
 */
export class DecisionCache {
  private token: string | null = null;
  private readonly entries = new Map<string, DecisionInputs>();

  constructor(private readonly maxEntries = 200_000) {}

  /** Called with a token read before anything is looked up: a different token empties the cache. */
  sync(token: string | null): void {
    if (token === null || token !== this.token) {
      this.entries.clear();
      this.token = token;
    }
  }

  get(key: string): DecisionInputs | undefined {
    return this.entries.get(key);
  }

  /** Keeps inputs read under `token`, unless the cache moved on to another token meanwhile (they may be stale). */
  put(token: string | null, key: string, inputs: DecisionInputs): void {
    if (token === null || token !== this.token) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, inputs);
  }

  get size(): number {
    return this.entries.size;
  }
}
