import { localDateIn } from '../../domain/iso-time.js';
// Refresh rules of opposition lists (docs/lists.md): how old a list file may be on the day it is screened against,
// where the law ties a rule to it. Bloctel: a professional who prospects by phone as a regular activity must have
// their files checked against the opposition list at least once a month (C. consom. art. L223-1 al. 4, 1°, loi
// n° 2020-901 du 24 juillet 2020); Assent reads a month as 30 days (stricter than a calendar month of 31 days).
import type { ListVersion } from '../../store/lists.js';

/** Days after its as-of date a Bloctel version may still be used (30: still fresh; 31: stale). */
export const BLOCTEL_MAX_AGE_DAYS = 30;

/** Each list's legal maximum age in days, with the rule, named in the staleness reason. */
const MAX_AGES: Readonly<Record<string, { days: number; rule: string }>> = {
  bloctel: {
    days: BLOCTEL_MAX_AGE_DAYS,
    rule: 'Bloctel: files checked at least once a month, C. consom. art. L223-1 al. 4, 1°',
  },
  // The safe harbour of the Do Not Call rules: a version of the registry obtained no more than 31 days before the
  // call (47 CFR 64.1200(c)(2)(i)(D)).
  dnc: { days: 31, rule: 'DNC: a registry version at most 31 days old, 47 CFR 64.1200(c)(2)(i)(D)' },
  // A TPS registration binds 28 days after it is made (PECR reg. 21(3)), a CTPS one likewise (reg. 26, the register
  // corporate subscribers are on too): a file older than that misses numbers that already bind.
  tps: { days: 28, rule: 'TPS: registrations bind after 28 days, PECR reg. 21(3)' },
  ctps: { days: 28, rule: 'CTPS: registrations bind after 28 days, PECR reg. 21(3) and 26' },
  // The Fax Preference Service, the register of reg. 25: a marketing fax to a number on it breaks reg. 20(1)(c) once
  // the number has been listed 28 days (reg. 20(3)), the TPS's rule for faxes.
  fps: { days: 28, rule: 'FPS: registrations bind after 28 days, PECR reg. 20(3) and 25' },
};

/** Time zone in which a list's dates are counted: the list's country (its publisher's calendar). */
const ZONES: Readonly<Record<string, string>> = {
  FR: 'Europe/Paris',
  DE: 'Europe/Berlin',
  AT: 'Europe/Vienna',
  CH: 'Europe/Zurich',
  GB: 'Europe/London',
  BE: 'Europe/Brussels',
  NL: 'Europe/Amsterdam',
  ES: 'Europe/Madrid',
  IT: 'Europe/Rome',
  // The registry's administrator (FTC, Washington).
  US: 'America/New_York',
};

/** The calendar date (YYYY-MM-DD) of `at` in `country`'s time zone (UTC for a country not listed). */
export function localDate(at: Date, country: string): string {
  return localDateIn(at, ZONES[country.toUpperCase()] ?? 'UTC');
}

/** Whole days from date `a` to date `b` (both YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/**
 * The maximum age of a list in days, or null when it has none: the law's (Bloctel 30, DNC 31, TPS, CTPS and FPS 28),
 * which a configured one may shorten but never lengthen; else the configured one.
 */
export function maxAgeOf(name: string, maxAgeDays?: Readonly<Record<string, number>>): number | null {
  const legal = MAX_AGES[name]?.days;
  const set = maxAgeDays?.[name];
  if (legal === undefined) return set ?? null;
  return set === undefined ? legal : Math.min(set, legal);
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
  const legal = MAX_AGES[v.name];
  const rule = legal !== undefined && max === legal.days ? ` (${legal.rule})` : '';
  return {
    stale: true,
    age,
    reason: `${v.name} version of ${v.asOf} is ${age} days old at ${today}, over ${max}${rule}`,
  };
}
