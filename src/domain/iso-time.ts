/**
 * Strict ISO 8601 / RFC 3339 instants, as the decision contract writes them: a date (`2025-06-01`, read as
 * midnight UTC) or a date-time with seconds optional and a mandatory offset (`Z`, `+02:00`, `+0200`).
 * `Date.parse` is not used: it accepts strings the contract does not (no offset, read as local time) and
 * its leniency differs between engines. Hand-written because it runs for every event of every request.
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function digits(s: string, from: number, count: number): number {
  let n = 0;
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

/** Date.UTC without its two-digit-year rule (years 0–99 read as 1900–1999): the year 26 is the year 26. */
export function utcMs(year: number, month: number, day = 1, h = 0, mi = 0, sec = 0, ms = 0): number {
  if (year >= 100 || year < 0) return Date.UTC(year, month, day, h, mi, sec, ms);
  // Set on a date of its own (not shifted from 19xx: 1900 is no leap year, the year 0 is one).
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(h, mi, sec, ms);
  return d.getTime();
}

/** Epoch milliseconds, or a sentence saying what is wrong with the text. */
export function parseInstant(s: string): number | string {
  const len = s.length;
  if (len < 10) return 'is not an ISO 8601 date or date-time';
  const y = digits(s, 0, 4);
  const mo = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s[4] !== '-' || s[7] !== '-') return 'is not an ISO 8601 date or date-time';
  if (mo < 1 || mo > 12) return `has month ${mo}, which does not exist`;
  const dim = mo === 2 && isLeap(y) ? 29 : (DAYS_IN_MONTH[mo - 1] as number);
  if (d < 1 || d > dim) return `has day ${d}, which ${y}-${String(mo).padStart(2, '0')} does not have`;
  const day = utcMs(y, mo - 1, d);
  if (len === 10) return day;
  const t = s[10];
  if (t !== 'T' && t !== 't') return 'must separate date and time with "T"';
  const h = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  if (h < 0 || mi < 0 || s[13] !== ':') return 'has a malformed time (expected hh:mm or hh:mm:ss)';
  let i = 16;
  let sec = 0;
  let ms = 0;
  if (s[i] === ':') {
    sec = digits(s, i + 1, 2);
    if (sec < 0) return 'has malformed seconds';
    i += 3;
    if (s[i] === '.' || s[i] === ',') {
      i++;
      const start = i;
      let frac = 0;
      let scale = 100;
      while (i < len) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        frac += c * scale;
        scale /= 10;
        i++;
      }
      if (i === start) return 'has an empty fraction of a second';
      ms = Math.floor(frac);
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return 'has a time of day that does not exist';
  let offset = 0;
  const z = s[i];
  if (z === 'Z' || z === 'z') {
    i++;
  } else if (z === '+' || z === '-') {
    const oh = digits(s, i + 1, 2);
    const colon = s[i + 3] === ':' ? 1 : 0;
    const om = digits(s, i + 3 + colon, 2);
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return 'has a malformed UTC offset (expected ±hh:mm)';
    offset = (oh * 60 + om) * 60_000 * (z === '+' ? 1 : -1);
    i += 5 + colon;
  } else if (i === len) {
    return 'has no UTC offset: add "Z" or "±hh:mm" (a local time is ambiguous)';
  } else {
    return 'has unexpected characters after the time';
  }
  if (i !== len) return 'has unexpected characters after the UTC offset';
  return day + ((h * 60 + mi) * 60 + sec) * 1000 + ms - offset;
}

/**
 * A past instant given as ISO 8601 text (a contact's first-record date carried over from another database), as
 * epoch milliseconds; or what is wrong with it: not an instant, or ahead of `now` (a later date would restart a
 * retention clock that was running). `now` is the caller's: the domain reads no clock.
 */
export function pastInstant(given: unknown, now: number): number | string {
  const ms = typeof given === 'string' ? parseInstant(given) : 'must be an ISO 8601 instant';
  if (typeof ms === 'string') return ms;
  return ms > now ? 'is in the future' : ms;
}

/** The explicit `±hh:mm` (or `±hhmm`) offset of a valid instant, in minutes east of UTC; null for `Z` or a date. */
export function utcOffsetMinutes(s: string): number | null {
  const colon = s[s.length - 3] === ':' ? 1 : 0;
  const sign = s[s.length - 5 - colon];
  if (s.length <= 10 || (sign !== '+' && sign !== '-')) return null;
  const h = digits(s, s.length - 4 - colon, 2);
  const m = digits(s, s.length - 2, 2);
  return (h * 60 + m) * (sign === '+' ? 1 : -1);
}

/**
 * An instant plus whole months (UTC calendar), the day kept or, when the target month lacks it, its last day: a
 * year from 29 February ends on 28 February (C. proc. civ. art. 641 al. 2), where Date would roll to 1 March.
 */
export function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  const month = d.getUTCMonth() + months;
  const lastDay = new Date(utcMs(d.getUTCFullYear(), month + 1, 0)).getUTCDate();
  return utcMs(
    d.getUTCFullYear(),
    month,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** `YYYY-MM-DD` of an instant in a time zone (IANA name): the calendar day a rule or a list file speaks of there. */
export function localDateIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const DAY_MS = 86_400_000;

export { DAY_MS };
