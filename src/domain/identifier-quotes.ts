// Whether free text holds a person's identifier, as a person would write it: shared by the services that refuse such
// text where it is kept for good, and by erasure, which blanks it where it may be changed (GDPR art. 5(1)(c), 17(1)).
import { type Identifier, nationalNumberOf } from './contact.js';

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
