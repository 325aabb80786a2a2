/**
 * Wall-clock time in a time zone, from the platform's `Intl` (no hand-written zone table).
 * Offsets are cached per zone and quarter hour: every real zone changes offset on a quarter-hour boundary.
 */
import { utcMs } from '../domain/iso-time.js';

export interface LocalTime {
  /** Local calendar date as `YYYY-MM-DD`. */
  date: string;
  year: number;
  month: number;
  day: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes since local midnight. */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, number>();
const QUARTER = 900_000;

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at instant `ms`, in milliseconds (east positive). */
export function zoneOffset(ms: number, zone: string): number {
  const bucket = Math.floor(ms / QUARTER);
  const key = `${zone}|${bucket}`;
  const cached = offsets.get(key);
  if (cached !== undefined) return cached;
  const probe = bucket * QUARTER;
  const p: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(probe)) {
    if (part.type !== 'literal') p[part.type] = Number(part.value);
  }
  const asUtc = utcMs(p.year as number, (p.month as number) - 1, p.day, p.hour, p.minute, p.second);
  const offset = asUtc - probe;
  if (offsets.size > 50_000) offsets.clear();
  offsets.set(key, offset);
  return offset;
}

/** The first of `zones` that is `offsetMinutes` east of UTC at instant `ms` (a written offset, located), if any. */
export function zoneAtOffset(zones: Iterable<string>, ms: number, offsetMinutes: number): string | undefined {
  for (const zone of zones) if (zoneOffset(ms, zone) === offsetMinutes * 60_000) return zone;
  return undefined;
}

/** The recipient's local date and time at instant `ms`. */
export function localTime(ms: number, zone: string): LocalTime {
  const d = new Date(ms + zoneOffset(ms, zone));
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return {
    date: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    year,
    month,
    day,
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
    minutes: d.getUTCHours() * 60 + d.getUTCMinutes(),
  };
}

/** Days since 1970-01-01 of the calendar day an instant falls on in a time zone (calendar-day counts of the law). */
export function localDayNumber(ms: number, zone: string): number {
  const t = localTime(ms, zone);
  return utcMs(t.year, t.month - 1, t.day) / 86_400_000;
}

/** The instant local midnight begins on `date` (`YYYY-MM-DD`) in `zone`: when a law dated that day takes effect. */
export function startOfLocalDay(date: string, zone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  const first = utcMidnight - zoneOffset(utcMidnight, zone);
  return utcMidnight - zoneOffset(first, zone);
}
