import { realpathSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { countryCode, notACountry } from '../../domain/contact.js';
import { parseInstant } from '../../domain/iso-time.js';
import { type MessageOffer, parseOffer } from '../../services/screening/screen.js';
import { CliError } from './errors.js';

/** How every `--at` reads a date alone: the decision contract's reading, so that all commands agree on a day. */
export const AT_READING = 'ISO 8601; a date alone is midnight UTC';

/**
 * `--at`, for every command: an ISO 8601 instant, a date alone read as midnight UTC (`AT_READING`), or now when
 * absent. parseInstant checks the calendar (Date would read 2026-02-30 as 2026-03-02).
 */
export function atOption(raw: string | undefined, now: () => Date = () => new Date()): Date {
  if (raw === undefined) return now();
  const ms = parseInstant(raw);
  if (typeof ms === 'string') throw new CliError('USAGE', `--at ${raw}: ${ms}`);
  return new Date(ms);
}

/** An input file: one that is missing, unreadable or not a file is exit 66 with why in words, for every command. */
export async function inputFile(file: string): Promise<void> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    const why = error.code === 'ENOENT' ? 'no such file' : error.code === 'EACCES' ? 'permission denied' : error.code;
    throw new CliError('NO_INPUT', `cannot read ${file}: ${why ?? error.message}`);
  });
  if (!info.isFile()) throw new CliError('NO_INPUT', `${file} is not a file`);
}

/** `--purpose`: a purpose id of 1 to 100 characters (`screen` and `campaign send` alike). */
export function purposeOption(raw: string): string {
  if (raw.trim() === '' || raw.length > 100) {
    throw new CliError('USAGE', `--purpose must be 1 to 100 characters (default marketing); got "${raw}"`);
  }
  return raw;
}

/** `--jurisdiction`: an ISO 3166-1 alpha-2 code, upper-cased; undefined when absent. */
export function jurisdictionOption(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const code = countryCode(raw);
  if (code === null) throw new CliError('USAGE', `--jurisdiction: ${notACountry(raw)}`);
  return code;
}

/**
 * `--offer`: what the message is about, as the decision contract's `message.offer` flags, comma-separated
 * (`relatedToProfession` lets B2B opt-out apply; `similarToPurchases` the client exception), plus `--sector`.
 */
export function offerOption(raw: string | undefined, sector: string | undefined): MessageOffer | undefined {
  try {
    return parseOffer(raw, sector);
  } catch (error) {
    if (error instanceof RangeError) {
      throw new CliError(
        'USAGE',
        error.message.startsWith('sector ') ? `--${error.message}` : `--offer ${error.message}`,
      );
    }
    throw error;
  }
}

/** The path as the file system resolves it: symbolic links followed, in its folder too when the file is new. */
function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    try {
      return join(realpathSync(dirname(path)), basename(path));
    } catch {
      return resolve(path);
    }
  }
}

/**
 * Refuses an output path that is the input file: a rejects file or a screening output written over the file being
 * read destroyed it (and the import journal then skipped the restored file as done).
 */
export function notTheInput(input: string, output: string, option: string): void {
  if (realOrResolved(input) === realOrResolved(output)) {
    throw new CliError(
      'USAGE',
      `${option} ${output} is the input file itself: it would be overwritten; choose another path`,
    );
  }
}

/**
 * Where an import's rejected lines go: `--rejects`, else `<input's base name>.rejects.csv` in the current folder.
 * Never beside the input: its folder may be another's or the system's (`/etc/hostname` gave
 * `/etc/hostname.rejects.csv`), and the file holds the rejected personal data. Never the input itself either.
 */
export function rejectsPathFor(input: string, given: string | undefined): string {
  const path = given ?? resolve(`${basename(input)}.rejects.csv`);
  notTheInput(input, path, given === undefined ? 'the rejects file' : `--rejects ${given}`);
  return path;
}
