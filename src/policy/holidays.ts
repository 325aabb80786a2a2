/** Public holidays as data: fixed dates and days counted from Easter Sunday (computed, never listed by year). */

export interface HolidayDef {
  name: string;
  /** A fixed date, `MM-DD`. */
  date?: string;
  /** Days after Easter Sunday (Easter Monday = 1, Ascension = 39, Whit Monday = 50, Good Friday = -2). */
  easter?: number;
}

/** Easter Sunday of the Gregorian calendar (anonymous Gregorian algorithm, Meeus/Jones/Butcher), as UTC ms. */
export function easterSunday(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return Date.UTC(year, month - 1, day);
}

const cache = new Map<string, Map<string, string>>();

/** The holidays of `year` as `YYYY-MM-DD` → name. */
export function holidaysOf(year: number, defs: readonly HolidayDef[], key: string): Map<string, string> {
  const cacheKey = `${key}|${year}`;
  let days = cache.get(cacheKey);
  if (days !== undefined) return days;
  days = new Map();
  const easter = easterSunday(year);
  for (const def of defs) {
    if (def.date !== undefined) days.set(`${year}-${def.date}`, def.name);
    if (def.easter !== undefined) {
      days.set(new Date(easter + def.easter * 86_400_000).toISOString().slice(0, 10), def.name);
    }
  }
  cache.set(cacheKey, days);
  return days;
}
