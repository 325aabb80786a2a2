// Importing a bought or rented list (`--acquisition`) and the suppression list at import, on every store dialect:
// rows get the acquisition's provenance and its id in their evidence; a row that would bring back an email or phone
// number of the suppression list is rejected, with one lookup per batch.
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Acquisition } from '../../src/domain/acquisition.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { accessReport } from '../../src/services/access.js';
import { ImportInputError } from '../../src/services/import/reader.js';
import { importFile } from '../../src/services/import/run-import.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import type { Store } from '../../src/store/store.js';
import { dialectReady } from '../store/dialects.js';
import { IMPORT_DIALECTS, ndjson, options, rejectsOf, replacingInTransactions, tempDir, write } from './helpers.js';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const suppressed = (what: string) => `${what} on the company suppression list (erased or objected): not imported`;

for (const dialect of IMPORT_DIALECTS) {
  describe(`import of acquired lists on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'acquired lists import'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    let broker: Acquisition;
    const dir = tempDir();
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
      broker = await store.createAcquisition({
        provider: 'DataBroker SAS',
        kind: 'bought',
        collectionMethod: 'checkbox on partner form, partners named',
        consentProof: 'per-person consent log',
        collectedAt: '2026-05-02',
        acquiredAt: '2026-06-01',
        informed: true,
        recordedBy: 'test',
      });
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });
    const contactsNow = async () => (await store.listContacts({ after: null, limit: 10_000 })).length;
    const historyOf = async (email: string) =>
      store.historyOf((await store.findContact({ kind: 'email', value: email }))?.id ?? 'none');

    it('gives rows without a collection of their own the acquisition’s, and every event its id', async () => {
      const file = write(dir, 'bought.csv', [
        'email,jurisdiction,source,provider,collected_at,informed,consent_email,consent_at,consent_method',
        'ana@example.fr,FR,,,,,yes,2026-05-02T10:00:00Z,checkbox',
        'ben@example.fr,FR,acquired,Partner Ltd,2026-04-01,false,,,',
      ]);
      const outcome = await importFile(store, options(file, { acquisition: broker.id }));
      expect(outcome).toMatchObject({ created: 2, events: 3, run: { accepted: 2, rejected: 0 } });
      const evidence = {
        method: 'import',
        importBatch: String(outcome.run.id),
        sourceFile: 'bought.csv',
        sourceSha256: sha256(file),
        acquisition: broker.id,
      };
      const ana = await historyOf('ana@example.fr');
      expect(ana.map((e) => [e.type, e.at, e.data])).toEqual([
        ['data.collected', '2026-05-02', { source: 'acquired', provider: 'DataBroker SAS', informed: true }],
        ['consent.given', '2026-05-02T10:00:00Z', { channel: 'email', method: 'checkbox' }],
      ]);
      expect(ana.map((e) => e.evidence)).toEqual([evidence, evidence]);
      const ben = await historyOf('ben@example.fr');
      expect(ben.map((e) => [e.type, e.at, e.data, e.evidence])).toEqual([
        ['data.collected', '2026-04-01', { source: 'acquired', provider: 'Partner Ltd', informed: false }, evidence],
      ]);
      expect(await store.acquisitionImports(broker.id)).toMatchObject([{ importId: outcome.run.id, accepted: 2 }]);
      // The person is told who collected the data and when, and when we obtained it (GDPR art. 14(2)(f), 15(1)(g)):
      // the collection's date is the provider's, not the day we bought the list.
      const told = async (email: string, lang: string) => {
        const id = (await store.findContact({ kind: 'email', value: email }))?.id as string;
        return (await accessReport(store, buildRegistry(), id, new Date('2026-07-01T00:00:00Z'), { lang })).information
          .source;
      };
      expect(await told('ana@example.fr', 'fr')).toEqual([
        'Collectées le 2026-05-02 par DataBroker SAS, auprès de qui nous les avons obtenues le 2026-06-01.',
      ]);
      expect(await told('ben@example.fr', 'en')).toEqual([
        'Collected on 2026-04-01 by Partner Ltd; we obtained them from DataBroker SAS on 2026-06-01.',
      ]);

      const again = await importFile(store, options(file, { acquisition: broker.id, again: true }));
      expect(again).toMatchObject({ created: 0, updated: 0, events: 0 });
      expect((await store.verifyLedger()).broken).toBeNull();
    });

    // An export carries the list's id in each event's evidence, not the acquisition's record: in the database it is
    // imported into, the collection's date is still the provider's, never the day "we obtained" the data.
    it('does not date our obtaining of a bought list by its collection when the list is not recorded here', async () => {
      const { id } = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'moved@example.fr' });
      await store.appendEvents([
        {
          contactId: id,
          type: 'data.collected',
          at: '2026-05-02',
          data: { source: 'acquired', provider: 'DataBroker SAS', informed: true },
          evidence: { method: 'import', acquisition: 'a-list-of-the-source-database' },
          recordedBy: 'import:moved.ndjson',
        },
      ]);
      const report = (lang: string) =>
        accessReport(store, buildRegistry(), id, new Date('2026-07-01T00:00:00Z'), { lang });
      for (const [lang, sentence] of [
        ['fr', 'Collectées le 2026-05-02 par DataBroker SAS.'],
        ['en', 'Collected on 2026-05-02 by DataBroker SAS.'],
        ['nl', 'Verzameld op 2026-05-02 door DataBroker SAS.'],
        ['de', 'Am 2026-05-02 von DataBroker SAS erhoben.'],
      ] as const)
        expect((await report(lang)).information.source).toEqual([sentence]);
      expect((await report('en')).sources[0]?.acquisition).toEqual({
        id: 'a-list-of-the-source-database',
        kind: null,
        provider: null,
        acquiredAt: null,
      });
    });

    it('leaves out `informed` when the acquisition does not say, for NDJSON rows too', async () => {
      const rented = await store.createAcquisition({ ...broker, kind: 'rented', informed: null });
      const file = write(dir, 'rented.ndjson', ndjson([{ email: 'cleo@example.fr', jurisdiction: 'FR' }]));
      await importFile(store, options(file, { acquisition: rented.id }));
      expect((await historyOf('cleo@example.fr')).map((e) => e.data)).toEqual([
        { source: 'acquired', provider: 'DataBroker SAS' },
      ]);
    });

    it('refuses a row saying its data were collected directly, and names the provider where a row gives none', async () => {
      const file = write(dir, 'claims-direct.csv', [
        'email,jurisdiction,source,provider,collected_at',
        'dina@example.fr,FR,direct,,2026-05-02',
        'dora@example.fr,FR,acquired,,2026-05-03',
      ]);
      const outcome = await importFile(store, options(file, { acquisition: broker.id }));
      expect(outcome).toMatchObject({ created: 1, run: { accepted: 1, rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
        [
          '2',
          'source direct: a row of a bought or rented list (DataBroker SAS) was collected by its provider; give source acquired (or public), or leave the collection columns empty',
        ],
      ]);
      expect(await store.findContact({ kind: 'email', value: 'dina@example.fr' })).toBeNull();
      expect((await historyOf('dora@example.fr')).map((e) => e.data)).toEqual([
        { source: 'acquired', provider: 'DataBroker SAS' },
      ]);
    });

    it('refuses a row holding a purchase, contract, account or contact: the provider’s relation, not a client of ours', async () => {
      const file = write(dir, 'bought-clients.csv', [
        'email,jurisdiction,purchase_at,contract_started_at,contract_ended_at,last_contact_at,last_contact_kind',
        'pa@example.fr,FR,2026-04-01,,,,',
        'pb@example.fr,FR,,2026-04-01,,,',
        'pc@example.fr,FR,,,2026-04-01,,',
        'pd@example.fr,FR,,,,2026-04-01,request',
      ]);
      const lines = write(
        dir,
        'bought-accounts.ndjson',
        ndjson([
          { email: 'pe@example.fr', jurisdiction: 'FR', events: [{ type: 'account.created', at: '2026-04-01' }] },
        ]),
      );
      const before = await contactsNow();
      expect(await importFile(store, options(file, { acquisition: broker.id }))).toMatchObject({
        run: { rejected: 4 },
      });
      expect(await importFile(store, options(lines, { acquisition: broker.id }))).toMatchObject({
        run: { rejected: 1 },
      });
      const reasons = [...rejectsOf(`${file}.rejects.csv`), ...rejectsOf(`${lines}.rejects.csv`)].map((r) =>
        r.reason.slice(0, r.reason.indexOf(':')),
      );
      expect(reasons).toEqual(['purchase', 'contract.started', 'contract.ended', 'interaction', 'account.created']);
      expect(rejectsOf(`${file}.rejects.csv`)[0]?.reason).toMatch(
        /^purchase: a row of a bought or rented list \(DataBroker SAS\) holds the person's relations with its provider, not with you; /,
      );
      expect(await contactsNow()).toBe(before);
    });

    it('refuses a stored person’s row when their ledger holds a "no" to us: the provider’s consent does not re-open it', async () => {
      const olga = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'olga@example.fr' });
      const paul = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'paul@example.fr' });
      await store.appendEvents([
        {
          contactId: olga.id,
          type: 'objection',
          at: '2026-06-10T08:00:00Z',
          data: { channel: 'email' },
          recordedBy: 't',
        },
      ]);
      const file = write(dir, 'after-objection.csv', [
        'email,jurisdiction,consent_email,consent_at,consent_method',
        'olga@example.fr,FR,yes,2026-07-01T10:00:00Z,checkbox',
        'paul@example.fr,FR,yes,2026-07-01T10:00:00Z,checkbox',
      ]);
      const outcome = await importFile(store, options(file, { acquisition: broker.id }));
      expect(outcome).toMatchObject({ run: { accepted: 1, rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
        [
          '2',
          `contact ${olga.id} said no to our prospecting (objection of 2026-06-10, email): a bought or rented list does not re-open it, on any channel; not imported`,
        ],
      ]);
      expect((await store.historyOf(olga.id)).map((e) => e.type)).toEqual(['objection']);
      expect((await store.historyOf(paul.id)).map((e) => e.type)).toEqual(['data.collected', 'consent.given']);
    });

    it('refuses an unknown acquisition before writing anything', async () => {
      const file = write(dir, 'unknown.csv', ['email,jurisdiction', 'dan@example.fr,FR']);
      const before = await contactsNow();
      await expect(importFile(store, options(file, { acquisition: 'no-such-id' }))).rejects.toMatchObject({
        code: 'NOT_FOUND',
        message: expect.stringContaining('--acquisition no-such-id: no such acquisition'),
      });
      expect(await store.latestImport(sha256(file))).toBeNull();
      expect(await contactsNow()).toBe(before);
    });

    it('resumes a stopped run only under the acquisition it began with', async () => {
      const file = write(dir, 'stopped.csv', ['email,jurisdiction', 'eve@example.fr,FR']);
      write(dir, 'stopped.csv.rejects.csv', ['line,reason,raw']); // as a run that stopped leaves it
      const run = await store.startImport({ fileSha256: sha256(file), source: 'stopped.csv' });
      await store.linkImportToAcquisition(run.id, broker.id);
      const other = await store.createAcquisition({ ...broker, provider: 'Other' });
      for (const acquisition of [null, other.id]) {
        const refused = importFile(store, options(file, { acquisition }));
        await expect(refused).rejects.toBeInstanceOf(ImportInputError);
        await expect(refused).rejects.toThrow(`it was begun with --acquisition ${broker.id}: resume it the same way`);
      }
      expect(await importFile(store, options(file, { acquisition: broker.id }))).toMatchObject({
        resumedAfter: 0,
        created: 1,
      });
      expect((await historyOf('eve@example.fr'))[0]?.evidence?.acquisition).toBe(broker.id);
    });

    describe('the suppression list', () => {
      beforeAll(async () => {
        // Stored before the suppression: Kim objected and keeps her contact and ledger.
        await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'kim@example.fr', externalId: 'k' });
        await store.addSuppressions(
          [
            ['email', 'gone@example.fr'],
            ['phone', '+33611111111'],
            ['email', 'kim@example.fr'],
            ['email', 'new-of-kim@example.fr'],
          ].map(([kind, value]) => ({
            hash: suppressionHash(kind as 'email' | 'phone', value as string),
            reason: 'erased' as const,
            at: '2026-06-01T00:00:00Z',
          })),
        );
      });

      it.each([
        ['a suppressed email (any case)', 'x-1,GONE@example.fr,,FR', 'email is'],
        ['a suppressed phone, written nationally', 'x-2,,06 11 11 11 11,FR', 'phone is'],
        ['both', 'x-3,gone@example.fr,+33611111111,FR', 'email and phone are'],
        ['a suppressed email added to a stored contact', 'k,new-of-kim@example.fr,,FR', 'email is'],
        // A bought list's consent for Kim, dated after her objection, would otherwise outrank it in her ledger.
        ['a stored contact’s own suppressed email', 'k,kim@example.fr,,FR', 'email is'],
      ])('rejects a row bringing back %s, naming what', async (_, row, what) => {
        const file = write(dir, `suppressed-${row.slice(0, 3)}.csv`, ['external_id,email,phone,jurisdiction', row]);
        const before = await contactsNow();
        const outcome = await importFile(store, options(file, { acquisition: broker.id }));
        expect(outcome).toMatchObject({ created: 0, updated: 0, events: 0, run: { accepted: 0, rejected: 1 } });
        expect(rejectsOf(`${file}.rejects.csv`)).toEqual([{ line: '2', reason: suppressed(what), raw: row }]);
        expect(await contactsNow()).toBe(before);
      });

      it('imports a stored contact’s row as before, and every row of a plain import too', async () => {
        const file = write(dir, 'crm-again.csv', [
          'external_id,email,phone,jurisdiction,time_zone',
          'k,kim@example.fr,,FR,Europe/Paris', // Kim's own email: her objection is in her ledger
          'n-1,nia@example.fr,06 22 22 22 22,FR,', // not suppressed
          'n-2,gone@example.fr,,FR,', // suppressed: never re-created, acquisition or not
        ]);
        const outcome = await importFile(store, options(file));
        expect(outcome).toMatchObject({ created: 1, updated: 1, run: { accepted: 2, rejected: 1 } });
        expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
          ['4', suppressed('email is')],
        ]);
        expect(await store.findContact({ kind: 'email', value: 'kim@example.fr' })).toMatchObject({
          timeZone: 'Europe/Paris',
        });
        expect(await store.findContact({ kind: 'email', value: 'gone@example.fr' })).toBeNull();
      });

      it('asks the suppression list once per batch', async () => {
        let lookups = 0;
        const counting = replacingInTransactions(store, (tx) => ({
          suppressedAmong: (hashes: readonly string[]) => {
            lookups++;
            return tx.suppressedAmong(hashes);
          },
        }));
        const rows = Array.from({ length: 7 }, (_, i) => `b-${i},batch${i}@example.fr,FR`);
        const file = write(dir, 'batches.csv', ['external_id,email,jurisdiction', ...rows, 'b-9,gone@example.fr,FR']);
        const outcome = await importFile(counting, options(file, { batchSize: 3 }));
        expect(outcome).toMatchObject({ created: 7, run: { accepted: 7, rejected: 1 } });
        expect(lookups).toBe(3);
      });
    });
  });
}
