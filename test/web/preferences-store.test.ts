// Recipient-token secrets and rights requests in the store, on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTokenSigner } from '../../src/services/tokens.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';

for (const dialect of DIALECTS) {
  describe(`recipient tokens store: ${dialect.name}`, async () => {
    const unavailable = await dialect.available();
    if (unavailable !== null) {
      if (process.env.CI) it('has its database', () => expect.fail(`${unavailable}: CI runs PostgreSQL too`));
      else it.skip(`${dialect.name}: ${unavailable}`, () => {});
      return;
    }
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
    });
    afterAll(() => cleanup());

    it('generates one secret once, even when asked concurrently', async () => {
      expect(await store.tokenSecrets()).toEqual([]);
      const [a, b] = await Promise.all([
        store.addTokenSecret({ ifNone: true }),
        store.addTokenSecret({ ifNone: true }),
      ]);
      expect(a.map((s) => s.id)).toEqual(['k1']);
      expect(b.map((s) => s.id)).toEqual(['k1']);
      expect(a[0]?.secret).toMatch(/^[\w-]{43}$/);
    });

    it('rotates: the new secret signs, the old one verifies until retired', async () => {
      const before = await loadTokenSigner(store, { tokenSecrets: null });
      const old = before.sign({ p: 'unsubscribe', c: 'c1' });
      const live = await store.addTokenSecret();
      expect(live.map((s) => s.id)).toEqual(['k2', 'k1']);
      const during = await loadTokenSigner(store, { tokenSecrets: null });
      expect(during.signingKeyId).toBe('k2');
      expect(during.verify(old, 'unsubscribe').ok).toBe(true);
      await store.retireTokenSecret('k1');
      const after = await loadTokenSigner(store, { tokenSecrets: null });
      expect(after.verify(old, 'unsubscribe')).toEqual({ ok: false, reason: 'unknown-key' });
      await expect(store.retireTokenSecret('k2')).rejects.toThrow(/last token secret/);
      await expect(store.retireTokenSecret('k1')).rejects.toThrow(/no live token secret/);
      expect((await store.addTokenSecret()).map((s) => s.id)).toEqual(['k3', 'k2']);
    });

    it('configured secrets win over stored ones', async () => {
      const signer = await loadTokenSigner(store, { tokenSecrets: [{ id: 'env', secret: 'from-the-environment-1' }] });
      expect(signer.signingKeyId).toBe('env');
    });

    it('spends a form nonce once, concurrently too, and lets spent ones go once no server takes their token', async () => {
      const at = new Date('2026-11-01T10:00:00Z');
      const expiresMs = at.getTime() + 3_600_000;
      const [a, b] = await Promise.all([
        store.spendNonce('prefs:x', { at, expiresMs }),
        store.spendNonce('prefs:x', { at, expiresMs }),
      ]);
      expect([a, b].sort()).toEqual([false, true]);
      expect(await store.spendNonce('prefs:x', { at, expiresMs })).toBe(false);
      // Rolled back with the write it guarded: spent only if what the post records lands.
      await expect(
        store.transaction(async (tx) => {
          expect(await tx.spendNonce('prefs:y', { at, expiresMs })).toBe(true);
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');
      expect(await store.spendNonce('prefs:y', { at, expiresMs })).toBe(true);
      const later = new Date(expiresMs + 1);
      expect(await store.spendNonce('prefs:z', { at: later, expiresMs: later.getTime() + 1000 })).toBe(true);
      expect(await store.spendNonce('prefs:x', { at: later, expiresMs: later.getTime() + 1000 })).toBe(true); // dropped
    });

    it('records rights requests once per nonce, newest first', async () => {
      const first = await store.createRightsRequest({
        contactId: 'c1',
        kind: 'access',
        nonce: 'n1',
        evidence: { method: 'preference-center', ip: '203.0.113.9' },
        at: new Date('2026-11-01T10:00:00Z'),
      });
      expect(first.created).toBe(true);
      const again = await store.createRightsRequest({ contactId: 'c1', kind: 'access', nonce: 'n1' });
      expect(again).toEqual({ request: first.request, created: false });
      await store.createRightsRequest({
        contactId: 'c2',
        kind: 'erasure',
        nonce: 'n1',
        at: new Date('2026-11-02T10:00:00Z'),
      });
      const all = await store.listRightsRequests({ limit: 10 });
      expect(all.map((r) => [r.contactId, r.kind, r.status])).toEqual([
        ['c2', 'erasure', 'open'],
        ['c1', 'access', 'open'],
      ]);
      expect(all[1]?.evidence).toEqual({ method: 'preference-center', ip: '203.0.113.9' });
      expect((await store.listRightsRequests({ limit: 10, contactId: 'c1' })).length).toBe(1);
      // A month from receipt (GDPR art. 12(3)); overdue the day after, while still open.
      expect(all.map((r) => r.dueBy)).toEqual(['2026-12-02', '2026-12-01']);
      const overdue = (on: string) => store.listRightsRequests({ limit: 10, overdueOn: on });
      expect(await overdue('2026-12-01')).toEqual([]);
      expect((await overdue('2026-12-02')).map((r) => r.contactId)).toEqual(['c1']);
      expect((await overdue('2026-12-03')).map((r) => r.contactId)).toEqual(['c2', 'c1']);
      await store.settleRightsRequest(all[1]?.id as string, {
        status: 'done',
        by: 'dpo',
        at: '2026-12-03',
        answer: null,
      });
      expect((await overdue('2026-12-03')).map((r) => r.contactId)).toEqual(['c2']);
      await expect(
        store.createRightsRequest({ contactId: 'c1', kind: 'complaint' as never, nonce: 'n2' }),
      ).rejects.toThrow(
        'rights request kind must be access, erasure, rectification, restriction, portability, objection',
      );
      // A rectification says what is wrong, in at most 1,000 characters (blanks alone are nothing).
      await expect(
        store.createRightsRequest({ contactId: 'c1', kind: 'rectification', nonce: 'n3', details: '  ' }),
      ).rejects.toThrow('a rectification request says what is wrong (details)');
      await expect(
        store.createRightsRequest({ contactId: 'c1', kind: 'rectification', nonce: 'n3', details: 'x'.repeat(1001) }),
      ).rejects.toThrow('details are at most 1000 characters; got 1001');
      const fix = await store.createRightsRequest({
        contactId: 'c1',
        kind: 'rectification',
        nonce: 'n3',
        details: ' my name is Anna ',
      });
      expect(fix.request).toMatchObject({ kind: 'rectification', details: 'my name is Anna', status: 'open' });
    });
  });
}
