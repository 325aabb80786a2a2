import { addMonths, parseInstant } from './iso-time.js';

// When a person's request must be answered: GDPR art. 12(3), "without undue delay and in any event within one month
// of receipt of the request". A period in months is counted as Regulation (EEC, Euratom) No 1182/71 art. 3 says (as
// the EDPB Guidelines 01/2022 on the right of access apply it): it ends on the day of the next month with the same
// date as the day of receipt, or on that month's last day when it has no such date (31 January → 28 or 29 February).

/**
 * The last day to answer a request received at `receivedAt` (ISO 8601), as YYYY-MM-DD, counted in UTC. Never later
 * than the law's: the extension of a period ending on a Saturday, Sunday or public holiday (art. 3(4)) is not
 * counted. `extended`: the two further months of art. 12(3) for complex or numerous requests, once the person was
 * told of them within the first month.
 */
export function answerDueBy(receivedAt: string, extended = false): string {
  // Art. 12(3): one month, or three once extended by the two further months.
  return new Date(addMonths(Date.parse(receivedAt), extended ? 3 : 1)).toISOString().slice(0, 10);
}

/**
 * The day a request was received, from what the DPO typed (ISO 8601; a date alone is midnight UTC; default: now), or
 * why it cannot be: the period runs from receipt, so a request cannot be received after it is recorded.
 */
export function receivedAtOf(raw: string | undefined, now: Date): Date | string {
  return raw === undefined ? now : pastInstantOf(raw, now, 'record a request once it is received');
}

/**
 * When the person was told a restriction of processing would be lifted (GDPR art. 18(3): before it is), from what the
 * DPO typed (ISO 8601, as receivedAtOf reads it), or why it cannot be: not in the future.
 */
export function informedAtOf(raw: string, now: Date): Date | string {
  return pastInstantOf(raw, now, 'tell the person before the restriction is lifted');
}

/** An instant the DPO typed that cannot be in the future, or why not (`rule` ends the sentence saying why). */
function pastInstantOf(raw: string, now: Date, rule: string): Date | string {
  const ms = parseInstant(raw);
  if (typeof ms === 'string') return `${ms}; got "${raw}"`;
  // A date alone is a day, not an instant: today's date is not "in the future" for a DPO east of UTC just after
  // their midnight (the latest zone is UTC+14).
  const latest = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? now.getTime() + 14 * 3_600_000 : now.getTime();
  if (ms > latest) return `is in the future (${raw}): ${rule}`;
  return new Date(Math.min(ms, now.getTime()));
}
