// One cell of the CSV files Assent writes (screening outputs, rejects files): RFC 4180 quoting, and no formula.

/**
 * A cell a spreadsheet would run as a formula when the file is opened (`=HYPERLINK(…)`, `@SUM(…)`, `+cmd|…`, a
 * leading tab or carriage return: OWASP "CSV injection"), as text: a leading apostrophe. An audience's name column
 * may hold what a visitor typed into a web form. A number stays as it is (`+33612345678`, `-12.5`, `+1 (212) 555`).
 */
const FORMULA = /^(?:[=@\t\r]|[+-](?![\d\s().-]*$))/;

export function csvCell(value: string): string {
  const cell = FORMULA.test(value) ? `'${value}` : value;
  // Quoted also when it holds ";" or a tab: a spreadsheet set to split on them (a French Excel splits .csv on ";")
  // would otherwise start a new cell there, which could begin with "=".
  return /[",;\t\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
