// One external id, two types or jurisdictions in one file: the later row is refused, whatever the batch and across a
// resume; a stored contact an import moves to another type or country is updated and said (B2C/B2B and the country
// decide the law that applies).
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/services/import/run-import.js';
import type { ImportRun, Store } from '../../src/store/store.js';
import {
  cli,
  IMPORT_DIALECTS,
  ndjson,
  options,
  rejectsOf,
  replacingInTransactions,
  tempDir,
  write,
} from './helpers.js';

const dir = tempDir();
const sqlite = IMPORT_DIALECTS.find((d) => d.name === 'sqlite') as (typeof IMPORT_DIALECTS)[number];
let store: Store;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ store, cleanup } = await sqlite.open());
});
afterAll(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

const HEADER = 'external_id,email,phone,jurisdiction,type';

describe('type and jurisdiction of one external id in one file', () => {
  for (const batchSize of [1000, 1]) {
    it(`refuses the later row that contradicts an earlier one, naming both lines (batch of ${batchSize})`, async () => {
      const file = write(dir, `dup-${batchSize}.csv`, [
        HEADER,
        `dup-${batchSize},a${batchSize}@example.fr,061122${batchSize % 10}344,FR,individual`,
        `dup-${batchSize},,,,`, // states neither: adds nothing contradictory
        `dup-${batchSize},b${batchSize}@example.de,030 1234567,DE,professional`,
        `dup-${batchSize},,,FR,`, // the same again: fine
      ]);
      const outcome = await importFile(store, options(file, { batchSize, jurisdiction: 'FR' }));
      expect(outcome).toMatchObject({ created: 1, regimeChanges: [], run: { accepted: 3, rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
        [
          '4',
          `external id dup-${batchSize} is FR individual on line 2; this line says DE professional: a change of type (B2C/B2B) or country changes the law that applies, and one file cannot say both; fix the file, or change the contact with assent contacts set`,
        ],
      ]);
      const contact = await store.findContact({ kind: 'external', value: `dup-${batchSize}` });
      expect(contact).toMatchObject({ type: 'individual', jurisdiction: 'FR' });
      expect(contact?.identifiers.map((i) => i.value)).not.toContain('+49301234567');
    });
  }

  it('NDJSON too, a field at a time: jurisdiction from one line, type from another', async () => {
    const file = join(dir, 'nd.ndjson');
    write(
      dir,
      'nd.ndjson',
      ndjson([
        { externalId: 'nd-1', email: 'nd1@example.fr', jurisdiction: 'FR' },
        { externalId: 'nd-1', type: 'individual' },
        { externalId: 'nd-1', jurisdiction: 'DE' },
        { externalId: 'nd-1', type: 'professional', jurisdiction: 'FR' },
      ]),
    );
    const outcome = await importFile(store, options(file, { jurisdiction: 'FR' }));
    expect(outcome).toMatchObject({ run: { accepted: 2, rejected: 2 } });
    expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      ['3', 'external id nd-1 is FR on line 1, individual on line 2; this line says DE'],
      ['4', 'external id nd-1 is FR on line 1, individual on line 2; this line says FR professional'],
    ]);
    expect(await store.findContact({ kind: 'external', value: 'nd-1' })).toMatchObject({ jurisdiction: 'FR' });
  });

  it('a resumed run refuses the same row: the earlier line was committed before the stop', async () => {
    const file = write(dir, 'resume.csv', [
      HEADER,
      'rs-1,rs1@example.fr,,FR,individual',
      'rs-2,rs2@example.fr,,FR,individual',
      'rs-1,,,DE,professional',
      'rs-3,rs3@example.fr,,FR,individual',
    ]);
    const failing = replacingInTransactions(store, (tx) => ({
      recordImport: async (id: number, run: ImportRun) => {
        if (run.linesDone > 3 && run.status === 'running') throw new Error('disk full');
        return tx.recordImport(id, run);
      },
    }));
    await expect(importFile(failing, options(file, { batchSize: 2 }))).rejects.toThrow('disk full');
    expect(await store.latestImport(createHash('sha256').update(readFileSync(file)).digest('hex'))).toMatchObject({
      status: 'running',
      linesDone: 3,
    });
    const resumed = await importFile(store, options(file, { batchSize: 2 }));
    expect(resumed).toMatchObject({ resumedAfter: 3, created: 1, run: { status: 'done', accepted: 3, rejected: 1 } });
    expect(rejectsOf(`${file}.rejects.csv`).map((r) => r.line)).toEqual(['4']);
    expect(await store.findContact({ kind: 'external', value: 'rs-1' })).toMatchObject({
      type: 'individual',
      jurisdiction: 'FR',
    });
  });

  it('a stored contact moved to another type or country is updated, and each change listed (service and CLI)', async () => {
    await store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'ex-1' });
    const file = write(dir, 'moves.csv', [HEADER, 'ex-1,,,DE,professional', 'ex-new,n@example.fr,,FR,individual']);
    const outcome = await importFile(store, options(file));
    const id = (await store.findContact({ kind: 'external', value: 'ex-1' }))?.id;
    expect(outcome).toMatchObject({
      created: 1,
      updated: 1,
      regimeChanges: [
        { contactId: id, line: 2, field: 'type', from: 'individual', to: 'professional' },
        { contactId: id, line: 2, field: 'jurisdiction', from: 'FR', to: 'DE' },
      ],
    });
    const db = join(dir, 'cli.db');
    expect(cli(db, ['contacts', 'add', '-t', 'individual', '-j', 'FR', '--external-id', 'ex-1']).status).toBe(0);
    const run = cli(db, ['import', file]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(/1 updated, 0 events recorded, 2 type or jurisdiction changes\)/);
    expect(run.stderr).toMatch(
      /2 changes of type or jurisdiction of stored contacts \(the law that applies to them changes\):\n {2}line 2: contact \S+ type individual → professional\n {2}line 2: contact \S+ jurisdiction FR → DE\n/,
    );
  });
});
