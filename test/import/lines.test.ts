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
