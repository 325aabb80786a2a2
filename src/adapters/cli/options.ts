import { parseInstant } from '../../domain/iso-time.js';
import { CliError } from './errors.js';

/** `--at`: an ISO 8601 instant (a date alone is midnight UTC), or now when absent. */
export function atOption(raw: string | undefined, now: () => Date = () => new Date()): Date {
  if (raw === undefined) return now();
  const ms = parseInstant(raw);
  if (typeof ms === 'string') throw new CliError('USAGE', `--at ${raw} ${ms}`);
  return new Date(ms);
}

/** `--jurisdiction`: an ISO 3166-1 alpha-2 code, upper-cased; undefined when absent. */
export function jurisdictionOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (!/^[A-Za-z]{2}$/.test(raw)) {
    throw new CliError('USAGE', `--jurisdiction must be an ISO 3166-1 alpha-2 code such as FR; got ${raw}`);
  }
  return raw.toUpperCase();
}
