// A forms test bench over app.inject: an app with a mail sink, the wordings stored, a form maker, a browser-like
// submission and the confirmation of a mailed link (as forms.test.ts does it, for the files that share it).
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { formServices } from '../../src/adapters/web/forms/index.js';
import { type MailSink, startMailSink } from '../e2e/support.js';
import { openTestApp, type TestApp, testConfig } from '../http/helpers.js';

export const PUBLIC = 'http://forms.test';

export interface FormBench {
  t: TestApp;
  sink: MailSink;
  clock: { now: Date };
  makeForm(jurisdiction: string, extra?: Record<string, unknown>): Promise<string>;
  submit(formId: string, fields: Record<string, string>, lang?: string): Promise<LightMyRequestResponse>;
  serverPost(formId: string, fields: Record<string, string>): Promise<LightMyRequestResponse>;
  confirmMail(to: string): Promise<LightMyRequestResponse>;
  sweepAfter(ms: number): Promise<unknown>;
  close(): Promise<void>;
}

export const CONTROLLER = { name: 'Shop SAS', email: 'privacy@shop.example' };

export async function openFormBench(): Promise<FormBench> {
  const sink = await startMailSink(() => null);
  const clock = { now: new Date('2026-10-01T10:00:00Z') };
  const base = testConfig();
  const t = await openTestApp({
    config: { publicUrl: PUBLIC, forms: { ...base.forms, smtpUrl: sink.url, mailFrom: 'shop@example.com' } },
    deps: { now: () => clock.now },
  });
  for (const [key, lang, body] of [
    ['news', 'en', 'I want the newsletter by email.'],
    ['news', 'fr', 'Je veux recevoir la lettre d’information par e-mail.'],
    ['sms', 'en', 'I want offers by text message.'],
  ] as const) {
    await t.store.putConsentText({ key, version: '1', language: lang, body });
  }
  let visitors = 0;
  return {
    t,
    sink,
    clock,
    async makeForm(jurisdiction, extra = {}) {
      const res = await t.call({
        method: 'POST',
        url: '/v1/consent-forms',
        payload: {
          name: `${jurisdiction} signup`,
          settings: {
            jurisdiction,
            privacyPolicyUrl: 'https://shop.example/privacy',
            controller: CONTROLLER,
            fields: ['email', 'phone'],
            boxes: [
              { id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } },
              { id: 'sms', channel: 'sms', purpose: 'offers', text: { key: 'sms', version: '1' } },
            ],
            origins: ['https://shop.example'],
            ...extra,
          },
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    },
    async submit(formId, fields, lang = 'en') {
      const remoteAddress = `127.1.${Math.floor(visitors / 200)}.${(visitors++ % 200) + 1}`;
      const page = await t.app.inject({ url: `/f/${formId}?lang=${lang}`, remoteAddress });
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      return t.app.inject({
        remoteAddress,
        method: 'POST',
        url: `/f/${formId}`,
        headers: {
          origin: PUBLIC,
          'content-type': 'application/x-www-form-urlencoded',
          'user-agent': 'test-browser/1',
        },
        payload: new URLSearchParams({
          _csrf: csrf,
          lang,
          page_url: 'https://shop.example/signup',
          ...fields,
        }).toString(),
      });
    },
    serverPost(formId, fields) {
      return t.app.inject({
        method: 'POST',
        url: `/f/${formId}`,
        headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ visitor_ip: '198.51.100.7', visitor_user_agent: 'UA/2', ...fields }).toString(),
      });
    },
    async confirmMail(to) {
      const mail = await sink.next(to);
      const link = new URL(/https?:\/\/\S+\/confirm\?token=\S+/.exec(mail.text)?.[0] as string);
      return t.app.inject({
        method: 'POST',
        url: '/confirm',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'phone/1' },
        payload: new URLSearchParams({ token: link.searchParams.get('token') as string }).toString(),
      });
    },
    async sweepAfter(ms) {
      const services = formServices({
        store: t.store,
        packs: new Map(),
        config: { ...testConfig(), publicUrl: PUBLIC, forms: { ...testConfig().forms, smtpUrl: sink.url } },
        now: () => new Date(clock.now.getTime() + ms),
      } as never);
      try {
        return await services.sweep();
      } finally {
        services.close();
      }
    },
    async close() {
      await t.close();
      await sink.close();
    },
  };
}
