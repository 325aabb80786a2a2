// Writes that check before they write (an identifier free, a contact live and not merged) and run at the same
// time, as two API requests or an API request and an import do: on every dialect exactly one wins and the others
// get a CONFLICT, never a raw database error or a silent half-write (PostgreSQL: READ COMMITTED let both through).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../../src/services/erasure.js';
import { type Store, StoreError } from '../../src/store/store.js';
import { DIALECTS, dialectReady } from './dialects.js';

const conflicts = (results: PromiseSettledResult<unknown>[]) =>
  results.filter((r) => r.status === 'rejected' && r.reason instanceof StoreError && r.reason.code === 'CONFLICT')
    .length;

for (const dialect of DIALECTS) {
  describe(`concurrent writes: ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'concurrent writes'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
    });
    afterAll(async () => cleanup?.());

    const person = (email: string) => store.createContact({ type: 'individual', jurisdiction: 'FR', email });

    it('two opposite merges: one is done, the other refused, and the ledger still verifies', async () => {
      const a = await person('merge-a@example.fr');
      const b = await person('merge-b@example.fr');
      const results = await Promise.allSettled([
        store.mergeContacts(a.id, b.id, 'test'),
        store.mergeContacts(b.id, a.id, 'test'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(conflicts(results)).toBe(1);
      expect((await store.verifyLedger()).broken).toBeNull();
    });

    it('ledger verify while events, merges and cited texts are written: no broken link is reported', async () => {
      const who = await person('verify-busy@example.fr');
      const event = (n: number) => ({
        contactId: who.id,
        type: 'purchase' as const,
        at: '2026-11-01T10:00:00Z',
        data: { category: `c${n}` },
        recordedBy: 'test',
      });
      // Two pages of chain to walk, so that writes land between the pages, after the last one and before the head.
      await store.appendEvents(Array.from({ length: 5_100 }, (_, n) => event(n)));
      const writes = async () => {
        for (let n = 0; n < 40; n++) {
          if (n % 10 === 5) {
            const a = await person(`verify-merge-${n}@example.fr`);
            const b = await person(`verify-merged-${n}@example.fr`);
            await store.mergeContacts(a.id, b.id, 'test');
          } else if (n % 10 === 7) {
            const text = await store.putConsentText({ key: `busy-${n}`, version: '1', language: 'fr', body: `${n}` });
            await store.appendEvents([
              { ...event(n), type: 'consent.given', data: { channel: 'email' }, evidence: { textId: text.id } },
            ]);
          } else await store.appendEvents([event(n)]);
        }
      };
      const checks = await Promise.all([store.verifyLedger(), writes(), store.verifyLedger()]);
      expect(checks[0]?.broken ?? null).toBeNull();
      expect(checks[2]?.broken ?? null).toBeNull();
      expect((await store.verifyLedger()).broken).toBeNull();
    });

    it('the same address added to four contacts at once: one has it, three are refused, none records it', async () => {
      const people = await Promise.all([1, 2, 3, 4].map((n) => person(`patch-${n}@example.fr`)));
      const results = await Promise.allSettled(
        people.map((p) => store.updateContact(p.id, { add: [{ kind: 'email', value: 'shared@example.fr' }] })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(conflicts(results)).toBe(3);
      const owners = await Promise.all(people.map(async (p) => (await store.findContact({ id: p.id }))?.identifiers));
      expect(owners.flat().filter((i) => i?.value === 'shared@example.fr')).toHaveLength(1);
    });

    it('six contacts created with one CRM id at once: one stored, five CONFLICT', async () => {
      const results = await Promise.allSettled(
        [1, 2, 3, 4, 5, 6].map(() =>
          store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'crm-1' }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(conflicts(results)).toBe(5);
    });

    it('one consent text put four times at once: stored once, every caller gets it', async () => {
      const text = { key: 'newsletter', version: '9', language: 'fr', body: 'Je veux la lettre.' };
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => store.putConsentText(text)));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
      expect(await store.getConsentText('newsletter:9:fr')).toMatchObject({ body: text.body });
    });

    it('one person erased four times at once: erased once', async () => {
      const p = await person('erase-4@example.fr');
      const done = await Promise.all(
        [1, 2, 3, 4].map(() => eraseContact(store, p.id, { at: new Date(), recordedBy: 'test' })),
      );
      expect(done.filter((d) => d.erasedNow)).toHaveLength(1);
      const history = await store.historyOf(p.id);
      expect(history.filter((e) => e.type === 'contact.erased')).toHaveLength(1);
    });
  });
}
