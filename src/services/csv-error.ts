import type { CsvError } from 'csv-parse';

/**
 * csv-parse's error in the words of someone fixing the file: cells counted from 1 (csv-parse counts from 0), and an
 * unclosed quote placed after the last row read whole (csv-parse names the end of the file, where it noticed).
 */
export function csvErrorMessage(error: CsvError, lastRowEndLine: number): string {
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
    // parser's own count of whole rows and skipped lines says where they end, for rows of one line each.
    const parsed = (e.records ?? 0) + (e.empty_lines ?? 0) + (e.comment_lines ?? 0);
    lastRowEndLine = Math.max(lastRowEndLine, parsed);
    return lastRowEndLine < 1
      ? 'malformed CSV: a quote in the header line is never closed (the file ends inside a quoted cell)'
      : `malformed CSV: a quote opened after line ${lastRowEndLine} is never closed (the file ends inside a quoted cell)`;
  }
  if (error.code === 'CSV_MAX_RECORD_SIZE') {
    const max = Number(/of (\d+)/.exec(error.message)?.[1] ?? 0);
    return `the CSV row from line ${lastRowEndLine + 1} is longer than ${max >> 20} Mi characters (a cell this size is no contact's): fix or split the file`;
  }
  return `malformed CSV: ${error.message}`;
}
