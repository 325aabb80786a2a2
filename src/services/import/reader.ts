import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { CsvLineNumbers } from '../csv-line-numbers.js';
import { NotUtf8Error, Utf8Text } from '../text-input.js';

export type ImportFormat = 'csv' | 'ndjson';

/** Input the import cannot use at all (exit code 2): nothing is written when it is found. */
export class ImportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportInputError';
  }
}

/** One row of the file: `line` where it starts, `endLine` where it ends (a quoted CSV cell may span lines). */
export type SourceRecord = { line: number; endLine: number; raw: string } & (
  | { format: 'csv'; cells: string[] }
  | { format: 'ndjson'; value: unknown; error: string | null }
);

export interface FileScan {
  sha256: string;
  /** Data rows (CSV: after the header; NDJSON: non-blank lines), for the progress bar. */
  rows: number;
  /** The CSV header's cells; null for NDJSON. */
  header: string[] | null;
}

/**
 * The file's SHA-256 (of its bytes: the journal's key for resuming) and its row count, in one streaming pass. CSV
 * is parsed through, so broken quoting is found here, before anything is written, and named by its line.
 */
export async function scanFile(file: string, format: ImportFormat, delimiter: string): Promise<FileScan> {
  const hash = createHash('sha256');
  const chunks = text(file, (bytes) => hash.update(bytes));
  let rows = 0;
  let header: string[] | null = null;
  if (format === 'csv') {
    for await (const r of csvRecords(chunks, delimiter)) {
      if (header === null) header = r.cells;
      else rows++;
    }
    if (header === null) throw new ImportInputError(`${file} is empty: a CSV import needs a header line`);
  } else {
    for await (const _ of lines(chunks)) rows++;
  }
  return { sha256: hash.digest('hex'), rows, header };
}

/** The data rows of the file, streamed (constant memory); the CSV header is skipped (see {@link scanFile}). */
export async function* readRecords(
  file: string,
  format: ImportFormat,
  delimiter: string,
): AsyncGenerator<SourceRecord> {
  if (format === 'csv') {
    let header = true;
    for await (const r of csvRecords(text(file), delimiter)) {
      if (header) header = false;
      else yield r;
    }
    return;
  }
  for await (const { line, raw, tooLong } of lines(text(file))) {
    if (tooLong) {
      const error = `is longer than ${MAX_LINE_CHARS >> 20} Mi characters (one contact and its history): not read; split the history over several lines of the same contact`;
      yield { format, line, endLine: line, raw: `${raw}…`, value: undefined, error };
      continue;
    }
    try {
      yield { format, line, endLine: line, raw, value: JSON.parse(raw), error: null };
    } catch (error) {
      yield {
        format,
        line,
        endLine: line,
        raw,
        value: undefined,
        error: `is not valid JSON (${(error as Error).message})`,
      };
    }
  }
}

/**
 * The longest NDJSON line or CSV row read (one contact and its history): a longer one is a rejected row, read no further, so one
 * line cannot take the memory a batch is bounded by (an 89 MB line took 3.4 GB).
 */
export const MAX_LINE_CHARS = 8 << 20;

const CSV_OPTIONS = {
  bom: true,
  raw: true, // rows are placed on their lines from their raw text (csv-line-numbers.ts)
  trim: true,
  relax_column_count: true, // a row with a missing or extra cell is one rejected row, not an unusable file
  skip_empty_lines: true, // a blank line (or one of spaces) holds no row
  // Not skip_records_with_empty_values: a `,,,` row was dropped unreported; csvRow rejects it with its line.
  max_record_size: MAX_LINE_CHARS, // a cell of 60 MB took 700 MB: the file is refused, naming the line
} as const;

async function* csvRecords(
  chunks: AsyncIterable<string>,
  delimiter: string,
): AsyncGenerator<SourceRecord & { format: 'csv' }> {
  const lines = new CsvLineNumbers(delimiter);
  const onRecord = lines.onRecord((cells, line, raw): SourceRecord & { format: 'csv' } => ({
    format: 'csv',
    line,
    endLine: lines.endLine,
    raw: lines.text(raw),
    cells,
  }));
  const source = Readable.from(chunks);
  const parser = parse({ ...CSV_OPTIONS, delimiter, on_record: onRecord });
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  try {
    yield* parser as AsyncIterable<SourceRecord & { format: 'csv' }>;
  } catch (error) {
    if (error instanceof CsvError) throw new ImportInputError(lines.errorMessage(error));
    throw error;
  } finally {
    source.destroy();
  }
}

/**
 * Non-blank lines with their 1-based numbers; a UTF-8 BOM is dropped. A line longer than MAX_LINE_CHARS comes as its
 * first characters with `tooLong` set, the rest skipped.
 */
async function* lines(chunks: AsyncIterable<string>): AsyncGenerator<{ line: number; raw: string; tooLong?: true }> {
  let rest = '';
  let line = 0;
  let first = true;
  let skipping = false; // inside a line already given as too long
  for await (const chunk of chunks) {
    let text = rest + chunk;
    if (first && text.length > 0) {
      text = text.replace(/^\ufeff/, '');
      first = false;
    }
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      line++;
      const raw = text.slice(start, end);
      if (skipping) skipping = false;
      else if (raw.length > MAX_LINE_CHARS) yield { line, raw: raw.slice(0, 200), tooLong: true };
      else if (raw.trim() !== '') yield { line, raw };
      start = end + 1;
    }
    rest = text.slice(start);
    if (rest.length > MAX_LINE_CHARS && !skipping) {
      yield { line: line + 1, raw: rest.slice(0, 200), tooLong: true };
      skipping = true;
    }
    if (skipping) rest = '';
  }
  if (rest.trim() !== '' && !skipping) yield { line: line + 1, raw: rest };
}

/**
 * The file as UTF-8 text with CRLF read as LF, chunk by chunk (src/services/text-input.ts: a file that is not UTF-8
 * is refused with the line of its first invalid byte); `onBytes` sees the bytes as they are on disk.
 */
async function* text(file: string, onBytes?: (bytes: Buffer) => void): AsyncGenerator<string> {
  const decoded = new Utf8Text();
  try {
    for await (const bytes of createReadStream(file) as AsyncIterable<Buffer>) {
      onBytes?.(bytes);
      yield decoded.push(bytes);
    }
    yield decoded.end();
  } catch (error) {
    if (error instanceof NotUtf8Error) throw new ImportInputError(`${file}: ${error.message}`);
    throw error;
  }
}
