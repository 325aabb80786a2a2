// Where a rejected row is, as an editor numbers the file's lines: every row the import does not take is reported.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/services/import/run-import.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';
import { options, rejectsOf, tempDir, write } from './helpers.js';

const dir = tempDir();
let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await (DIALECTS[0] as (typeof DIALECTS)[number]).open());
});
afterAll(async () => {
  await cleanup?.();
  rmSync(dir, { recursive: true, force: true });
});

const rejected = async (name: string, lines: readonly string[]) => {
  const file = write(dir, name, lines);
  await importFile(store, options(file, { jurisdiction: 'FR' }));
  return rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason, r.raw]);
};

describe('rows of empty cells', () => {
  it('rejects a row of separators with its line; a blank line is skipped', async () => {
    expect(
      await rejected('empty.csv', ['external_id,email', 'e-1,e1@example.fr', ',', '', '  ', ' , ', 'e-2,bad', ',,']),
    ).toEqual([
      ['3', 'has only empty cells: delete the row, or fill it', ','],
      ['6', 'has only empty cells: delete the row, or fill it', ' , '],
      ['7', 'email: "bad" is not an email address', 'e-2,bad'],
      ['8', 'has only empty cells: delete the row, or fill it', ',,'],
    ]);
  });
});

describe('line numbers', () => {
  // What `grep -n`, `sed -n` and editors in LF mode count: a CR alone is a character of its line, not a line end.
  const bad = (line: string, email: string) => [line, `email: "${email}" is not an email address`];
  it.each([
    {
      name: 'a lone CR inside a cell',
      lines: ['external_id,email', 'e-1,a\rb', 'e-2,bad2', '', 'e-3,bad3'],
      want: [['2'], bad('3', 'bad2'), bad('5', 'bad3')],
    },
    {
      name: 'lone CRs inside a quoted cell over two lines',
      lines: ['external_id,email', 'e-1,"x\r\ry', 'z"', 'e-2,bad2', 'e-3,bad3'],
      want: [['2'], bad('4', 'bad2'), bad('5', 'bad3')],
    },
    {
      name: 'a blank line holding a CR',
      lines: ['external_id,email', '\r ', 'e-2,bad2', 'e-3,bad3'],
      want: [bad('3', 'bad2'), bad('4', 'bad3')],
    },
    {
      name: 'a classic Mac file, every line ended by a CR',
      lines: ['external_id,email\re-1,bad1\r\re-2,bad2'],
      want: [bad('2', 'bad1'), bad('4', 'bad2')],
    },
  ])('counts lines as an editor does: $name', async ({ lines, want }) => {
    const got = await rejected('cr.csv', lines);
    expect(got.map(([line, reason], i) => (want[i]?.length === 1 ? [line] : [line, reason]))).toEqual(want);
  });
});

it('counts a line of tabs in a tab-separated file as a row of empty cells, not a blank line', async () => {
  const file = write(dir, 'tabs.tsv.csv', ['external_id\temail', '\t', '  ', 'e-2\tbad2']);
  await importFile(store, options(file, { jurisdiction: 'FR', delimiter: '\t' }));
  expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.raw])).toEqual([
    ['2', "'\t"], // a leading tab is written behind an apostrophe (docs/screening.md)
    ['4', 'e-2\tbad2'],
  ]);
});

it('names the line of malformed quoting after a lone CR, and in the row of one, as an editor does', async () => {
  const file = write(dir, 'quote.csv', ['external_id,email', 'e-1,a\rb@example.fr', 'e-2,x"y@example.fr']);
  await expect(importFile(store, options(file, { jurisdiction: 'FR' }))).rejects.toThrow(
    'malformed CSV: line 3, cell 2: a quote inside a cell',
  );
  const same = write(dir, 'quote-same.csv', ['external_id,email,note', 'e-1,a\rb@example.fr,c\rd"e']);
  await expect(importFile(store, options(same, { jurisdiction: 'FR' }))).rejects.toThrow(
    'malformed CSV: line 2, cell 3: a quote inside a cell',
  );
});
