// WCAG 1.4.10 (Reflow) in Debian's Chromium: at 320 CSS px wide (a 1280px screen zoomed to 400 %) the consent form and
// the preference center scroll only vertically, in German, with the long words real German pages have.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type RunningApp, startApp } from './support.js';

let browser: Browser | null = null;
let reason = '';
let app: RunningApp;
let formId: string;
let prefsUrl: string;

const PARTNER = 'ACME Versicherungsvermittlungsgesellschaft mbH';

beforeAll(async () => {
  ({ browser, reason } = await launchBrowser());
  if (browser === null) return;
  app = await startApp();
  for (const [key, body] of [
    ['news', 'Ich möchte den Newsletter per E-Mail erhalten.'],
    ['partners', 'Ich möchte Angebote der unten genannten Partner per E-Mail erhalten.'],
  ] as const) {
    await app.store.putConsentText({ key, version: '1', language: 'en', body });
    await app.store.putConsentText({ key, version: '1', language: 'de', body });
  }
  const api = (path: string, payload?: unknown) =>
    fetch(`${app.url}${path}`, {
      method: payload === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${app.adminKey}`, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { body: JSON.stringify(payload) }),
    });
  const res = await api('/v1/consent-forms', {
    name: 'Anmeldung',
    settings: {
      jurisdiction: 'DE',
      privacyPolicyUrl: 'https://shop.example/datenschutz',
      controller: { name: 'Shop GmbH', email: 'datenschutz@shop.example' },
      fields: ['email'],
      boxes: [{ id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } }],
      partners: {
        channels: ['email'],
        purpose: 'offers',
        text: { key: 'partners', version: '1' },
        partners: [{ id: 'acme', name: PARTNER }],
        listUrl: 'https://shop.example/partner',
      },
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  formId = ((await res.json()) as { id: string }).id;
  // A person whose partner consent was withdrawn: the page shows that row with its wording under it.
  const contact = await app.store.createContact({ type: 'individual', jurisdiction: 'DE', email: 'eva@example.de' });
  const at = '2026-10-01T10:00:00Z';
  const partners = { channel: 'email', scope: 'partners', partners: ['acme'] };
  await app.store.appendEvents([
    {
      contactId: contact.id,
      type: 'consent.given',
      at,
      data: { channel: 'email', purpose: 'newsletter' },
      recordedBy: 't',
    },
    {
      contactId: contact.id,
      type: 'consent.given',
      at,
      data: partners,
      evidence: { textId: 'partners:1:de' },
      recordedBy: 't',
    },
    { contactId: contact.id, type: 'consent.withdrawn', at: '2026-10-02T10:00:00Z', data: partners, recordedBy: 't' },
  ]);
  const links = await api(`/v1/contacts/${contact.id}/links`);
  expect(links.status).toBe(200);
  prefsUrl = ((await links.json()) as { preferencesUrl: string }).preferencesUrl;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

describe('pages reflow at 320 CSS px (WCAG 1.4.10)', () => {
  for (const [name, path] of [
    ['consent form', () => `/f/${formId}?lang=de`],
    ['preference center', () => `${new URL(prefsUrl).pathname}?lang=de`],
  ] as const) {
    it(`${name}, in German: no horizontal scrolling`, async (ctx) => {
      if (browser === null) return ctx.skip(reason);
      const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
      try {
        const res = await page.goto(`${app.url}${path()}`);
        expect(res?.status()).toBe(200);
        expect(await page.textContent('main')).toContain(name === 'consent form' ? PARTNER : 'Einwilligungen');
        // A string: the test files are type-checked without the DOM library.
        const wide = (await page.evaluate(`({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
          over: [...document.querySelectorAll('main *')]
            .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
            .map((e) => e.tagName),
        })`)) as { scroll: number; client: number; over: string[] };
        expect(wide.over).toEqual([]);
        expect(wide.scroll).toBeLessThanOrEqual(wide.client);
      } finally {
        await page.close();
      }
    });
  }
});
