/** Dates and times as decisions and explanations write them. */

const days = new Map<number, string>();

/** `YYYY-MM-DD` (UTC) for messages; memoised because deny messages are built on the hot path. */
export function day(ms: number | undefined): string {
  if (ms === undefined) return '?';
  const n = Math.floor(ms / 86_400_000);
  let text = days.get(n);
  if (text === undefined) {
    text = new Date(n * 86_400_000).toISOString().slice(0, 10);
    if (days.size > 100_000) days.clear();
    days.set(n, text);
  }
  return text;
}

/** `HH:MM` of minutes since midnight. */
export function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
