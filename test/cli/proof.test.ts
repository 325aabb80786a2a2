// `assent contacts proof`: the statement a DPO hands an auditor, and exit 3 when the ledger it rests on is broken.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-proof-'));
const run = (db: string, args: string[], input = '') =>
  spawnSync(process.execPath, [bin, '--db', db, ...args], { input, encoding: 'utf8' });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assent contacts proof', () => {
  it('prints the acts as a document, as JSON, per channel, and exit 3 on a broken ledger with --verify', () => {
    const db = join(dir, 'p.db');
    run(db, ['contacts', 'add', '-j', 'FR', '--email', 'jane@example.fr']);
    const events = [
      {
        contact: 'jane@example.fr',
        type: 'consent.given',
        at: '2026-01-01T10:00:00Z',
        channel: 'email',
        evidence: { ip: '203.0.113.9' },
      },
      { contact: 'jane@example.fr', type: 'objection', at: '2026-02-01T10:00:00Z', channel: 'sms' },
    ];
    expect(run(db, ['events', 'add'], events.map((e) => JSON.stringify(e)).join('\n')).status).toBe(0);
    const doc = run(db, ['contacts', 'proof', 'jane@example.fr', '--verify']);
    expect(doc.status).toBe(0);
    expect(doc.stdout).toContain('Ledger verified now: intact, 2 events');
    expect(doc.stdout).toContain('## 2026-01-01T10:00:00Z: Consent given on email for every purpose');
    expect(doc.stdout).toContain('- IP address: `203.0.113.9`');
    expect(doc.stdout).toContain('## 2026-02-01T10:00:00Z: Objection on sms for every purpose');
    const email = JSON.parse(run(db, ['contacts', 'proof', 'jane@example.fr', '--channel', 'email', '--json']).stdout);
    expect(email.acts.map((a: { type: string }) => a.type)).toEqual(['consent.given']);
    expect(run(db, ['contacts', 'proof', 'jane@example.fr', '--channel', 'pigeon']).status).toBe(64);
    // A wording stored late is dated by when it was first shown.
    const wording = join(dir, 'w.txt');
    writeFileSync(wording, 'J’accepte.');
    const text = ['texts', 'add', '--key', 'k', '--version', '1', '--language', 'fr', '--file', wording];
    expect(JSON.parse(run(db, [...text, '--published', '2024-03-01']).stdout).createdAt).toBe(
      '2024-03-01T00:00:00.000Z',
    );
    const ahead = run(db, [...text.slice(0, 5), '2', ...text.slice(6), '--published', '2999-01-01']);
    expect([ahead.status, ahead.stderr]).toEqual([64, expect.stringContaining('--published is in the future')]);
    const raw = new Database(db);
    raw.prepare("update ledger_events set data = replace(data, 'sms', 'fax') where seq = 2").run();
    raw.close();
    const broken = run(db, ['contacts', 'proof', 'jane@example.fr', '--verify']);
    expect(broken.status).toBe(3);
    expect(broken.stdout).toContain('**Ledger verified now: BROKEN** (event 2:');
  });
});
