// Bought and rented lists (issue #6) on every store dialect: the acquisition record, its validation, proof
// documents kept byte for byte (blob on SQLite, bytea on PostgreSQL) with their limit, and the imports made under it.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, type NewAcquisition } from '../../src/domain/acquisition.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, dialectReady } from './dialects.js';

const BROKER: NewAcquisition = {
  provider: 'DataBroker SAS',
  kind: 'bought',
  collectionMethod: 'checkbox on partner form, partners named',
  consentProof: 'form template and per-person consent log',
  collectedAt: '2026-05-02',
  acquiredAt: '2026-06-01',
  informed: true,
  recordedBy: 'test',
};

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

for (const dialect of DIALECTS) {
  describe(`acquisitions: ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'acquisitions'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
    });
    afterAll(async () => cleanup?.());

    it.each([
      ['told', true],
      ['not told', false],
      ['not said', null],
    ] as const)('records an acquisition whose people were %s, and reads it back', async (_, informed) => {
      const created = await store.createAcquisition({ ...BROKER, kind: 'rented', informed });
      expect(created).toMatchObject({ ...BROKER, kind: 'rented', informed, documents: [] });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(await store.getAcquisition(created.id)).toEqual(created);
      expect((await store.listAcquisitions()).map((a) => a.id)).toContain(created.id);
    });

    it.each([
      ['no provider', { provider: '  ' }, 'provider is required'],
      ['another kind', { kind: 'leased' }, 'kind must be one of bought, rented; got "leased"'],
      ['a day that does not exist', { collectedAt: '2026-02-30' }, 'collectedAt has day 30'],
      ['a date-time', { acquiredAt: '2026-06-01T10:00:00Z' }, 'acquiredAt must be a date YYYY-MM-DD'],
      ['collected after acquired', { collectedAt: '2026-07-01' }, 'collectedAt 2026-07-01 is after acquiredAt'],
      [
        'dates ahead of today',
        { collectedAt: '2099-05-02', acquiredAt: '2099-06-01' },
        'collectedAt is in the future (today is ',
      ],
      ['no proof of consent', { consentProof: '' }, 'consentProof is required'],
    ])('refuses an acquisition with %s, naming the field', async (_, change, message) => {
      const before = (await store.listAcquisitions()).length;
      await expect(store.createAcquisition({ ...BROKER, ...change } as NewAcquisition)).rejects.toMatchObject({
        code: 'INVALID',
        message: expect.stringContaining(message),
      });
      expect((await store.listAcquisitions()).length).toBe(before);
    });

    it('keeps documents byte for byte, found by SHA-256 or name; the same bytes twice are kept once', async () => {
      const a = await store.createAcquisition(BROKER);
      const every = Uint8Array.from({ length: 256 * 4 }, (_, i) => i % 256); // NUL and every other byte value
      const random = randomBytes(300_000);
      const docs = [
        { name: 'bytes.bin', content: every },
        { name: 'scan.pdf', content: random },
        { name: 'empty.txt', content: new Uint8Array(0) },
      ];
      for (const d of docs) {
        expect(await store.addAcquisitionDocument(a.id, d)).toMatchObject({
          name: d.name,
          sha256: sha256(d.content),
          size: d.content.byteLength,
        });
      }
      expect(await store.addAcquisitionDocument(a.id, { name: 'again.pdf', content: random })).toMatchObject({
        name: 'scan.pdf',
      });
      const stored = await store.getAcquisition(a.id);
      expect(stored?.documents.map((d) => d.name).sort()).toEqual(['bytes.bin', 'empty.txt', 'scan.pdf']);
      for (const d of docs) {
        for (const ref of [d.name, sha256(d.content), sha256(d.content).toUpperCase()]) {
          const back = await store.acquisitionDocument(a.id, ref);
          expect(back?.document.name).toBe(d.name);
          expect(Buffer.compare(back?.content ?? Buffer.alloc(1), Buffer.from(d.content))).toBe(0);
        }
      }
      expect(await store.acquisitionDocument(a.id, 'other.pdf')).toBeNull();
      expect(await store.acquisitionDocument(a.id, '0'.repeat(64))).toBeNull();
      const other = await store.createAcquisition(BROKER);
      expect(await store.acquisitionDocument(other.id, 'scan.pdf')).toBeNull();
    });

    it('tells apart two documents of one name by SHA-256 only', async () => {
      const a = await store.createAcquisition(BROKER);
      const [one, two] = [Buffer.from('version 1'), Buffer.from('version 2')];
      await store.addAcquisitionDocument(a.id, { name: 'terms.txt', content: one });
      await store.addAcquisitionDocument(a.id, { name: 'terms.txt', content: two });
      await expect(store.acquisitionDocument(a.id, 'terms.txt')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(sha256(two)),
      });
      expect((await store.acquisitionDocument(a.id, sha256(two)))?.content.toString()).toBe('version 2');
    });

    it('takes a document of 20 MiB, refuses one byte more, and one for an unknown acquisition', async () => {
      const a = await store.createAcquisition(BROKER);
      const limit = Buffer.alloc(MAX_DOCUMENT_BYTES, 7);
      expect(await store.addAcquisitionDocument(a.id, { name: 'big.bin', content: limit })).toMatchObject({
        size: MAX_DOCUMENT_BYTES,
      });
      expect((await store.acquisitionDocument(a.id, 'big.bin'))?.content.equals(limit)).toBe(true);
      await expect(
        store.addAcquisitionDocument(a.id, { name: 'bigger.bin', content: Buffer.alloc(MAX_DOCUMENT_BYTES + 1) }),
      ).rejects.toMatchObject({ code: 'INVALID', message: expect.stringContaining('20 MiB at most') });
      await expect(
        store.addAcquisitionDocument('no-such-id', { name: 'x.pdf', content: Buffer.from('x') }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('records an acquisition and its documents in one transaction: all or nothing', async () => {
      const before = (await store.listAcquisitions()).length;
      await expect(
        store.transaction(async (tx) => {
          const a = await tx.createAcquisition(BROKER);
          await tx.addAcquisitionDocument(a.id, { name: 'ok.pdf', content: Buffer.from('ok') });
          await tx.addAcquisitionDocument(a.id, { name: 'big.pdf', content: Buffer.alloc(MAX_DOCUMENT_BYTES + 1) });
        }),
      ).rejects.toMatchObject({ code: 'INVALID' });
      expect((await store.listAcquisitions()).length).toBe(before);
    });

    it('ties import runs to their acquisition and lists them with their counts', async () => {
      const a = await store.createAcquisition(BROKER);
      const run = await store.startImport({ fileSha256: 'f'.repeat(64), source: 'bought.csv' });
      const plain = await store.startImport({ fileSha256: 'e'.repeat(64), source: 'crm.csv' });
      await store.linkImportToAcquisition(run.id, a.id);
      await store.linkImportToAcquisition(run.id, 'another'); // a run keeps its first acquisition
      await store.recordImport(run.id, { status: 'done', linesDone: 10, accepted: 8, rejected: 1 });
      expect(await store.acquisitionOfImport(run.id)).toBe(a.id);
      expect(await store.acquisitionOfImport(plain.id)).toBeNull();
      expect(await store.acquisitionImports(a.id)).toEqual([
        {
          importId: run.id,
          source: 'bought.csv',
          fileSha256: 'f'.repeat(64),
          status: 'done',
          accepted: 8,
          rejected: 1,
          startedAt: run.startedAt,
        },
      ]);
    });
  });
}
