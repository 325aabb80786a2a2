import type { CsvError } from 'csv-parse';

/**
 * csv-parse's error in the words of someone fixing the file: cells counted from 1 (csv-parse counts from 0), and an
 * unclosed quote placed on the line and in the cell where it opens (csv-parse names the end of the file, where it
 * noticed).
 */
export function csvErrorMessage(error: CsvError, lastRowEndLine: number, eol: '\n' | '\r' = '\n'): string {
  const e = error as CsvError & {
    lines?: number;
    index?: number;
    records?: number;
    empty_lines?: number;
    comment_lines?: number;
  };
  if (error.code === 'INVALID_OPENING_QUOTE' && typeof e.index === 'number') {
    return `malformed CSV: line ${e.lines}, cell ${e.index + 1}: a quote inside a cell that does not start with one; quote the whole cell and double the quotes in it ("")`;
  }
  if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
    // The reader may not have taken the parser's last rows when it fails (the stream ends on the error): the
    // parser's own count of whole rows and skipped lines says where they end, for rows of one line each. The
    // error's raw text is the unclosed row from its start (blank lines before it included): the quote is on the
    // line of the row's start plus the line ends before it.
    const raw = (e as { raw?: string }).raw;
    const cell = typeof e.index === 'number' ? `, cell ${e.index + 1}` : '';
    if (raw !== undefined) {
      // Blank lines before the row are counted by the parser and in its raw text: once.
      const blanks = count(/^(?:[ \t]*(?:\r\n|\n|\r))*/.exec(raw)?.[0] ?? '', eol);
      const parsed = (e.records ?? 0) + (e.empty_lines ?? 0) + (e.comment_lines ?? 0) - blanks;
      const start = Math.max(lastRowEndLine, parsed);
      const line = start + 1 + count(raw.slice(0, openingQuote(raw)), eol);
      return start < 1
        ? `malformed CSV: the quote opening header cell${cell.slice(6)} is never closed (the file ends inside a quoted cell)`
        : `malformed CSV: line ${line}${cell}: the quote opening the cell is never closed (the file ends inside it); close it, or double a quote meant inside it ("")`;
    }
    const parsed = (e.records ?? 0) + (e.empty_lines ?? 0) + (e.comment_lines ?? 0);
    lastRowEndLine = Math.max(lastRowEndLine, parsed);
    return lastRowEndLine < 1
      ? 'malformed CSV: a quote in the header line is never closed (the file ends inside a quoted cell)'
      : `malformed CSV: a quote opened after line ${lastRowEndLine}${cell} is never closed (the file ends inside a quoted cell)`;
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    const max = Number(/of (\d+)/.exec(error.message)?.[1] ?? 0);
    return `the CSV row from line ${lastRowEndLine + 1} is longer than ${max >> 20} Mi characters (a cell this size is no contact's): fix or split the file`;
  }
  return `malformed CSV: ${error.message}`;
}

/** Where the quote left open in `raw` is: quotes open and close in turn, a doubled one inside is a quote. */
function openingQuote(raw: string): number {
  let open = -1;
  for (let i = raw.indexOf('"'); i !== -1; i = raw.indexOf('"', i + 1)) {
    if (open === -1) open = i;
    else if (raw[i + 1] === '"') i++;
    else open = -1;
  }
  return open === -1 ? raw.length : open;
}

function count(text: string, eol: string): number {
  let n = 0;
  for (let i = text.indexOf(eol); i !== -1; i = text.indexOf(eol, i + 1)) n++;
  return n;
}
