// Consent forms over app.inject, with a real SMTP server capturing the confirmation mails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formServices } from '../../src/adapters/web/forms/index.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { accessReport } from '../../src/services/access.js';
import { type PendingItem, sendConfirmation } from '../../src/services/forms/collect.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import type { ConsentRequest } from '../../src/store/consent-requests.js';
import { type MailSink, startMailSink } from '../e2e/support.js';
import { openTestApp, snapshot, type TestApp, testConfig } from '../http/helpers.js';

const PUBLIC = 'http://forms.test';
let t: TestApp;
let sink: MailSink;
let clock = new Date('2026-10-01T10:00:00Z');

async function makeForm(jurisdiction: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await t.call({
    method: 'POST',
    url: '/v1/consent-forms',
    payload: {
      name: `${jurisdiction} signup`,
      settings: {
        jurisdiction,
        privacyPolicyUrl: 'https://shop.example/privacy',
        controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
        fields: ['email', 'phone'],
        boxes: [
          { id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } },
          { id: 'sms', channel: 'sms', purpose: 'offers', text: { key: 'sms', version: '1' } },
        ],
        partners: {
          channels: ['email'],
          purpose: 'offers',
          text: { key: 'partners', version: '1' },
          partners: [{ id: 'acme', name: 'ACME SA' }],
          listUrl: 'https://shop.example/partners',
        },
        origins: ['https://shop.example'],
        ...extra,
      },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

let visitors = 0;
/** GET the form, then POST it like the browser would (Origin = the public URL, the page's CSRF token). */
async function submit(formId: string, fields: Record<string, string>, lang = 'en') {
  // One visitor address per submission: the pages' per-IP limit (60 a minute) is for visitors, not for this file.
  const remoteAddress = `127.0.${Math.floor(visitors / 200)}.${(visitors++ % 200) + 1}`;
  const page = await t.app.inject({ url: `/f/${formId}?lang=${lang}&page=https://shop.example/signup`, remoteAddress });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return t.app.inject({
    remoteAddress,
    method: 'POST',
    url: `/f/${formId}`,
    headers: { origin: PUBLIC, 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'test-browser/1' },
    payload: new URLSearchParams({ _csrf: csrf, lang, page_url: 'https://shop.example/signup', ...fields }).toString(),
  });
}

/** POSTs the confirmation link of the last mail to `to`, as its owner's click on the button would; `seen`: the page. */
async function confirmMail(to: string, seen?: (page: string) => void) {
  const mail = await sink.next(to);
  const link = new URL(/https?:\/\/\S+\/confirm\?token=\S+/.exec(mail.text)?.[0] as string);
  if (seen !== undefined) seen((await t.app.inject({ url: link.pathname + link.search })).body);
  return t.app.inject({
    method: 'POST',
    url: '/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token: link.searchParams.get('token') as string }).toString(),
  });
}

/** Whether the mail server refuses addresses at refused.example for now (451). */
let refusing = true;

/** The form services on the test's store, with a clock of their own (sending mail to the sink). */
const servicesAt = (now: () => Date, forms: Partial<ReturnType<typeof testConfig>['forms']> = {}) =>
  formServices({
    store: t.store,
    packs: new Map(),
    config: { ...testConfig(), publicUrl: PUBLIC, forms: { ...testConfig().forms, smtpUrl: sink.url, ...forms } },
    now,
  } as never);

/** The reminder sweep, `ms` after the test's clock. */
async function sweepAfter(ms: number) {
  const services = servicesAt(() => new Date(clock.getTime() + ms));
  try {
    return await services.sweep();
  } finally {
    services.close();
  }
}

/** Confirms a request no message carries here (no SMS provider): its token signed as sendConfirmation signs it. */
async function confirmRequest(request: ConsentRequest) {
  let token = '';
  const services = servicesAt(() => clock);
  try {
    const notify = async (_r: ConsentRequest, signed: string) => {
      token = signed;
    };
    await sendConfirmation({ signer: services.deps.signer, notify }, request, 'confirm');
  } finally {
    services.close();
  }
  return t.app.inject({
    method: 'POST',
    url: '/confirm',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ token }).toString(),
  });
}

const decisionsOf = async (contact: Record<string, string>, ...messages: [string, string][]) =>
  (
    await t.call({
      method: 'POST',
      url: '/v1/decisions',
      payload: messages.map(([channel, purpose], i) => ({ id: `${i}`, contact, message: { channel, purpose } })),
    })
  )
    .json()
    .map((d: { decision: string; basis?: string; reasons: { code: string }[] }) =>
      `${d.decision} ${d.basis ?? d.reasons[0]?.code ?? ''}`.trim(),
    );

beforeAll(async () => {
  // An address at refused.example is one the mail server will not take now (451): a confirmation that cannot go out.
  sink = await startMailSink((rcpt) =>
    rcpt.endsWith('@refused.example') && refusing ? { code: 451, message: 'try later' } : null,
  );
  const base = testConfig();
  t = await openTestApp({
    config: { publicUrl: PUBLIC, forms: { ...base.forms, smtpUrl: sink.url, mailFrom: 'shop@example.com' } },
    deps: { now: () => clock },
  });
  for (const [key, lang, body] of [
    ['news', 'en', 'I want the newsletter by email.'],
    ['news', 'fr', 'Je veux recevoir la lettre d’information par e-mail.'],
    ['sms', 'en', 'I want offers by text message.'],
    ['partners', 'en', 'I want offers from the partners named below by email.'],
  ] as const) {
    await t.store.putConsentText({ key, version: '1', language: lang, body });
  }
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('consent form', () => {
  it('refuses a box for a channel whose address the form does not ask for', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/consent-forms',
      payload: {
        name: 'phone only',
        settings: {
          jurisdiction: 'FR',
          privacyPolicyUrl: 'https://shop.example/privacy',
          controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
          fields: ['phone'],
          boxes: [{ id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } }],
          origins: [],
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('email needs the form to ask for the email (fields)');
  });

  it('refuses an origin that is more than a scheme, host and port (it goes into the CSP header)', async () => {
    const origins = [
      'https://shop.example;script-src',
      "https://a'b.example",
      'https://shop.example/path',
      'ftp://x.example',
    ];
    const res = await t.call({
      method: 'POST',
      url: '/v1/consent-forms',
      payload: {
        name: 'bad origins',
        settings: {
          jurisdiction: 'FR',
          privacyPolicyUrl: 'https://shop.example/privacy',
          controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
          boxes: [{ id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } }],
          origins: [...origins, 'https://shop.example:8443', 'http://[::1]:3000', 'https://xn--bcher-kva.example'],
        },
      },
    });
    expect(res.statusCode).toBe(400);
    const pointers = (res.json().errors as { pointer: string }[]).map((e) => e.pointer);
    expect(pointers.filter((p) => p.includes('origins'))).toEqual(origins.map((_, i) => `/settings/origins/${i}`));
  });

  it('lets only an admin key add a language to a wording a live form shows (it changes what the form says)', async () => {
    const id = await makeForm('FR');
    const store = (key: string, by: string) =>
      t.call({
        method: 'POST',
        url: '/v1/consent-texts',
        key: by,
        payload: { key, version: '1', language: 'it', body: 'Voglio la newsletter.' },
      });
    const byWrite = await store('news', t.keys.write);
    expect(byWrite.statusCode).toBe(403);
    expect(byWrite.json().detail).toContain(`news:1 is shown by form ${id}`);
    expect(await t.store.getConsentText('news:1:it')).toBeNull();
    expect((await store('other', t.keys.write)).statusCode).toBe(201); // shown by no form
    expect((await store('news', t.keys.admin)).statusCode).toBe(201);
  });

  it('refuses settings naming a missing wording', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/consent-forms',
      payload: {
        name: 'x',
        settings: {
          jurisdiction: 'FR',
          privacyPolicyUrl: 'https://x.example/p',
          controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
          boxes: [{ id: 'a', channel: 'email', purpose: 'x', text: { key: 'nope', version: '1' } }],
        },
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nope:1:en');
  });

  it('shows unticked boxes in the visitor language, embeddable by the listed origins', async () => {
    const id = await makeForm('FR');
    const res = await t.app.inject({ url: `/f/${id}`, headers: { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5' } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="fr">');
    expect(res.body).toContain('Je veux recevoir la lettre');
    expect(res.body).toMatch(/<label for="box_sms" lang="en">I want offers by text message/); // EN fallback
    expect(res.body).not.toMatch(/checked/);
    expect(res.body).toContain('ACME SA');
    expect(res.body).toContain('https://shop.example/privacy');
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'self' https://shop.example");
    expect(res.headers['x-frame-options']).toBeUndefined();
    const js = await t.app.inject({ url: `/f/${id}/embed.js` });
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).toContain(`${PUBLIC}/f/${id}`);
    // The frame's title is in the page's language (a screen reader announces it on entering the frame), unless the
    // site gives one; the language goes to the form.
    const { runInNewContext } = await import('node:vm');
    const frameOf = (pageLang: string, attrs: Record<string, string> = {}) => {
      const frame: Record<string, unknown> = { style: {} };
      const script = { getAttribute: (n: string) => attrs[n] ?? null, parentNode: { insertBefore: () => {} } };
      const document = {
        currentScript: script,
        documentElement: { lang: pageLang },
        createElement: () => frame,
      };
      runInNewContext(js.body, { document, location: { href: 'https://shop.example/anmeldung' }, encodeURIComponent });
      return frame as { title: string; src: string };
    };
    expect(frameOf('de-DE').title).toBe('Einwilligungsformular');
    expect(frameOf('de-DE').src).toMatch(/&lang=de-DE$/);
    expect(frameOf('en', { 'data-lang': 'fr' }).title).toBe('Formulaire de consentement');
    expect(frameOf('nl').title).toBe('Toestemmingsformulier');
    expect(frameOf('').title).toBe('Consent form');
    expect(frameOf('es').title).toBe('Consent form');
    expect(frameOf('de', { 'data-title': 'Newsletter' }).title).toBe('Newsletter');
  });

  it('refuses a POST from another site or without a genuine token, and changes nothing', async () => {
    const id = await makeForm('FR');
    const before = await snapshot(t.store);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const body = 'email=a@b.example&box_news=on';
    for (const headers of [{ ...form }, { ...form, origin: 'https://evil.example' }, { ...form, origin: PUBLIC }]) {
      const res = await t.app.inject({ method: 'POST', url: `/f/${id}`, headers, payload: `${body}&_csrf=1.2.3` });
      expect(res.statusCode).toBe(403);
    }
    expect(await snapshot(t.store)).toBe(before);
  });

  it('records given for ticked boxes and refused for the others, with evidence; refusal blocks SMS', async () => {
    const id = await makeForm('FR');
    const res = await submit(id, { email: 'jane@example.fr', phone: '06 12 34 56 78', box_news: 'on' }, 'fr');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Merci');
    const contact = await t.store.findContact({ kind: 'email', value: 'jane@example.fr' });
    const history = await t.store.historyOf(contact?.id as string);
    expect(history.map((e) => [e.type, e.data.channel, e.data.scope])).toEqual([
      ['consent.given', 'email', 'own'],
      ['consent.refused', 'sms', 'own'],
      ['consent.refused', ['email'], 'partners'],
    ]);
    expect(history[0]?.evidence).toMatchObject({
      method: 'form',
      formId: id,
      textId: 'news:1:fr',
      textSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      pageUrl: 'https://shop.example/signup',
      ip: expect.stringMatching(/^127\.0\.\d+\.\d+$/),
      userAgent: 'test-browser/1',
      submittedAt: clock.toISOString(),
    });
    expect(history[2]?.data.partners).toEqual(['acme']);
    expect(history[2]?.evidence).toMatchObject({
      formRevision: 1,
      privacyPolicyUrl: 'https://shop.example/privacy',
      controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
      partnerNames: ['ACME SA'],
    });
    const decide = await t.call({
      method: 'POST',
      url: '/v1/decisions',
      payload: [
        { id: 'e', contact: { email: 'jane@example.fr' }, message: { channel: 'email', purpose: 'newsletter' } },
        { id: 's', contact: { email: 'jane@example.fr' }, message: { channel: 'sms', purpose: 'offers' } },
      ],
    });
    expect(decide.json().map((d: { decision: string }) => d.decision)).toEqual(['allow', 'deny']);
  });

  it('tells a person who signed up on the form, then was on a bought list, both sources (GDPR art. 15(1)(g))', async () => {
    const id = await makeForm('FR');
    expect((await submit(id, { email: 'lea@example.fr', box_news: 'on' }, 'fr')).statusCode).toBe(200);
    const cid = (await t.store.findContact({ kind: 'email', value: 'lea@example.fr' }))?.id as string;
    // The form records no data.collected (one would change decisions: DISCLOSE_DATA_SOURCE, retention).
    expect((await t.store.historyOf(cid)).some((e) => e.type === 'data.collected')).toBe(false);
    const alone = await accessReport(t.store, buildRegistry(), cid, clock, { lang: 'fr' });
    expect(alone.information.source).toEqual([
      `Fournies par vous le ${clock.toISOString().slice(0, 10)} sur notre formulaire « FR signup », page https://shop.example/signup.`,
    ]);
    await t.store.appendEvents([
      {
        contactId: cid,
        type: 'data.collected',
        at: '2027-05-02T08:00:00Z',
        data: { source: 'acquired', provider: 'DataBroker SAS' },
        recordedBy: 'test',
      },
    ]);
    const both = await accessReport(t.store, buildRegistry(), cid, new Date('2027-06-01T00:00:00Z'), { lang: 'fr' });
    expect(both.sources).toEqual([
      expect.objectContaining({
        source: 'direct',
        form: { id, name: 'FR signup' },
        page: 'https://shop.example/signup',
      }),
      expect.objectContaining({
        source: 'acquired',
        provider: 'DataBroker SAS',
        form: null,
        at: '2027-05-02T08:00:00Z',
      }),
    ]);
    expect(both.information.source).toEqual([
      alone.information.source[0],
      'Obtenues le 2027-05-02 auprès de DataBroker SAS.',
    ]);
  });

  it('asks an erased person signing up again to confirm, then takes them off the suppression list', async () => {
    const id = await makeForm('FR');
    // Lina was erased once; her number sent STOP. Anyone may type her address: the form stores nothing of her until
    // she confirms (forms-erased.test.ts), and she stays suppressed until then. Her number stays out: the SMS box was
    // left unticked, and only the address a confirmation went to is stored.
    const emailHash = suppressionHash('email', 'lina@example.fr');
    const phoneHash = suppressionHash('phone', '+33612345699');
    await t.store.addSuppressions([
      { hash: emailHash, reason: 'erased', at: '2026-01-01' },
      { hash: phoneHash, reason: 'objection', at: '2026-01-01' },
    ]);
    const res = await submit(id, { email: 'lina@example.fr', phone: '06 12 34 56 99', box_news: 'on' }, 'fr');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Vos choix sont enregistrés'); // the page of any submission: tells no one she is known
    expect(await t.store.findContact({ kind: 'email', value: 'lina@example.fr' })).toBeNull();
    expect(await t.store.suppressedAmong([emailHash, phoneHash])).toEqual(new Set([emailHash, phoneHash]));
    expect((await confirmMail('lina@example.fr')).statusCode).toBe(200);
    const lina = await t.store.findContact({ kind: 'email', value: 'lina@example.fr' });
    expect(lina?.identifiers).toEqual([{ kind: 'email', value: 'lina@example.fr' }]);
    expect((await t.store.historyOf(lina?.id as string)).map((e) => e.type)).toEqual([
      'consent.requested',
      'consent.refused',
      'consent.refused',
      'consent.confirmed',
    ]);
    expect(await t.store.suppressedAmong([emailHash, phoneHash])).toEqual(new Set([phoneHash]));
    expect(await decisionsOf({ email: 'lina@example.fr' }, ['email', 'newsletter'], ['sms', 'offers'])).toEqual([
      'allow CONSENT',
      'deny REFUSED_AT_COLLECTION',
    ]);
  });

  it('lets no one undo an unsubscribe or a refusal by typing the address: the person confirms', async () => {
    const id = await makeForm('FR');
    await submit(id, { email: 'noe@example.fr', box_news: 'on' });
    const cid = (await t.store.findContact({ kind: 'email', value: 'noe@example.fr' }))?.id as string;
    const start = clock;
    try {
      clock = new Date(start.getTime() + 60_000);
      const withdrawn = await t.call({
        method: 'POST',
        url: '/v1/events',
        payload: { contact: { id: cid }, type: 'consent.withdrawn', at: clock.toISOString(), channel: 'email' },
      });
      expect(withdrawn.statusCode, withdrawn.body).toBeLessThan(300);
      clock = new Date(start.getTime() + 120_000);
      // Someone else ticks the newsletter and the partners' box (refused at the first sign-up) with Noé's address.
      const res = await submit(id, { email: 'noe@example.fr', box_news: 'on', partners: 'on' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body).toContain('Your choices are recorded');
      const types = (await t.store.historyOf(cid)).map((e) => e.type);
      expect(types.slice(-3)).toEqual(['consent.requested', 'consent.refused', 'consent.requested']);
      expect(await decisionsOf({ id: cid }, ['email', 'newsletter'], ['email', 'offers'])).toEqual([
        'deny CONFIRMATION_PENDING',
        'deny WITHDRAWN',
      ]);
      // Noé's own click: his consent again.
      expect((await confirmMail('noe@example.fr')).statusCode).toBe(200);
      expect(await decisionsOf({ id: cid }, ['email', 'newsletter'])).toEqual(['allow CONSENT']);
    } finally {
      clock = start;
    }
  });

  it('adds a typed number to the person found by the email once both the email and the number confirm', async () => {
    const id = await makeForm('FR');
    await submit(id, { email: 'dorothee@example.fr', box_news: 'on' });
    const cid = (await t.store.findContact({ kind: 'email', value: 'dorothee@example.fr' }))?.id as string;
    const start = clock;
    clock = new Date(start.getTime() + 60_000); // after her first answers, the SMS box left unticked among them
    // Someone types Dorothée's email beside their own number and ticks the SMS box.
    const res = await submit(id, { email: 'dorothee@example.fr', phone: '06 98 76 54 32', box_sms: 'on' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('Your choices are recorded');
    expect(await t.store.findContact({ kind: 'phone', value: '+33698765432', jurisdiction: 'FR' })).toBeNull();
    const pending = (await t.store.consentRequestsOf([cid])).filter((r) => r.status === 'pending');
    const add = { kind: 'phone', value: '+33698765432' };
    expect(pending.map((r) => [r.via, r.destination, (r.items as PendingItem[]).map((i) => i.add)])).toEqual([
      ['email', 'dorothee@example.fr', [add]], // the person found: the record is hers
      ['sms', '+33698765432', [add]], // the number itself (no SMS provider here: sent below by hand)
    ]);
    expect(await decisionsOf({ id: cid }, ['sms', 'offers'])).toEqual(['deny CONFIRMATION_PENDING']);
    // Dorothée confirms by email: not enough, the number has not confirmed.
    const confirmed = await confirmMail('dorothee@example.fr', (page) => {
      // What she confirms: the wording, and the number her record gains.
      expect(page).toContain('<q>I want offers by text message.</q>');
      expect(page).toContain('+33698765432 will be added to your details with us.');
    });
    expect(confirmed.statusCode).toBe(200);
    expect(await t.store.findContact({ kind: 'phone', value: '+33698765432', jurisdiction: 'FR' })).toBeNull();
    expect(await decisionsOf({ id: cid }, ['sms', 'offers'])).toEqual(['deny CONFIRMATION_PENDING']);
    // The number confirms too: now it is hers, with the consent.
    expect((await confirmRequest(pending[1] as ConsentRequest)).statusCode).toBe(200);
    expect((await t.store.findContact({ kind: 'phone', value: '+33698765432', jurisdiction: 'FR' }))?.id).toBe(cid);
    expect(await decisionsOf({ id: cid }, ['sms', 'offers'])).toEqual(['allow CONSENT']);
    clock = start;
  });

  it('asks for confirmation after an objection on another channel, or a "no" during a call', async () => {
    const id = await makeForm('FR');
    for (const [email, event] of [
      ['olga@example.fr', { type: 'objection', data: { channel: 'sms' } }],
      ['paul@example.fr', { type: 'call', data: { channel: 'phone', outcome: 'refused' } }],
    ] as const) {
      const c = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email });
      await t.store.appendEvents([{ contactId: c.id, at: '2026-09-01T10:00:00Z', recordedBy: 't', ...event }]);
      await submit(id, { email, box_news: 'on' });
      expect((await t.store.historyOf(c.id)).map((e) => e.type).slice(1)).toEqual([
        'consent.requested',
        'consent.refused',
        'consent.refused',
      ]);
      expect((await confirmMail(email)).statusCode).toBe(200); // settled: the sweep tests count their own
    }
  });

  it('records no consent for a typed number another record took before both confirmed', async () => {
    const id = await makeForm('FR');
    const ines = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ines@example.fr' });
    await submit(id, { email: 'ines@example.fr', phone: '06 44 55 66 77', box_sms: 'on' });
    await t.store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '+33644556677' });
    const bySms = (await t.store.consentRequestsOf([ines.id])).find((r) => r.via === 'sms') as ConsentRequest;
    expect((await confirmRequest(bySms)).statusCode).toBe(200);
    expect((await confirmMail('ines@example.fr')).statusCode).toBe(200);
    const after = await t.store.findContact({ id: ines.id });
    expect(after?.identifiers.map((i) => i.kind)).toEqual(['email']);
    expect((await t.store.historyOf(ines.id)).some((e) => e.type === 'consent.confirmed')).toBe(false);
    expect(await decisionsOf({ id: ines.id }, ['sms', 'offers'])).toEqual(['deny CONFIRMATION_PENDING']);
  });

  it("shows the page again on a field error with that field marked and the visitor's own ticks kept", async () => {
    const id = await makeForm('FR');
    const res = await submit(id, { email: 'kim@example.fr', phone: 'not a number', box_news: 'on', partners: 'on' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<input id="f-phone"[^>]*aria-invalid="true" aria-describedby="form-error">/);
    expect(res.body).toMatch(/<input id="f-email"[^>]*value="kim@example.fr">/); // not marked
    expect(res.body).toMatch(/id="box_news" name="box_news" value="on" checked>/);
    expect(res.body).toMatch(/id="partners" name="partners" value="on" checked>/);
    expect(res.body).toMatch(/id="box_sms" name="box_sms" value="on">/);
    expect(await t.store.findContact({ kind: 'email', value: 'kim@example.fr' })).toBeNull();
  });

  it('takes a server-side POST with a write key and the visitor details', async () => {
    const id = await makeForm('FR');
    const res = await t.app.inject({
      method: 'POST',
      url: `/f/${id}`,
      headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=server@example.fr&phone=0611112222&box_sms=on&visitor_ip=198.51.100.7&visitor_user_agent=UA%2F2',
    });
    expect(res.statusCode, res.body).toBe(201);
    const history = await t.store.historyOf(res.json().contactId);
    expect(history[1]).toMatchObject({ type: 'consent.given', evidence: { ip: '198.51.100.7', userAgent: 'UA/2' } });
  });

  it('records the wording of the language in the POST URL when the body names none (a server posting ?lang=fr)', async () => {
    const id = await makeForm('FR');
    const post = (url: string, email: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `email=${email}&box_news=on&visitor_ip=198.51.100.7&visitor_user_agent=UA%2F2`,
      });
    const shown = async (res: Awaited<ReturnType<typeof post>>) =>
      (await t.store.historyOf(res.json().contactId)).find((e) => e.data.channel === 'email')?.evidence;
    // Before, the French page's consent was recorded with the English wording (evidence language "en").
    const fr = await post(`/f/${id}?lang=fr`, 'lang-url@example.fr');
    expect(fr.statusCode, fr.body).toBe(201);
    expect(await shown(fr)).toMatchObject({ textId: 'news:1:fr', language: 'fr' });
    // The body's own lang wins over the URL's.
    const body = await t.app.inject({
      method: 'POST',
      url: `/f/${id}?lang=fr`,
      headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=lang-body@example.fr&box_news=on&lang=en&visitor_ip=198.51.100.7&visitor_user_agent=UA%2F2',
    });
    expect(await shown(body)).toMatchObject({ textId: 'news:1:en', language: 'en' });
  });

  it('refuses a server-side POST whose visitor_ip is not an address, and records nothing', async () => {
    const id = await makeForm('FR');
    const res = await t.app.inject({
      method: 'POST',
      url: `/f/${id}`,
      headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=badip@example.fr&box_sms=on&visitor_ip=localhost%3Cscript%3E',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 400,
      code: 'VALIDATION',
      errors: [
        {
          in: 'body',
          pointer: '/visitor_ip',
          detail: 'must be the visitor\'s IPv4 or IPv6 address; got "localhost<script>"',
        },
      ],
    });
    expect(await t.store.findContact({ kind: 'email', value: 'badip@example.fr' })).toBeNull();
  });

  // A server posting with a key that cannot write was shown the browser's "page expired" (403 HTML), and one to a
  // form that does not exist got JSON of another shape than the API's: every answer to a key is problem+json.
  it.each([
    ['a read-only key', 'read', 403, 'FORBIDDEN', /needs the "write" scope/],
    ['a revoked key', 'revoked', 401, 'UNAUTHORIZED', /revoked/],
    ['an unknown key', 'unknown', 401, 'UNAUTHORIZED', /not known/],
  ] as const)(
    'refuses a server-side POST with %s as problem+json, recording nothing',
    async (_, key, status, code, detail) => {
      const id = await makeForm('FR');
      const secret = key === 'unknown' ? `ak_${'x'.repeat(43)}` : t.keys[key];
      const res = await t.app.inject({
        method: 'POST',
        url: `/f/${id}`,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'email=keyless@example.fr&box_sms=on',
      });
      expect(res.statusCode, res.body).toBe(status);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ status, code, detail: expect.stringMatching(detail) });
      expect(await t.store.findContact({ kind: 'email', value: 'keyless@example.fr' })).toBeNull();
    },
  );

  // A browser sends the credentials of HTTP authentication in front of the site (a staging server's Basic auth at
  // a proxy that passes them on) with every request: they are no API key, and its POST is a visitor's, not a server's.
  it("takes a browser's POST that carries a proxy's Basic or Digest credentials as a visitor's", async () => {
    const id = await makeForm('FR');
    const remoteAddress = '127.9.0.1';
    for (const [i, authorization] of ['Basic dXNlcjpwYXNz', 'Digest username="u", nonce="n"'].entries()) {
      const page = await t.app.inject({ url: `/f/${id}?lang=en`, remoteAddress, headers: { authorization } });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const res = await t.app.inject({
        remoteAddress,
        method: 'POST',
        url: `/f/${id}`,
        headers: {
          authorization,
          origin: PUBLIC,
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'test-browser/1',
        },
        payload: new URLSearchParams({
          _csrf: csrf,
          lang: 'en',
          email: `proxied${i}@example.fr`,
          box_news: 'on',
        }).toString(),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(await t.store.findContact({ kind: 'email', value: `proxied${i}@example.fr` })).not.toBeNull();
    }
  });

  it('answers a server-side POST to a form that does not exist, or with an invalid address, as problem+json', async () => {
    const post = (url: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
    const missing = await post('/f/no-such-form', 'email=a@example.fr');
    expect([missing.statusCode, missing.headers['content-type']]).toEqual([
      404,
      expect.stringContaining('problem+json'),
    ]);
    expect(missing.json()).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    const id = await makeForm('FR');
    const bad = await post(`/f/${id}`, 'email=not-an-address&box_sms=on');
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json()).toMatchObject({ status: 400, code: 'VALIDATION', errors: [{ in: 'body', pointer: '/email' }] });
  });
});

describe('double opt-in', () => {
  it('DE: pending until confirmed by a POST; the mail carries no advertising; tokens are single use', async () => {
    const id = await makeForm('DE');
    const maxHash = suppressionHash('email', 'max@example.de');
    // Max is on record and objected (a person no record is kept of: forms-erased.test.ts).
    await t.store.createContact({ type: 'individual', jurisdiction: 'DE', email: 'max@example.de' });
    await t.store.addSuppressions([{ hash: maxHash, reason: 'objection', at: '2026-01-01' }]);
    const res = await submit(id, { email: 'max@example.de', box_news: 'on' }, 'de');
    expect(res.body).toContain('max@example.de');
    const mail = await sink.next('max@example.de');
    expect(mail.subject).toBe('Bitte bestätigen Sie Ihre Anmeldung');
    expect(`${mail.text} ${mail.html}`).not.toMatch(/angebot|rabatt|offer|promo|%|newsletter/i);
    const link = /https?:\/\/\S+\/confirm\?token=\S+/.exec(mail.text)?.[0] as string;
    const path = new URL(link).pathname + new URL(link).search;
    const contact = await t.store.findContact({ kind: 'email', value: 'max@example.de' });
    const cid = contact?.id as string;
    expect((await t.store.historyOf(cid)).map((e) => e.type)).toEqual([
      'consent.requested',
      'consent.refused',
      'consent.refused',
    ]);
    const shown = await t.app.inject({ url: path }); // a scanner's GET: a button, nothing recorded
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('<button type="submit">Ja, ich bestätige</button>');
    expect(await t.store.historyOf(cid)).toHaveLength(3);
    const token = new URL(link).searchParams.get('token') as string;
    const post = (tok: string) =>
      t.app.inject({
        method: 'POST',
        url: '/confirm',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'phone/1' },
        payload: new URLSearchParams({ token: tok }).toString(),
      });
    const forged = await post(`${token.slice(0, -3)}abc`);
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('<p class="error" role="alert">'); // announced by screen readers
    // Still suppressed while unconfirmed (anyone may type an address); lifted once the address's owner confirms.
    expect(await t.store.suppressedAmong([maxHash])).toEqual(new Set([maxHash]));
    // The access report shows both: the confirmation asked for (no token) and the address on the list.
    const access = await accessReport(t.store, buildRegistry(), cid, new Date());
    expect(access.consentRequests).toEqual([
      expect.objectContaining({ via: 'email', destination: 'max@example.de', status: 'pending', settledAt: null }),
    ]);
    expect(JSON.stringify(access.consentRequests)).not.toContain(token);
    expect(access.suppressed).toEqual([
      { kind: 'email', value: 'max@example.de', hash: maxHash, reason: 'objection', since: '2026-01-01' },
    ]);
    expect((await post(token)).statusCode).toBe(200);
    expect(await t.store.suppressedAmong([maxHash])).toEqual(new Set());
    // Replayed, or opened again: in the form's language, not the browser's (the mail's link names none).
    const replayed = await post(token);
    expect([replayed.statusCode, replayed.body]).toEqual([410, expect.stringContaining('bereits verwendet')]);
    const reopened = await t.app.inject({ url: path, headers: { 'accept-language': 'en' } });
    expect([reopened.statusCode, reopened.body]).toEqual([410, expect.stringContaining('bereits verwendet')]);
    const history = await t.store.historyOf(cid);
    expect(history).toHaveLength(4);
    expect(history[3]).toMatchObject({
      type: 'consent.confirmed',
      data: { channel: 'email', purpose: 'newsletter' },
      evidence: { method: 'double_opt_in', ip: '127.0.0.1', userAgent: 'phone/1', textId: 'news:1:en' },
    });
    const decide = await t.call({
      method: 'POST',
      url: '/v1/decisions',
      payload: { contact: { id: cid }, message: { channel: 'email', purpose: 'newsletter' } },
    });
    expect(decide.json().decision).toBe('allow');
  });

  it('DE: an SMS box is confirmed on the number, not by the email link (BGH I ZR 164/09)', async () => {
    const id = await makeForm('DE');
    const res = await submit(
      id,
      { email: 'erika@example.de', phone: '+49 151 23456789', box_news: 'on', box_sms: 'on' },
      'de',
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('erika@example.de'); // no SMS provider here: only the mail went out
    const mail = await sink.next('erika@example.de');
    const token = new URL(/https?:\/\/\S+\/confirm\?token=\S+/.exec(mail.text)?.[0] as string).searchParams.get(
      'token',
    );
    const cid = (await t.store.findContact({ kind: 'email', value: 'erika@example.de' }))?.id as string;
    // Every pending request, as an expiry sweep far in the future would see them.
    const pending = await t.store.dueConsentRequests({
      nowMs: Date.parse('2100-01-01'),
      sentBeforeMs: -1,
      maxReminders: 0,
      limit: 500,
    });
    const requests = pending.filter((r) => r.contactId === cid);
    expect(
      requests.map((r) => [r.via, r.destination, (r.items as PendingItem[]).map((i) => i.channel)]).sort(),
    ).toEqual([
      ['email', 'erika@example.de', ['email']],
      ['sms', '+4915123456789', ['sms']],
    ]);
    const confirmed = await t.app.inject({
      method: 'POST',
      url: '/confirm',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: token as string }).toString(),
    });
    expect(confirmed.statusCode).toBe(200);
    const decide = async (channel: string, purpose: string) =>
      (
        await t.call({
          method: 'POST',
          url: '/v1/decisions',
          payload: { contact: { id: cid }, message: { channel, purpose } },
        })
      ).json();
    expect(await decide('email', 'newsletter')).toMatchObject({ decision: 'allow', basis: 'CONSENT' });
    const sms0 = await decide('sms', 'offers');
    expect(sms0).toMatchObject({ decision: 'deny' });
    expect(sms0.reasons[0]).toMatchObject({ code: 'CONFIRMATION_PENDING' }); // the main reason
    // The SMS request stays pending (no SMS provider here): settled so the sweep test below counts its own only.
    const sms = requests.find((r) => r.via === 'sms');
    expect(sms?.status).toBe('pending');
    await t.store.settleConsentRequest(sms?.id as string, 'expired', clock.toISOString());
  });

  it('reminds, then expires unconfirmed requests on an injected clock, and reports the drop-off', async () => {
    const id = await makeForm('FR', { doubleOptIn: true });
    await submit(id, { email: 'late@example.fr', box_news: 'on' });
    const first = await sink.next('late@example.fr');
    const services = formServices({
      store: t.store,
      packs: new Map(),
      config: { ...testConfig(), publicUrl: PUBLIC, forms: { ...testConfig().forms, smtpUrl: sink.url } },
      now: () => clock,
    } as never);
    try {
      const start = clock;
      clock = new Date(start.getTime() + 49 * 3_600_000);
      expect(await services.sweep()).toMatchObject({ reminded: 1, expired: 0 });
      const reminder = await sink.next('late@example.fr');
      expect(reminder.text).toContain('Reminder');
      expect(await services.sweep()).toMatchObject({ reminded: 0, expired: 0 }); // one reminder only
      clock = new Date(start.getTime() + 8 * 86_400_000);
      expect(await services.sweep()).toMatchObject({ expired: 1 });
      const link = new URL(/https?:\/\/\S+\/confirm\?token=\S+/.exec(first.text)?.[0] as string);
      const shown = await t.app.inject({ url: link.pathname + link.search });
      expect(shown.statusCode).toBe(410);
      clock = start;
    } finally {
      services.close();
    }
    const stats = await t.call({ url: `/v1/consent-requests/stats?formId=${id}` });
    expect(stats.json()).toEqual({ total: 1, pending: 0, confirmed: 0, expired: 1, neverConfirmedShare: 1 });
    // A mistyped form id: said so, not zeros.
    const typo = await t.call({ url: '/v1/consent-requests/stats?formId=nope' });
    expect([typo.statusCode, typo.json().errors?.[0]?.pointer]).toEqual([400, '/formId']);
  });

  it('tells of a confirmation it could not send (no SMTP_URL), without the address', async () => {
    const id = await makeForm('FR', { doubleOptIn: true });
    await submit(id, { email: 'unsent@example.fr', box_news: 'on' });
    await sink.next('unsent@example.fr');
    const failures: unknown[] = [];
    const services = formServices(
      {
        store: t.store,
        packs: new Map(),
        config: { ...testConfig(), publicUrl: PUBLIC, forms: { ...testConfig().forms, smtpUrl: null } },
        now: () => new Date(clock.getTime() + 49 * 3_600_000),
      } as never,
      {},
      (error, request) => failures.push([(error as Error).message, request]),
    );
    try {
      expect(await services.sweep()).toMatchObject({ reminded: 0 });
      expect(failures).toEqual([
        ['SMTP_URL is not set: confirmation mails cannot be sent', { id: expect.any(String), via: 'email' }],
      ]);
      expect(JSON.stringify(failures)).not.toContain('unsent@example.fr');
    } finally {
      services.close();
    }
  });
});

describe('double opt-in after a "no"', () => {
  it('sends no reminder once the person unsubscribed or objected, and ends the request', async () => {
    const id = await makeForm('FR', { doubleOptIn: true });
    await submit(id, { email: 'marie@example.fr', box_news: 'on' });
    await sink.next('marie@example.fr'); // the first confirmation
    const cid = (await t.store.findContact({ kind: 'email', value: 'marie@example.fr' }))?.id as string;
    const stop = await t.call({
      method: 'POST',
      url: '/v1/events',
      payload: { contact: { id: cid }, type: 'objection', at: clock.toISOString(), channel: 'email' },
    });
    expect(stop.statusCode, stop.body).toBe(201);
    expect(await sweepAfter(49 * 3_600_000)).toMatchObject({ stopped: 1 });
    const requests = await t.store.consentRequestsOf([cid]);
    expect(requests.map((r) => r.status)).toEqual(['expired']);
  });

  it('sees the objection recorded on the record the person was merged into', async () => {
    const id = await makeForm('FR', { doubleOptIn: true });
    await submit(id, { email: 'merge1@example.fr', box_news: 'on' });
    await sink.next('merge1@example.fr');
    const a = (await t.store.findContact({ kind: 'email', value: 'merge1@example.fr' }))?.id as string;
    const b = (await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'merge2@example.fr' })).id;
    await t.store.mergeContacts(b, a, 't');
    await t.store.appendEvents([
      { contactId: b, type: 'objection', at: clock.toISOString(), data: { channel: 'email' }, recordedBy: 't' },
    ]);
    expect(await sweepAfter(49 * 3_600_000)).toMatchObject({ stopped: 1 });
  });
});

// Last: its pending request would count in the reminder sweep above.
describe('one submission, one set of answers', () => {
  const serverPost = (formId: string, fields: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url: `/f/${formId}`,
      headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ visitor_ip: '198.51.100.7', submission_id: 'sess-42', ...fields }).toString(),
    });

  it('answers a submission sent again as the first time, and refuses other answers or another person under its id', async () => {
    const id = await makeForm('FR');
    const first = await serverPost(id, { email: 'reuse@example.fr' });
    expect(first.statusCode, first.body).toBe(201);
    const cid = first.json().contactId as string;
    const before = await t.store.historyOf(cid);
    expect(before.map((e) => e.type)).toEqual(['consent.refused', 'consent.refused', 'consent.refused']);
    const again = await serverPost(id, { email: 'reuse@example.fr' });
    expect([again.statusCode, again.json()]).toEqual([201, { ...first.json() }]);
    const other = await serverPost(id, { email: 'reuse@example.fr', box_news: 'on' });
    expect(other.statusCode, other.body).toBe(409);
    expect(other.json()).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      detail: expect.stringMatching(/submission sess-42 was already/),
      errors: [{ in: 'body', pointer: '/submission_id' }],
    });
    const stranger = await serverPost(id, { email: 'stranger@example.fr', box_news: 'on' });
    expect(stranger.statusCode).toBe(409);
    expect(await t.store.historyOf(cid)).toEqual(before);
    expect(await t.store.findContact({ kind: 'email', value: 'stranger@example.fr' })).toBeNull();
  });

  it('records a consent only for an address the visitor typed, on the one person both typed addresses are', async () => {
    const id = await makeForm('FR');
    const dora = await t.store.createContact({
      type: 'individual',
      jurisdiction: 'FR',
      email: 'dora@example.fr',
      phone: '0612345670',
    });
    const before = await t.store.historyOf(dora.id);
    // Dora's email with another number: the SMS consent would have landed on Dora's stored number.
    const other = await serverPost(id, {
      email: 'dora@example.fr',
      phone: '06 99 99 99 99',
      box_sms: 'on',
      submission_id: 'm1',
    });
    expect([other.statusCode, other.json().detail]).toEqual([400, expect.stringMatching(/belong to different people/)]);
    // Someone else's email with Dora's number: the same.
    const mallory = await serverPost(id, {
      email: 'mallory@example.fr',
      phone: '0612345670',
      box_news: 'on',
      submission_id: 'm2',
    });
    expect(mallory.statusCode).toBe(400);
    // An SMS box ticked with no number typed.
    const noPhone = await serverPost(id, { email: 'dora@example.fr', box_sms: 'on', submission_id: 'm3' });
    expect(noPhone.statusCode).toBe(400);
    expect(await t.store.historyOf(dora.id)).toEqual(before);
    expect(await t.store.findContact({ kind: 'email', value: 'mallory@example.fr' })).toBeNull();
    // Both typed, both Dora's: recorded.
    const own = await serverPost(id, {
      email: 'dora@example.fr',
      phone: '06 12 34 56 70',
      box_sms: 'on',
      submission_id: 'm4',
    });
    expect([own.statusCode, own.json().contactId]).toEqual([201, dora.id]);
    // A client with no number on record giving one: it becomes theirs, and so does the consent for it, once they
    // confirm by email (anyone may type their email beside a number, on the company's server form too).
    const eve = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'eve@example.fr' });
    const first = await serverPost(id, {
      email: 'eve@example.fr',
      phone: '06 55 44 33 22',
      box_sms: 'on',
      submission_id: 'm5',
    });
    expect([first.statusCode, first.json().status, first.json().contactId]).toEqual([201, 'pending', eve.id]);
    expect(await t.store.findContact({ kind: 'phone', value: '+33655443322' })).toBeNull();
    // The number confirms first, then Eve by email: the order does not matter.
    const bySms = (await t.store.consentRequestsOf([eve.id])).find((r) => r.via === 'sms') as ConsentRequest;
    expect((await confirmRequest(bySms)).statusCode).toBe(200);
    expect(await t.store.findContact({ kind: 'phone', value: '+33655443322' })).toBeNull();
    expect((await confirmMail('eve@example.fr')).statusCode).toBe(200);
    expect((await t.store.findContact({ kind: 'phone', value: '+33655443322' }))?.id).toBe(eve.id);
  });

  it('of two people sent at once under one submission id, one is recorded and the other leaves nothing', async () => {
    const id = await makeForm('FR');
    const post = (email: string) => serverPost(id, { email, submission_id: 'sess-race', box_news: 'on' });
    const answers = await Promise.all([post('first@example.fr'), post('second@example.fr')]);
    expect(answers.map((a) => a.statusCode).sort()).toEqual([201, 409]);
    const found = await Promise.all(
      ['first@example.fr', 'second@example.fr'].map((value) => t.store.findContact({ kind: 'email', value })),
    );
    expect(found.filter((c) => c !== null)).toHaveLength(1);
  });

  /** A German double opt-in form shown once: each `click` posts that one page (its CSRF token) with an email. */
  async function germanPageShown() {
    const id = await makeForm('DE', {
      fields: ['email'],
      boxes: [{ id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } }],
    });
    const page = await t.app.inject({ url: `/f/${id}?lang=de` });
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    return (email: string) =>
      t.app.inject({
        method: 'POST',
        url: `/f/${id}`,
        headers: { origin: PUBLIC, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrf, lang: 'de', email, box_news: 'on' }).toString(),
      });
  }

  it('a double click on a double opt-in form asks once, with one mail, to the address as stored', async () => {
    const click = await germanPageShown();
    const [a, b] = await Promise.all([click(' Dora@Example.DE '), click('dora@example.de')]);
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(b.body).toContain('dora@example.de');
    const contact = await t.store.findContact({ kind: 'email', value: 'dora@example.de' });
    const requests = await t.store.consentRequestsOf([contact?.id as string]);
    expect(requests.map((r) => [r.via, r.destination])).toEqual([['email', 'dora@example.de']]);
    expect(sink.mails.filter((m) => m.to.includes('dora@example.de'))).toHaveLength(1);
    const replayed = await click('someone.else@example.de');
    expect(replayed.statusCode).toBe(409);
    expect(replayed.body).toContain('bereits mit anderen Angaben gesendet');
  });

  it('a double click after a confirmation that could not be sent says so again, and the next sweep sends it', async () => {
    const shown = await germanPageShown();
    const click = () => shown('ute@refused.example');
    const failed = 'Die Bestätigung konnte gerade nicht gesendet werden.';
    const first = await click();
    expect(first.body).toContain(failed);
    const second = await click(); // it said "sent" here, though nothing went out
    expect(second.statusCode).toBe(200);
    expect(second.body).toContain(failed);
    expect(second.body).not.toContain('Wir haben eine Bestätigung an');
    const contact = await t.store.findContact({ kind: 'email', value: 'ute@refused.example' });
    const [request] = await t.store.consentRequestsOf([contact?.id as string]);
    expect(request).toMatchObject({ status: 'pending', reminders: 0, lastSentMs: 0 });
    // Due at the next sweep, not a reminder interval later; still refused here, so counted as failed.
    expect(await sweepAfter(60_000)).toMatchObject({ failed: 1 });
    // Taken later, even with reminders off: sent as the first message, which leaves the person their one reminder.
    refusing = false;
    const services = servicesAt(() => new Date(clock.getTime() + 120_000), { remindMs: 0 });
    try {
      expect(await services.sweep()).toMatchObject({ sent: 1, reminded: 0, failed: 0 });
    } finally {
      services.close();
      refusing = true;
    }
    const mail = await sink.next('ute@refused.example');
    expect(mail.text).not.toContain('Erinnerung'); // the first message, not "Erinnerung: Ihre Bestätigung steht noch aus"
    const [after] = await t.store.consentRequestsOf([contact?.id as string]);
    expect(after).toMatchObject({ status: 'pending', reminders: 0, lastSentMs: clock.getTime() + 120_000 });
    await t.store.settleConsentRequest(request?.id as string, 'expired', clock.toISOString()); // no stray for other sweeps
  });
});
