// The consent-form tables on every dialect: forms, single-use settling, due reminders and expiries, stats.
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../store/dialects.js';

for (const dialect of DIALECTS) {
  describe(`consent requests on ${dialect.name}`, () => {
    it('stores forms and requests, settles once, finds what is due, counts the drop-off', async (ctx) => {
      const missing = await dialect.available();
      if (missing !== null) {
        if (process.env.CI === 'true') throw new Error(missing);
        return ctx.skip(missing);
      }
      const { store, cleanup } = await dialect.open();
      try {
        const form = await store.createConsentForm({ name: 'f', settings: { jurisdiction: 'FR', boxes: [] } });
        expect(await store.getConsentForm(form.id)).toEqual(form);
        expect((await store.listConsentForms()).map((f) => f.id)).toEqual([form.id]);
        const t0 = Date.parse('2026-10-01T10:00:00Z');
        const base = {
          formId: form.id,
          contactId: 'c1',
          via: 'email' as const,
          destination: 'a@b.example',
          language: 'fr',
          items: [{ box: 'news' }],
          requestedAt: new Date(t0).toISOString(),
          requestedMs: t0,
          expiresMs: t0 + 7 * 86_400_000,
          lastSentMs: t0,
        };
        const a = await store.createConsentRequest({ ...base, nonce: 'n-a' });
        const b = await store.createConsentRequest({ ...base, nonce: 'n-b' });
        expect(await store.getConsentRequestByNonce('n-a')).toEqual(a);
        const due = (nowMs: number) =>
          store.dueConsentRequests({ nowMs, sentBeforeMs: nowMs - 48 * 3_600_000, maxReminders: 1, limit: 10 });
        expect(await due(t0 + 3_600_000)).toEqual([]);
        expect((await due(t0 + 49 * 3_600_000)).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
        await store.recordConsentReminder(a.id, t0 + 49 * 3_600_000);
        expect((await due(t0 + 100 * 3_600_000)).map((r) => r.id)).toEqual([b.id]);
        expect(await store.settleConsentRequest(a.id, 'confirmed', 'x')).toBe(true);
        expect(await store.settleConsentRequest(a.id, 'confirmed', 'y')).toBe(false); // single use
        expect((await due(t0 + 8 * 86_400_000)).map((r) => r.id)).toEqual([b.id]); // expired
        expect(await store.settleConsentRequest(b.id, 'expired', 'z')).toBe(true);
        expect(await store.consentRequestStats()).toEqual({
          total: 2,
          pending: 0,
          confirmed: 1,
          expired: 1,
          neverConfirmedShare: 0.5,
        });
        expect((await store.consentRequestStats('other')).total).toBe(0);
      } finally {
        await cleanup();
      }
    });
  });
}
