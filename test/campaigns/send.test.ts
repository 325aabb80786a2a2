// ACCEPTANCE (issue #6, "compliant messages"): a campaign to a mixed audience against a real SMTP server sends
// exactly to the allowed recipients, each with the right mentions and a working RFC 8058 unsubscribe: POSTing the
// List-Unsubscribe URL through the app records the objection, and the next campaign leaves that person out.
// A dry run writes the rendered messages and sends nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CampaignDeps,
  type CampaignRow,
  runCampaign,
  UNREACHABLE_LIMIT,
} from '../../src/services/campaigns/send.js';
import { openListsScreen } from '../../src/services/lists/lookup.js';
import { smtpMailer } from '../../src/services/mail.js';
import { loadTokenSigner } from '../../src/services/tokens.js';
import { type MailSink, startMailSink } from '../e2e/support.js';
import { openTestApp, packs, type TestApp, testConfig } from '../http/helpers.js';
import { tempDir } from '../screening/helpers.js';
import { template } from './helpers.js';

const PUBLIC = 'http://assent.test';
let t: TestApp;
let sink: MailSink;
let deps: CampaignDeps;
const by = 'test:campaigns';

/** The audience: every kind of person, one named twice, one unknown. */
const AUDIENCE = [
  ['ana@example.fr', 'Ana'], // consented to email: allowed (B2C consent)
  ['bob@example.fr', 'Bob'], // refused at collection
  ['carl@example.fr', 'Carl'], // not a stored contact
  ['dora@example.fr', 'Dora'], // consented, then objected
  ['contact@acme.fr', 'ACME'], // a company's generic address: allowed (B2B, legal person)
  ['fay@example.fr', 'Fay'], // on a list bought from ListCo, with her consent: allowed, the source named
  ['ANA@example.fr', 'Ana again'], // the same person twice: one message
];

async function* rows(): AsyncIterable<CampaignRow> {
  let line = 1;
  for (const [email, firstName] of AUDIENCE) {
    line++;
    yield { row: { line, email }, vars: { firstName: firstName as string } };
  }
}

async function seed(): Promise<void> {
  const s = t.store;
  const make = (email: string, type: 'individual' | 'professional' = 'individual') =>
    s.createContact({ type, jurisdiction: 'FR', email, ...(type === 'professional' ? { address: 'generic' } : {}) });
  const [ana, bob, dora, acme, fay] = [
    await make('ana@example.fr'),
    await make('bob@example.fr'),
    await make('dora@example.fr'),
    await make('contact@acme.fr', 'professional'),
    await make('fay@example.fr'),
  ];
  const ev = (contactId: string, type: string, at: string, data: Record<string, unknown>) =>
    ({ contactId, type, at, data, recordedBy: by }) as Parameters<typeof s.appendEvents>[0][number];
  await s.appendEvents([
    ev(ana.id, 'consent.given', '2026-01-10T10:00:00Z', { channel: 'email', method: 'checkbox' }),
    ev(bob.id, 'consent.refused', '2026-01-10T10:00:00Z', { channel: 'email' }),
    ev(dora.id, 'consent.given', '2026-01-10T10:00:00Z', { channel: 'email', method: 'checkbox' }),
    ev(dora.id, 'objection', '2026-02-10T10:00:00Z', { channel: 'email' }),
    ev(fay.id, 'data.collected', '2026-01-05T10:00:00Z', { source: 'acquired', provider: 'ListCo' }),
    ev(acme.id, 'data.collected', '2026-01-02T10:00:00Z', { source: 'public' }),
    ev(fay.id, 'consent.given', '2026-01-05T10:00:00Z', { channel: 'email', method: 'checkbox' }),
    // Found again later in a public directory: the message names ListCo all the same, as the engine's obligation
    // (and the screening's allowed.csv) do; the renderer's own reading of the ledger said "a public source".
    ev(fay.id, 'data.collected', '2026-01-20T10:00:00Z', { source: 'public' }),
  ]);
}

/** A stored contact who consented to email. */
async function consenting(email: string) {
  const c = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email });
  await t.store.appendEvents([
    { contactId: c.id, type: 'consent.given', at: '2026-01-10T10:00:00Z', data: { channel: 'email' }, recordedBy: by },
  ]);
  return c;
}

beforeAll(async () => {
  sink = await startMailSink();
  t = await openTestApp({ config: { publicUrl: PUBLIC } });
  await seed();
  deps = {
    store: t.store,
    packs,
    lists: await openListsScreen(t.store, new Date()),
    signer: await loadTokenSigner(t.store, testConfig()),
    publicUrl: PUBLIC,
    mailFrom: 'Boutique Exemple <shop@example.com>',
    mailer: smtpMailer(sink.url, 'Boutique Exemple <shop@example.com>'),
  };
});
afterAll(async () => {
  deps?.mailer?.close();
  await t?.close();
  await sink?.close();
});

const header = (mail: { parsed: { headerLines: readonly { key: string; line: string }[] } }, key: string): string =>
  mail.parsed.headerLines.find((h) => h.key === key)?.line.replace(/^[^:]+:\s*/, '') ?? '';

describe('campaign send (real SMTP server)', () => {
  it('sends exactly to the allowed recipients, with their mentions and working one-click headers', async () => {
    const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
    const first = await runCampaign(
      rows(),
      { ...options, campaignId: 'autumn-1', audienceSha256: () => 'a'.repeat(64) },
      deps,
    );
    expect(first.screening.allowed).toBe(4);
    // A live run records its screening: the audience, the campaign, the counts (docs/screening.md).
    expect(await t.store.getScreening(first.screening.id)).toMatchObject({
      via: 'campaign',
      campaignId: 'autumn-1',
      audienceSha256: 'a'.repeat(64),
      allowed: 4,
      counts: { byReason: { REFUSED_AT_COLLECTION: 1, WITHDRAWN: 1, CONTACT_NOT_FOUND: 1 } },
    });
    expect(first.screening.byReason).toEqual({ REFUSED_AT_COLLECTION: 1, WITHDRAWN: 1, CONTACT_NOT_FOUND: 1 });
    expect(first.sent).toBe(3);
    expect(first.skipped).toEqual({ ALREADY_SENT: 1 });
    const to = sink.mails.flatMap((m) => m.to).sort();
    expect(to).toEqual(['ana@example.fr', 'contact@acme.fr', 'fay@example.fr']);

    const ana = await sink.next('ana@example.fr');
    expect(ana.subject).toBe("Publicité: Nos offres d'automne, Ana");
    expect(ana.text).toContain('vous avez accepté de recevoir nos offres par e-mail');
    expect(ana.text).toContain('a recueilli vos coordonnées directement auprès de vous');
    expect(ana.html).toContain('Boutique Exemple SAS');
    expect(header(ana, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const url = /<(http[^>]+)>/.exec(header(ana, 'list-unsubscribe'))?.[1] ?? '';
    expect(url.startsWith(`${PUBLIC}/u/`)).toBe(true);
    expect(ana.html).toContain(`href="${url}"`);

    const acme = await sink.next('contact@acme.fr');
    expect(acme.text).toContain('adresse générique de votre organisation');
    const fay = await sink.next('fay@example.fr');
    expect(fay.text).toContain('transmises par un tiers : ListCo');

    const sends = await t.store.listSends({ campaignId: 'autumn-1' });
    expect(sends.map((s) => [s.address, s.status]).sort()).toEqual([
      ['ana@example.fr', 'sent'],
      ['contact@acme.fr', 'sent'],
      ['fay@example.fr', 'sent'],
    ]);
    expect(sends.find((s) => s.address === 'ana@example.fr')?.obligations).toContain('ONE_CLICK_UNSUBSCRIBE');

    // RFC 8058 §3.2: the mailbox provider POSTs the URL with List-Unsubscribe=One-Click; no login, no page.
    const res = await t.app.inject({
      method: 'POST',
      url: url.slice(PUBLIC.length),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(res.statusCode, res.body).toBe(200);
    const anaId = sends.find((s) => s.address === 'ana@example.fr')?.contactId as string;
    expect((await t.store.historyOf(anaId)).at(-1)?.type).toBe('objection');

    const before = sink.mails.length;
    const second = await runCampaign(rows(), { ...options, campaignId: 'autumn-2' }, deps);
    expect(second.screening.byReason.WITHDRAWN).toBe(3); // dora, and ana twice
    expect(second.sent).toBe(2);
    expect(
      sink.mails
        .slice(before)
        .flatMap((m) => m.to)
        .sort(),
    ).toEqual(['contact@acme.fr', 'fay@example.fr']);

    // The same campaign run again sends nothing twice.
    const again = await runCampaign(rows(), { ...options, campaignId: 'autumn-2' }, deps);
    expect(again.sent).toBe(0);
    expect(again.skipped).toEqual({ ALREADY_SENT: 2 });
  });

  it('two runs of one campaign at the same time send each message once', async () => {
    const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
    const before = sink.mails.length;
    const [a, b] = await Promise.all([
      runCampaign(rows(), { ...options, campaignId: 'twice' }, deps),
      runCampaign(rows(), { ...options, campaignId: 'twice' }, deps),
    ]);
    expect(a.sent + b.sent).toBe(2);
    expect((a.skipped.ALREADY_SENT ?? 0) + (b.skipped.ALREADY_SENT ?? 0)).toBe(2);
    const to = sink.mails.slice(before).flatMap((m) => m.to);
    expect(to.sort()).toEqual(['contact@acme.fr', 'fay@example.fr']);
    expect(await t.store.listSends({ campaignId: 'twice' })).toHaveLength(2);
  });

  it('an objection recorded after the screening still wins at send time', async () => {
    const gil = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'gil@example.fr' });
    await t.store.appendEvents([
      {
        contactId: gil.id,
        type: 'consent.given',
        at: '2026-01-10T10:00:00Z',
        data: { channel: 'email' },
        recordedBy: by,
      },
    ]);
    // The person objects after the screening allowed them, while their batch is about to leave: the store's
    // first call of the sending step (settledAmong) records the objection first.
    const store = new Proxy(t.store, {
      get(target, prop, receiver) {
        if (prop !== 'settledAmong') return Reflect.get(target, prop, receiver);
        return async (campaignId: string, ids: readonly string[]) => {
          await target.appendEvents([
            {
              contactId: gil.id,
              type: 'objection',
              // Stamped a moment after the sender read its clock (the race this test once lost by a millisecond).
              at: new Date(Date.now() + 200).toISOString(),
              data: { channel: '*' },
              recordedBy: by,
            },
          ]);
          return target.settledAmong(campaignId, ids);
        };
      },
    });
    async function* audience(): AsyncIterable<CampaignRow> {
      yield { row: { line: 2, email: 'gil@example.fr' }, vars: {} };
    }
    const before = sink.mails.length;
    const r = await runCampaign(
      audience(),
      { template: template('email'), channel: 'email', purpose: 'offers', jurisdiction: null },
      { ...deps, store },
    );
    expect(r.screening.allowed).toBe(1);
    expect(r.sent).toBe(0);
    expect(r.skipped).toEqual({ WITHDRAWN: 1 });
    expect(sink.mails.length).toBe(before);
  });

  it('an unsubscribe recorded while earlier messages of the batch go out stops the later ones', async () => {
    const [, ida] = [await consenting('hal@example.fr'), await consenting('ida@example.fr')];
    // Ida clicks an earlier message's one-click link while Hal's message is on its way (the batch was decided before).
    const mailer = {
      async send(mail: Parameters<NonNullable<CampaignDeps['mailer']>['send']>[0]) {
        if (mail.to === 'hal@example.fr') {
          await t.store.appendEvents([
            {
              contactId: ida.id,
              type: 'objection',
              at: new Date().toISOString(),
              data: { channel: '*' },
              recordedBy: by,
            },
          ]);
        }
        return deps.mailer?.send(mail) ?? null;
      },
      close() {},
    };
    async function* audience(): AsyncIterable<CampaignRow> {
      yield { row: { line: 2, email: 'hal@example.fr' }, vars: {} };
      yield { row: { line: 3, email: 'ida@example.fr' }, vars: {} };
    }
    const r = await runCampaign(
      audience(),
      { template: template('email'), channel: 'email', purpose: 'offers', jurisdiction: null, campaignId: 'race-2' },
      { ...deps, mailer },
    );
    expect(r.screening.allowed).toBe(2);
    expect(r.sent).toBe(1);
    expect(r.skipped).toEqual({ WITHDRAWN: 1 });
    expect((await t.store.listSends({ campaignId: 'race-2' })).map((x) => x.address)).toEqual(['hal@example.fr']);
  });

  it('records each message as it leaves: a run stopped midway keeps every record, and a re-run sends the rest', async () => {
    const emails = ['jo@example.fr', 'kim@example.fr', 'lea@example.fr'];
    for (const email of emails) await consenting(email);
    async function* audience(): AsyncIterable<CampaignRow> {
      for (const [i, email] of emails.entries()) yield { row: { line: i + 2, email }, vars: {} };
    }
    const stop = new AbortController();
    const recorded: number[] = [];
    const mailer = {
      async send(mail: Parameters<NonNullable<CampaignDeps['mailer']>['send']>[0]) {
        // What the store holds when each message leaves: the earlier ones' records are there already.
        recorded.push((await t.store.listSends({ campaignId: 'stop-1' })).length);
        if (mail.to === 'kim@example.fr') stop.abort(); // Ctrl-C while Kim's message is in flight
        return deps.mailer?.send(mail) ?? null;
      },
      close() {},
    };
    const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
    const first = await runCampaign(
      audience(),
      { ...options, campaignId: 'stop-1', signal: stop.signal },
      { ...deps, mailer },
    );
    expect(first.interrupted).toBe(true);
    expect(first.sent).toBe(2);
    expect(recorded).toEqual([0, 1]);
    expect((await t.store.listSends({ campaignId: 'stop-1' })).map((x) => x.address).sort()).toEqual([
      'jo@example.fr',
      'kim@example.fr',
    ]);
    const again = await runCampaign(audience(), { ...options, campaignId: 'stop-1' }, deps);
    expect(again.interrupted).toBeUndefined();
    expect(again.sent).toBe(1);
    expect(again.skipped).toEqual({ ALREADY_SENT: 2 });
  });

  it('does not try again an address the server refused for good (5xx), and tries again one refused for now (4xx)', async () => {
    let busyTries = 0;
    const strict = await startMailSink((rcpt) =>
      rcpt === 'gone@example.fr'
        ? { code: 550, message: '5.1.1 No such user' }
        : rcpt === 'relay@example.fr' && busyTries === 0 // the server's policy, not the address: tried again
          ? { code: 554, message: '5.7.1 Relay access denied' }
          : rcpt === 'busy@example.fr' && busyTries++ === 0 // refused for now the first time only
            ? { code: 451, message: 'Try again later' }
            : null,
    );
    const mailer = smtpMailer(strict.url, 'Boutique Exemple <shop@example.com>');
    try {
      for (const email of ['gone@example.fr', 'relay@example.fr', 'busy@example.fr']) await consenting(email);
      async function* audience(): AsyncIterable<CampaignRow> {
        yield { row: { line: 2, email: 'gone@example.fr' }, vars: {} };
        yield { row: { line: 3, email: 'relay@example.fr' }, vars: {} };
        yield { row: { line: 4, email: 'busy@example.fr' }, vars: {} };
      }
      const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
      const first = await runCampaign(audience(), { ...options, campaignId: 'bounce-1' }, { ...deps, mailer });
      expect(first).toMatchObject({ sent: 0, failed: 3, rejected: 1 });
      const records = await t.store.listSends({ campaignId: 'bounce-1' });
      expect(records.map((r) => [r.address, r.status]).sort()).toEqual([
        ['busy@example.fr', 'failed'],
        ['gone@example.fr', 'rejected'],
        ['relay@example.fr', 'failed'],
      ]);
      const again = await runCampaign(audience(), { ...options, campaignId: 'bounce-1' }, { ...deps, mailer });
      expect(again).toMatchObject({ sent: 2, failed: 0, skipped: { REJECTED_BEFORE: 1 } });
      expect(strict.mails.flatMap((m) => m.to).sort()).toEqual(['busy@example.fr', 'relay@example.fr']);
    } finally {
      mailer.close();
      await strict.close();
    }
  });

  it("retries after a refusal of the sender, which is no recipient's (a 5xx to MAIL FROM is not a bounce)", async () => {
    const wrong = await startMailSink(() => null, { code: 553, message: 'Sender address rejected' });
    const mailer = smtpMailer(wrong.url, 'Boutique Exemple <shop@example.com>');
    try {
      await consenting('kay@example.fr');
      async function* audience(): AsyncIterable<CampaignRow> {
        yield { row: { line: 2, email: 'kay@example.fr' }, vars: {} };
      }
      const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
      const first = await runCampaign(audience(), { ...options, campaignId: 'sender-1' }, { ...deps, mailer });
      expect(first).toMatchObject({ sent: 0, failed: 1 });
      expect(first.rejected).toBeUndefined();
      const fixed = await runCampaign(audience(), { ...options, campaignId: 'sender-1' }, deps);
      expect(fixed).toMatchObject({ sent: 1, skipped: {} });
    } finally {
      mailer.close();
      await wrong.close();
    }
  });

  it('stops after a few messages in a row cannot reach a server that never greets; a re-run sends the rest', async () => {
    // Accepts the connection, never says 220: each message waits the greeting timeout (here 50 ms, not 30 s).
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const from = 'Boutique Exemple <shop@example.com>';
    const mailer = smtpMailer(`smtp://127.0.0.1:${port}`, from, { connectTimeoutMs: 50 });
    try {
      const emails = ['s1', 's2', 's3', 's4', 's5'].map((n) => `${n}@silent.example`);
      for (const email of emails) await consenting(email);
      async function* audience(): AsyncIterable<CampaignRow> {
        for (const [i, email] of emails.entries()) yield { row: { line: i + 2, email }, vars: {} };
      }
      const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
      // Batches of 2: the stop falls inside the second batch, and the fifth row is screened after it.
      const run = { ...options, campaignId: 'silent-1', batchSize: 2 };
      const first = await runCampaign(audience(), run, { ...deps, mailer });
      expect(first).toMatchObject({ sent: 0, failed: UNREACHABLE_LIMIT, skipped: {} });
      expect(first.stopped).toEqual({ reason: expect.stringMatching(/Greeting never received/), notAttempted: 2 });
      expect(first.screening.allowed).toBe(5);
      const records = await t.store.listSends({ campaignId: 'silent-1' });
      expect(records.map((r) => [r.address, r.status]).sort()).toEqual(
        emails.slice(0, UNREACHABLE_LIMIT).map((e) => [e, 'failed']),
      );
      const again = await runCampaign(audience(), run, deps);
      expect(again).toMatchObject({ sent: 5, failed: 0, skipped: {} });
      expect(again.stopped).toBeUndefined();
    } finally {
      mailer.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('counts only failures to reach the server in a row: a refused recipient or a message sent starts again', async () => {
    const unreachable = Object.assign(new Error('Greeting never received'), { code: 'ETIMEDOUT' });
    const refused = Object.assign(new Error('550 5.1.1 No such user'), { code: 'EENVELOPE', responseCode: 550 });
    // Two unreachable, a refusal, two unreachable, a success, two unreachable: never three in a row.
    const script = [unreachable, unreachable, refused, unreachable, unreachable, null, unreachable, unreachable];
    let n = 0;
    const mailer = {
      async send() {
        const next = script[n++];
        if (next) throw next;
        return null;
      },
      close() {},
    };
    const emails = script.map((_, i) => `row${i}@script.example`);
    for (const email of emails) await consenting(email);
    async function* audience(): AsyncIterable<CampaignRow> {
      for (const [i, email] of emails.entries()) yield { row: { line: i + 2, email }, vars: {} };
    }
    const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
    const r = await runCampaign(audience(), { ...options, campaignId: 'script-1' }, { ...deps, mailer });
    expect(r).toMatchObject({ sent: 1, failed: 7 });
    expect(r.stopped).toBeUndefined();
    expect(n).toBe(script.length);
  });

  it('does not send again to a person whose record was merged into another since the first run', async () => {
    const [max, old] = [await consenting('max@example.fr'), await consenting('max.old@example.fr')];
    async function* audience(): AsyncIterable<CampaignRow> {
      yield { row: { line: 2, email: 'max.old@example.fr' }, vars: {} };
    }
    const options = { template: template('email'), channel: 'email' as const, purpose: 'offers', jurisdiction: null };
    expect((await runCampaign(audience(), { ...options, campaignId: 'merge-1' }, deps)).sent).toBe(1);
    await t.store.mergeContacts(max.id, old.id, by);
    const again = await runCampaign(audience(), { ...options, campaignId: 'merge-1' }, deps);
    expect(again.sent).toBe(0);
    expect(again.skipped).toEqual({ ALREADY_SENT: 1 });
  });

  it('refuses a live campaign dated in the future: it would be judged at a time it does not go out', async () => {
    const at = new Date(Date.now() + 86_400_000);
    await expect(
      runCampaign(
        rows(),
        { template: template('email'), channel: 'email', purpose: 'offers', jurisdiction: null, at },
        deps,
      ),
    ).rejects.toThrow(/--at is in the future/);
  });

  it('refuses a template that cannot carry the obligations, before anything is screened or sent', async () => {
    const bad = template('email');
    if (bad.email) bad.email.text = bad.email.text.replace('{{unsubscribeUrl}}', '');
    await expect(
      runCampaign(rows(), { template: bad, channel: 'email', purpose: 'offers', jurisdiction: null }, deps),
    ).rejects.toThrow(/email.text lacks \{\{unsubscribeUrl\}\}/);
  });
});

describe('campaign dry run', () => {
  it('writes one .eml per allowed recipient and messages.ndjson, and sends nothing', async () => {
    const dir = join(tempDir(), 'out');
    const before = sink.mails.length;
    const r = await runCampaign(
      rows(),
      { template: template('email'), channel: 'email', purpose: 'offers', jurisdiction: null, dryRunDir: dir },
      { ...deps, mailer: null },
    );
    expect(r.dryRun).toBe(true);
    expect(await t.store.getScreening(r.screening.id)).toBeNull(); // a dry run sends nothing: no record
    expect(r.sent).toBe(2); // ana objected in the acceptance test above
    expect(sink.mails.length).toBe(before);
    const emls = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(emls).toHaveLength(2);
    const parsed = await simpleParser(readFileSync(join(dir, emls[0] as string)));
    expect(parsed.headerLines.some((h) => h.line === 'List-Unsubscribe-Post: List-Unsubscribe=One-Click')).toBe(true);
    expect(parsed.subject?.startsWith('Publicité: ')).toBe(true);
    const lines = readFileSync(join(dir, 'messages.ndjson'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).to).sort()).toEqual(['contact@acme.fr', 'fay@example.fr']);
    expect(JSON.parse(readFileSync(join(dir, 'campaign.json'), 'utf8')).sent).toBe(2);
  });

  it('names the SMS STOP short number only to numbers of its country: a Belgian one is told to reply STOP', async () => {
    const texters = [
      ['FR', '+33612345601'],
      ['BE', '+32470123401'],
    ] as const;
    for (const [jurisdiction, phone] of texters) {
      const c = await t.store.createContact({ type: 'individual', jurisdiction, phone });
      await t.store.appendEvents([
        {
          contactId: c.id,
          type: 'consent.given',
          at: '2026-01-10T10:00:00Z',
          data: { channel: 'sms', method: 'double_opt_in' },
          recordedBy: by,
        },
      ]);
    }
    async function* audience(): AsyncIterable<CampaignRow> {
      for (const [i, [, phone]] of texters.entries()) yield { row: { line: i + 2, phone }, vars: {} };
    }
    const dir = join(tempDir(), 'texts');
    const at = new Date('2026-03-03T10:30:00+01:00'); // a Tuesday morning
    const r = await runCampaign(
      audience(),
      { template: template('sms'), channel: 'sms', purpose: 'offers', jurisdiction: null, dryRunDir: dir, at },
      deps,
    );
    expect(r.sent, JSON.stringify(r)).toBe(2);
    const texts = Object.fromEntries(
      readFileSync(join(dir, 'messages.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { to: string; text: string })
        .map((m) => [m.to, m.text]),
    );
    expect(texts['+33612345601']).toMatch(/STOP au 36111$/);
    expect(texts['+32470123401']).toMatch(/Répondez STOP pour ne plus recevoir de SMS$/);
    expect(texts['+32470123401']).not.toContain('36111');
  });

  it('writes call scripts, which are never "sent"', async () => {
    const dir = join(tempDir(), 'calls');
    await expect(
      runCampaign(
        rows(),
        { template: template('call'), channel: 'phone', purpose: 'offers', jurisdiction: null },
        deps,
      ),
    ).rejects.toThrow(/--dry-run/);
    const r = await runCampaign(
      rows(),
      { template: template('call'), channel: 'phone', purpose: 'offers', jurisdiction: null, dryRunDir: dir },
      deps,
    );
    expect(r.sent).toBe(0); // nobody here has a phone number
  });
});
