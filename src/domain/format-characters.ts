// Unicode format characters (category Cf) are invisible: a right-to-left override (U+202E) makes "crm-7‮21" show as
// another id than the one stored, a zero-width space makes two ids that look the same. Refused in identifiers as
// control characters are. The zero-width non-joiner and joiner (U+200C, U+200D) are letters' business in Persian
// and Indic scripts (a postal address may need them): kept.
const FORMAT = /(?![\u200c\u200d])\p{Cf}/u;

const NAMES: Readonly<Record<number, string>> = {
  173: 'SOFT HYPHEN',
  1564: 'ARABIC LETTER MARK',
  6158: 'MONGOLIAN VOWEL SEPARATOR',
  8203: 'ZERO WIDTH SPACE',
  8206: 'LEFT-TO-RIGHT MARK',
  8207: 'RIGHT-TO-LEFT MARK',
  8234: 'LEFT-TO-RIGHT EMBEDDING',
  8235: 'RIGHT-TO-LEFT EMBEDDING',
  8236: 'POP DIRECTIONAL FORMATTING',
  8237: 'LEFT-TO-RIGHT OVERRIDE',
  8238: 'RIGHT-TO-LEFT OVERRIDE',
  8288: 'WORD JOINER',
  8294: 'LEFT-TO-RIGHT ISOLATE',
  8295: 'RIGHT-TO-LEFT ISOLATE',
  8296: 'FIRST STRONG ISOLATE',
  8297: 'POP DIRECTIONAL ISOLATE',
  65279: 'ZERO WIDTH NO-BREAK SPACE',
};

/**
 * The first invisible format character of `value` (Unicode category Cf, but U+200C and U+200D), said with its code
 * point and name ("U+202E RIGHT-TO-LEFT OVERRIDE") and its position (1-based, in UTF-16 units as the control
 * character check counts), or null.
 */
export function formatCharacterIn(value: string): { character: string; position: number } | null {
  const found = FORMAT.exec(value);
  if (found === null) return null;
  const cp = found[0].codePointAt(0) as number;
  const name = NAMES[cp];
  const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  return { character: name === undefined ? code : `${code} ${name}`, position: found.index + 1 };
}

/**
 * `value` without what shows nothing: every format character (Cf: zero-width space, soft hyphen, word joiner,
 * direction marks…) and the blank "filler" letters (Hangul fillers U+115F, U+1160, U+3164, U+FFA0; the blank
 * Braille pattern U+2800). `trim()` leaves them, so a name of them alone looks filled and shows nothing.
 */
export function withoutInvisible(value: string): string {
  return value.replace(/[\p{Cf}\u115f\u1160\u3164\uffa0\u2800]/gu, '');
}
