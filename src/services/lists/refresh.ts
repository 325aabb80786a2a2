// Refresh rules of opposition lists (docs/lists.md). Bloctel: a professional who prospects by phone as a regular
// activity must have their files checked against the opposition list at least once a month (C. consom. art. L223-1
// al. 4, 1°, loi n° 2020-901 du 24 juillet 2020). Assent reads a month as 30 days (as the issue asks; stricter than a
// calendar month of 31 days): a version dated more than 30 days before the screening date is stale.
import type { ListVersion } from '../../store/lists.js';

/** Days after its as-of date a Bloctel version may still be used (30: still fresh; 31: stale). */
export const BLOCTEL_MAX_AGE_DAYS = 30;

/** Time zone in which a list's dates are counted: the list's country (its publisher's calendar). */
const ZONES: Readonly<Record<string, string>> = {
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  GB: 'Europe/London',
  BE: 'Europe/Brussels',
  NL: 'Europe/Amsterdam',
};

/** The calendar date (YYYY-MM-DD) of `at` in `country`'s time zone (UTC for a country not listed). */
export function localDate(at: Date, country: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: ZONES[country.toUpperCase()] ?? 'UTC',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/** Whole days from date `a` to date `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The maximum age of a list in days, or null when it has none (Bloctel: 30, whatever is configured). */
export function maxAgeOf(name: string, maxAgeDays?: Readonly<Record<string, number>>): number | null {
  if (name === 'bloctel') return BLOCTEL_MAX_AGE_DAYS;
  return maxAgeDays?.[name] ?? null;
}

/** Whether a version is too old to screen with at `at`, and why (a sentence naming the rule). */
export function staleness(
  v: Pick<ListVersion, 'name' | 'asOf' | 'country'>,
  at: Date,
  maxAgeDays?: Readonly<Record<string, number>>,
): { stale: boolean; age: number; reason: string | null } {
  const today = localDate(at, v.country);
  const age = daysBetween(v.asOf, today);
  const max = maxAgeOf(v.name, maxAgeDays);
  if (age < 0) {
    return { stale: true, age, reason: `${v.name} is dated ${v.asOf}, after the screening date ${today}` };
  }
  if (max === null || age <= max) return { stale: false, age, reason: null };
  const rule =
    v.name === 'bloctel' ? ' (Bloctel: files checked at least once a month, C. consom. art. L223-1 al. 4, 1°)' : '';
  return {
    stale: true,
    age,
    reason: `${v.name} version of ${v.asOf} is ${age} days old at ${today}, over ${max}${rule}`,
  };
}
