// Line numbers of CSV rows read by csv-parse, as an editor shows them (the import and screening readers).
import type { CsvError, Options } from 'csv-parse';
import { csvErrorMessage } from './csv-error.js';

/**
 * Where each CSV row is, as an editor and `grep -n` number lines. csv-parse's `info.lines` counts every CR and every
 * LF as a line end, so a CR alone inside a row of an LF file (which does not split the row) put every later row a
 * line too far. The line end is the one the header ends with: LF (CRLF is read as LF, src/services/text-input.ts),
 * or CR in a classic Mac file; the other character is then a character of its line.
 *
 * Rows are placed as csv-parse makes them (`on_record`, with the `raw` option): the `info.lines` of a row is 1 and
 * the CRs and LFs before its own line end, its raw text holds the blank lines skipped before it. What `info.lines`
 * grew by beyond the line ends a row's raw text holds is the CRs (LFs) csv-parse counted: found without reading the
 * row again. A row of one line costs one `indexOf` (is its line end its last character?); a row over several lines,
 * or after blank lines, is read for its line ends.
 */
export class CsvLineNumbers {
  private eol: '\n' | '\r' | null = null;
  /** The character csv-parse counts as a line end and an editor does not. */
  private other: '\n' | '\r' = '\r';
  private blanks = /^$/;
  /** `info.lines` of the last row placed (0 before the first). */
  private parsed = 0;
  /** The `other` characters csv-parse counted, up to the last row placed. */
  private drift = 0;
  private textStart = 0;
  private textEnd = 0;
  /** The line the last row placed ends on (a quoted cell may span lines); 0 before the first. */
  endLine = 0;

  /** `delimiter`: a line of tabs is a row of empty cells in a tab-separated file, not a blank line. */
  constructor(private readonly delimiter: string) {}

  /** Places the row csv-parse just made from `raw` (its `raw`), at `parsedLines` (its `info.lines`): its first line. */
  place(raw: string, parsedLines: number): number {
    const eol = this.eol ?? this.lineEnd(raw);
    const ended = raw.endsWith(eol);
    const first = raw.indexOf(eol);
    let skipped = 0; // characters of the blank lines before the row
    let blankLines = 0;
    let inside = 0; // line ends inside the row (a quoted cell over several lines)
    if (first !== -1 && first < raw.length - 1) {
      skipped = this.blanks.exec(raw)?.[0].length ?? 0;
      blankLines = count(raw.slice(0, skipped), eol);
      inside = count(raw, eol) - blankLines - (ended ? 1 : 0);
    }
    this.drift += parsedLines - this.parsed - 1 - blankLines - inside;
    this.parsed = parsedLines;
    this.endLine = parsedLines - this.drift;
    this.textStart = skipped;
    this.textEnd = ended ? raw.length - 1 : raw.length;
    return this.endLine - inside;
  }

  /** The last row placed as written, `raw` its raw text: without the blank lines before it and its line end. */
  text(raw: string): string {
    return raw.slice(this.textStart, this.textEnd);
  }

  /**
   * An `on_record` for csv-parse (with `raw: true`; `info` is not needed) placing each row as csv-parse makes it, not
   * as it is read (a parse error drops the rows made but not read yet): it passes on what `make` makes of the row's
   * cells, the line it starts on and its raw text.
   */
  onRecord<T>(make: (cells: string[], line: number, raw: string) => T): Options['on_record'] {
    const place = (r: { record: string[]; raw: string }, context: { lines: number }): T =>
      make(r.record, this.place(r.raw, context.lines), r.raw);
    return place as unknown as Options['on_record'];
  }

  /**
   * csv-parse's error in the words of someone fixing the file (src/services/csv-error.ts), its line counted as an
   * editor does: the error's `raw` is the row it was found in, read up to there.
   */
  errorMessage(error: CsvError): string {
    const e = error as CsvError & { lines?: number; raw?: string };
    if (typeof e.lines === 'number') e.lines -= this.drift + (e.raw === undefined ? 0 : count(e.raw, this.other));
    return csvErrorMessage(error, this.endLine, this.eol ?? '\n');
  }

  private lineEnd(header: string): '\n' | '\r' {
    const eol = header.endsWith('\r') ? '\r' : '\n';
    this.eol = eol;
    this.other = eol === '\n' ? '\r' : '\n';
    // A blank line is one of spaces and tabs (and the other character, which csv-parse trims as it does them).
    const space = [' ', '\t', this.other].filter((c) => c !== this.delimiter).join('');
    this.blanks = new RegExp(`^(?:[${space}]*${eol})+`);
    return eol;
  }
}

function count(text: string, eol: string): number {
  let n = 0;
  for (let i = text.indexOf(eol); i !== -1; i = text.indexOf(eol, i + 1)) n++;
  return n;
}
