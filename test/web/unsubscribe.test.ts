// One-click unsubscribe (RFC 8058), its landing page, refused links, SMS STOP: app.inject against a SQLite store.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eraseContact } from '../../src/services/erasure.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { TokenSigner } from '../../src/services/tokens.js';
import { recipientLinks } from '../../src/services/unsubscribe.js';
import { openTestApp, snapshot, type TestApp } from '../http/helpers.js';
import { TOKEN_SECRET, tickingClock } from './clock.js';

const SMS_SECRET = 'sms-webhook-secret';
const clock = tickingClock('2026-11-02T09:00:00Z');
const { now, signer } = clock;
let t: TestApp;
let ana: string;
let bob: string;

beforeAll(async () => {
  t = await openTestApp({
    config: { tokenSecrets: [TOKEN_SECRET], smsWebhookSecret: SMS_SECRET, publicUrl: 'https://assent.example' },
    deps: { now },
  });
  ana = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' })).id;
  bob = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '+33612345678' })).id;
  await t.store.appendEvents([
    { contactId: ana, type: 'consent.given', at: '2026-10-01T10:00:00Z', data: { channel: 'email' }, recordedBy: 't' },
    { contactId: bob, type: 'consent.given', at: '2026-10-01T10:00:00Z', data: { channel: 'sms' }, recordedBy: 't' },
  ]);
});
afterAll(() => t.close());

const decide = async (contact: Record<string, string>, channel: string) => {
  const res = await t.call({
    method: 'POST',
    url: '/v1/decisions',
    payload: { id: 'd', contact, message: { channel } },
    key: t.keys.decide,
  });
  expect(res.statusCode).toBe(200);
  return res.json() as { decision: string; reasons: { code: string }[] };
};

const oneClick = (url: string) =>
  t.call({
    method: 'POST',
    url,
    key: null,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'MailProvider/1.0' },
    payload: 'List-Unsubscribe=One-Click',
  });

describe('one-click unsubscribe (RFC 8058)', () => {
  it('GET shows a confirmation page and changes nothing', async () => {
    const before = await snapshot(t.store);
    const { unsubscribeUrl } = recipientLinks(signer, { publicUrl: '', contactId: ana, channel: 'email' });
    const res = await t.call({ method: 'GET', url: `${unsubscribeUrl}?lang=fr`, key: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toMatch(/<form method="post" action="\/u\/[\w.-]+\?lang=fr">/);
    expect(res.body).toContain('Me désinscrire');
    expect(res.body).toMatch(/href="\/p\/[\w.-]+\?lang=fr"/);
    expect(await snapshot(t.store)).toBe(before);
    expect((await decide({ email: 'ana@example.fr' }, 'email')).decision).toBe('allow');
  });

  it('POST records the objection before answering, and the very next decision denies', async () => {
    const { unsubscribeUrl } = recipientLinks(signer, { publicUrl: '', contactId: ana, channel: 'email' });
    const res = await oneClick(unsubscribeUrl);
    expect(res.statusCode).toBe(200);
    const last = (await t.store.historyOf(ana)).at(-1);
    expect(last).toMatchObject({
      type: 'objection',
      data: { channel: 'email' },
      evidence: { method: 'one-click', ip: '127.0.0.1', userAgent: 'MailProvider/1.0', token: 't1' },
      recordedBy: 'recipient:one-click',
    });
    const answer = await decide({ email: 'ana@example.fr' }, 'email');
    expect(answer.decision).toBe('deny');
    expect(answer.reasons.map((r) => r.code)).toContain('WITHDRAWN');
  });

  it('a replayed POST is harmless: no second event', async () => {
    const { unsubscribeUrl } = recipientLinks(signer, { publicUrl: '', contactId: ana, channel: 'email' });
    const before = await snapshot(t.store);
    expect((await oneClick(unsubscribeUrl)).statusCode).toBe(200);
    expect(await snapshot(t.store)).toBe(before);
  });

  it('the landing page button records the objection on every channel when the link names none', async () => {
    const { unsubscribeUrl } = recipientLinks(signer, { publicUrl: '', contactId: bob });
    const res = await t.call({
      method: 'POST',
      url: `${unsubscribeUrl}?lang=de`,
      key: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'confirm=landing-page',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Sie sind abgemeldet');
    expect((await t.store.historyOf(bob)).at(-1)).toMatchObject({
      type: 'objection',
      data: { channel: '*' },
      evidence: { method: 'landing-page' },
    });
    expect((await decide({ phone: '+33612345678' }, 'sms')).decision).toBe('deny');
  });

  it('forged, foreign-purpose and unknown-key links get a clear page and change nothing', async () => {
    const erasedId = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'gone@example.fr' }))
      .id;
    await t.store.eraseContact(erasedId, '2026-10-15T00:00:00Z');
    const erased = signer.sign({ p: 'unsubscribe', c: erasedId });
    const before = await snapshot(t.store);
    const good = signer.sign({ p: 'unsubscribe', c: ana });
    const forged = `${Buffer.from(JSON.stringify({ v: 1, p: 'unsubscribe', c: bob, k: 't1' })).toString('base64url')}.${good.split('.')[1]}`;
    const expired = signer.sign({ p: 'preferences', c: ana, exp: clock.seconds() - 10 });
    const purpose = signer.sign({ p: 'preferences', c: ana });
    const unknown = new TokenSigner([{ id: 'zz', secret: 'another-secret-0123456789' }]).sign({
      p: 'unsubscribe',
      c: ana,
    });
    const gone = signer.sign({ p: 'unsubscribe', c: 'no-such-contact' });
    const cases: [string, number, RegExp][] = [
      [forged, 400, /This link is not valid/],
      [purpose, 400, /This link is not valid/],
      [unknown, 400, /This link is not valid/],
      [gone, 410, /cannot find your record/],
      [erased, 410, /Your details were erased from our records: nothing is kept that would let us contact you/],
      ['garbage', 400, /This link is not valid/],
      ['x'.repeat(3000), 400, /This link is not valid/], // too long: the page too, not a JSON error
    ];
    for (const [token, status, text] of cases) {
      for (const method of ['GET', 'POST'] as const) {
        const res =
          method === 'GET' ? await t.call({ method, url: `/u/${token}`, key: null }) : await oneClick(`/u/${token}`);
        expect(res.statusCode, `${method} ${token}`).toBe(status);
        expect(res.body).toMatch(text);
      }
    }
    const fr = await t.call({ method: 'GET', url: `/p/${expired}`, key: null, headers: { 'accept-language': 'fr' } });
    expect(fr.body).toContain('Ce lien a expiré');
    expect(await snapshot(t.store)).toBe(before);
  });

  it('an erased person is told what holds for every erasure (purge, DPO, request), in every language', async () => {
    const id = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'purged@example.fr' })).id;
    // As the retention purge erases a person who never objected: no request, no suppression of the address.
    await eraseContact(t.store, id, { at: new Date('2026-10-20T00:00:00Z'), recordedBy: 'retention', suppress: null });
    const links = [`/u/${signer.sign({ p: 'unsubscribe', c: id })}`, `/p/${signer.sign({ p: 'preferences', c: id })}`];
    // What the page may not say: that the person asked, or that nothing more will ever be sent to the address.
    const cases: [string, RegExp, RegExp][] = [
      ['en', /object at any time, free of charge, by writing to us/, /as asked|at your request|no more marketing/i],
      ['fr', /vous y opposer à tout moment, gratuitement, en nous écrivant/, /comme demandé|à votre demande|plus de/i],
      [
        'de',
        /jederzeit kostenlos widersprechen: Schreiben Sie uns/,
        /wie gewünscht|auf Ihren Wunsch|keine Werbung mehr/i,
      ],
      [
        'nl',
        /altijd kosteloos bezwaar tegen maken door ons te schrijven/,
        /op uw verzoek|zoals gevraagd|geen marketing meer/i,
      ],
    ];
    for (const [lang, says, never] of cases) {
      for (const link of links) {
        const res = await t.call({ method: 'GET', url: `${link}?lang=${lang}`, key: null });
        expect(res.statusCode, `${lang} ${link}`).toBe(410);
        expect(res.body).toMatch(says);
        expect(res.body).not.toMatch(never);
      }
    }
  });

  it('an unsubscribe link past its date still unsubscribes (its signature proves it), but opens no preference center', async () => {
    const cy = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'cy@example.fr' })).id;
    const old = signer.sign({ p: 'unsubscribe', c: cy, ch: 'email', exp: clock.seconds() - 86_400 });
    const page = await t.call({ method: 'GET', url: `/u/${old}`, key: null });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post"');
    expect(page.body).not.toContain('/p/');
    expect(await t.store.historyOf(cy)).toEqual([]);
    const res = await oneClick(`/u/${old}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('/p/');
    expect((await t.store.historyOf(cy)).at(-1)).toMatchObject({ type: 'objection', data: { channel: 'email' } });
  });

  it('a one-click POST is the token alone, whatever body comes with it (a malformed JSON one too)', async () => {
    const fay = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'fay.json@example.fr' }))
      .id;
    const link = `/u/${signer.sign({ p: 'unsubscribe', c: fay, ch: 'email' })}`;
    for (const [type, payload] of [
      ['application/json', '{"List-Unsubscribe": "One-Click"'],
      ['text/plain', 'List-Unsubscribe=One-Click'],
    ]) {
      const res = await t.call({ method: 'POST', url: link, key: null, headers: { 'content-type': type }, payload });
      expect(res.statusCode, type).toBe(200);
    }
    expect((await t.store.historyOf(fay)).filter((e) => e.type === 'objection')).toHaveLength(1);
  });

  it('one-click POSTs from one address (a mailbox provider) are not held to the pages limit', async () => {
    const app = await openTestApp({ config: { tokenSecrets: [TOKEN_SECRET] } });
    try {
      const dee = (await app.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'dee@example.fr' }))
        .id;
      const link = `/u/${new TokenSigner([TOKEN_SECRET]).sign({ p: 'unsubscribe', c: dee })}`;
      const codes = new Set<number>();
      for (let i = 0; i < 80; i++) {
        const res = await app.call({
          method: 'POST',
          url: link,
          key: null,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
        codes.add(res.statusCode);
      }
      expect([...codes]).toEqual([200]);
    } finally {
      await app.close();
    }
  });

  it('public pages are rate limited per client IP', async () => {
    const app = await openTestApp({ config: { tokenSecrets: [TOKEN_SECRET] } });
    try {
      let last = 0;
      for (let i = 0; i < 61; i++) last = (await app.call({ method: 'GET', url: '/u/x', key: null })).statusCode;
      expect(last).toBe(429);
    } finally {
      await app.close();
    }
  });
});

describe('POST /v1/sms/inbound', () => {
  it('records a STOP as an objection on sms, with a write key', async () => {
    const carol = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '0698765432' })).id;
    const res = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: t.keys.write,
      payload: { from: '+33698765432', text: 'Arrêt SMS' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ stop: true, recorded: true, contactId: carol });
    expect((await t.store.historyOf(carol)).at(-1)).toMatchObject({
      type: 'objection',
      data: { channel: 'sms' },
      evidence: { method: 'sms-stop', from: '+33698765432', text: 'Arrêt SMS' },
    });
    const other = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: t.keys.write,
      payload: { from: '+33698765432', text: 'hello' },
    });
    expect(other.json()).toEqual({ stop: false, recorded: false });
  });

  it('suppresses a STOP from a number no contact has, so no later import brings it back', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: t.keys.write,
      payload: { From: '+33 6 98 11 22 33', Body: 'STOP' },
    });
    expect(res.json()).toEqual({ stop: true, recorded: false, contactId: null, suppressed: true });
    expect(await t.store.suppressedAmong([suppressionHash('phone', '+33698112233')])).toHaveProperty('size', 1);
    // A sender that is no number: nothing can be kept, and the answer says so.
    const named = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: t.keys.write,
      payload: { from: 'abc', text: 'STOP' },
    });
    expect(named.json()).toEqual({
      stop: true,
      recorded: false,
      contactId: null,
      suppressed: false,
      detail: 'the sender "abc" is not a phone number: nothing to record the STOP against or to suppress',
    });
  });

  it('reads a gateway\'s number without its "+" (an MSISDN) internationally, a 0… number nationally', async () => {
    const hugo = (await t.store.createContact({ type: 'individual', jurisdiction: 'BE', phone: '+32470123456' })).id;
    const res = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: t.keys.write,
      payload: { from: '32470123456', text: 'STOP' },
    });
    expect(res.json()).toEqual({ stop: true, recorded: true, contactId: hugo });
    const national = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: t.keys.write,
      payload: { from: '06 98 44 55 66', text: 'STOP' },
    });
    expect(national.json()).toMatchObject({ recorded: false, suppressed: true });
    expect(await t.store.suppressedAmong([suppressionHash('phone', '+33698445566')])).toHaveProperty('size', 1);
  });

  it('accepts a form post signed with X-Assent-Signature', async () => {
    const dave = (await t.store.createContact({ type: 'individual', jurisdiction: 'DE', phone: '+4915112345678' })).id;
    const body = 'from=%2B4915112345678&text=STOPP';
    const ts = clock.seconds();
    const sig = createHmac('sha256', SMS_SECRET).update(`${ts}.${body}`).digest('hex');
    const res = await t.call({
      method: 'POST',
      url: '/v1/sms/inbound',
      key: null,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-assent-signature': `t=${ts},v1=${sig}` },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stop: true, recorded: true, contactId: dave });
  });

  it('refuses a missing or bad signature, a read key, and a stale signature, changing nothing', async () => {
    const before = await snapshot(t.store);
    const payload = { from: '+33698765432', text: 'STOP' };
    const body = JSON.stringify(payload);
    const old = clock.seconds() - 3600;
    const stale = createHmac('sha256', SMS_SECRET).update(`${old}.${body}`).digest('hex');
    const h = { 'content-type': 'application/json' };
    const statuses = [
      (await t.call({ method: 'POST', url: '/v1/sms/inbound', key: null, payload })).statusCode,
      (await t.call({ method: 'POST', url: '/v1/sms/inbound', key: t.keys.read, payload })).statusCode,
      (
        await t.call({
          method: 'POST',
          url: '/v1/sms/inbound',
          key: null,
          headers: { ...h, 'x-assent-signature': 't=1,v1=00' },
          payload: body,
        })
      ).statusCode,
      (
        await t.call({
          method: 'POST',
          url: '/v1/sms/inbound',
          key: null,
          headers: { ...h, 'x-assent-signature': `t=${old},v1=${stale}` },
          payload: body,
        })
      ).statusCode,
    ];
    expect(statuses).toEqual([401, 403, 401, 401]);
    expect(await snapshot(t.store)).toBe(before);
  });
});

describe('links for messages sent by other systems', () => {
  it('gives a contact its links and headers (write scope), and the one-click link works', async () => {
    const cid = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'cid@example.fr' })).id;
    await t.store.appendEvents([
      {
        contactId: cid,
        type: 'consent.given',
        at: '2026-10-01T10:00:00Z',
        data: { channel: 'email' },
        recordedBy: 't',
      },
    ]);
    const res = await t.call({
      method: 'GET',
      url: `/v1/contacts/${cid}/links?channel=email&mailto=unsubscribe@shop.example`,
      key: t.keys.write,
    });
    expect(res.statusCode).toBe(200);
    const links = res.json();
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/assent\.example\/u\/[\w.-]+$/);
    expect(links.preferencesUrl).toMatch(/^https:\/\/assent\.example\/p\/[\w.-]+$/);
    expect(links.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>, <mailto:unsubscribe@shop.example?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect((await oneClick(links.unsubscribeUrl.replace('https://assent.example', ''))).statusCode).toBe(200);
    expect((await decide({ email: 'cid@example.fr' }, 'email')).decision).toBe('deny');
    const bad = await t.call({ method: 'GET', url: `/v1/contacts/${cid}/links?channel=pigeon`, key: t.keys.write });
    expect(bad.statusCode).toBe(400);
    expect((await t.call({ method: 'GET', url: '/v1/contacts/nobody/links', key: t.keys.write })).statusCode).toBe(404);
    // A decide key only decides: the preference link would let it change the person's consents.
    expect((await t.call({ method: 'GET', url: `/v1/contacts/${cid}/links`, key: t.keys.decide })).statusCode).toBe(
      403,
    );
  });
});
