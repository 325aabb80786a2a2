// End to end in Debian's Chromium: the unsubscribe landing page and its confirm button, RFC 8058 one-click over real
// HTTP, the preference center (keyboard only, change, withdraw all, ask for a copy); each step checked in the ledger;
// screenshots in docs/screenshots/<page>-<lang>.png.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../src/services/tokens.js';
import { recipientLinks } from '../../src/services/unsubscribe.js';
import { launchBrowser, type RunningApp, screenshotPath, startApp } from './support.js';

const SECRET = { id: 'e2e', secret: 'e2e-secret-0123456789abcdef' };
const signer = new TokenSigner([SECRET]);
let browser: Browser | null = null;
let reason = '';
let app: RunningApp;

beforeAll(async () => {
  ({ browser, reason } = await launchBrowser());
  if (browser === null) return;
  app = await startApp({ env: { ASSENT_TOKEN_SECRETS: `${SECRET.id}:${SECRET.secret}` } });
});
afterAll(async () => {
  await browser?.close();
  if (browser !== null) await app.close();
});

/** A contact with consents to email (newsletter, partners) and SMS, as the consent form would have left them. */
async function person(email: string): Promise<string> {
  const id = (await app.store.createContact({ type: 'individual', jurisdiction: 'FR', email })).id;
  const at = '2026-10-01T10:00:00Z';
  await app.store.appendEvents([
    { contactId: id, type: 'consent.given', at, data: { channel: 'email', purpose: 'newsletter' }, recordedBy: 'e2e' },
    {
      contactId: id,
      type: 'consent.given',
      at,
      data: { channel: 'email', scope: 'partners', partners: ['acme-insurance'] },
      recordedBy: 'e2e',
    },
    { contactId: id, type: 'consent.given', at, data: { channel: 'sms' }, recordedBy: 'e2e' },
  ]);
  return id;
}

const last = async (id: string) => (await app.store.historyOf(id)).at(-1);
const shot = (page: Page, name: string, lang: string) =>
  page.screenshot({ path: screenshotPath(name, lang), fullPage: true });

describe('unsubscribe and preference center in a browser', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`unsubscribes from the landing page in ${lang.toUpperCase()}; the GET alone changes nothing`, async (ctx) => {
      if (browser === null) return ctx.skip(reason);
      const id = await person(`landing-${lang}@example.fr`);
      const links = recipientLinks(signer, { publicUrl: app.url, contactId: id, channel: 'email' });
      const page = await browser.newPage({ locale: lang });
      try {
        const before = (await app.store.historyOf(id)).length;
        await page.goto(`${links.unsubscribeUrl}?lang=${lang}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        await shot(page, 'unsubscribe', lang);
        expect((await app.store.historyOf(id)).length).toBe(before);
        await page.getByRole('button', { name: lang === 'fr' ? 'Me désinscrire' : 'Unsubscribe' }).click();
        await page.getByRole('status').waitFor();
        await shot(page, 'unsubscribed', lang);
        expect(await last(id)).toMatchObject({
          type: 'objection',
          data: { channel: 'email' },
          evidence: { method: 'landing-page', ip: '127.0.0.1', userAgent: expect.stringContaining('Chrome') },
        });
        // An expired preference link: a clear page, nothing recorded (an unsubscribe link is honoured at any age).
        const expired = signer.sign({ p: 'preferences', c: id, exp: Math.floor(Date.now() / 1000) - 60 });
        const count = (await app.store.historyOf(id)).length;
        const res = await page.goto(`${app.url}/p/${expired}?lang=${lang}`);
        expect(res?.status()).toBe(410);
        await shot(page, 'link-expired', lang);
        expect((await app.store.historyOf(id)).length).toBe(count);
      } finally {
        await page.close();
      }
    });
  }

  it('answers an RFC 8058 one-click POST over HTTP and records the objection before the answer', async (ctx) => {
    if (browser === null) return ctx.skip(reason);
    const id = await person('one-click@example.fr');
    const { unsubscribeUrl, headers } = recipientLinks(signer, { publicUrl: app.url, contactId: id });
    expect(headers['List-Unsubscribe']).toBe(`<${unsubscribeUrl}>`);
    const res = await fetch(unsubscribeUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect(await last(id)).toMatchObject({
      type: 'objection',
      data: { channel: '*' },
      evidence: { method: 'one-click' },
    });
  });

  for (const lang of ['fr', 'en'] as const) {
    it(`changes preferences with the keyboard only, withdraws all and asks for a copy (${lang.toUpperCase()})`, async (ctx) => {
      if (browser === null) return ctx.skip(reason);
      const id = await person(`prefs-${lang}@example.fr`);
      const { preferencesUrl } = recipientLinks(signer, { publicUrl: app.url, contactId: id });
      const page = await browser.newPage({ locale: lang });
      try {
        await page.goto(`${preferencesUrl}?lang=${lang}`);
        await shot(page, 'preferences', lang);
        // Keyboard only: Tab to the newsletter box, Space unticks it, Tab to "save", Enter submits.
        // Evaluated in the page (a string: this project's types have no DOM).
        const focused = () =>
          page.evaluate(
            '(() => { const e = document.activeElement; return e ? e.tagName.toLowerCase() + ":" + (e.getAttribute("value") ?? "") : ""; })()',
          ) as Promise<string>;
        const tabTo = async (target: string) => {
          for (let i = 0; i < 30; i++) {
            await page.keyboard.press('Tab');
            if ((await focused()) === target) return;
          }
          throw new Error(`Tab never reached ${target}`);
        };
        await tabTo('input:email|newsletter|own');
        await page.keyboard.press('Space');
        await tabTo('button:save');
        await Promise.all([page.waitForURL(/done=saved/), page.keyboard.press('Enter')]);
        expect(await last(id)).toMatchObject({
          type: 'consent.withdrawn',
          data: { channel: 'email', purpose: 'newsletter', scope: 'own' },
          evidence: { method: 'preference-center' },
        });
        expect(await page.isChecked('input[value="email|newsletter|own"]')).toBe(false);
        await shot(page, 'preferences-saved', lang);

        const withdraw = lang === 'fr' ? 'Retirer tous mes consentements' : 'Withdraw all my consents';
        await Promise.all([page.waitForURL(/done=withdrawn/), page.getByRole('button', { name: withdraw }).click()]);
        const tail = (await app.store.historyOf(id)).slice(-3);
        expect(tail.map((e) => [e.type, e.data])).toEqual([
          ['consent.withdrawn', { channel: '*', scope: 'own' }],
          ['consent.withdrawn', { channel: '*', scope: 'partners' }],
          ['objection', { channel: '*' }],
        ]);

        const copy = lang === 'fr' ? 'Demander une copie de mes données' : 'Request a copy of my data';
        await Promise.all([page.waitForURL(/done=access/), page.getByRole('button', { name: copy }).click()]);
        await shot(page, 'preferences-requested', lang);
        const requests = await app.store.listRightsRequests({ limit: 10, contactId: id });
        expect(requests.map((r) => r.kind)).toEqual(['access']);
      } finally {
        await page.close();
      }
    });
  }
});
