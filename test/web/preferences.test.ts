// The preference center: what the person agreed to, their changes, withdraw-all, rights requests, CSRF and replays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/adapters/http/app.js';
import type { Evidence } from '../../src/domain/ledger.js';
import type { EventType } from '../../src/domain/request.js';
import { openStore } from '../../src/store/open-store.js';
import { expectProblem, openTestApp, packs, snapshot, type TestApp, testConfig } from '../http/helpers.js';
import { TOKEN_SECRET, tickingClock } from './clock.js';

const clock = tickingClock('2026-11-02T09:00:00Z');
const { now, signer } = clock;
let t: TestApp;
let ana: string;
let url: string;

beforeAll(async () => {
  t = await openTestApp({ config: { tokenSecrets: [TOKEN_SECRET] }, deps: { now } });
  ana = (
    await t.store.createContact({
      type: 'individual',
      jurisdiction: 'FR',
      email: 'ana@example.fr',
      phone: '0612345678',
    })
  ).id;
  const at = '2026-10-01T10:00:00Z';
  await t.store.appendEvents([
    { contactId: ana, type: 'consent.given', at, data: { channel: 'email', purpose: 'newsletter' }, recordedBy: 't' },
    {
      contactId: ana,
      type: 'consent.given',
      at,
      data: { channel: 'email', scope: 'partners', partners: ['acme-insurance'] },
      recordedBy: 't',
    },
    { contactId: ana, type: 'consent.given', at, data: { channel: 'sms' }, recordedBy: 't' },
  ]);
  url = `/p/${signer.sign({ p: 'preferences', c: ana, exp: clock.seconds() + 86_400 })}`;
});
afterAll(() => t.close());

const get = (lang = 'en') => t.call({ method: 'GET', url: `${url}?lang=${lang}`, key: null });
const csrfOf = (body: string) => /name="csrf" value="([^"]+)"/.exec(body)?.[1] as string;
const post = (form: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of [v].flat()) params.append(k, x);
  return t.call({
    method: 'POST',
    url: `${url}?lang=en`,
    key: null,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'Browser/1' },
    payload: params.toString(),
  });
};
const decide = async (channel: string, extra: object = {}) =>
  (
    (
      await t.call({
        method: 'POST',
        url: '/v1/decisions',
        payload: { id: 'd', contact: { email: 'ana@example.fr' }, message: { channel, ...extra } },
        key: t.keys.decide,
      })
    ).json() as { decision: string }
  ).decision;

describe('preference center', () => {
  it('shows each consent per channel, purpose and partner, with labels, and changes nothing', async () => {
    const before = await snapshot(t.store);
    const res = await get('fr');
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toContain('Vos préférences de communication');
    expect(res.body).toMatch(/<input type="checkbox" id="c0" name="c" value="email\|\*\|partners"[^>]* checked>/);
    expect(res.body).toContain('acme-insurance');
    expect(res.body).toMatch(/<label for="c0">/);
    expect(res.body).toMatch(/<legend>Vos consentements<\/legend>/);
    expect(res.body).toContain('Plus aucune prospection par SMS');
    expect(await snapshot(t.store)).toBe(before);
  });

  it('records what the person changed, with evidence; a replayed form records nothing more', async () => {
    const csrf = csrfOf((await get()).body);
    const form = { csrf, action: 'save', c: ['email|newsletter|own', 'sms|*|own'], o: 'phone' };
    const res = await post(form);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/^\/p\/[\w.-]+\?lang=en&done=saved$/);
    const added = (await t.store.historyOf(ana)).slice(3);
    expect(added.map((e) => [e.type, e.data])).toEqual([
      ['consent.withdrawn', { channel: 'email', scope: 'partners' }],
      ['objection', { channel: 'phone' }],
    ]);
    expect(added[0]?.evidence).toMatchObject({ method: 'preference-center', ip: '127.0.0.1', userAgent: 'Browser/1' });
    expect(added[0]?.recordedBy).toBe('recipient:preference-center');
    // The same post again (a double click): told it is done, nothing more recorded.
    const before = await snapshot(t.store);
    const twice = await post(form);
    expect([twice.statusCode, twice.headers.location]).toEqual([303, res.headers.location]);
    expect(await snapshot(t.store)).toBe(before);
    const page = await t.call({ method: 'GET', url: res.headers.location as string, key: null });
    expect(page.body).toContain('Your choices were saved.');
    // Now unticked; not to be ticked again here: no stored wording was shown when it was given.
    expect(page.body).toMatch(/value="email\|\*\|partners" aria-describedby="c0-s c0-a" disabled>/);
    expect(page.body).toContain('To agree to this again, sign up again on our website');
    expect(page.body).toContain('You objected to marketing by phone calls');
  });

  it('marks a withdrawn consent’s wording with its own language when the page is in another (WCAG 3.1.2)', async () => {
    await t.store.putConsentText({ key: 'lang-news', version: '1', language: 'fr', body: 'Je veux la lettre.' });
    const leo = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'leo@example.fr' })).id;
    const data = { channel: 'email', purpose: 'letters' };
    await t.store.appendEvents([
      {
        contactId: leo,
        type: 'consent.given',
        at: '2026-10-01T10:00:00Z',
        data,
        evidence: { textId: 'lang-news:1:fr' },
        recordedBy: 't',
      },
      { contactId: leo, type: 'consent.withdrawn', at: '2026-10-02T10:00:00Z', data, recordedBy: 't' },
    ]);
    const link = `/p/${signer.sign({ p: 'preferences', c: leo, exp: clock.seconds() + 86_400 })}`;
    const page = (lang: string) => t.call({ method: 'GET', url: `${link}?lang=${lang}`, key: null });
    expect((await page('en')).body).toMatch(/<span class="hint" id="c0-w" lang="fr">Je veux la lettre\.<\/span>/);
    expect((await page('fr')).body).toMatch(/<span class="hint" id="c0-w">Je veux la lettre\.<\/span>/);
  });

  it('says an objection to every channel as such, in every language, not as a list of channels', async () => {
    const id = (
      await t.store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: 'eve@example.fr',
        phone: '0611111111',
      })
    ).id;
    await t.store.appendEvents([
      { contactId: id, type: 'objection', at: '2026-10-01T10:00:00Z', data: { channel: '*' }, recordedBy: 't' },
    ]);
    const own = `/p/${signer.sign({ p: 'preferences', c: id, exp: clock.seconds() + 86_400 })}`;
    for (const [lang, said] of [
      ['en', 'You objected to marketing on every channel on'],
      ['fr', 'Vous vous êtes opposé(e) à la prospection sur tous les canaux le'],
      ['de', 'der Werbung auf allen Kanälen widersprochen'],
      ['nl', 'bezwaar gemaakt tegen marketing via alle kanalen'],
    ]) {
      const page = await t.call({ method: 'GET', url: `${own}?lang=${lang}`, key: null });
      expect(page.body).toContain(said);
      expect(page.body.match(/<p>[^<]*(objected|opposé|widersprochen|bezwaar)[^<]*<\/p>/g)).toHaveLength(1);
    }
  });

  it('refuses a page posted again with other choices, on another server too: nothing recorded, the page shown (409)', async () => {
    const at = '2026-10-01T10:00:00Z';
    const id = (
      await t.store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: 'rex@example.fr',
        phone: '0698765432',
      })
    ).id;
    await t.store.appendEvents(
      ['email', 'phone'].map((channel) => ({
        contactId: id,
        type: 'consent.given',
        at,
        data: { channel },
        recordedBy: 't',
      })),
    );
    const u = `/p/${signer.sign({ p: 'preferences', c: id, exp: clock.seconds() + 86_400 })}`;
    const csrf = csrfOf((await t.call({ method: 'GET', url: `${u}?lang=en`, key: null })).body);
    const send = (app: { inject: TestApp['app']['inject'] }, c: string, lang = 'en') =>
      app.inject({
        method: 'POST',
        url: `${u}?lang=${lang}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ csrf, action: 'save', c }).toString(),
      });
    expect((await send(t.app, 'email|*|own')).statusCode).toBe(303);
    const history = async () => (await t.store.historyOf(id)).map((e) => [e.type, e.data.channel]);
    expect(await history()).toEqual([
      ['consent.given', 'email'],
      ['consent.given', 'phone'],
      ['consent.withdrawn', 'phone'],
    ]);
    const before = await snapshot(t.store);
    const again = await send(t.app, 'phone|*|own');
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(
      '<p class="error" role="alert">This page was sent already, so nothing more was recorded.',
    );
    expect(again.body).toMatch(/value="email\|\*\|own"[^>]* checked>/); // the choices as they stand
    // Another server (or this one restarted) on the same database: the nonce is spent there too.
    const store = await openStore(t.storeConfig);
    const other = await buildApp({ store, packs, config: testConfig({ tokenSecrets: [TOKEN_SECRET] }), now });
    try {
      const there = await send(other, 'phone|*|own', 'fr');
      expect(there.statusCode).toBe(409);
      expect(there.body).toContain('Cette page a déjà été envoyée');
    } finally {
      await other.close();
      await store.close();
    }
    expect(await snapshot(t.store)).toBe(before);
    expect(await history()).toHaveLength(3);
  });

  it('a consent ticked in the save that withdraws a wider one stands: one save, in the order meant', async () => {
    const bo = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'bo@example.fr' })).id;
    const at = '2026-10-01T10:00:00Z';
    const { id: textId, sha256 } = await t.store.putConsentText({
      key: 'all',
      version: '1',
      language: 'en',
      body: 'I agree to hear about your offers.',
    });
    const evidence = { method: 'form', textId };
    await t.store.appendEvents([
      { contactId: bo, type: 'consent.given', at, data: { channel: '*' }, evidence, recordedBy: 't' },
      { contactId: bo, type: 'consent.refused', at, data: { channel: 'email' }, evidence, recordedBy: 't' },
    ]);
    const boUrl = `/p/${signer.sign({ p: 'preferences', c: bo, exp: clock.seconds() + 86_400 })}`;
    const page = await t.call({ method: 'GET', url: `${boUrl}?lang=en`, key: null });
    expect(page.body).toMatch(/value="email\|\*\|own" aria-describedby="c1-s c1-w">/); // may be ticked again…
    expect(page.body).toContain('<span class="hint" id="c1-w">I agree to hear about your offers.</span>'); // …as worded
    const params = new URLSearchParams({ csrf: csrfOf(page.body), action: 'save', c: 'email|*|own', o: 'fax' });
    const res = await t.call({
      method: 'POST',
      url: `${boUrl}?lang=en`,
      key: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: params.toString(),
    });
    expect(res.statusCode).toBe(303);
    const answer = async (channel: string) =>
      (
        await t.call({
          method: 'POST',
          url: '/v1/decisions',
          payload: { contact: { id: bo }, message: { channel }, at: '2026-11-03T10:00:00Z' },
          key: t.keys.decide,
        })
      ).json() as { decision: string; reasons: { code: string }[] };
    expect((await answer('email')).decision).toBe('allow');
    const given = (await t.store.historyOf(bo)).find((e) => e.type === 'consent.given' && e.data.channel === 'email');
    expect(given?.evidence).toMatchObject({ method: 'preference-center', textId, textSha256: sha256 });
    expect((await answer('sms')).reasons[0]?.code).toBe('WITHDRAWN');
    expect((await answer('fax')).reasons[0]?.code).toBe('WITHDRAWN');
  });

  it('gives a consent again only with its wording, to an address on record, where no double opt-in is due', async () => {
    const { id: textId } = await t.store.putConsentText({
      key: 'offers',
      version: '1',
      language: 'en',
      body: 'I want your offers.',
    });
    const evidence = { method: 'form', textId };
    const at = '2026-10-01T10:00:00Z';
    const person = async (jurisdiction: string, email: string, events: [EventType, string, Evidence | null][]) => {
      const id = (await t.store.createContact({ type: 'individual', jurisdiction, email })).id;
      await t.store.appendEvents(
        events.map(([type, channel, ev]) => ({
          contactId: id,
          type,
          at,
          data: { channel },
          evidence: ev,
          recordedBy: 't',
        })),
      );
      return `/p/${signer.sign({ p: 'preferences', c: id, exp: clock.seconds() + 86_400 })}`;
    };
    // No number on record for the SMS box; no wording for the fax one; Germany wants email consent confirmed.
    const cyUrl = await person('FR', 'cy@example.fr', [
      ['consent.refused', 'sms', evidence],
      ['consent.refused', 'fax', null],
    ]);
    const deUrl = await person('DE', 'de@example.de', [
      ['consent.confirmed', 'email', evidence],
      ['consent.withdrawn', 'email', null],
    ]);
    for (const [u, keys] of [
      [cyUrl, ['sms|*|own', 'fax|*|own']],
      [deUrl, ['email|*|own']],
    ] as const) {
      const page = await t.call({ method: 'GET', url: `${u}?lang=en`, key: null });
      for (const k of keys)
        expect(page.body).toMatch(
          new RegExp(
            `value="${k.replaceAll('|', '\\|').replace('*', '\\*')}" aria-describedby="c\\d+-s (?:c\\d+-w )?c\\d+-a" disabled>`,
          ),
        );
      const before = await snapshot(t.store);
      const res = await t.call({
        method: 'POST',
        url: `${u}?lang=en`,
        key: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams([
          ['csrf', csrfOf(page.body)],
          ['action', 'save'],
          ...keys.map((k): [string, string] => ['c', k]),
        ]).toString(),
      });
      expect(res.statusCode).toBe(303); // a forged tick of a disabled box records nothing
      expect(await snapshot(t.store)).toBe(before);
    }
  });

  it('shows a consent its jurisdiction wants confirmed, and never was, as awaiting confirmation (as decisions say)', async () => {
    const at = '2026-10-01T10:00:00Z';
    const id = (await t.store.createContact({ type: 'individual', jurisdiction: 'DE', email: 'ute@example.de' })).id;
    await t.store.appendEvents([
      { contactId: id, type: 'consent.given', at, data: { channel: 'email', method: 'checkbox' }, recordedBy: 't' },
      { contactId: id, type: 'consent.given', at, data: { channel: 'fax', method: 'checkbox' }, recordedBy: 't' },
    ]);
    const u = `/p/${signer.sign({ p: 'preferences', c: id, exp: clock.seconds() + 86_400 })}`;
    const page = await t.call({ method: 'GET', url: `${u}?lang=en`, key: null });
    expect(page.body).toMatch(/email — [^<]*<span class="hint" id="c0-s">\(awaiting your confirmation since/);
    expect(page.body).toMatch(/fax — [^<]*<span class="hint" id="c1-s">\(given on/);
  });

  it('answers a body over the page limit with that limit, and a browser with a page saying to shorten it', async () => {
    const csrf = csrfOf((await get()).body);
    const payload = new URLSearchParams({ csrf, action: 'rectification', details: 'é'.repeat(3000) }).toString();
    const send = (accept: string) =>
      t.call({
        method: 'POST',
        url: `${url}?lang=en`,
        key: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
        payload,
      });
    const api = await send('*/*');
    expectProblem(api, 413);
    expect(api.json().detail).toBe(
      'Request body is too large (this route takes at most 16,384 bytes): shorten what you send',
    );
    const page = await send('text/html');
    expect(page.statusCode).toBe(413);
    expect(page.body).toContain('What you sent is too long. Please shorten it and send it again.');
  });

  it('refuses a missing, forged or foreign CSRF token with a clear page, changing nothing', async () => {
    const bob = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'bob@example.fr' })).id;
    const other = `/p/${signer.sign({ p: 'preferences', c: bob })}`;
    const foreign = csrfOf((await t.call({ method: 'GET', url: other, key: null })).body);
    expect(foreign).toMatch(/^\d+\.[\w-]+\.[\w-]+$/);
    const before = await snapshot(t.store);
    const [issued, nonce] = csrfOf((await get()).body).split('.');
    for (const csrf of [undefined, 'x', `${issued}.${nonce}.AAAA`, foreign, `1.${nonce}.AAAA`]) {
      const res = await post({ ...(csrf === undefined ? {} : { csrf }), action: 'withdraw-all' });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('This form has expired');
    }
    expect(await snapshot(t.store)).toBe(before);
  });

  it('records access and erasure requests for the DPO, once per form', async () => {
    const csrf = csrfOf((await get()).body);
    expect((await post({ csrf, action: 'access' })).headers.location).toMatch(/done=access$/);
    expect((await post({ csrf, action: 'access' })).headers.location).toMatch(/done=access$/); // a double click
    expect(
      (await t.store.listRightsRequests({ limit: 100, contactId: ana })).filter((r) => r.kind === 'access'),
    ).toHaveLength(1);
    expect((await post({ csrf, action: 'erasure' })).statusCode).toBe(409); // nor another request from it
    const erasure = await post({ csrf: csrfOf((await get()).body), action: 'erasure' });
    expect(erasure.headers.location).toMatch(/done=erasure$/);
    const shown = await t.call({ method: 'GET', url: erasure.headers.location as string, key: null });
    expect(shown.body).toContain('Your erasure request was recorded.');
    const list = await t.call({ method: 'GET', url: '/v1/rights-requests' });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { rightsRequests: { kind: string; contactId: string; evidence: object }[] })
      .rightsRequests;
    expect(items.map((r) => r.kind).sort()).toEqual(['access', 'erasure']);
    expect(items[0]).toMatchObject({ contactId: ana, evidence: { method: 'preference-center' } });
    expect((await t.call({ method: 'GET', url: '/v1/rights-requests', key: t.keys.all })).statusCode).toBe(403);
    // The DPO answers them: an access done, the erasure refused with its reason; an answer is final.
    const byKind = new Map(items.map((r) => [r.kind, (r as unknown as { id: string }).id]));
    const answer = (id: string | undefined, payload: object) =>
      t.call({ method: 'PATCH', url: `/v1/rights-requests/${id}`, payload });
    const done = await answer(byKind.get('access'), { status: 'done', answer: 'sent by email', by: 'dpo' });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'done',
      answer: 'sent by email',
      settledBy: expect.stringMatching(/dpo$/),
    });
    expectProblem(await answer(byKind.get('erasure'), { status: 'refused' }), 400, '/answer'); // no reason given
    expect((await answer(byKind.get('access'), { status: 'refused', answer: 'x' })).statusCode).toBe(409);
    expect((await answer('nobody', { status: 'done' })).statusCode).toBe(404);
    const open = await t.call({ method: 'GET', url: '/v1/rights-requests?status=open' });
    expect(open.json().rightsRequests.map((r: { kind: string }) => r.kind)).toEqual(['erasure']);
    expect(open.json().rightsRequests[0].dueBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect((await t.call({ method: 'GET', url: '/v1/rights-requests?overdue=true' })).json()).toEqual({
      rightsRequests: [],
      next: null,
    });
    // A page at a time, newest first: `next` is the `after` of the following page.
    const first = (await t.call({ method: 'GET', url: '/v1/rights-requests?limit=1' })).json();
    const second = (await t.call({ method: 'GET', url: `/v1/rights-requests?limit=1&after=${first.next}` })).json();
    expect(second.rightsRequests[0].id).not.toBe(first.rightsRequests[0].id);
    expect(second.rightsRequests[0].requestedAt <= first.rightsRequests[0].requestedAt).toBe(true);
    const badPage = await t.call({ method: 'GET', url: '/v1/rights-requests?after=nope' });
    expectProblem(badPage, 400, '/after');
    expect(badPage.json().detail).toBe(
      'query parameter after names no rights request: pass the next of the previous page',
    );
    // A person named by email where the id goes: said so, not an empty list.
    const byEmail = await t.call({ method: 'GET', url: '/v1/rights-requests?contact=ana%40example.fr' });
    expectProblem(byEmail, 400, '/contact');
    expect(
      (await t.call({ method: 'GET', url: `/v1/rights-requests?contact=${ana}` })).json().rightsRequests.length,
    ).toBeGreaterThan(0);
    // One received by letter, recorded by the DPO, counts from its receipt.
    const record = (payload: object) => t.call({ method: 'POST', url: '/v1/rights-requests', payload });
    const letter = await record({ contactId: ana, kind: 'erasure', receivedAt: '2026-01-31', by: 'dpo' });
    expect(letter.statusCode).toBe(201);
    expect(letter.json()).toMatchObject({ kind: 'erasure', status: 'open', dueBy: '2026-02-28' });
    expect(letter.json().evidence.recordedBy).toMatch(/\/dpo$/);
    const late = await t.call({ method: 'GET', url: '/v1/rights-requests?overdue=true' });
    expect(late.json().rightsRequests.map((r: { id: string }) => r.id)).toEqual([letter.json().id]);
    expectProblem(await record({ contactId: ana, kind: 'access', receivedAt: '2999-01-01' }), 400, '/receivedAt');
    expectProblem(await record({ contactId: 'nobody', kind: 'access' }), 404);
    expectProblem(await record({ contactId: ana, kind: 'rectification' }), 400, '/details');
    // 1,000 characters as the schema counts them (an emoji is one), the store agreeing: 600 emoji fit.
    const emoji = await record({ contactId: ana, kind: 'rectification', details: '😀'.repeat(600) });
    expect(emoji.statusCode, emoji.body).toBe(201);
    expectProblem(await record({ contactId: ana, kind: 'rectification', details: '😀'.repeat(1001) }), 400, '/details');
    expect((await record({ contactId: ana, kind: 'access' })).statusCode).toBe(201);
    // An objection received by letter (art. 21): tracked with its month, and in the ledger from when it was
    // received (art. 21(3): no period to verify it), not only once answered.
    const writer = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'writer@example.fr' });
    const objection = await record({ contactId: writer.id, kind: 'objection', receivedAt: '2026-01-31', by: 'dpo' });
    expect(objection.json()).toMatchObject({ kind: 'objection', status: 'open', dueBy: '2026-02-28' });
    expect((await t.store.historyOf(writer.id)).at(-1)).toMatchObject({
      type: 'objection',
      at: '2026-01-31T00:00:00.000Z',
      evidence: { method: 'rights-request', request: objection.json().id },
    });
    // Filed for the writer: a restriction stops decisions on its person (art. 18), and Ana's are tested below.
    for (const kind of ['restriction', 'portability'])
      expect((await record({ contactId: writer.id, kind })).statusCode).toBe(201);
    const objected = await answer(objection.json().id, { status: 'done', answer: 'objection recorded', by: 'dpo' });
    expect(objected.statusCode, objected.body).toBe(200);
    // The restriction filed since is in the ledger too (contact.restricted): the last objection is the one read.
    const last = (await t.store.historyOf(writer.id)).filter((e) => e.type === 'objection').at(-1);
    expect(last).toMatchObject({
      type: 'objection',
      data: { channel: '*' },
      evidence: { request: objection.json().id },
    });
    expect(
      (await t.call({ method: 'POST', url: '/v1/rights-requests', key: t.keys.write, payload: {} })).statusCode,
    ).toBe(403);
  });

  it('records a rectification request with what the person says is wrong; asks again when they said nothing', async () => {
    const page = (await get()).body;
    expect(page).toContain('<textarea id="details" name="details" rows="3" maxlength="1000" required></textarea>');
    const csrf = csrfOf(page);
    const before = await snapshot(t.store);
    const empty = await post({ csrf, action: 'rectification', details: '   ' });
    expect(empty.headers.location).toMatch(/done=details$/);
    const shown = await t.call({ method: 'GET', url: empty.headers.location as string, key: null });
    expect(shown.body).toContain(
      '<p class="error" role="alert" id="details-error">Say what is wrong in your data, then ask again.</p>',
    );
    // The message is the box's: invalid and described by it (WCAG 1.3.1, 3.3.1).
    expect(shown.body).toContain('maxlength="1000" aria-invalid="true" aria-describedby="details-error" required>');
    expect(await snapshot(t.store)).toBe(before);
    const details = 'My name is spelt Anna, and my email is anna.roux@example.fr now. <b>x</b>';
    const asked = await post({ csrf, action: 'rectification', details });
    expect(asked.headers.location).toMatch(/done=rectification$/);
    const thanks = await t.call({ method: 'GET', url: asked.headers.location as string, key: null });
    expect(thanks.body).toContain('Your correction request was recorded.');
    const list = await t.call({ method: 'GET', url: '/v1/rights-requests?status=open' });
    const found = list.json().rightsRequests.find((r: { kind: string }) => r.kind === 'rectification');
    expect(found).toMatchObject({ contactId: ana, details, evidence: { method: 'preference-center' } });
    // Erasing the person blanks the text: it often holds the very address to correct.
    const gone = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'zed@example.fr' });
    await t.store.createRightsRequest({
      contactId: gone.id,
      kind: 'rectification',
      nonce: 'z',
      details: 'zed@example.com',
    });
    await t.call({ method: 'DELETE', url: `/v1/contacts/${gone.id}` });
    const after = await t.call({ method: 'GET', url: `/v1/rights-requests?contact=${gone.id}` });
    expect(after.json().rightsRequests[0].details).toBe('(erased)');
  });

  it('refuses rectification details over 1,000 characters, never cutting them, and shows them again', async () => {
    const csrf = csrfOf((await get()).body);
    const before = await snapshot(t.store);
    const long = `${'x'.repeat(999)}yz`; // 1,001: the z was cut before, and the request recorded without it
    for (const [lang, message] of [
      ['en', 'Your description of what is wrong has 1,001 characters; it may have at most 1,000.'],
      ['fr', 'compte 1\u202f001 caractères ; elle peut en compter au plus 1\u202f000.'],
    ] as const) {
      const res = await t.call({
        method: 'POST',
        url: `${url}?lang=${lang}`,
        key: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ csrf, action: 'rectification', details: long }).toString(),
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain(message);
      expect(res.body).toContain(`aria-invalid="true" aria-describedby="details-error" required>${long}</textarea>`);
      expect(res.body).toMatch(/<p class="error" role="alert" id="details-error">[^<]*1.001/);
    }
    // The DPO's way in says the same (the CLI's `rights add --details` too: exit 2, from the store).
    const api = await t.call({
      method: 'POST',
      url: '/v1/rights-requests',
      payload: { contactId: ana, kind: 'rectification', details: long },
    });
    expectProblem(api, 400, '/details');
    expect(api.json().detail).toBe('/details must NOT have more than 1000 characters');
    expect(await snapshot(t.store)).toBe(before);
    // A browser counts a line break as one character for maxlength and sends it as CRLF: 1,000 is 1,000.
    const sent = [...Array(9).fill('a'.repeat(99)), 'b'.repeat(100)].join('\r\n'); // 1,009 sent, 1,000 typed
    expect(sent.replaceAll('\r\n', '\n')).toHaveLength(1000);
    expect((await post({ csrf, action: 'rectification', details: sent })).statusCode).toBe(303);
    const list = await t.call({ method: 'GET', url: `/v1/rights-requests?contact=${ana}` });
    const stored = list.json().rightsRequests.map((r: { details: string | null }) => r.details);
    expect(stored).toContain(sent.replaceAll('\r\n', '\n'));
  });

  it('withdraws everything with one button (RGPD art. 7(3)); the next decision denies', async () => {
    expect(await decide('sms', {})).toBe('allow');
    const csrf = csrfOf((await get()).body);
    const res = await post({ csrf, action: 'withdraw-all' });
    expect(res.headers.location).toMatch(/done=withdrawn$/);
    const added = (await t.store.historyOf(ana)).slice(-3);
    expect(added.map((e) => [e.type, e.data])).toEqual([
      ['consent.withdrawn', { channel: '*', scope: 'own' }],
      ['consent.withdrawn', { channel: '*', scope: 'partners' }],
      ['objection', { channel: '*' }],
    ]);
    for (const channel of ['email', 'sms']) expect(await decide(channel)).toBe('deny');
    const shown = await t.call({ method: 'GET', url: res.headers.location as string, key: null });
    expect(shown.body).toContain('Everything was withdrawn.');
  });

  it('an expired or forged link gets a clear page', async () => {
    const expired = signer.sign({ p: 'preferences', c: ana, exp: clock.seconds() - 1 });
    const res = await t.call({ method: 'GET', url: `/p/${expired}?lang=nl`, key: null });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('Deze link is verlopen');
    const unsub = signer.sign({ p: 'unsubscribe', c: ana });
    expect((await t.call({ method: 'GET', url: `/p/${unsub}`, key: null })).statusCode).toBe(400);
  });

  it('an erased person’s links show nothing and record nothing (410), the ledger unchanged', async () => {
    const gone = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'erased@example.fr' });
    await t.store.appendEvents([
      {
        contactId: gone.id,
        type: 'consent.given',
        at: '2026-10-01T10:00:00Z',
        data: { channel: 'email', method: 'checkbox' },
        recordedBy: 'test',
      },
    ]);
    const prefs = `/p/${signer.sign({ p: 'preferences', c: gone.id, exp: clock.seconds() + 3600 })}`;
    const csrf = csrfOf((await t.call({ method: 'GET', url: prefs, key: null })).body);
    const unsub = `/u/${signer.sign({ p: 'unsubscribe', c: gone.id, ch: 'email' })}`;
    await t.call({ method: 'DELETE', url: `/v1/contacts/${gone.id}` });
    const before = await snapshot(t.store);
    const page = await t.call({ method: 'GET', url: prefs, key: null });
    expect(page.statusCode).toBe(410);
    expect(page.body).not.toContain('email');
    const saved = await t.call({
      method: 'POST',
      url: prefs,
      key: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `csrf=${encodeURIComponent(csrf)}&action=save&c=${encodeURIComponent('email|*|own')}`,
    });
    expect(saved.statusCode).toBe(410);
    const oneClick = await t.call({
      method: 'POST',
      url: unsub,
      key: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(410);
    expect(await snapshot(t.store)).toBe(before);
  });
});
