// End to end in Debian's Chromium: fill the form (FR and EN), receive the confirmation through a real SMTP server,
// open its link, press confirm; each step checked in the ledger; screenshots in docs/screenshots/<page>-<lang>.png.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type MailSink, type RunningApp, screenshotPath, startApp, startMailSink } from './support.js';

let browser: Browser | null = null;
let reason = '';
let sink: MailSink;
let app: RunningApp;
let formId: string;

const TEXTS = [
  ['news', 'en', 'I want to receive the newsletter by email.'],
  ['news', 'fr', 'J’accepte de recevoir la lettre d’information par e-mail.'],
  ['sms', 'en', 'I want to receive offers by text message.'],
  ['sms', 'fr', 'J’accepte de recevoir des offres par SMS.'],
  ['partners', 'en', 'I want to receive offers from the partners named below by email.'],
  ['partners', 'fr', 'J’accepte de recevoir par e-mail les offres des partenaires nommés ci-dessous.'],
] as const;

beforeAll(async () => {
  ({ browser, reason } = await launchBrowser());
  if (browser === null) return;
  sink = await startMailSink();
  app = await startApp({ env: { SMTP_URL: sink.url, ASSENT_MAIL_FROM: 'Shop <shop@example.com>' } });
  for (const [key, language, body] of TEXTS) await app.store.putConsentText({ key, version: '1', language, body });
  const res = await fetch(`${app.url}/v1/consent-forms`, {
    method: 'POST',
    headers: { authorization: `Bearer ${app.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: 'Shop signup',
      settings: {
        jurisdiction: 'FR',
        privacyPolicyUrl: 'https://shop.example/privacy',
        controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
        doubleOptIn: true,
        fields: ['email', 'phone'],
        boxes: [
          { id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } },
          { id: 'sms', channel: 'sms', purpose: 'offers', text: { key: 'sms', version: '1' } },
        ],
        partners: {
          channels: ['email'],
          purpose: 'offers',
          text: { key: 'partners', version: '1' },
          partners: [
            { id: 'acme', name: 'ACME SA' },
            { id: 'globex', name: 'Globex SARL' },
          ],
          listUrl: 'https://shop.example/partners',
        },
        origins: ['https://shop.example'],
      },
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  formId = ((await res.json()) as { id: string }).id;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await sink?.close();
});

describe('consent form in a browser', () => {
  for (const lang of ['fr', 'en'] as const) {
    it(`fills the form in ${lang.toUpperCase()}, confirms by the mailed link, and the ledger follows`, async (ctx) => {
      if (browser === null) return ctx.skip(reason);
      const email = `person-${lang}@example.org`;
      const context = await browser.newContext({ locale: lang === 'fr' ? 'fr-FR' : 'en-GB' });
      const page = await context.newPage();
      try {
        // Accept-Language picks the language (no ?lang=).
        await page.goto(`${app.url}/f/${formId}?page=${encodeURIComponent('https://shop.example/signup')}`);
        expect(await page.getAttribute('html', 'lang')).toBe(lang);
        const boxes = page.locator('input[type=checkbox]');
        expect(await boxes.count()).toBe(3);
        for (let i = 0; i < 3; i++) expect(await boxes.nth(i).isChecked()).toBe(false);
        await page.screenshot({ path: screenshotPath('consent-form', lang), fullPage: true });

        await page.getByLabel(lang === 'fr' ? 'Adresse e-mail' : 'Email address').fill(email);
        await page.getByLabel(TEXTS.find(([k, l]) => k === 'news' && l === lang)?.[2] as string).check();
        await page.keyboard.press('Tab'); // focus is visible (screenshots show it) and the form is keyboard-usable
        await page.getByRole('button').click();
        await page.waitForURL(new RegExp(`/f/${formId}\\?lang=${lang}$`)); // the language stays in the URL
        await expect.poll(() => page.textContent('h1')).toBe(lang === 'fr' ? 'Merci de confirmer' : 'Please confirm');
        await page.screenshot({ path: screenshotPath('consent-pending', lang), fullPage: true });

        const contact = await app.store.findContact({ kind: 'email', value: email });
        const cid = contact?.id as string;
        const types = async () => (await app.store.historyOf(cid)).map((e) => `${e.type}:${e.data.channel}`);
        expect(await types()).toEqual(['consent.requested:email', 'consent.refused:sms', 'consent.refused:email']);
        const requested = (await app.store.historyOf(cid))[0];
        expect(requested?.evidence).toMatchObject({
          textId: `news:1:${lang}`,
          pageUrl: 'https://shop.example/signup',
          ip: '127.0.0.1',
          userAgent: expect.stringContaining('Chrome'),
        });

        const mail = await sink.next(email);
        expect(mail.subject).toBe(
          lang === 'fr' ? 'Merci de confirmer votre inscription' : 'Please confirm your subscription',
        );
        expect(mail.text).not.toMatch(/offre|offer|promo|lettre d’information|newsletter/i);
        const link = /https?:\/\/\S+\/confirm\?token=\S+/.exec(mail.text)?.[0] as string;
        expect(link.startsWith(app.url)).toBe(true);

        await page.goto(link);
        await page.screenshot({ path: screenshotPath('consent-confirm', lang), fullPage: true });
        expect(await types()).toHaveLength(3); // opening the link confirms nothing
        await page.getByRole('button').click();
        await expect.poll(() => page.textContent('h1')).toBe(lang === 'fr' ? 'Confirmé' : 'Confirmed');
        await page.screenshot({ path: screenshotPath('consent-confirmed', lang), fullPage: true });
        const history = await app.store.historyOf(cid);
        expect(history.map((e) => e.type)).toEqual([
          'consent.requested',
          'consent.refused',
          'consent.refused',
          'consent.confirmed',
        ]);
        expect(history[3]?.evidence).toMatchObject({ method: 'double_opt_in', userAgent: expect.any(String) });

        await page.goto(link); // a used link: a clear page
        expect(await page.textContent('main')).toMatch(lang === 'fr' ? /déjà été utilisé/ : /already used/);
        await page.screenshot({ path: screenshotPath('consent-link-used', lang), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }
});
