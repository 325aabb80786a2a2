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

// Dates, times and record ids are digit runs a reason may well hold: never read as phone numbers.
const NOT_PHONES = [
  /\b(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])\b/g,
  /\b(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d\d\b/g,
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g,
];
const EMAIL = /[\p{L}\p{N}._%+-]+\s*@\s*[\p{L}\p{N}-]{2,}/u;
// "jane at example dot fr", "jane [at] example.fr", "jane(at)example(dot)fr": an "at" then a dotted domain.
const AT = String.raw`(?:\s*[[({<]\s*(?:at|arobase)\s*[\])}>]\s*|\s+(?:at|arobase)\s+)`;
const DOT = String.raw`(?:\s*[[({<]\s*(?:dot|point)\s*[\])}>]\s*|\s+(?:dot|point)\s+|\s*\.\s*)`;
const SPELLED_EMAIL = new RegExp(
  String.raw`[\p{L}\p{N}._%+-]+${AT}[\p{L}\p{N}-]+(?:${DOT}[\p{L}\p{N}-]+)*${DOT}\p{L}{2,}\b`,
  'u',
);
const STREET = new RegExp(
  String.raw`(?:^|[^\p{L}\p{N}])\d{1,4}(?:\s*(?:bis|ter))?,?\s+(?:rue|avenue|av\.?|boulevard|bd|chemin|all[ée]e|impasse|place|quai|route|cours|square|street|road|lane|drive|via|calle|strada)(?![\p{L}\p{N}])` +
    String.raw`|\p{L}+(?:straße|strasse|weg|platz|gasse|allee)\s+\d`,
  'u',
);

/**
 * What personal data free text seems to hold, whoever's it is: an email address (with "@", or spelled "at … dot"),
 * a phone number (a digit run of 9 digits or more, 7 after "+" or "00", 8 written in four groups or more; dates and
 * record ids aside) or a street address ("12 rue de la Paix", "Hauptstraße 5"). Null when none is seen.
 */
export function personalDataIn(text: string): 'an email address' | 'a phone number' | 'a postal address' | null {
  const plain = text.normalize('NFKC').toLowerCase();
  if (EMAIL.test(plain) || SPELLED_EMAIL.test(plain)) return 'an email address';
  let digits = plain;
  for (const re of NOT_PHONES) digits = digits.replace(re, ' ; ');
  for (const run of digits.match(/(?<![\p{L}\p{N}_])\+?\d[\d\s.()/-]*\d(?![\p{L}\p{N}_])/gu) ?? []) {
    const count = run.replace(/\D/g, '').length;
    const groups = run.split(/[\s.()/-]+/).filter((g) => g !== '').length;
    if (count >= 9 || (count >= 7 && /^(?:\+|00)/.test(run)) || (count >= 8 && groups >= 4)) return 'a phone number';
  }
  return STREET.test(plain) ? 'a postal address' : null;
}
