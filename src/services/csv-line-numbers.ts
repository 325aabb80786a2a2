// Line numbers of CSV rows read by csv-parse, as an editor shows them (the import and screening readers).

/**
 * Where each CSV row is, counted from the rows' own text (each row's raw text holds the blank lines skipped before
 * it), as an editor and `grep -n` number lines: csv-parse's `info.lines` also counts a CR alone inside a row of an
 * LF file, so every later row was reported a line too far. The line end is the one the header ends with: LF (CRLF
 * is read as LF), or CR in a classic Mac file.
 */
export class CsvLineNumbers {
  private eol: '\n' | '\r' | null = null;
  private blanks = /^$/;
  /** Line ends before the next row. */
  private ends = 0;

  /** `delimiter`: a line of tabs is a row of empty cells in a tab-separated file, not a blank line. */
  constructor(private readonly delimiter: string) {}

  place(raw: string): { text: string; line: number; endLine: number } {
    if (this.eol === null) {
      this.eol = raw.endsWith('\r') ? '\r' : '\n';
      const space = [' ', '\t'].filter((c) => c !== this.delimiter).join('');
      this.blanks = new RegExp(`^(?:[${space}]*${this.eol === '\n' ? '\\n' : '\\r'})+`);
    }
    const eol = this.eol;
    const skipped = this.blanks.exec(raw)?.[0] ?? '';
    const text = raw.slice(skipped.length, raw.endsWith(eol) ? -1 : undefined);
    const line = this.ends + skipped.length - skipped.replaceAll(eol, '').length + 1;
    this.ends += count(raw, eol);
    return { text, line, endLine: line + count(text, eol) };
  }
}

function count(text: string, eol: string): number {
  let n = 0;
  for (let i = text.indexOf(eol); i !== -1; i = text.indexOf(eol, i + 1)) n++;
  return n;
}
