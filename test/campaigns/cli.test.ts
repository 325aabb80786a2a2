// `assent campaign lint` and `assent campaign send` end to end: the built CLI on a SQLite file.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMixed, tempStore, write } from '../screening/helpers.js';
import { template } from './helpers.js';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
let dir: string;
let db: string;
const cli = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [bin, '--db', db, ...args], {
    encoding: 'utf8',
    env: { ...process.env, SMTP_URL: '', ASSENT_SMS_URL: '', ASSENT_PUBLIC_URL: 'https://assent.example', ...env },
  });

beforeAll(async () => {
  const t = await tempStore();
  ({ dir, db } = t);
  await seedMixed(t.store);
  await t.store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assent campaign', () => {
  it('lint: exit 0 for a complete template, 2 with each problem and its law for one that is not', () => {
    const good = write(dir, 'good.json', [JSON.stringify(template('email'))]);
    const ok = cli(['campaign', 'lint', good]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stderr).toContain('ok for email');
    const t = template('email');
    if (t.email) t.email.text = t.email.text.replace('{{unsubscribeUrl}}', '');
    const bad = write(dir, 'bad.json', [JSON.stringify(t)]);
    const refused = cli(['campaign', 'lint', bad]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/email\.text: email\.text lacks \{\{unsubscribeUrl\}\}.*\[CPCE art\. L34-5/);
    expect(cli(['campaign', 'lint', bad, '--channel', 'sms']).stderr).toContain('no sms part');
    // A template with an email and an SMS part and no sender: the problem is the template's, said once, not per part.
    const both = { ...template('email'), sms: template('sms').sms, sender: '' };
    const noSender = cli(['campaign', 'lint', write(dir, 'no-sender.json', [JSON.stringify(both)])]);
    expect(noSender.status).toBe(2);
    expect(noSender.stderr.match(/sender is empty/g)?.length, noSender.stderr).toBe(1);
    expect(noSender.stderr).toContain('1 problem(s)');
  });

  it('send --dry-run: the allowed recipients only, written as .eml, nothing sent or recorded', () => {
    const tpl = write(dir, 'tpl.json', [JSON.stringify(template('email'))]);
    const audience = write(dir, 'audience.csv', [
      'email,first_name',
      'ana@example.fr,Ana',
      'bob@example.fr,Bob',
      'nobody@example.fr,Nob',
      'contact@acme.fr,Acme',
    ]);
    const out = join(dir, 'out');
    const args = ['campaign', 'send', '--template', tpl, '--audience', audience, '--channel', 'email'];
    const r = cli([...args, '--purpose', 'offers', '--dry-run', out, '--at', '2026-10-01T10:00:00Z']);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ dryRun: true, sent: 2, failed: 0 });
    // Dated in the past: judged by that day's law, lists and consents, which it says (not today's to send from).
    expect(r.stderr).toMatch(
      /note: decided as at 2026-10-01T10:00:00\.000Z, \d+ days ago, .*run it again without --at/,
    );
    expect(readdirSync(out).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
    const lines = readFileSync(join(out, 'messages.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.to).sort()).toEqual(['ana@example.fr', 'contact@acme.fr']);
    expect(lines.find((l) => l.to === 'ana@example.fr').subject).toBe("Publicité: Nos offres d'automne, Ana");
    expect(lines[0].html).toContain('href="https://assent.example/u/');
    // The same folder again: refused, the first run's files untouched.
    const again = cli([...args, '--purpose', 'offers', '--dry-run', out, '--at', '2026-10-01T10:00:00Z']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/the dry-run folder .*out is not empty: name a new folder/);
    expect(readdirSync(out).filter((f) => f.endsWith('.eml'))).toHaveLength(2);
    // A placeholder no column gives would render empty for everyone ("Bonjour ,"): refused before anything is read.
    const noName = write(dir, 'no-name.csv', ['email', 'ana@example.fr']);
    const missing = cli([
      'campaign',
      'send',
      '--template',
      tpl,
      '--audience',
      noName,
      '--channel',
      'email',
      '--dry-run',
      join(dir, 'none'),
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('the template uses {{firstName}}, which no column of');
    // Column names are case-insensitive: {{firstName}} is filled from a `firstName` (or `FIRSTNAME`) column.
    for (const header of ['firstName', 'FIRSTNAME']) {
      const cased = write(dir, `cased-${header}.csv`, [`email,${header}`, 'ana@example.fr,Ana']);
      const dry = join(dir, `cased-${header}`);
      const run = cli([...args.slice(0, 5), cased, ...args.slice(6), '--dry-run', dry, '--at', '2026-10-01T10:00:00Z']);
      expect(run.status, run.stderr).toBe(0);
      expect(readFileSync(join(dry, 'messages.ndjson'), 'utf8')).toContain("Publicité: Nos offres d'automne, Ana");
    }
    // Without a dry run and without SMTP_URL, nothing can leave.
    const none = cli([...args]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('no SMTP server configured (SMTP_URL)');
    // A live send whose links or sender recipients could not use is refused before anything is read or sent (the
    // SMTP server named here does not even listen).
    const smtp = { SMTP_URL: 'smtp://127.0.0.1:9', ASSENT_MAIL_FROM: 'Shop <news@shop.example>' };
    for (const [env, message] of [
      [{ ...smtp, ASSENT_PUBLIC_URL: '' }, 'a live send needs ASSENT_PUBLIC_URL, the https address'],
      [{ ...smtp, ASSENT_PUBLIC_URL: 'http://127.0.0.1:8080' }, 'got "http://127.0.0.1:8080"'],
      [{ ...smtp, ASSENT_MAIL_FROM: '' }, 'a live email send needs ASSENT_MAIL_FROM'],
    ] as const) {
      const refused = cli([...args, '--campaign', 'live-1'], env);
      expect(refused.status, refused.stderr).toBe(2);
      expect(refused.stderr).toContain(message);
    }
    // Every send failing (nothing listens on port 9): recorded, said with its reason, and not a success.
    const down = cli([...args, '--purpose', 'offers', '--campaign', 'live-2', '--at', '2026-10-01T10:00:00Z'], smtp);
    expect(down.status, down.stderr).toBe(69);
    expect(JSON.parse(down.stdout)).toMatchObject({ sent: 0, failed: 2, firstFailure: expect.any(String) });
    expect(down.stderr).toMatch(/2 not sent, first because: .+; run it again with --campaign live-2 to retry them/);
    for (const bad of [
      ['--purpose', ' '],
      ['--campaign', ''],
    ]) {
      const usage = cli([...args, ...bad, '--dry-run', join(dir, 'never')]);
      expect(usage.status, usage.stderr).toBe(64);
    }
  });

  it('send: stops (exit 69) after a few messages cannot reach an SMTP server that never greets, and says how many are left', async () => {
    const own = await tempStore();
    const emails = ['g1', 'g2', 'g3', 'g4'].map((n) => `${n}@silent.example`);
    const ids: string[] = [];
    for (const email of emails) {
      ids.push((await own.store.createContact({ type: 'individual', jurisdiction: 'FR', email })).id);
    }
    const consent = { type: 'consent.given', at: '2026-01-10T10:00:00Z', data: { channel: 'email' } } as const;
    await own.store.appendEvents(ids.map((contactId) => ({ contactId, ...consent, recordedBy: 'test:campaigns' })));
    await own.store.close();
    // Accepts connections (the kernel does, even while spawnSync blocks this process) and never says 220.
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    try {
      const tpl = write(dir, 'silent.json', [JSON.stringify(template('email'))]);
      const audience = write(dir, 'silent.csv', ['email,first_name', ...emails.map((e) => `${e},G`)]);
      const args = ['campaign', 'send', '--template', tpl, '--audience', audience, '--channel', 'email'];
      const env = {
        SMTP_URL: `smtp://127.0.0.1:${port}`,
        ASSENT_MAIL_FROM: 'Shop <news@shop.example>',
        ASSENT_SMTP_CONNECT_TIMEOUT_MS: '100',
      };
      const r = cli(['--db', own.db, ...args, '--campaign', 'silent-cli'], env);
      expect(r.status, r.stderr).toBe(69);
      expect(JSON.parse(r.stdout)).toMatchObject({ sent: 0, failed: 3, stopped: { notAttempted: 1 } });
      expect(r.stderr).toMatch(
        /stopped: 3 messages in a row could not reach the SMTP server \(last: Greeting never received\); 0 sent, 3 failed, 1 not attempted: run it again with --campaign silent-cli/,
      );
      const bad = cli(['--db', own.db, ...args], { ...env, ASSENT_SMTP_CONNECT_TIMEOUT_MS: '10s' });
      expect(bad.status).toBe(64);
      expect(bad.stderr).toContain('ASSENT_SMTP_CONNECT_TIMEOUT_MS must be a whole number from 1 to 600000; got "10s"');
    } finally {
      silent.close();
      rmSync(own.dir, { recursive: true, force: true });
    }
  });

  // The records were only in the database (store.listSends): `campaign sends` prints them, a page at a time.
  it('sends: prints what a campaign sent, oldest first, across pages, by status; exit 4 for a campaign with none', async () => {
    const own = await tempStore();
    const contact = await own.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'pp@example.fr' });
    const record = (i: number) => ({
      campaignId: 'paged',
      contactId: contact.id,
      channel: 'email',
      address: 'pp@example.fr',
      status: i % 10 === 0 ? ('failed' as const) : ('sent' as const),
      basis: 'CONSENT',
      obligations: ['UNSUBSCRIBE_LINK'],
      templateSha256: 'a'.repeat(64),
      messageId: `<${i}@shop.example>`,
      error: null,
      // Two sends in each second: a page may end between two of one instant.
      sentAt: new Date(Date.UTC(2026, 9, 1, 10, 0, Math.floor(i / 2))).toISOString(),
    });
    await own.store.recordSends(Array.from({ length: 2_501 }, (_, i) => record(i)));
    await own.store.close();
    try {
      const all = cli(['--db', own.db, 'campaign', 'sends', 'paged']);
      expect(all.status, all.stderr).toBe(0);
      const lines = all.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(2_501);
      expect(new Set(lines.map((l) => l.id)).size).toBe(2_501);
      expect(lines.map((l) => l.sentAt)).toEqual(lines.map((l) => l.sentAt).sort());
      expect(lines[0]).toMatchObject({
        campaignId: 'paged',
        address: 'pp@example.fr',
        obligations: ['UNSUBSCRIBE_LINK'],
      });
      expect(all.stderr).toContain('campaign paged: 2501 messages recorded {"sent":2250,"failed":251}');
      const failed = cli(['--db', own.db, 'campaign', 'sends', 'paged', '--status', 'failed']);
      expect(failed.stdout.trim().split('\n')).toHaveLength(251);
      const none = cli(['--db', own.db, 'campaign', 'sends', 'paged', '--status', 'rejected']);
      expect([none.status, none.stderr]).toEqual([
        4,
        'assent: no rejected send recorded for campaign paged (dry runs record none)\n',
      ]);
      expect(cli(['--db', own.db, 'campaign', 'sends', 'nope']).status).toBe(4);
      expect(cli(['--db', own.db, 'campaign', 'sends', 'paged', '--status', 'lost']).status).toBe(64);
    } finally {
      rmSync(own.dir, { recursive: true, force: true });
    }
  });

  /** `campaign send` of a call script to `audience`, dry run into `out`, dated in the Bloctel era. */
  const phoneCampaign = (audience: string, out: string, db?: string) => {
    const tpl = write(dir, 'call.json', [JSON.stringify(template('call'))]);
    const args = ['campaign', 'send', '--template', tpl, '--audience', audience, '--channel', 'phone'];
    return cli([...(db ? ['--db', db] : []), ...args, '--at', '2026-03-03T11:00:00+01:00', '--dry-run', out]);
  };

  it('a phone campaign is refused while the Bloctel list is missing (exit 5), before any script is written', () => {
    const audience = write(dir, 'calls.csv', ['phone', '06 12 34 56 70']);
    const out = join(dir, 'calls');
    const r = phoneCampaign(audience, out);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(/campaign refused, nothing sent: the bloctel list is required/);
    expect(readFileSync(join(out, 'messages.ndjson'), 'utf8')).toBe('');
  });

  it('a stale Bloctel file stops a phone campaign (exit 5); a fresh one lets it run', () => {
    const db = join(dir, 'bloctel.db');
    const audience = write(dir, 'calls2.csv', ['phone', '06 12 34 56 71', '06 12 34 56 72']);
    const list = write(dir, 'bloctel.txt', ['0612345671']);
    const send = (out: string) => phoneCampaign(audience, join(dir, out), db);
    expect(cli(['--db', db, 'lists', 'import', list, '--name', 'bloctel', '--as-of', '2026-01-15']).status).toBe(0);
    const stale = send('stale');
    expect(stale.status).toBe(5);
    expect(stale.stderr).toMatch(/campaign refused, nothing sent: .*bloctel.*(stale|2026-01-15)/i);
    expect(readFileSync(join(dir, 'stale', 'messages.ndjson'), 'utf8')).toBe('');
    expect(cli(['--db', db, 'lists', 'import', list, '--name', 'bloctel', '--as-of', '2026-02-20']).status).toBe(0);
    const fresh = send('fresh');
    expect(fresh.status).toBe(0);
    expect(fresh.stderr).not.toMatch(/refused/);
  });

  it('names an audience file it cannot read (exit 66, as every command), with nothing written', () => {
    const missing = join(dir, 'no-such-audience.csv');
    const r = phoneCampaign(missing, join(dir, 'none'));
    expect(r.status).toBe(66);
    expect(r.stderr).toBe(`assent: cannot read ${missing}: no such file\n`);
    expect(existsSync(join(dir, 'none'))).toBe(false);
    // A dry-run folder that is a file: one line, no stack.
    const audience = write(dir, 'one.csv', ['phone', '06 12 34 56 70']);
    const file = write(dir, 'a-file', ['x']);
    const notDir = phoneCampaign(audience, file);
    expect([notDir.status, notDir.stderr.split('\n').length]).toEqual([66, 2]);
  });
});
