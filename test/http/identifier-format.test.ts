// An external id or postal address with an invisible format character (a right-to-left override) is refused on
// every way in, as a control character is, naming the code point.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeExternal, normalizePostal } from '../../src/domain/contact.js';
import { importFile } from '../../src/services/import/run-import.js';
import { ndjson, options, rejectsOf, tempDir, write } from '../import/helpers.js';
import { expectProblem, openTestApp, type TestApp } from './helpers.js';

const dir = tempDir();
let t: TestApp;
beforeAll(async () => {
  t = await openTestApp({});
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('format characters in identifiers', () => {
  it('are refused by the API, an import and the domain, naming the code point and position', async () => {
    const said = 'the external id holds an invisible format character, U+202E RIGHT-TO-LEFT OVERRIDE, at position 6';
    expect(() => normalizeExternal('crm-7\u202e21')).toThrow(said);
    expect(() => normalizePostal('1 rue\u200b de la Paix')).toThrow(
      'the postal address holds an invisible format character, U+200B ZERO WIDTH SPACE, at position 6',
    );
    const res = await t.call({
      method: 'POST',
      url: '/v1/contacts',
      payload: { jurisdiction: 'FR', externalId: 'crm-7\u202e21' },
    });
    expect(expectProblem(res, 400, '/externalId').detail).toContain(said);
    const file = write(dir, 'rlo.ndjson', ndjson([{ externalId: 'crm-7\u202e21', jurisdiction: 'FR' }]));
    await importFile(t.store, options(file));
    expect(rejectsOf(`${file}.rejects.csv`)[0]?.reason).toContain(said);
    expect(await t.store.listContacts({ after: null, limit: 10 })).toEqual([]);
  });
});
