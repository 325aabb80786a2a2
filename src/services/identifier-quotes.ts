// Free text kept for good (a rectification's or an erasure's reason in the ledger, who recorded it, a rights request's
// answer) must not hold the person's identifiers: it outlives erasure, and the chained ledger cannot forget it
// (GDPR art. 5(1)(c), 17(1)).
import { type Identifier, nationalNumberOf } from '../domain/contact.js';
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

/**
 * Whether a free-text reason holds an identifier's value, read as a person would write it: full-width or styled
 * characters as plain ones (NFKC), case, spacing and punctuation aside. A phone number is a run of digits (with
 * spaces, dots, dashes, slashes, brackets) holding its national number ("06/11/22/33/44", "+33 6 11…"); any other
 * value matches as whole words ("jane . doe @ example . fr", "12 rue de la paix 75002 paris"; crm-9 is not in
 * crm-90).
 */
export function quotes(reason: string, i: Identifier): boolean {
  const plain = reason.normalize('NFKC');
  if (i.kind === 'phone') {
    const national = nationalNumberOf(i.value);
    if (national.length < 6) return false;
    for (const run of plain.match(/\+?\d[\d\s.()/-]*\d/g) ?? []) {
      if (run.replace(/\D/g, '').includes(national)) return true;
    }
    return false;
  }
  const words = (t: string) =>
    t
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim();
  const value = words(i.value);
  return value.length >= 3 && ` ${words(plain)} `.includes(` ${value} `);
}
