// Importing one file of a named opposition list as a new version (issue #6; docs/lists.md). The file is streamed:
// entries are written in batches, each in its own transaction, while the version is `loading` (invisible to
// lookups); the version becomes current in one final statement, so a failed import leaves the previous one in use.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { parse as parseCsv } from 'csv-parse/sync';
import { countryCode, DEFAULT_JURISDICTION, IdentifierError, normalizePostal } from '../../domain/contact.js';
import { parseInstant } from '../../domain/iso-time.js';
import { listCountry, listId, listKey } from '../../domain/list-names.js';
import type { ListVersion } from '../../store/lists.js';
import type { Store } from '../../store/store.js';
import { ImportInputError } from '../import/reader.js';
import { type Reject, RejectsFile } from '../import/rejects.js';
import { NotUtf8Error, Utf8Text } from '../text-input.js';
import { localDate } from './refresh.js';
import { postalListEntry, readEmailOrPhone } from './suppression.js';

export interface ImportListOptions {
  file: string;
  /** bloctel, tps, robinson, dncm… (lower-case). */
  name: string;
  /** The list's own date, YYYY-MM-DD (default: the import date in the list's country). */
  asOf?: string;
  /** Region national numbers are read in (default: the list's own country, listCountry; else FR). */
  country?: string;
  /** Where rejected lines go (default `<file>.rejects.csv`; removed when there are none). */
  rejectsPath?: string;
  /** Lines per transaction (default 50,000). */
  batchLines?: number;
  /** The import's clock (default now). */
  now?: Date;
  /** Stops the import (Ctrl-C): its partial entries are deleted and the version marked failed, as for an error. */
  signal?: AbortSignal;
}

/** The import was stopped by its signal; nothing of it is in use. */
export class ListImportInterrupted extends Error {
  constructor(readonly versionId: number) {
    super(
      `interrupted: version ${versionId} was not imported (its entries are deleted); the previous version stays in use`,
    );
    this.name = 'ListImportInterrupted';
  }
}

export interface ImportListOutcome {
  version: ListVersion;
  /** Lines read (data lines: after a header, blank lines not counted). */
  lines: number;
  /** Distinct identifiers stored. */
  entries: number;
  /** Lines that repeated an identifier already in this version. */
  duplicates: number;
  rejected: number;
  rejectsFile: string | null;
  format: 'lines' | 'csv';
  ms: number;
}

/** Header cells that name the identifier column of a CSV list (first match wins). */
const COLUMN =
  /^(e164|msisdn|num(e|é)ro|numero_?tel(ephone)?|number|phone(_?number)?|t(e|é)l(e|é)phone|tel|mobile|email|e-?mail|identifier|value)$/i;
/**
 * Header cells that name a postal address column, whole in one cell (a Robinson or Mailing Preference file), read
 * when no identifier column is named: postal opposition lists bind addressed mail (docs/lists.md).
 */
const ADDRESS_COLUMN =
  /^(address|postal|postal_?address|adresse|adresse_postale|anschrift|adres|direcci(o|ó)n|indirizzo)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

interface Layout {
  format: 'lines' | 'csv';
  delimiter: string | null;
  column: number;
  header: boolean;
  /** The column holds postal addresses, not phone numbers or emails. */
  postal?: boolean;
}

/** The file's SHA-256 and its layout from the first non-blank line; throws ImportInputError when unusable. */
async function scan(file: string): Promise<{ sha256: string; layout: Layout }> {
  const hash = createHash('sha256');
  let first: string | null = null;
  let tail = '';
  const text = new Utf8Text(); // read whole once here, so that a file that is not UTF-8 is refused before any write
  try {
    for await (const chunk of createReadStream(file)) {
      const bytes = chunk as Buffer;
      hash.update(bytes);
      text.push(bytes);
      if (bytes.includes(0)) throw new ImportInputError(`${file} is not a text file (it holds NUL bytes)`);
      if (first === null) {
        tail += bytes.toString('utf8');
        const lines = tail.split(/\r?\n/);
        const found = lines.slice(0, -1).find((l) => l.trim() !== '');
        if (found !== undefined) first = found;
        else tail = lines.at(-1) ?? '';
      }
    }
    text.end();
  } catch (error) {
    if (error instanceof NotUtf8Error) throw new ImportInputError(`${file}: ${error.message}`);
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ImportInputError(`${file}: no such file`);
    if (code === 'EISDIR') throw new ImportInputError(`${file} is a folder: name the list's file`);
    if (code === 'EACCES') throw new ImportInputError(`${file}: permission denied`);
    throw error;
  }
  first ??= tail.trim() === '' ? null : tail;
  if (first === null) throw new ImportInputError(`${file} is empty`);
  first = first.replace(/^\uFEFF/, '');
  const delimiter = [';', ',', '\t'].find((d) => first?.includes(d)) ?? null;
  const split = delimiter === null ? [first] : lineCells(first, delimiter);
  const cells = typeof split === 'string' ? first.split(delimiter ?? '') : split;
  const named = cells.findIndex((c) => COLUMN.test(unquote(c)));
  if (named >= 0)
    return { sha256: hash.digest('hex'), layout: { format: 'csv', delimiter, column: named, header: true } };
  const address = cells.findIndex((c) => ADDRESS_COLUMN.test(unquote(c)));
  if (address >= 0) {
    const layout = { format: 'csv', delimiter, column: address, header: true, postal: true } as const;
    return { sha256: hash.digest('hex'), layout };
  }
  if (delimiter !== null) {
    // A delimited file without a header naming the column: usable only if its first cell looks like a number.
    if (!/\d/.test(cells[0] ?? '') || /[a-z]/i.test(cells[0] ?? '')) {
      throw new ImportInputError(
        `${file}: the header names no identifier column (expected one of number, phone, numero, telephone, e164, msisdn, email, or address for postal addresses)`,
      );
    }
    return { sha256: hash.digest('hex'), layout: { format: 'csv', delimiter, column: 0, header: false } };
  }
  return { sha256: hash.digest('hex'), layout: { format: 'lines', delimiter: null, column: 0, header: false } };
}

const unquote = (s: string): string =>
  s
    .trim()
    .replace(/^"(.*)"$/, '$1')
    .trim();

/**
 * The cells of one delimited line, quotes read as RFC 4180 reads them (a delimiter inside quotes is part of the
 * cell: `"Dupont, Jean",0611111111` has two cells); a string saying why when the quotes do not close.
 */
export function lineCells(line: string, delimiter: string): string[] | string {
  if (!line.includes('"')) return line.split(delimiter);
  try {
    const [cells] = parseCsv(line, { delimiter, relax_column_count: true, trim: true }) as string[][];
    return cells ?? [];
  } catch (error) {
    return (error as { code?: string }).code === 'CSV_QUOTE_NOT_CLOSED'
      ? 'a quote opened on this line does not close'
      : `the line is not valid CSV: ${(error as Error).message}`;
  }
}

/**
 * Imports `file` as a new version of list `name`. Lines that are not an identifier go to the rejects file with
 * their line number and reason; the import fails (ImportInputError, nothing switched) only when the file is
 * unusable: missing, empty, binary, a CSV without an identifier column, or no valid identifier at all.
 */
export async function importList(store: Store, o: ImportListOptions): Promise<ImportListOutcome> {
  const started = performance.now();
  const now = o.now ?? new Date();
  // A mistyped country would reject every national number and make an almost empty list the current one.
  // A TPS file's "07911 123456" is British, a DNC file's "212 555 0123" American: a list's own country by default.
  const country = countryCode(o.country ?? listCountry(listId(o.name)) ?? DEFAULT_JURISDICTION);
  if (country === null) {
    throw new ImportInputError(
      `--country ${o.country}: not a country whose phone numbers are known (ISO 3166 alpha-2, e.g. FR)`,
    );
  }
  const asOf = o.asOf ?? localDate(now, country);
  const checked = DATE.test(asOf) ? parseInstant(asOf) : 'is not a date YYYY-MM-DD';
  if (typeof checked !== 'number') {
    // parseInstant, not Date.parse: V8 reads 2026-02-30 as 2026-03-02.
    throw new ImportInputError(`--as-of ${asOf}: ${checked}`);
  }
  // A date ahead would make the file the current version at once, and stale (dated after the screening date) until
  // that day: phone screenings refused, and today's file refused as older (docs/lists.md). Today is the list's
  // country's day.
  if (asOf > localDate(now, country)) {
    throw new ImportInputError(`--as-of ${asOf}: is in the future; give the date the list's file was produced`);
  }
  // The last version imported is the one screenings use: an older file would silently undo the registrations made
  // since (numbers listed in the newer file only would be called again).
  const key = listKey({ name: listId(o.name), country });
  const current = (await store.currentListVersions()).find((v) => listKey(v) === key);
  if (current !== undefined && asOf < current.asOf) {
    throw new ImportInputError(
      `--as-of ${asOf}: older than the ${current.name} version in use (version ${current.id}, as of ${current.asOf}); import a file at least as recent`,
    );
  }
  const { sha256, layout } = await scan(o.file);
  const version = await store.beginListVersion({
    name: listId(o.name),
    asOf,
    country,
    fileName: basename(o.file),
    fileSha256: sha256,
    importedAt: now.toISOString(),
  });
  const rejectsPath = o.rejectsPath ?? `${o.file}.rejects.csv`;
  const rejects = await RejectsFile.create(rejectsPath);
  const batchLines = o.batchLines ?? 50_000;
  let lineNo = 0;
  let lines = 0;
  let entries = 0;
  let rejected = 0;
  let firstBad: { line: number; reason: string } | null = null;
  let values: string[] = [];
  let bad: Reject[] = [];
  // One batch is written while the next is read and normalised (PostgreSQL works while we parse); writes and
  // rejects stay in file order, and at most two batches are in memory.
  let writing: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    const batch = values;
    const refused = bad;
    values = [];
    bad = [];
    await writing;
    writing = (async () => {
      if (batch.length > 0) entries += await store.transaction((tx) => tx.addListEntries(version.id, batch));
      await rejects.add(refused);
    })();
    writing.catch(() => undefined); // observed here, rethrown by the next `await writing`
  };
  try {
    // The bytes imported are hashed again: the version records the SHA-256 of the first read, and a file rewritten
    // in between (a download still running, the next month's file copied over it) would be proven by a hash of
    // another file than the one whose numbers were stored.
    const bytes = createReadStream(o.file);
    const reread = createHash('sha256');
    bytes.on('data', (chunk) => reread.update(chunk));
    // Read a line at a time, each line's cells by csv-parse (lineCells), not the whole file through one streaming
    // csv-parse as the contact import does: a list holds one entry a line, and a quote that does not close must
    // reject its own line only (a stream reads on to the next quote: the file fails, or the numbers on the lines
    // between are swallowed into one rejected cell and called). It is also 3 to 10 times faster, but on a file whose
    // every cell is quoted (each line then parsed by csv-parse on its own), where it is 1.6 times slower (docs/lists.md).
    const input = createInterface({ input: bytes, crlfDelay: Number.POSITIVE_INFINITY });
    let headerSeen = !layout.header;
    for await (const raw of input) {
      if (o.signal?.aborted) throw new ListImportInterrupted(version.id);
      lineNo++;
      const line = lineNo === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      if (!headerSeen) {
        headerSeen = true;
        continue;
      }
      lines++;
      const cells = layout.delimiter === null ? [line] : lineCells(line, layout.delimiter);
      const cell = typeof cells === 'string' ? '' : unquote(cells[layout.column] ?? '');
      try {
        if (typeof cells === 'string') throw new IdentifierError('line', cells);
        values.push(
          layout.postal ? postalListEntry(normalizePostal(cell)) : readEmailOrPhone(cell.trim(), country).value,
        );
      } catch (error) {
        if (!(error instanceof IdentifierError)) throw error;
        rejected++;
        const reason = cell.trim() === '' && typeof cells !== 'string' ? 'no identifier in the column' : error.message;
        firstBad ??= { line: lineNo, reason };
        bad.push({ line: lineNo, reason, raw: line });
      }
      if (values.length + bad.length >= batchLines) await flush();
    }
    await flush();
    await writing;
    if (reread.digest('hex') !== sha256) {
      throw new ImportInputError(
        `${o.file}: the file changed while it was imported (its SHA-256 is no longer ${sha256.slice(0, 12)}…): nothing of it is used; import it again once it is complete`,
      );
    }
    if (entries === 0) {
      // Say why, and keep the rejected lines to look at: a wrong --country rejects every national number.
      const first = firstBad === null ? '' : `; line ${firstBad.line}: ${firstBad.reason}`;
      await rejects.close(rejected > 0);
      throw new ImportInputError(
        `${o.file}: no valid identifier in ${lines} lines (national numbers read in ${country})${first}${rejected > 0 ? `; every rejected line is in ${rejectsPath}` : ''}`,
      );
    }
    const done = await store.completeListVersion(version.id, { entries, rejected, at: new Date().toISOString() });
    await rejects.close(rejected > 0);
    return {
      version: done,
      lines,
      entries,
      duplicates: lines - rejected - entries,
      rejected,
      rejectsFile: rejected > 0 ? rejectsPath : null,
      format: layout.format,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    await writing.catch(() => undefined);
    await rejects.close(rejected > 0).catch(() => undefined);
    await store.failListVersion(version.id).catch(() => undefined);
    throw error;
  }
}
