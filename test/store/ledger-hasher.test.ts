// The worker-thread hasher of large SQLite batches: the same bytes as the in-thread path, a verifiable ledger,
// and the in-thread path whenever the worker cannot be used.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { NewLedgerEvent } from '../../src/domain/ledger.js';
import { eventHash } from '../../src/domain/ledger.js';
import { type HashInput, hashChunk, LedgerHasher } from '../../src/store/ledger-hasher.js';
import { openStore } from '../../src/store/open-store.js';

const dir = mkdtempSync(join(tmpdir(), 'assent-hasher-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inputs = (n: number): HashInput[] =>
  Array.from({ length: n }, (_, i) => ({
    seq: i + 1,
    id: `0190f5a0-0000-7000-8000-${String(i).padStart(12, '0')}`,
    contactId: `c-${i % 7}`,
    type: i % 3 === 0 ? 'objection' : 'consent.given',
    at: `2026-01-${String((i % 28) + 1).padStart(2, '0')}T10:00:00Z`,
    data: {
      channel: 'email',
      purpose: i % 2 ? 'offers' : undefined,
      partners: ['b', 'a'],
      category: 'é "q" \u2028 \u0001',
    },
    evidence: i % 4 === 0 ? null : { method: 'form', ip: '203.0.113.7', pageUrl: `https://shop.example/${i}` },
    recordedAt: '2026-01-30T00:00:00.000Z',
    recordedBy: 'test "quoted"',
    idempotencyKey: i % 5 === 0 ? `k-${i}` : null,
  }));

/** `n` events of `inputs(n)` for one stored contact, as a caller appends them (with their idempotency keys or not). */
const eventsFor = (contactId: string, n: number, keyed: boolean): NewLedgerEvent[] =>
  inputs(n).map((e) => ({
    contactId,
    type: e.type as NewLedgerEvent['type'],
    at: e.at,
    data: e.data,
    evidence: e.evidence,
    recordedBy: e.recordedBy,
    ...(keyed ? { idempotencyKey: e.idempotencyKey } : {}),
  }));

describe('LedgerHasher', () => {
  it('gives, chunk after chunk, exactly what hashChunk gives in-thread for the whole run', async () => {
    const hasher = new LedgerHasher();
    try {
      expect(hasher.available).toBe(true); // the build's worker exists (npm test builds first)
      const all = inputs(1_000);
      const prev = 'f'.repeat(64);
      const chunks = [all.slice(0, 200), all.slice(200, 400), all.slice(400, 1_000)];
      const results = hasher.hashChunks(chunks, prev);
      expect(results).not.toBeNull();
      const worker = await Promise.all(results ?? []);
      const inThread = hashChunk(all, prev);
      for (const key of ['data', 'evidence', 'evidenceHash', 'hash'] as const) {
        expect(worker.flatMap((w) => (w.ok ? w[key] : []))).toEqual(inThread[key]);
      }
      // A second run starts its own chain.
      const again = await Promise.all(hasher.hashChunks([all.slice(0, 10)], prev) ?? []);
      expect(again[0]?.ok && again[0].hash).toEqual(inThread.hash.slice(0, 10));
    } finally {
      await hasher.close();
    }
  });

  it('hands back to the in-thread path for data that is not JSON', async () => {
    const hasher = new LedgerHasher();
    try {
      const odd = inputs(3);
      (odd[1] as HashInput).data = { big: 10n };
      expect(hasher.hashChunks([odd.slice(0, 1), odd.slice(1)], 'f'.repeat(64))).toBeNull();
    } finally {
      await hasher.close();
    }
  });

  it('is not used once closed', async () => {
    const hasher = new LedgerHasher();
    await hasher.close();
    expect(hasher.available).toBe(false);
    expect(hasher.hashChunks([inputs(2)], 'f'.repeat(64))).toBeNull();
  });
});

describe('a SQLite store appending large batches', () => {
  it.each([
    ['on the worker', true],
    ['in-thread', false],
  ])('%s writes a ledger that verifies, each hash recomputable from the stored row', async (_label, inWorker) => {
    const file = join(dir, `${inWorker}.db`);
    const store = await openStore({ databaseUrl: null, sqliteFile: file, hashInWorker: inWorker });
    try {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: `w${inWorker}@example.fr` });
      const events = eventsFor(c.id, 1_050, true);
      const first = await store.appendEvents(events.slice(0, 525));
      const second = await store.appendEvents(events.slice(525));
      const stored = [...first, ...second];
      expect(stored.map((e) => e.seq)).toEqual(Array.from({ length: 1_050 }, (_, i) => i + 1));
      expect(second[0]?.prevHash).toBe(first.at(-1)?.hash);
      for (const e of stored) expect(eventHash(e)).toBe(e.hash);
      expect((await store.verifyLedger()).broken).toBeNull();
      // Idempotency keys were honoured across both batches: appending everything again adds nothing keyed.
      const again = await store.appendEvents(events.filter((e) => e.idempotencyKey));
      expect(again).toHaveLength(0);
    } finally {
      await store.close();
    }
    // What is on disk verifies from a fresh connection too (the stored text is what was hashed).
    const reopened = await openStore({ databaseUrl: null, sqliteFile: file, hashInWorker: false });
    try {
      expect((await reopened.verifyLedger()).broken).toBeNull();
    } finally {
      await reopened.close();
    }
    const raw = new Sqlite(file, { readonly: true });
    expect((raw.prepare('select count(*) as n from ledger_events').get() as { n: number }).n).toBe(1_050);
    raw.close();
  });
});

describe('a large SQLite batch with a malformed event', () => {
  it('is refused whole with the same error on the worker as in-thread, nothing written', async () => {
    const messages: string[] = [];
    for (const inWorker of [true, false]) {
      const store = await openStore({
        databaseUrl: null,
        sqliteFile: join(dir, `bad-${inWorker}.db`),
        hashInWorker: inWorker,
      });
      try {
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'bad@example.fr' });
        const events = eventsFor(c.id, 1_050, false);
        events[700] = { ...(events[700] as NewLedgerEvent), data: { channel: 'pigeon' } };
        const error = await store.appendEvents(events).catch((e: unknown) => e);
        expect(error).toMatchObject({ name: 'StoreError', code: 'INVALID' });
        messages.push((error as Error).message);
        expect(await store.historyOf(c.id)).toHaveLength(0);
        expect((await store.verifyLedger()).events).toBe(0);
      } finally {
        await store.close();
      }
    }
    expect(messages[0]).toMatch(/events\/700\/channel|events\.700\.channel/);
    expect(messages[0]).toBe(messages[1]);
  });
});
