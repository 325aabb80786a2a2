// What an erased person leaves in the store (GDPR art. 17; docs/rights.md, "What stays"): the person is seeded
// through every path that records their identifiers, erased, then every text column of every table is scanned for
// their email, numbers and name in clear. Only the documented proof may keep them (the evidence of the ledger's
// events, art. 17(3)(b)/(e)); the suppression list holds hashes only; `ledger verify` still passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientLinks } from '../../src/services/unsubscribe.js';
import { type MailSink, startMailSink } from '../e2e/support.js';
import { openTestApp, type TestApp, testConfig } from '../http/helpers.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { TOKEN_SECRET, tickingClock } from '../web/clock.js';

const EMAIL = 'jane.doe@example.fr';
const PHONE = '+33612345678';
const OTHER_PHONE = '+33698765432'; // typed beside the email on a form, not confirmed
const NAME = 'Jane Doe';
/** How each may be written anywhere: as stored, as typed, URL-encoded, national. */
const NEEDLES = [
  EMAIL,
  'jane.doe%40example.fr',
  PHONE,
  '0612345678',
  '06 12 34 56 78',
  '612345678',
  OTHER_PHONE,
  '0698765432',
  '06 98 76 54 32',
  '698765432',
  NAME,
];

/** Table.column → why it may keep an identifier after erasure (the documented proof). */
const PROOF: Record<string, string> = {
  // The evidence an integrator or a channel gave with a consent or an objection (page, IP, user agent, the STOP's
  // sender): kept as the proof of that act (docs/rights.md).
  'ledger_events.evidence': 'proof of each consent and objection',
};

interface Hit {
  column: string;
  needle: string;
  value: string;
}

async function scan(t: TestApp, dialect: string): Promise<Hit[]> {
  const columns: { table: string; column: string }[] = [];
  if (dialect === 'sqlite') {
    const tables = (await t.raw(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%'",
    )) as { name: string }[];
    for (const { name } of tables) {
      for (const c of (await t.raw(`pragma table_info(${name})`)) as { name: string }[]) {
        columns.push({ table: name, column: c.name });
      }
    }
  } else {
    for (const c of (await t.raw(
      'select table_name, column_name from information_schema.columns where table_schema = current_schema()',
    )) as { table_name: string; column_name: string }[]) {
      columns.push({ table: c.table_name, column: c.column_name });
    }
  }
  const hits: Hit[] = [];
  for (const { table, column } of columns) {
    for (const row of (await t.raw(`select "${column}" as v from "${table}"`)) as { v: unknown }[]) {
      if (row.v === null || row.v === undefined) continue;
      const text = (Buffer.isBuffer(row.v) ? row.v.toString('utf8') : String(row.v)).toLowerCase();
      for (const needle of NEEDLES) {
        if (text.includes(needle.toLowerCase())) hits.push({ column: `${table}.${column}`, needle, value: text });
      }
    }
  }
  return hits;
}

for (const dialect of DIALECTS) {
  describe(`what an erased person leaves, on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'erasure leftovers'))) return;
    let t: TestApp;
    let sink: MailSink;
    const clock = tickingClock('2026-10-01T10:00:00Z');
    beforeAll(async () => {
      sink = await startMailSink(() => null);
      const base = testConfig();
      t = await openTestApp({
        dialect,
        config: {
          publicUrl: 'http://forms.test',
          tokenSecrets: [TOKEN_SECRET],
          smsWebhookSecret: 'sms-secret',
          forms: { ...base.forms, smtpUrl: sink.url, mailFrom: 'shop@example.com' },
        },
        deps: { now: clock.now },
      });
    });
    afterAll(async () => {
      await t?.close();
      await sink?.close();
    });

    it('keeps no email, number or name outside the documented proof, and the ledger still verifies', async () => {
      const call = async (opts: Parameters<TestApp['call']>[0], status: number) => {
        const res = await t.call(opts);
        expect(res.statusCode, res.body).toBe(status);
        return res.json();
      };
      // A subscriber to every topic: each event queues a webhook message.
      await t.store.createWebhook({ url: 'https://hooks.example/assent', topics: ['*'] });
      await t.store.putConsentText({ key: 'news', version: '1', language: 'en', body: 'I want the newsletter.' });
      await t.store.putConsentText({ key: 'sms', version: '1', language: 'en', body: 'I want texts.' });
      // The API: the contact, then a consent whose evidence, key and actor quote the person.
      const { id } = await call(
        {
          method: 'POST',
          url: '/v1/contacts',
          payload: { email: 'Jane.Doe@Example.fr', jurisdiction: 'FR' },
        },
        201,
      );
      await call(
        {
          method: 'POST',
          url: '/v1/events',
          payload: {
            contact: { email: EMAIL },
            type: 'consent.given',
            at: '2026-09-30T10:00:00Z',
            channel: 'email',
            purpose: 'newsletter',
            evidence: { method: 'api', pageUrl: `https://shop.example/signup?email=${encodeURIComponent(EMAIL)}` },
          },
        },
        201,
      );
      // A form with double opt-in: the email typed with another number, boxes ticked, confirmations pending.
      const form = await call(
        {
          method: 'POST',
          url: '/v1/consent-forms',
          payload: {
            name: 'signup',
            settings: {
              jurisdiction: 'FR',
              doubleOptIn: true,
              privacyPolicyUrl: 'https://shop.example/privacy',
              controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
              fields: ['email', 'phone'],
              boxes: [
                { id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } },
                { id: 'sms', channel: 'sms', purpose: 'offers', text: { key: 'sms', version: '1' } },
              ],
              origins: ['https://shop.example'],
            },
          },
        },
        201,
      );
      const posted = await t.app.inject({
        method: 'POST',
        url: `/f/${form.id}`,
        headers: { authorization: `Bearer ${t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          email: EMAIL,
          phone: '06 98 76 54 32',
          box_news: 'on',
          box_sms: 'on',
          submission_id: 's-1',
          visitor_ip: '198.51.100.7',
          visitor_user_agent: 'UA/2',
          page_url: `https://shop.example/signup?email=${encodeURIComponent(EMAIL)}`,
        }).toString(),
      });
      expect(posted.statusCode, posted.body).toBe(201);
      await sink.next(EMAIL);
      // Their own number, added since.
      await call({ method: 'PATCH', url: `/v1/contacts/${id}`, payload: { add: { phone: '06 12 34 56 78' } } }, 200);
      // The preference centre's one-click unsubscribe, and an SMS STOP.
      const { unsubscribeUrl } = recipientLinks(clock.signer, { publicUrl: '', contactId: id, channel: 'email' });
      const unsub = await t.call({
        method: 'POST',
        url: unsubscribeUrl,
        key: null,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      expect(unsub.statusCode, unsub.body).toBe(200);
      await call(
        { method: 'POST', url: '/v1/sms/inbound', key: t.keys.write, payload: { from: PHONE, text: 'STOP' } },
        200,
      );
      // Rights requests: one written in by the person (recorded "by" their address), answered quoting them.
      const rr = await call(
        {
          method: 'POST',
          url: '/v1/rights-requests',
          payload: {
            contactId: id,
            kind: 'rectification',
            details: `My name is ${NAME}, write to ${EMAIL}`,
            by: EMAIL,
          },
        },
        201,
      );
      await call(
        {
          method: 'PATCH',
          url: `/v1/rights-requests/${rr.id}`,
          payload: { status: 'done', answer: `corrected for ${NAME}`, by: 'dpo' },
        },
        200,
      );
      // A campaign send the server refused, its answer quoting the address (as SMTP servers do).
      await t.store.recordSends([
        {
          campaignId: 'c-1',
          contactId: id,
          channel: 'email',
          address: EMAIL,
          status: 'rejected',
          basis: 'consent',
          obligations: [],
          templateSha256: 'a'.repeat(64),
          messageId: null,
          error: `Can't send mail - all recipients were rejected: 550 5.1.1 <${EMAIL}>: No such user`,
          sentAt: '2026-10-01T11:00:00.000Z',
        },
      ]);
      // Who recorded an act and its idempotency key are chained in the ledger: one quoting the person is refused.
      const quoting = (extra: Record<string, string>) =>
        t.call({
          method: 'POST',
          url: '/v1/events',
          payload: { contact: { id }, type: 'objection', at: '2026-10-01T09:00:00Z', channel: 'sms', ...extra },
        });
      for (const [extra, pointer] of [
        [{ recordedBy: `self-service ${EMAIL}` }, '/recordedBy'],
        [{ idempotencyKey: `objection-${EMAIL}` }, '/idempotencyKey'],
        [{ idempotencyKey: 'stop-06.12.34.56.78' }, '/idempotencyKey'],
      ] as const) {
        const res = await quoting(extra);
        expect(res.statusCode, res.body).toBe(400);
        expect(res.body).toContain(pointer);
      }
      const headerKey = await t.call({
        method: 'POST',
        url: '/v1/events',
        headers: { 'idempotency-key': `k-${EMAIL}` },
        payload: { contact: { id }, type: 'objection', at: '2026-10-01T09:00:00Z', channel: 'sms' },
      });
      expect(headerKey.statusCode, headerKey.body).toBe(400);
      expect((await scan(t, dialect.name)).length).toBeGreaterThan(0); // the seeding reached the store

      await call({ method: 'DELETE', url: `/v1/contacts/${id}?by=dpo&reason=rr-1` }, 200);

      const left = (await scan(t, dialect.name)).filter((h) => PROOF[h.column] === undefined);
      expect(left.map((h) => `${h.column} keeps ${h.needle}: ${h.value.slice(0, 160)}`)).toEqual([]);
      expect(await t.store.verifyLedger()).toMatchObject({ broken: null, evidenceRemoved: { events: 0 } });
    });
  });
}
