// Restriction of processing over HTTP (GDPR art. 18): POST /v1/decisions answers PROCESSING_RESTRICTED for a
// restricted stored contact (a 409 problem alone, an error answer in a batch) until the restriction is refused or,
// granted, lifted by POST /v1/rights-requests/{id}/lift with the day the person was told (art. 18(3)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { expectProblem, openTestApp, type TestApp } from './helpers.js';

for (const dialect of DIALECTS) {
  describe(`restriction over HTTP on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'restriction over HTTP'))) return;
    let t: TestApp;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      t = await openTestApp({ dialect });
      for (const name of ['ana', 'bob']) {
        const c = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: `${name}@example.fr` });
        ids[name] = c.id;
        await t.store.appendEvents([
          {
            contactId: c.id,
            type: 'consent.given',
            at: '2026-01-10T10:00:00Z',
            data: { channel: 'email' },
            recordedBy: 'test',
          },
        ]);
      }
    });
    afterAll(() => t.close());

    const ask = (email: string) => ({ contact: { email }, message: { channel: 'email' } });
    const decide = (payload: unknown) =>
      t.call({ method: 'POST', url: '/v1/decisions', key: t.keys.decide, payload: payload as object });

    it('answers PROCESSING_RESTRICTED from receipt until lifted, the person told first', async () => {
      const made = await t.call({
        method: 'POST',
        url: '/v1/rights-requests',
        payload: { contactId: ids.ana, kind: 'restriction', receivedAt: '2026-02-01' },
      });
      expect(made.statusCode).toBe(201);
      const id = made.json().id as string;
      const alone = expectProblem(await decide(ask('ana@example.fr')), 409, '/contact/email');
      expect(alone).toMatchObject({ code: 'PROCESSING_RESTRICTED' });
      const batch = await decide([ask('ana@example.fr'), ask('bob@example.fr')]);
      expect(batch.statusCode).toBe(200);
      expect(batch.json()).toMatchObject([
        { error: { code: 'PROCESSING_RESTRICTED', message: expect.stringMatching(/since 2026-02-01.*art\. 18\(2\)/) } },
        { decision: 'allow' },
      ]);

      const lift = (payload: object) =>
        t.call({ method: 'POST', url: `/v1/rights-requests/${id}/lift`, payload: payload as object });
      expect((await lift({ informedAt: '2026-02-20' })).statusCode).toBe(409); // open: answer it first
      const done = await t.call({
        method: 'PATCH',
        url: `/v1/rights-requests/${id}`,
        payload: { status: 'done', answer: 'restricted' },
      });
      expect(done.statusCode).toBe(200);
      expect((await decide([ask('ana@example.fr')])).json()[0]).toMatchObject({
        error: { code: 'PROCESSING_RESTRICTED' },
      });
      // Only storage while restricted (art. 18(2)): no erasure but under the person's own request made since.
      const erase = expectProblem(await t.call({ method: 'DELETE', url: `/v1/contacts/${ids.ana}` }), 409);
      expect(erase.detail).toMatch(/restricted since 2026-02-01.*art\. 18\(2\)/);
      expect((await t.store.findContact({ id: ids.ana as string }))?.erasedAt).toBeUndefined();
      expectProblem(await lift({}), 400);
      expectProblem(await lift({ informedAt: '2999-01-01' }), 400, '/informedAt');
      const lifted = await lift({ informedAt: '2026-02-20', by: 'dpo' });
      expect(lifted.statusCode, lifted.body).toBe(200);
      expect(lifted.json()).toMatchObject({
        liftedBy: expect.stringMatching(/\/dpo$/),
        informedAt: '2026-02-20T00:00:00.000Z',
      });
      expect((await decide(ask('ana@example.fr'))).json()).toMatchObject({ decision: 'allow' });
      expectProblem(await lift({ informedAt: '2026-02-20' }), 409);
      expectProblem(
        await t.call({ method: 'POST', url: '/v1/rights-requests/nope/lift', payload: { informedAt: '2026-02-20' } }),
        404,
      );
      const listed = await t.call({ method: 'GET', url: `/v1/rights-requests?contact=${ids.ana}` });
      expect(listed.json().rightsRequests[0]).toMatchObject({ id, informedAt: '2026-02-20T00:00:00.000Z' });
    });

    it('ends a restriction answered refused', async () => {
      const made = await t.call({
        method: 'POST',
        url: '/v1/rights-requests',
        payload: { contactId: ids.bob, kind: 'restriction' },
      });
      expectProblem(await decide(ask('bob@example.fr')), 409);
      const refused = await t.call({
        method: 'PATCH',
        url: `/v1/rights-requests/${made.json().id}`,
        payload: { status: 'refused', answer: 'the data is accurate' },
      });
      expect(refused.statusCode).toBe(200);
      expect((await decide(ask('bob@example.fr'))).json()).toMatchObject({ decision: 'allow' });
    });
  });
}
