// Erased people's ledgers move with an export (GDPR art. 7(1), 17(3)(e): the proof of each consent and opt-out is
// kept after the erasure): `assent export` writes each erased contact (no identifiers, its erasedAt, its ledger) and
// `assent import` re-creates it erased, on every store dialect.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from '../../src/domain/ledger.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { accessReport } from '../../src/services/access.js';
import { eraseContact } from '../../src/services/erasure.js';
import { exportContacts } from '../../src/services/import/export.js';
import { importFile } from '../../src/services/import/run-import.js';
import { decideStored } from '../../src/services/stored-decisions.js';
import type { Store } from '../../src/store/store.js';
import { IMPORT_DIALECTS, ndjson, options, rejectsOf, tempDir, write } from './helpers.js';

type Line = Record<string, unknown> & { events: Record<string, unknown>[] };

async function exported(store: Store): Promise<string> {
  let text = '';
  await exportContacts(
    store,
    async (t) => {
      text += t;
    },
    2, // pages of two: the erased contact is not on the first
  );
  return text;
}

const lines = (text: string): Line[] =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);

for (const dialect of IMPORT_DIALECTS) {
  describe(`erased contacts in an export, on ${dialect.name}`, async () => {
    const unavailable = await dialect.available();
    if (unavailable !== null) {
      if (process.env.CI) it('has its database', () => expect.fail(`${unavailable}: CI runs imports on it too`));
      else it.skip(`${dialect.name}: ${unavailable}`, () => {});
      return;
    }
    const stores: { store: Store; cleanup: () => Promise<void> }[] = [];
    let source: Store;
    let copy: Store;
    let erasedId: string;
    let file: string;
    const dir = tempDir();
    const packs = buildRegistry();
    beforeAll(async () => {
      stores.push(await dialect.open(), await dialect.open());
      [source, copy] = stores.map((s) => s.store) as [Store, Store];
      const people = write(
        dir,
        'people.ndjson',
        ndjson([
          { email: 'bob@example.fr', jurisdiction: 'FR', events: [{ type: 'purchase', at: '2025-01-05' }] },
          {
            email: 'ana@example.fr',
            jurisdiction: 'FR',
            events: [
              { type: 'consent.given', at: '2025-01-10T10:00:00Z', channel: 'email', method: 'double_opt_in' },
              { type: 'objection', at: '2025-02-01T10:00:00Z', channel: 'email' },
            ],
          },
          { externalId: 'crm-7', jurisdiction: 'FR', events: [{ type: 'purchase', at: '2025-01-20' }] },
          { email: 'cy@example.fr', jurisdiction: 'FR' },
        ]),
      );
      expect(await importFile(source, options(people))).toMatchObject({ created: 4, run: { rejected: 0 } });
      const ana = await source.findContact({ kind: 'email', value: 'ana@example.fr' });
      const crm = await source.findContact({ kind: 'external', value: 'crm-7' });
      erasedId = ana?.id as string;
      // A record merged into her first: its events are hers, and erased with her.
      await source.mergeContacts(erasedId, crm?.id as string, 'dpo');
      await eraseContact(source, erasedId, {
        at: new Date('2025-03-01T12:00:00Z'),
        recordedBy: 'dpo',
        reason: 'art. 17',
      });
      file = join(dir, 'export.ndjson');
      writeFileSync(file, await exported(source));
    });
    afterAll(async () => {
      for (const s of stores) await s.cleanup();
    });

    it('writes the erased contact: its erasedAt, its ledger, none of its identifiers', async () => {
      const text = await exported(source);
      const contacts = lines(text).filter((l) => l.events !== undefined);
      expect(contacts).toHaveLength(3);
      const gone = contacts.find((l) => l.erasedAt !== undefined) as Line;
      expect(gone).toMatchObject({
        id: erasedId,
        erasedAt: '2025-03-01T12:00:00.000Z',
        identifiers: [],
        merged: [expect.any(String)],
      });
      expect(gone.events.map((e) => e.type)).toEqual([
        'consent.given',
        'objection',
        'purchase',
        'contact.merged',
        'contact.erased',
      ]);
      expect(text).not.toMatch(/ana@example|crm-7/);
    });

    it('imports it erased with its ledger re-chained: verify passes, its history and access report keep the proof', async () => {
      const outcome = await importFile(copy, options(file, { batchSize: 2 }));
      expect(outcome).toMatchObject({ status: 'imported', created: 3, events: 5, rejectsFile: null });
      expect(outcome.run).toMatchObject({ accepted: 3, rejected: 0 });
      expect(await copy.verifyLedger()).toMatchObject({ events: 5, broken: null });

      const all = await copy.listContacts({ after: null, limit: 100 });
      const gone = all.filter((c) => c.erasedAt !== undefined);
      expect(gone).toHaveLength(1);
      const id = gone[0]?.id as string;
      expect(gone[0]).toMatchObject({ erasedAt: '2025-03-01T12:00:00.000Z', identifiers: [], merged: [] });
      // Lists of contacts and lookups by id leave it out, as they leave out a contact erased here.
      expect((await copy.listContacts({ after: null, limit: 100, live: true })).map((c) => c.id)).not.toContain(id);
      expect((await copy.contactsByIds([id])).size).toBe(0);

      const before = lines(await exported(source)).find((l) => l.erasedAt !== undefined) as Line;
      const history = await copy.historyOf(id);
      expect(history.map((e) => [e.type, e.at, e.data])).toEqual(
        before.events.filter((e) => e.type !== 'contact.merged').map((e) => [e.type, e.at, e.data]),
      );
      // Each event says when, by whom and under which hash the source recorded it.
      history.forEach((e, n) => {
        const was = before.events.filter((o) => o.type !== 'contact.merged')[n] as Line['events'][number];
        expect(e.evidence?.movedFrom).toEqual([
          expect.objectContaining({ recordedAt: was.recordedAt, recordedBy: was.recordedBy, hash: was.hash }),
        ]);
      });
      const report = await accessReport(copy, packs, id, new Date());
      expect(report).toMatchObject({ contact: { id, erasedAt: '2025-03-01T12:00:00.000Z' } });

      // Decisions treat it as they treat a contact erased in the database: not as a live one.
      const decide = (store: Store, contact: string) =>
        decideStored(
          {
            id: 'q',
            at: '2026-03-02T10:00:00Z',
            contact: { id: contact },
            message: { channel: 'email', purpose: 'offers' },
          },
          store,
          packs,
          () => new Date(),
        );
      const here = JSON.stringify(await decide(copy, id)).replaceAll(id, '<id>');
      expect(here).toBe(JSON.stringify(await decide(source, erasedId)).replaceAll(erasedId, '<id>'));
      expect(here).not.toContain('"decision"');
    });

    it('adds nothing when the export is imported again, here or back into its own database', async () => {
      const count = async (store: Store) => ({
        contacts: (await store.listContacts({ after: null, limit: 100 })).length,
        events: (await store.verifyLedger()).events,
      });
      for (const store of [copy, source]) {
        const before = await count(store);
        const again = await importFile(store, options(file, { again: true, batchSize: 2 }));
        expect(again).toMatchObject({ created: 0, updated: 0, events: 0, rejectsFile: null });
        expect(again.run).toMatchObject({ accepted: 3, rejected: 0 });
        expect(await count(store)).toEqual(before);
        expect((await store.verifyLedger()).broken).toBeNull();
      }
    });

    it('rejects an erased line whose contact is live in this database: it is erased there, not copied', async () => {
      const bob = lines(await exported(source)).find((l) => JSON.stringify(l.identifiers).includes('bob@')) as Line;
      const record = {
        seq: 99,
        id: 'e-1',
        contactId: bob.id,
        type: 'contact.erased',
        at: '2025-03-01T12:00:00.000Z',
        data: { identifiers: 1, suppressed: 1 },
        evidence: null,
        evidenceHash: null,
        recordedAt: '2025-03-01T12:00:00.000Z',
        recordedBy: 'dpo',
        idempotencyKey: null,
        prevHash: '0'.repeat(64),
      };
      const line = {
        ...bob,
        identifiers: [],
        erasedAt: record.at,
        events: [...bob.events, { ...record, hash: eventHash(record as never) }],
      };
      const file = write(dir, 'bob.ndjson', ndjson([line]));
      const outcome = await importFile(source, options(file));
      expect(outcome).toMatchObject({ created: 0, events: 0, run: { accepted: 0, rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
        [
          '1',
          `contact ${bob.id} is live in this database, erased on 2025-03-01 in the export: erase it here (assent contacts erase ${bob.id}) rather than import an erased copy`,
        ],
      ]);
    });

    it('rejects an erased line that is malformed or was edited, with its line number and reason', async () => {
      const gone = lines(await exported(source)).find((l) => l.erasedAt !== undefined) as Line;
      const erasure = gone.events.find((e) => e.type === 'contact.erased') as Line['events'][number];
      const edited = write(
        dir,
        'edited.ndjson',
        ndjson([
          { ...gone, identifiers: [{ kind: 'email', value: 'ana@example.fr' }] },
          { ...gone, erasedAt: undefined, email: 'ana@example.fr' },
          { ...gone, events: gone.events.filter((e) => e.type !== 'contact.erased') },
          { ...gone, erasedAt: '2025-03-02T12:00:00Z' },
          { ...gone, erasedAt: 'yesterday' },
          { ...gone, id: undefined },
          { ...gone, events: [...gone.events, { type: 'consent.given', at: '2025-04-01', channel: 'email' }] },
          { ...gone, events: [...gone.events, { ...erasure, evidence: { forged: true } }] },
        ]),
      );
      const fresh = await dialect.open();
      try {
        const outcome = await importFile(fresh.store, options(edited));
        expect(outcome).toMatchObject({ created: 0, events: 0, run: { accepted: 0, rejected: 8 } });
        expect(rejectsOf(`${edited}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
          ['1', 'an erased contact has no identifiers (identifiers.0.value): the line was changed after the export'],
          ['2', "events.4 records the contact's erasure: the line is an erased contact's, changed after the export"],
          [
            '3',
            "an erased contact's events hold the record of its erasure (contact.erased) once, dated erasedAt: the line was changed after the export",
          ],
          [
            '4',
            "an erased contact's events hold the record of its erasure (contact.erased) once, dated erasedAt: the line was changed after the export",
          ],
          ['5', 'erasedAt is not an ISO 8601 date or date-time'],
          ['6', 'id must be the contact id the export wrote (1 to 200 characters, no NUL)'],
          ['7', "events.5: an erased contact's ledger is imported as the export wrote it (data, seq, hashes)"],
          [
            '8',
            'events.5.evidenceHash does not match the evidence: the line was changed after the export, and is not its proof (an event with "data" is read as written by assent export)',
          ],
        ]);
        expect(await fresh.store.verifyLedger()).toMatchObject({ events: 0, broken: null });
        expect(await fresh.store.listContacts({ after: null, limit: 10 })).toEqual([]);
      } finally {
        await fresh.cleanup();
      }
    });
  });
}
