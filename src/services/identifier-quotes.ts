// Free text kept for good (a rectification's or an erasure's reason in the ledger, who recorded it, a rights request's
// answer) must not hold the person's identifiers: it outlives erasure, and the chained ledger cannot forget it
// (GDPR art. 5(1)(c), 17(1)).
import type { Identifier } from '../domain/contact.js';
import { personalDataIn, quotes } from '../domain/identifier-quotes.js';
import { StoreError } from '../store/store.js';

const LABELS: Record<Identifier['kind'], string> = {
  email: 'email',
  phone: 'phone number',
  external: 'CRM id',
  postal: 'postal address',
};

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
    `${field} quotes the contact's ${LABELS[quoted.kind]}: it is kept for good, erasure included${why ? `, ${why}` : ''} (GDPR art. 5(1)(c), 17(1)); give the request's id or a description instead`,
    `/${field}`,
  );
}

/**
 * A reason written into the hash-chained ledger (a rectification's, an erasure's): beyond the contact's own
 * identifiers (refused by name), any email address, phone number or street address is refused, whoever's: the old
 * address of a rectification, a relative's number, a typo of the person's own — none can ever be blanked.
 */
export function refusePersonalData(
  text: string | null | undefined,
  field: string,
  identifiers: readonly Identifier[],
  why = '',
): void {
  if (!text) return;
  refuseQuoted(text, field, identifiers, why);
  const seen = personalDataIn(text);
  if (seen === null) return;
  throw new StoreError(
    'INVALID',
    `${field} seems to hold ${seen}: it goes into the permanent, hash-chained ledger, kept after erasure, and must not quote personal data (GDPR art. 5(1)(c), 17(1)); give the rights request's id or a description instead`,
    `/${field}`,
  );
}
