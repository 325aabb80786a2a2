// An erased person's address typed on a public form by anyone: nothing stores it as a contact's until its owner
// confirms (docs/forms.md §2, docs/lists.md), and then the sign-up is recorded with its evidence as any other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reservedContactId } from '../../src/services/forms/collect.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { type FormBench, openFormBench } from './form-support.js';

let b: FormBench;
beforeAll(async () => {
  b = await openFormBench();
});
afterAll(async () => {
  await b?.close();
});

const contactsByEmail = async (email: string) =>
  (await b.t.call({ url: `/v1/contacts?email=${encodeURIComponent(email)}` })).json();

describe('an address of the suppression list typed on a form', () => {
  it('stores no contact until the owner confirms, then records the sign-up with its evidence', async () => {
    const id = await b.makeForm('FR');
    const hash = suppressionHash('email', 'erased@example.fr');
    await b.t.store.addSuppressions([{ hash, reason: 'erased', at: '2026-01-01' }]);
    const res = await b.submit(id, { email: 'Erased@Example.fr', box_news: 'on' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Your choices are recorded'); // the page of any submission
    expect(await contactsByEmail('erased@example.fr')).toMatchObject({ items: [] });
    expect(await b.t.store.findContact({ kind: 'email', value: 'erased@example.fr' })).toBeNull();
    expect(await b.t.store.suppressedAmong([hash])).toEqual(new Set([hash]));

    expect((await b.confirmMail('erased@example.fr')).statusCode).toBe(200);
    const contact = await b.t.store.findContact({ kind: 'email', value: 'erased@example.fr' });
    expect(contact?.identifiers).toEqual([{ kind: 'email', value: 'erased@example.fr' }]);
    const history = await b.t.store.historyOf(contact?.id as string);
    expect(history.map((e) => [e.type, e.data.channel])).toEqual([
      ['consent.requested', 'email'],
      ['consent.refused', 'sms'],
      ['consent.confirmed', 'email'],
    ]);
    expect(history[0]).toMatchObject({
      at: '2026-10-01T10:00:00.000Z',
      evidence: {
        method: 'form',
        formId: id,
        textId: 'news:1:en',
        textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        ip: expect.stringMatching(/^127\.1\./),
        userAgent: 'test-browser/1',
        pageUrl: 'https://shop.example/signup',
      },
    });
    expect(history[2]).toMatchObject({ evidence: { method: 'double_opt_in', userAgent: 'phone/1' } });
    expect(await b.t.store.suppressedAmong([hash])).toEqual(new Set());
    const decisions = await b.t.call({
      method: 'POST',
      url: '/v1/decisions',
      payload: { contact: { id: contact?.id }, message: { channel: 'email', purpose: 'newsletter' } },
    });
    expect(decisions.json()).toMatchObject({ decision: 'allow' });
  });

  it('keeps only the address typed beside it that a confirmation proved; a number alone stays out', async () => {
    const id = await b.makeForm('FR');
    await b.t.store.addSuppressions([
      { hash: suppressionHash('email', 'gone@example.fr'), reason: 'erased', at: '2026-01-01' },
    ]);
    const res = await b.serverPost(id, {
      email: 'gone@example.fr',
      phone: '06 12 00 00 01',
      box_news: 'on',
      submission_id: 's-gone',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'pending', contactId: reservedContactId(id, 's-gone') });
    expect(await b.t.store.findContact({ kind: 'phone', value: '+33612000001', jurisdiction: 'FR' })).toBeNull();
    // Sent again: the same requests, no second mail; other answers under its id: refused.
    const again = await b.serverPost(id, {
      email: 'gone@example.fr',
      phone: '06 12 00 00 01',
      box_news: 'on',
      submission_id: 's-gone',
    });
    expect(again.json().requestIds).toEqual(res.json().requestIds);
    const other = await b.serverPost(id, {
      email: 'gone@example.fr',
      box_sms: 'on',
      phone: '0612000001',
      submission_id: 's-gone',
    });
    expect(other.statusCode).toBe(409);
    expect((await b.confirmMail('gone@example.fr')).statusCode).toBe(200);
    const contact = await b.t.store.findContact({ kind: 'email', value: 'gone@example.fr' });
    expect(contact?.id).toBe(reservedContactId(id, 's-gone'));
    expect(contact?.identifiers).toEqual([{ kind: 'email', value: 'gone@example.fr' }]);
  });

  it('records nothing when nothing is ticked, and leaves no address once an unconfirmed request expires', async () => {
    const id = await b.makeForm('FR');
    await b.t.store.addSuppressions([
      { hash: suppressionHash('email', 'quiet@example.fr'), reason: 'erased', at: '2026-01-01' },
      { hash: suppressionHash('email', 'never@example.fr'), reason: 'erased', at: '2026-01-01' },
    ]);
    const none = await b.serverPost(id, { email: 'quiet@example.fr' });
    expect(none.json()).toEqual({ status: 'recorded', contactId: null, requestId: null, requestIds: [] });
    const res = await b.serverPost(id, { email: 'never@example.fr', box_news: 'on', submission_id: 's-never' });
    const cid = res.json().contactId as string;
    await b.sink.next('never@example.fr');
    const [pending] = await b.t.store.consentRequestsOf([cid]);
    expect(pending).toMatchObject({ destination: 'never@example.fr', status: 'pending', deferred: expect.anything() });
    // The one confirmation that lets the owner come back went out; no reminder goes to a suppressed address on the
    // word of whoever typed it.
    expect(await b.sweepAfter(49 * 3_600_000)).toMatchObject({ reminded: 0, held: 1 });
    expect(await b.sweepAfter(50 * 3_600_000)).toMatchObject({ reminded: 0, held: 0 });
    await b.sweepAfter(8 * 86_400_000); // ASSENT_DOI_EXPIRE_HOURS: 168
    const [expired] = await b.t.store.consentRequestsOf([cid]);
    expect(expired).toMatchObject({ destination: '(expired)', status: 'expired', deferred: null });
    expect(JSON.stringify(expired)).not.toContain('never@example.fr');
    expect(await b.t.store.findContact({ kind: 'email', value: 'never@example.fr' })).toBeNull();
  });
});

describe('a deferred sign-up whose person is erased before every request is settled', () => {
  it('keeps none of the pending sibling request’s answers or evidence (GDPR art. 17)', async () => {
    const id = await b.makeForm('FR');
    await b.t.store.addSuppressions([
      { hash: suppressionHash('email', 'twice@example.fr'), reason: 'erased', at: '2026-01-01' },
    ]);
    const res = await b.serverPost(id, {
      email: 'twice@example.fr',
      phone: '06 12 00 00 09',
      box_news: 'on',
      box_sms: 'on',
      submission_id: 's-twice',
    });
    expect(res.statusCode, res.body).toBe(201);
    const cid = res.json().contactId as string;
    expect((await b.confirmMail('twice@example.fr')).statusCode).toBe(200);
    const pending = (await b.t.store.consentRequestsOf([cid])).filter((r) => r.status === 'pending');
    expect(pending).toHaveLength(1); // the text message's, not confirmed
    expect(pending[0]?.deferred).not.toBeNull();
    const erased = await b.t.call({ method: 'DELETE', url: `/v1/contacts/${cid}` });
    expect(erased.statusCode, erased.body).toBe(200);
    const after = await b.t.store.consentRequestsOf([cid]);
    for (const r of after) expect(r.deferred).toBeNull();
    expect(JSON.stringify(after)).not.toContain('198.51.100.7');
    expect(JSON.stringify(after)).not.toContain('612000009');
  });
});

describe('a deferred sign-up’s request expired by a removed address', () => {
  it('keeps none of its answers', async () => {
    const id = await b.makeForm('FR');
    await b.t.store.addSuppressions([
      { hash: suppressionHash('email', 'moved@example.fr'), reason: 'erased', at: '2026-01-01' },
    ]);
    const res = await b.serverPost(id, {
      email: 'moved@example.fr',
      phone: '06 12 00 00 08',
      box_news: 'on',
      box_sms: 'on',
      submission_id: 's-moved',
    });
    const cid = res.json().contactId as string;
    expect((await b.confirmMail('moved@example.fr')).statusCode).toBe(200);
    const patch = (body: Record<string, unknown>) =>
      b.t.call({
        method: 'PATCH',
        url: `/v1/contacts/${cid}`,
        payload: body,
        headers: { 'content-type': 'application/json' },
      });
    expect((await patch({ add: { phone: '+33612000008' } })).statusCode).toBe(200);
    expect((await patch({ remove: { phone: '+33612000008' } })).statusCode).toBe(200);
    const sms = (await b.t.store.consentRequestsOf([cid])).find((r) => r.via === 'sms');
    expect(sms).toMatchObject({ status: 'expired', deferred: null });
  });
});

describe('POST /v1/consent-requests/sweep', () => {
  // Last in the file: it moves the app's clock, and its reminders go to the sink.
  it('reports the reminders it held back for a suppressed address (held), as the sweep counts them', async () => {
    const id = await b.makeForm('FR');
    await b.t.store.addSuppressions([
      { hash: suppressionHash('email', 'held@example.fr'), reason: 'erased', at: '2026-01-01' },
    ]);
    await b.serverPost(id, { email: 'held@example.fr', box_news: 'on', submission_id: 's-held' });
    await b.sink.next('held@example.fr');
    const start = b.clock.now;
    b.clock.now = new Date(start.getTime() + 49 * 3_600_000); // ASSENT_DOI_REMIND_HOURS: 48
    try {
      const res = await b.t.call({ method: 'POST', url: '/v1/consent-requests/sweep' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().held).toBeGreaterThanOrEqual(1);
    } finally {
      b.clock.now = start;
    }
  });
});
