// Where a screened row is, as an editor numbers the audience file's lines (a CR alone is a character of its line);
// excluded.csv's and the streamed route's `line` are in screen.test.ts and http.test.ts.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readAudience } from '../../src/services/screening/csv-files.js';

/** The lines `text`'s rows start on, read in chunks of `chunk` bytes (or at once). */
async function linesOf(text: string, chunk = 0, delimiter = ','): Promise<number[]> {
  const bytes = Buffer.from(text);
  const chunks = [];
  for (let i = 0; i < bytes.length; i += chunk || bytes.length)
    chunks.push(bytes.subarray(i, i + (chunk || bytes.length)));
  const audience = await readAudience(Readable.from(chunks), 'audience', delimiter);
  const lines: number[] = [];
  for await (const { row } of audience.rows) lines.push(row.line);
  return lines;
}

describe('line numbers', () => {
  it.each([
    { name: 'a CR alone in a cell', text: 'email,note\na@x.fr,a\rb\nb@x.fr,c\n\nc@x.fr,d\n', want: [2, 3, 5] },
    { name: 'a CR alone in a quoted cell', text: 'email,note\na@x.fr,"a\rb"\nb@x.fr,c\n', want: [2, 3] },
    {
      name: 'CRs in a quoted cell over two lines',
      text: 'email,note\na@x.fr,"x\r\ry\nz"\nb@x.fr,c\nc@x.fr,d\n',
      want: [2, 4, 5],
    },
    { name: 'a blank line holding a CR', text: 'email,note\n\r \nb@x.fr,c\n\t\r\t\nc@x.fr,d\n', want: [3, 5] },
    { name: 'a CR in the last row, without a line end', text: 'email,note\na@x.fr,a\rb\nb@x.fr,c\rd', want: [2, 3] },
    { name: 'a CR in the header', text: 'email,"no\rte"\na@x.fr,a\nb@x.fr,b\n', want: [2, 3] },
    { name: 'a classic Mac file', text: 'email,note\ra@x.fr,a\r\rb@x.fr,b\r', want: [2, 4] },
    {
      name: 'a classic Mac file, a quoted cell over two lines',
      text: 'email,note\ra@x.fr,"x\ry"\rb@x.fr,b\r',
      want: [2, 4],
    },
    { name: 'CRLF line ends and a CR alone', text: 'email,note\r\na@x.fr,a\rb\r\n\r\nb@x.fr,c\r\n', want: [2, 4] },
  ])('counts lines as an editor does: $name', async ({ text, want }) => {
    expect(await linesOf(text)).toEqual(want);
    expect(await linesOf(text, 3)).toEqual(want);
  });

  it('counts a line of tabs in a tab-separated file as a row, after a CR alone', async () => {
    expect(await linesOf('email\tnote\na@x.fr\ta\rb\n\t\n\nb@x.fr\tc\n', 0, '\t')).toEqual([2, 3, 5]);
  });

  // Rows of every kind, each starting on the line after the LFs (CRs in a Mac file) written before it.
  it.each([
    ['\n', '\r'],
    ['\r', '\n'],
  ])('places rows of lone CRs, quoted line ends and blank lines where they start (line end %j)', async (eol, other) => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((seed / 2_147_483_648) * n);
    };
    const notes = ['plain', `a${other}b`, `"x${eol}y"`, `"x${other}${other}y${eol}z"`, `" q""${other}"`, ''];
    const blanks = ['', '  ', ` ${other}`];
    let text = `email,note${eol}`;
    const want: number[] = [];
    for (let i = 0; i < 300; i++) {
      for (let b = random(3) === 0 ? 1 + random(2) : 0; b > 0; b--) text += `${blanks[random(3)]}${eol}`;
      want.push(text.split(eol).length);
      text += `r${i}@x.fr,${notes[random(notes.length)]}${i === 299 && random(2) === 0 ? '' : eol}`;
    }
    expect(await linesOf(text)).toEqual(want);
    expect(await linesOf(text, 1 + random(40))).toEqual(want);
  });

  it('names the line of broken quoting after a CR alone, and in the row of one', async () => {
    await expect(linesOf('email,note\na@x.fr,a\rb\nb@x.fr,x"y\n')).rejects.toThrow(
      'audience: malformed CSV: line 3, cell 2: a quote inside a cell',
    );
    await expect(linesOf('email,note\na@x.fr,a\rb\nb@x.fr,c\rd,x"y\n')).rejects.toThrow(
      'audience: malformed CSV: line 3, cell 3: a quote inside a cell',
    );
  });
});
