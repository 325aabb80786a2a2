// Free text kept for good (a rectification's or an erasure's reason in the ledger, who recorded it, a rights request's
// answer) must not hold the person's identifiers: it outlives erasure, and the chained ledger cannot forget it
// (GDPR art. 5(1)(c), 17(1)).
import type { Identifier } from '../domain/contact.js';
import { quotes } from '../domain/identifier-quotes.js';
import { StoreError } from '../store/store.js';

/**
 * Throws StoreError INVALID (pointer `/<field>`) when `text` quotes one of `identifiers`; `why` ends the sentence
 * saying why that text must not keep it.
 */
export function refuseQuoted(
  text: string | null | undefined,
  field: string,
  identifiers: readonly Identifier[],
  why = '',
): void {
  if (!text) return;
  const quoted = identifiers.find((i) => quotes(text, i));
  if (quoted === undefined) return;
  throw new StoreError(
    'INVALID',
    `${field} quotes the contact's ${quoted.kind}: it is kept for good, erasure included${why ? `, ${why}` : ''} (GDPR art. 5(1)(c), 17(1)); give the request's id or a description instead`,
    `/${field}`,
  );
}
