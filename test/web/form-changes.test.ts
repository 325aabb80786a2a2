// Changing and retiring a consent form: a page shown before a change records nothing, a retired form answers 410.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp, testConfig } from '../http/helpers.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';

const PUBLIC = 'http://forms.test';
let t: TestApp;
const clock = new Date('2026-10-01T10:00:00Z');

const settings = (textVersion: string) => ({
  jurisdiction: 'FR',
  privacyPolicyUrl: 'https://shop.example/privacy',
  controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
  fields: ['email'],
  boxes: [{ id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: textVersion } }],
  origins: ['https://shop.example'],
});

async function makeForm(): Promise<string> {
  const res = await t.call({
    method: 'POST',
    url: '/v1/consent-forms',
    payload: { name: 'Signup', settings: settings('1') },
  });
  expect(res.statusCode, res.body).toBe(201);
  expect(res.json()).toMatchObject({ revision: 1, updatedAt: null, retiredAt: null });
  return res.json().id as string;
}

const page = async (formId: string, lang = 'en') => {
  const res = await t.app.inject({ url: `/f/${formId}?lang=${lang}` });
  return { res, csrf: /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '' };
};

const post = (formId: string, fields: Record<string, string>, origin = PUBLIC) =>
  t.app.inject({
    method: 'POST',
    url: `/f/${formId}`,
    headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ lang: 'en', ...fields }).toString(),
  });

for (const dialect of DIALECTS) {
  describe(`consent form changes on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'consent form changes'))) return;
    beforeAll(async () => {
      t = await openTestApp({
        config: { publicUrl: PUBLIC, forms: { ...testConfig().forms } },
        deps: { now: () => clock },
      });
      await t.store.putConsentText({ key: 'news', version: '1', language: 'en', body: 'Send me the newsletter.' });
      await t.store.putConsentText({
        key: 'news',
        version: '2',
        language: 'en',
        body: 'Send me the weekly newsletter.',
      });
    });
    afterAll(async () => {
      await t?.close();
    });

    describe('changing a consent form', () => {
      it('takes new settings, counts revisions, and checks them as at creation', async () => {
        const id = await makeForm();
        const res = await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'Signup v2', settings: settings('2') },
        });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({ name: 'Signup v2', revision: 2, retiredAt: null });
        expect(res.json().updatedAt).toEqual(expect.any(String));
        expect(res.json().settings.boxes[0].text.version).toBe('2');
        const bad = await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'x', settings: settings('9') },
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.body).toContain('news:9:en');
        expect((await t.call({ method: 'GET', url: `/v1/consent-forms/${id}` })).json().revision).toBe(2);
      });

      it('refuses a change made against an older revision (someone changed it meanwhile)', async () => {
        const id = await makeForm();
        const ok = await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'A', settings: settings('2'), revision: 1 },
        });
        expect(ok.statusCode, ok.body).toBe(200);
        const stale = await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'B', settings: settings('1'), revision: 1 },
        });
        expect(stale.statusCode).toBe(409);
        expect(stale.json().detail).toContain('revision 2, not 1');
        expect((await t.call({ method: 'GET', url: `/v1/consent-forms/${id}` })).json().name).toBe('A');
      });

      it('records nothing from a page shown before the change, and shows the new wording again', async () => {
        const id = await makeForm();
        const before = await page(id);
        expect(before.res.body).toContain('Send me the newsletter.');
        await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'Signup', settings: settings('2') },
        });
        const res = await post(id, { _csrf: before.csrf, email: 'old.page@example.fr', box_news: 'on' });
        expect(res.statusCode).toBe(409);
        expect(res.body).toContain('This form changed while it was open');
        expect(res.body).toContain('Send me the weekly newsletter.');
        expect(await t.store.findContact({ kind: 'email', value: 'old.page@example.fr' })).toBeNull();

        const after = await page(id);
        const ok = await post(id, { _csrf: after.csrf, email: 'new.page@example.fr', box_news: 'on' });
        expect(ok.statusCode, ok.body).toBe(200);
        const contact = await t.store.findContact({ kind: 'email', value: 'new.page@example.fr' });
        const [event] = await t.store.historyOf(contact?.id as string);
        expect(event?.evidence).toMatchObject({ textId: 'news:2:en', formId: id });
      });

      it('lets a server or the company own HTML form say which revision it showed', async () => {
        const id = await makeForm();
        await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'Signup', settings: settings('2') },
        });
        const server = (revision: string) =>
          t.app.inject({
            method: 'POST',
            url: `/f/${id}`,
            headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
            payload: `email=server.rev@example.fr&box_news=on&form_revision=${revision}`,
          });
        const stale = await server('1');
        expect(stale.statusCode).toBe(409);
        expect(stale.json().detail).toContain('revision 2');
        expect(await t.store.findContact({ kind: 'email', value: 'server.rev@example.fr' })).toBeNull();
        expect((await server('abc')).statusCode).toBe(409);
        expect((await server('2')).statusCode).toBe(201);

        const listed = await post(
          id,
          { email: 'own.html@example.fr', box_news: 'on', form_revision: '1' },
          'https://shop.example',
        );
        expect(listed.statusCode).toBe(409);
        expect(await t.store.findContact({ kind: 'email', value: 'own.html@example.fr' })).toBeNull();
      });

      it('records nothing when a wording the page did not show was added since (the page fell back to English)', async () => {
        const id = await makeForm();
        const shown = await page(id, 'de');
        expect(shown.res.body).toContain('Send me the newsletter.');
        await t.store.putConsentText({
          key: 'news',
          version: '1',
          language: 'de',
          body: 'Schicken Sie mir den Newsletter.',
        });
        const res = await post(id, { _csrf: shown.csrf, lang: 'de', email: 'lang.change@example.de', box_news: 'on' });
        expect(res.statusCode).toBe(409);
        expect(res.body).toContain('Schicken Sie mir den Newsletter.');
        expect(await t.store.findContact({ kind: 'email', value: 'lang.change@example.de' })).toBeNull();
        const again = await page(id, 'de');
        const ok = await post(id, { _csrf: again.csrf, lang: 'de', email: 'lang.change@example.de', box_news: 'on' });
        expect(ok.statusCode, ok.body).toBe(200);
        const contact = await t.store.findContact({ kind: 'email', value: 'lang.change@example.de' });
        expect((await t.store.historyOf(contact?.id as string))[0]?.evidence).toMatchObject({ textId: 'news:1:de' });
      });

      it('refuses a token whose revision was edited (it is signed)', async () => {
        const id = await makeForm();
        await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'Signup', settings: settings('2') },
        });
        const [issued, nonce, revision, texts, mac] = (await page(id)).csrf.split('.');
        expect(revision).toBe('2');
        const forged = await post(id, {
          _csrf: `${issued}.${nonce}.1.${texts}.${mac}`,
          email: 'forged@example.fr',
          box_news: 'on',
        });
        expect(forged.statusCode).toBe(403);
        expect(await t.store.findContact({ kind: 'email', value: 'forged@example.fr' })).toBeNull();
      });
    });

    describe('retiring a consent form', () => {
      it('answers 410 on its page and its POST, keeps it listed, and refuses changes', async () => {
        const id = await makeForm();
        const shown = await page(id);
        const del = await t.call({ method: 'DELETE', url: `/v1/consent-forms/${id}` });
        expect(del.statusCode, del.body).toBe(200);
        const retiredAt = del.json().retiredAt as string;
        expect(retiredAt).toEqual(expect.any(String));
        // Retiring again changes nothing.
        expect((await t.call({ method: 'DELETE', url: `/v1/consent-forms/${id}` })).json().retiredAt).toBe(retiredAt);

        const get = await t.app.inject({ url: `/f/${id}` });
        expect(get.statusCode).toBe(410);
        expect(get.body).toContain('This form is no longer in use.');
        // Its loader script too: a site still embedding it frames nothing (it framed the 410 page).
        const js = await t.app.inject({ url: `/f/${id}/embed.js` });
        expect(js.statusCode).toBe(410);
        expect(js.headers['content-type']).toMatch(/javascript/);
        expect(js.body).not.toContain('iframe');
        const res = await post(id, { _csrf: shown.csrf, email: 'too.late@example.fr', box_news: 'on' });
        expect(res.statusCode).toBe(410);
        const server = await t.app.inject({
          method: 'POST',
          url: `/f/${id}`,
          headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'email=too.late@example.fr&box_news=on',
        });
        expect(server.statusCode).toBe(410);
        expect(server.json()).toMatchObject({ status: 410, code: 'GONE', detail: 'This form is no longer in use.' });
        expect(await t.store.findContact({ kind: 'email', value: 'too.late@example.fr' })).toBeNull();

        const listed = (await t.call({ method: 'GET', url: '/v1/consent-forms' })).json().items;
        expect(listed.find((f: { id: string }) => f.id === id)?.retiredAt).toBe(retiredAt);
        const put = await t.call({
          method: 'PUT',
          url: `/v1/consent-forms/${id}`,
          payload: { name: 'again', settings: settings('1') },
        });
        expect(put.statusCode).toBe(409);
        expect(put.json().detail).toContain('retired');
      });

      it('answers 404 for a form that never existed, on both routes', async () => {
        expect((await t.call({ method: 'DELETE', url: '/v1/consent-forms/nope' })).statusCode).toBe(404);
        const js = await t.app.inject({ url: '/f/nope/embed.js' });
        expect(js.statusCode).toBe(404);
        expect(js.body).not.toContain('iframe');
        const put = await t.call({
          method: 'PUT',
          url: '/v1/consent-forms/nope',
          payload: { name: 'x', settings: settings('1') },
        });
        expect(put.statusCode).toBe(404);
      });

      it('needs the admin scope', async () => {
        const id = await makeForm();
        for (const key of [t.keys.write, t.keys.read]) {
          expect((await t.call({ method: 'DELETE', url: `/v1/consent-forms/${id}`, key })).statusCode).toBe(403);
        }
        expect((await t.call({ method: 'GET', url: `/v1/consent-forms/${id}` })).json().retiredAt).toBeNull();
      });
    });
  });
}
