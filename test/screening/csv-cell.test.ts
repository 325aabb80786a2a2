// Cells of the CSV files Assent writes: quoted as RFC 4180 says, and never a formula a spreadsheet would run.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../src/services/csv-cell.js';

describe('csvCell', () => {
  it.each([
    ['Ana', 'Ana'],
    ['Acme, Inc.', '"Acme, Inc."'],
    ['a;=cmd|x', '"a;=cmd|x"'], // a French Excel splits on ";"
    ['a\t=cmd', '"a\t=cmd"'],
    ['say "hi"', '"say ""hi"""'],
    ["=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"],
    ['@SUM(1+1)', "'@SUM(1+1)"],
    ['+SUM(1,2)', `"'+SUM(1,2)"`],
    ['-2+3', "'-2+3"],
    ['\t=1', `"'\t=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    // Numbers and phone numbers are data: left alone.
    ['+33612345678', '+33612345678'],
    ['+1 (212) 555-0123', '+1 (212) 555-0123'],
    ['-12.5', '-12.5'],
    ['06 12 34 56 78', '06 12 34 56 78'],
  ])('%j is written %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('reads back as the value, or the value behind an apostrophe', () => {
    const values = ['=1+1', 'a,b', 'x\ny', '+33612345678'];
    const [row] = parse(`${values.map(csvCell).join(',')}\n`) as string[][];
    expect(row).toEqual(["'=1+1", 'a,b', 'x\ny', '+33612345678']);
  });
});
