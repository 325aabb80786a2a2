// A "no" dated ahead of its recording (a CRM's wrong offset, clock skew: acts may be dated up to a day ahead) counts
// from its recording: an objection takes effect at once (GDPR art. 21(3); CPCE L34-5 al. 4). A consent dated ahead
// still counts only from its date.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { decideStoredBatch } from '../../src/services/stored-decisions.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';

const packs = buildRegistry();
const HOUR = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`a "no" dated ahead of its recording, on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'future-dated objections'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    let contactId: string;
    const start = Date.now();
    const ask = (offsetMs: number, channel = 'email') => ({
      at: new Date(start + offsetMs).toISOString(),
      contact: { email: 'ana@example.fr' },
      message: { channel, purpose: 'offers' },
    });
    const decide = async (offsetMs: number, channel = 'email') =>
      (await decideStoredBatch([ask(offsetMs, channel)], store, packs, () => new Date(start)))[0] as {
        decision: string;
        reasons: { code: string }[];
        basis: string | null;
      };
    const event = (type: string, aheadMs: number, data: Record<string, unknown>) => ({
      contactId,
      type: type as never,
      at: new Date(Date.now() + aheadMs).toISOString(),
      data,
      recordedBy: 'test',
    });

    beforeEach(async () => {
      ({ store, cleanup } = await dialect.open());
      contactId = (await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' })).id;
      await store.appendEvents([
        {
          contactId,
          type: 'consent.given',
          at: '2025-06-01T10:00:00Z',
          data: { channel: ['email', 'sms'], method: 'checkbox' },
          recordedBy: 'test',
        },
      ]);
    });
    afterEach(async () => {
      await store.close();
      await cleanup();
    });

    it.each([
      ['objection', { channel: 'email' }],
      ['consent.withdrawn', { channel: 'email' }],
      ['consent.refused', { channel: 'email' }],
    ])('%s dated three hours ahead governs the very next decision', async (type, data) => {
      expect((await decide(HOUR)).decision).toBe('allow');
      await store.appendEvents([event(type, 3 * HOUR, data)]);
      const after = await decide(HOUR);
      expect(after).toMatchObject({ decision: 'deny' });
      // The other channel is untouched.
      expect((await decide(HOUR, 'sms')).decision).toBe('allow');
    });

    it('a consent dated ahead counts from its date, not its recording', async () => {
      await store.appendEvents([event('objection', -HOUR, { channel: 'email' })]);
      await store.appendEvents([event('consent.given', 3 * HOUR, { channel: 'email', method: 'checkbox' })]);
      expect((await decide(HOUR)).decision).toBe('deny');
      expect((await decide(4 * HOUR)).decision).toBe('allow');
    });

    it('keeps the stated date in the history (the proof)', async () => {
      const stated = event('objection', 3 * HOUR, { channel: 'email' });
      await store.appendEvents([stated]);
      const history = await store.historiesOf([contactId]);
      expect(history.get(contactId)?.at(-1)?.at).toBe(stated.at);
    });
  });
}
