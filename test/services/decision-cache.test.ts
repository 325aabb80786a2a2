// The server's decision cache must never outlive a write: an objection recorded by this process, by another
// connection (another process: an import, the CLI), or a contact changed, is seen by the very next decision.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { DecisionCache } from '../../src/services/decision-cache.js';
import { decideStored, decideStoredBatch } from '../../src/services/stored-decisions.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';

const packs = buildRegistry();
const now = () => new Date('2026-03-02T10:00:00Z');
const request = (email: string) => ({
  id: 'q',
  at: '2026-03-02T10:00:00Z',
  contact: { email },
  message: { channel: 'email', purpose: 'offers' },
});
const decision = (answers: unknown[]) => (answers[0] as { decision?: string }).decision;

describe('decision cache (SQLite)', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let other: Store;
  let contactId: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assent-cache-'));
    file = join(dir, 'assent.db');
    store = await openStore({ databaseUrl: null, sqliteFile: file });
    other = await openStore({ databaseUrl: null, sqliteFile: file });
    const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
    contactId = c.id;
    await store.appendEvents([
      {
        contactId,
        type: 'consent.given',
        at: '2025-06-01T10:00:00Z',
        data: { channel: 'email', method: 'checkbox' },
        recordedBy: 'test',
      },
    ]);
  });
  afterEach(async () => {
    await store.close();
    await other.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const objection = (id: string) => [
    {
      contactId: id,
      type: 'objection' as const,
      at: '2026-03-01T10:00:00Z',
      data: { channel: 'email' },
      recordedBy: 'test',
    },
  ];

  it('lets the event loop turn during a large batch (a server answers its other requests meanwhile)', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const answers = await decideStoredBatch(
      Array.from({ length: 2_500 }, () => request('ana@example.fr')),
      store,
      packs,
      now,
    );
    expect(answers.every((a) => (a as { decision?: string }).decision === 'allow')).toBe(true);
    expect(turned).toBe(true); // SQLite answers in microtasks: without a turn the callback waits for the batch
  });

  it('answers from the cache while nothing is written, with the uncached answers', async () => {
    const cache = new DecisionCache();
    const first = await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache);
    expect(cache.size).toBe(1);
    const second = await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache);
    expect(second).toEqual(first);
    expect(second[0]).toEqual(await decideStored(request('ana@example.fr'), store, packs, now));
    expect(decision(second)).toBe('allow');
  });

  it('sees an objection written through the same store on the next decision', async () => {
    const cache = new DecisionCache();
    expect(decision(await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache))).toBe('allow');
    await store.appendEvents(objection(contactId));
    expect(decision(await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache))).toBe('deny');
  });

  it('sees an objection written by another connection to the file (another process) on the next decision', async () => {
    const cache = new DecisionCache();
    expect(decision(await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache))).toBe('allow');
    await other.appendEvents(objection(contactId));
    expect(decision(await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache))).toBe('deny');
  });

  it('sees a contact changed elsewhere (B2C to generic B2B address) on the next decision', async () => {
    const cache = new DecisionCache();
    const before = await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache);
    await other.updateContact(contactId, { type: 'professional', address: 'generic' });
    const after = await decideStoredBatch([request('ana@example.fr')], store, packs, now, cache);
    expect(after).not.toEqual(before);
    expect(after[0]).toEqual(await decideStored(request('ana@example.fr'), store, packs, now));
  });

  it('keeps nothing read under a token that moved on meanwhile', () => {
    const cache = new DecisionCache();
    cache.sync('1:0');
    cache.sync('1:2');
    cache.put('1:0', 'email:x', {
      contact: {
        id: 'c-x',
        type: 'individual',
        address: null,
        jurisdiction: 'FR',
        timeZone: null,
        region: null,
        createdAt: '2026-01-01T00:00:00Z',
      },
      history: [],
      restrictions: [],
    });
    expect(cache.get('email:x')).toBeUndefined();
  });
});

describe.each(DIALECTS.filter((d) => d.name === 'postgres'))('decision cache ($name)', (dialect) => {
  it('caches nothing on a store that cannot give a change token', async (ctx) => {
    const skip = await dialect.available();
    if (skip !== null) {
      if (process.env.CI) throw new Error(skip);
      ctx.skip();
    }
    const { store, cleanup } = await dialect.open();
    try {
      await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'bo@example.fr' });
      expect(await store.changeToken()).toBeNull();
      const cache = new DecisionCache();
      await decideStoredBatch([request('bo@example.fr')], store, packs, now, cache);
      expect(cache.size).toBe(0);
    } finally {
      await cleanup();
    }
  });
});
