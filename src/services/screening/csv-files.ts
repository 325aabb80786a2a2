import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { csvCell } from '../csv-cell.js';
import { CsvLineNumbers } from '../csv-line-numbers.js';
import { PRIVATE_FILE } from '../private-file.js';
import { NotUtf8Error, utf8ByteStream } from '../text-input.js';
import type { AudienceRow } from './rows.js';

/** An audience file the screening cannot use at all (no header, no identifier column, broken quoting). */
export class AudienceInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AudienceInputError';
  }
}

/** Columns the screening reads; any other column is carried to the output files untouched. */
const COLUMNS: Readonly<Record<string, keyof Omit<AudienceRow, 'line' | 'malformed' | 'blank'>>> = {
  email: 'email',
  phone: 'phone',
  external_id: 'externalId',
  contact_id: 'contactId',
  channel: 'channel',
  purpose: 'purpose',
  jurisdiction: 'jurisdiction',
};
const IDENTIFIERS = ['email', 'phone', 'external_id', 'contact_id'];

export interface AudienceFile {
  /** The header's names, lower-cased: how columns are matched. */
  header: string[];
  /** The header as written: what the output files repeat. */
  writtenHeader: string[];
  /** Bytes read so far (for a progress bar against the file size). */
  bytesRead(): number;
  /** SHA-256 (hex) of the bytes read so far: the whole audience's once its rows are read to the end. */
  sha256(): string;
  rows: AsyncIterable<{ row: AudienceRow; source: { line: number; cells: string[] } }>;
  /** Stops reading (the rows need not have been read to the end). */
  close(): void;
}

/**
 * Opens an audience CSV (UTF-8, BOM accepted, a header line; cells trimmed) and streams its rows: only the
 * parser's buffer is held, whatever the file size. The header is read before this resolves, so a file without an
 * identifier column is refused before anything is written.
 */
export async function openAudience(file: string, delimiter = ','): Promise<AudienceFile> {
  return readAudience(createReadStream(file), file, delimiter);
}

/**
 * `openAudience` over any byte stream; `name` says what it is in error messages. `stop` ends the reading early or
 * at the end (a file is destroyed; an HTTP request body must be drained instead: destroying it closes the socket
 * the answer goes out on).
 */
export async function readAudience(
  stream: Readable,
  name: string,
  delimiter = ',',
  stop: (stream: Readable) => void = (s) => s.destroy(),
): Promise<AudienceFile> {
  // The line a row starts on, as an editor shows it and the import reports it (a quoted cell may span lines).
  const lines = new CsvLineNumbers(delimiter);
  const parser = parse({
    bom: true,
    raw: true,
    trim: true,
    relax_column_count: true,
    // A line of no characters (or only spaces and tabs) is not a row: the blank line a file ends with. A line of
    // empty cells (`,,` left by a spreadsheet) is one, and is excluded as empty: every row is accounted for.
    skip_empty_lines: true,
    delimiter,
    on_record: lines.onRecord((cells, line) => ({ cells, line })),
  });
  // UTF-8 or refused, CRLF read as LF (src/services/text-input.ts).
  const text = utf8ByteStream();
  stream.on('error', (error) => parser.destroy(error));
  text.on('error', (error) => parser.destroy(error));
  let bytes = 0;
  // The screenings record names the audience by its hash (one pass over bytes already read: no second read).
  const hash = createHash('sha256');
  stream.on('data', (chunk: Buffer | string) => {
    bytes += chunk.length;
    hash.update(chunk);
  });
  stream.pipe(text).pipe(parser);
  const records = (parser as AsyncIterable<{ cells: string[]; line: number }>)[Symbol.asyncIterator]();
  // A parse error before the header is out stops the reading too (an HTTP body left paused would hold its socket).
  const first = await records.next().catch((error: unknown) => {
    stop(stream);
    return rethrow(error, lines, name);
  });
  if (first.done) throw new AudienceInputError(`${name} is empty: an audience needs a header line`);
  const header = first.value.cells.map((h) => h.toLowerCase());
  if (!header.some((h) => IDENTIFIERS.includes(h))) {
    stop(stream);
    // One cell holding names joined by another separator: the file is not comma-separated (as the import says).
    const sep = header.length === 1 ? [';', '\t', '|'].find((d) => header[0]?.includes(d)) : undefined;
    if (sep !== undefined) {
      const shown = sep === '\t' ? 'tab' : sep;
      throw new AudienceInputError(
        `${name} has no identifier column: its header is one cell "${header[0]}"; the file looks ${sep === '\t' ? 'tab' : `"${sep}"`}-separated: give the delimiter (--delimiter '${sep === '\t' ? '\\t' : sep}'; delimiter=${shown} over the API)`,
      );
    }
    throw new AudienceInputError(`${name} has no identifier column: give one of ${IDENTIFIERS.join(', ')}`);
  }
  const positions = header.flatMap((h, i) => {
    const field = COLUMNS[h];
    return field === undefined ? [] : [[i, field] as const];
  });
  // Two columns for one field: the last one silently won (a row was decided on someone else's address).
  const seen = new Map<string, number>();
  for (const [i, field] of positions) {
    const twin = seen.get(field);
    if (twin !== undefined) {
      stop(stream);
      const names = first.value.cells;
      throw new AudienceInputError(`${name}: columns "${names[twin]}" and "${names[i]}" both give ${field}; keep one`);
    }
    seen.set(field, i);
  }
  async function* rows() {
    try {
      for (;;) {
        const next = await records.next().catch((error: unknown) => rethrow(error, lines, name));
        if (next.done) return;
        const { cells, line } = next.value;
        const row: AudienceRow = { line };
        if (cells.every((c) => c.trim() === '')) row.blank = true;
        // A short or long line means shifted columns: screening it could read a phone as an email, or miss one.
        if (cells.length !== header.length) {
          row.malformed = `has ${cells.length} cell${cells.length === 1 ? '' : 's'}; the header has ${header.length}`;
        }
        for (const [i, field] of positions) {
          const v = cells[i];
          if (v !== undefined && v !== '') row[field] = v;
        }
        yield { row, source: { line, cells } };
      }
    } finally {
      stop(stream);
    }
  }
  return {
    header,
    writtenHeader: first.value.cells,
    bytesRead: () => bytes,
    sha256: () => hash.copy().digest('hex'),
    rows: rows(),
    close: () => stop(stream),
  };
}

function rethrow(error: unknown, lines: CsvLineNumbers, name: string): never {
  if (error instanceof CsvError) throw new AudienceInputError(`${name}: ${lines.errorMessage(error)}`);
  if (error instanceof NotUtf8Error) throw new AudienceInputError(`${name}: ${error.message}`);
  throw error;
}

/**
 * A CSV file written line by line, in blocks of about 64 KiB (a stream write per line cost a screening ~5 % of its
 * time), waiting when the disk is slower than the screening (bounded memory).
 */
export class CsvWriter {
  private readonly out: WriteStream;
  private block = '';
  constructor(path: string, header: readonly string[]) {
    this.out = createWriteStream(path, { mode: PRIVATE_FILE });
    this.block = `${header.map(csvCell).join(',')}\n`;
  }
  async write(cells: readonly string[]): Promise<void> {
    let line = '';
    for (let i = 0; i < cells.length; i++)
      line += i === 0 ? csvCell(cells[i] as string) : `,${csvCell(cells[i] as string)}`;
    this.block += `${line}\n`;
    if (this.block.length >= 65_536) await this.flush();
  }
  private async flush(): Promise<void> {
    const block = this.block;
    this.block = '';
    if (block !== '' && !this.out.write(block)) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}
