// A contact's region is checked against its jurisdiction on every way in: API, CLI (the store), imports.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/services/import/run-import.js';
import { rectifyContact } from '../../src/services/rectification.js';
import { expectProblem, openTestApp, snapshot, type TestApp } from '../http/helpers.js';
import { options, rejectsOf, tempDir, write } from '../import/helpers.js';

const dir = tempDir();
let t: TestApp;
let ana: string;
beforeAll(async () => {
  t = await openTestApp({});
  ana = (
    await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr', region: 'FR-75' })
  ).id;
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('regions', () => {
  it('the API refuses a region its jurisdiction does not have, on create and on change, naming /region', async () => {
    const before = await snapshot(t.store);
    const created = await t.call({
      method: 'POST',
      url: '/v1/contacts',
      payload: { type: 'individual', jurisdiction: 'FR', email: 'bo@example.fr', region: 'FR-999' },
    });
    expectProblem(created, 400, '/region');
    expect(created.json().detail).toMatch(
      /^region "FR-999" is not a subdivision of FR \(ISO 3166-2\): give a department/,
    );
    for (const [payload, detail] of [
      [{ region: 'US-CA' }, `region "US-CA" is a subdivision of US, not of the contact's jurisdiction FR`],
      // Its stored region would be left on a contact of another country.
      [{ jurisdiction: 'ES' }, `region "FR-75" is a subdivision of FR, not of the contact's jurisdiction ES`],
    ] as const) {
      const res = await t.call({ method: 'PATCH', url: `/v1/contacts/${ana}`, payload });
      expectProblem(res, 400, '/region');
      expect(res.json().detail).toContain(detail);
    }
    await expect(rectifyContact(t.store, ana, { region: 'FR-999' }, { recordedBy: 'dpo' })).rejects.toThrow(
      'region "FR-999" is not a subdivision of FR',
    );
    expect(await snapshot(t.store)).toBe(before);
    const moved = await t.call({
      method: 'PATCH',
      url: `/v1/contacts/${ana}`,
      payload: { jurisdiction: 'ES', region: 'ES-CN' },
    });
    expect(moved.json()).toMatchObject({ jurisdiction: 'ES', region: 'ES-CN' });
  });

  it('an import rejects the row, against the jurisdiction the contact will have, and takes the others', async () => {
    await t.store.createContact({ type: 'individual', jurisdiction: 'US', externalId: 'us-1', region: 'US-NY' });
    const file = write(dir, 'regions.csv', [
      'external_id,email,jurisdiction,region',
      'fr-1,fr1@example.fr,FR,FR-999',
      'fr-2,fr2@example.fr,,FR-974', // --jurisdiction FR
      'us-1,,,US-CA', // a stored US contact: its own jurisdiction, not --jurisdiction
      'us-1,,,FR-75',
      'us-1,,FR,', // would leave US-CA on a French contact
      'fr-3,fr3@example.fr,,',
      'fr-3,,,FR-20', // the contact line 7 creates in this batch: French
      'fr-3,,,FR-2A',
    ]);
    const outcome = await importFile(t.store, options(file, { jurisdiction: 'FR' }));
    expect(outcome).toMatchObject({ created: 2, updated: 1 });
    expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
      [
        '2',
        'region "FR-999" is not a subdivision of FR (ISO 3166-2): give a department FR-01…FR-95, FR-2A, FR-2B, an overseas one FR-971…FR-976, FR-BL, FR-MF, FR-PM…, or a region FR-IDF…',
      ],
      ['5', `region "FR-75" is a subdivision of FR, not of the contact's jurisdiction US`],
      ['6', `region "US-CA" is a subdivision of US, not of the contact's jurisdiction FR`],
      [
        '8',
        'region "FR-20" is not a subdivision of FR (ISO 3166-2): give a department FR-01…FR-95, FR-2A, FR-2B, an overseas one FR-971…FR-976, FR-BL, FR-MF, FR-PM…, or a region FR-IDF…',
      ],
    ]);
    expect(await t.store.findContact({ kind: 'external', value: 'us-1' })).toMatchObject({
      jurisdiction: 'US',
      region: 'US-CA',
    });
    expect(await t.store.findContact({ kind: 'external', value: 'fr-3' })).toMatchObject({ region: 'FR-2A' });
  });
});
