// What the company suppression list holds for one identifier: why and since when, and, for an erasure, whose it
// was (the `contact.erased` record that names its hash). The DPO answering "why was I never contacted again?", or
// checking an objection was honoured (GDPR art. 17, 21(3)), needs more than yes or no.
import type { IdentifierKind } from '../domain/contact.js';
import type { Store } from '../store/store.js';
import { suppressionHashes } from './lists/suppression.js';

export interface SuppressionEntry {
  reason: string;
  /** When it went on the list. */
  since: string;
  /** The erased contact it was the identifier of, when an erasure's record names its hash; else absent. */
  contactId?: string;
}

/** The entry of an identifier (already normalised) on the suppression list, under any of its hashes; else null. */
export async function suppressionEntryOf(
  store: Pick<Store, 'suppressionsAmong' | 'erasureRecordsAt'>,
  kind: IdentifierKind,
  value: string,
): Promise<SuppressionEntry | null> {
  const entries = await store.suppressionsAmong(suppressionHashes(kind, value));
  // Under two of its hashes (an older form): the first time it went on the list.
  const first = entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0];
  if (first === undefined) return null;
  const out: SuppressionEntry = { reason: first.reason, since: first.at };
  if (first.reason === 'erased') {
    // An erasure dates its entries with its own instant, and its record names the hashes (src/services/erasure.ts);
    // one recorded before it named them leaves the contact unknown rather than guessed.
    const hashes = new Set(entries.map((e) => e.hash));
    for (const record of await store.erasureRecordsAt(first.at)) {
      const named = record.data.suppressedHashes;
      if (Array.isArray(named) && named.some((n) => hashes.has((n as { hash?: unknown }).hash as string))) {
        out.contactId = record.contactId;
        break;
      }
    }
  }
  return out;
}
