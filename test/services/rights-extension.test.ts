// GDPR art. 12(3): a request is answered within a month of receipt; "where necessary, taking into account the
// complexity and number of the requests", two further months, the person told of it with the reasons within the
// first month. The extension moves `dueBy`, so an extended request is not reported overdue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../../src/services/erasure.js';
import { answerRightsRequest, extendRightsRequest, recordRightsRequest } from '../../src/services/rights-requests.js';
import type { Store } from '../../src/store/store.js';
import { expectProblem, openTestApp, type TestApp } from '../http/helpers.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';

for (const dialect of DIALECTS) {
  describe(`extension of a rights request on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'extension of a rights request'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
    });
    afterAll(() => cleanup());

    /** An access request of `name@example.fr`, received on 2026-01-31 at 10:00 UTC. */
    const received = async (name: string) => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: `${name}@example.fr` });
      const { request } = await recordRightsRequest(store, {
        contactId: c.id,
        kind: 'access',
        nonce: `a-${name}`,
        at: new Date('2026-01-31T10:00:00Z'),
        recordedBy: 'dpo',
      });
      return { contactId: c.id, id: request.id };
    };
    const extend = (id: string, at: string, reason = 'twelve years of records to gather') =>
      extendRightsRequest(store, id, { by: 'dpo', at: new Date(at), reason });

    it('moves the last day to answer from one month to three, and keeps when, by whom and why', async () => {
      const { id } = await received('ana');
      const overdue = (day: string) => store.listRightsRequests({ limit: 10, overdueOn: day });
      expect((await overdue('2026-03-01')).map((r) => r.id)).toContain(id); // due 2026-02-28
      const extended = await extend(id, '2026-02-20T09:00:00Z');
      expect(extended).toMatchObject({
        dueBy: '2026-04-30',
        extendedAt: '2026-02-20T09:00:00.000Z',
        extendedBy: 'dpo',
        extensionReason: 'twelve years of records to gather',
      });
      expect((await overdue('2026-03-01')).map((r) => r.id)).not.toContain(id);
      expect((await overdue('2026-05-01')).map((r) => r.id)).toContain(id);
      const [listed] = await store.listRightsRequests({ limit: 1, contactIds: [extended.contactId] });
      expect(listed).toMatchObject({ dueBy: '2026-04-30', extensionReason: 'twelve years of records to gather' });
      // Once only (two further months, not more).
      await expect(extend(id, '2026-02-21T09:00:00Z')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('extended already'),
      });
      // Answered in the third month: within the extended period, not late.
      const done = await answerRightsRequest(store, id, {
        status: 'done',
        by: 'dpo',
        at: new Date('2026-04-20'),
        answer: 'sent',
      });
      expect(done).toMatchObject({ dueBy: '2026-04-30', answeredLate: false });
    });

    it('refuses an extension after the first month, of a request answered, or without reasons', async () => {
      const late = await received('bob');
      // The first month ends on 2026-02-28: the day after is too late to tell the person.
      await expect(extend(late.id, '2026-03-01T00:00:00Z')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('month ended on 2026-02-28'),
      });
      await expect(extend(late.id, '2026-02-10T00:00:00Z', '   ')).rejects.toMatchObject({ code: 'INVALID' });
      await expect(extend(late.id, '2026-02-10T00:00:00Z', 'a\u0000b')).rejects.toMatchObject({ code: 'INVALID' });
      await expect(extend(late.id, '2026-02-10T00:00:00Z', 'x'.repeat(1001))).rejects.toMatchObject({
        code: 'INVALID',
      });
      // Answered after its month, without an extension: late, and said so.
      const answered = await answerRightsRequest(store, late.id, {
        status: 'done',
        by: 'dpo',
        at: new Date('2026-03-02T10:00:00Z'),
        answer: 'copy sent',
      });
      expect(answered).toMatchObject({ dueBy: '2026-02-28', answeredLate: true });
      await expect(extend(late.id, '2026-02-10T00:00:00Z')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(extend('no-such-request', '2026-02-10T00:00:00Z')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    // The reasons given may quote the person's situation: erased with the rest of their words (answers, details).
    it('blanks the reasons, and an author quoting the person, when the person is erased', async () => {
      const { contactId, id } = await received('cleo');
      await extend(id, '2026-02-01T00:00:00Z', 'Cleo asked for every call recording');
      // Who extended it is free text too: one quoting the person's address goes, as a quoting answerer does.
      const other = await received('dora');
      await extendRightsRequest(store, other.id, {
        by: 'dpo for dora@example.fr',
        at: new Date('2026-02-01'),
        reason: 'x',
      });
      for (const person of [contactId, other.contactId])
        await eraseContact(store, person, { at: new Date('2026-02-02T00:00:00Z'), recordedBy: 'dpo' });
      const [r] = await store.listRightsRequests({ limit: 1, contactIds: [contactId] });
      expect(r).toMatchObject({ id, extensionReason: '(erased)', extendedBy: 'dpo', dueBy: '2026-04-30' });
      const [d] = await store.listRightsRequests({ limit: 1, contactIds: [other.contactId] });
      expect(d).toMatchObject({ extendedBy: '(erased)' });
    });
  });
}

describe('extension over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await openTestApp();
  });
  afterAll(() => t.close());

  it('POST /v1/rights-requests/{id}/extend answers the request with its new dueBy; 409 and 400 as documented', async () => {
    const c = (
      await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'FR', email: 'dan@example.fr' } })
    ).json();
    const made = await t.call({
      method: 'POST',
      url: '/v1/rights-requests',
      payload: { contactId: c.id, kind: 'access' },
    });
    const id = made.json().id as string;
    const extend = (payload: object) =>
      t.call({ method: 'POST', url: `/v1/rights-requests/${id}/extend`, payload: payload as object });
    expectProblem(await extend({}), 400);
    const done = await extend({ reason: 'many requests this month', by: 'dpo' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      extensionReason: 'many requests this month',
      extendedBy: expect.stringMatching(/\/dpo$/),
    });
    expect(done.json().dueBy > made.json().dueBy).toBe(true);
    expectProblem(await extend({ reason: 'again' }), 409);
    const listed = await t.call({ method: 'GET', url: `/v1/rights-requests?contact=${c.id}` });
    expect(listed.json().rightsRequests[0]).toMatchObject({ id, extensionReason: 'many requests this month' });
    expect(
      (
        await t.call({
          method: 'POST',
          url: `/v1/rights-requests/${id}/extend`,
          key: t.keys.write,
          payload: { reason: 'x' },
        })
      ).statusCode,
    ).toBe(403);
  });
});
