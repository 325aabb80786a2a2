import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-backup-'));
const run = (db: string, args: string[], input = '') =>
  spawnSync(process.execPath, [bin, '--db', db, ...args], { input, encoding: 'utf8' });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('assent backup', () => {
  it('copies a live SQLite database whose ledger verifies, and never overwrites', () => {
    const db = join(dir, 'live.db');
    run(db, ['contacts', 'add', '-j', 'FR', '--email', 'b@example.fr']);
    run(db, ['events', 'add'], JSON.stringify({ contact: 'b@example.fr', type: 'purchase', at: '2026-01-01' }));
    const out = join(dir, 'copy.db');
    const r = run(db, ['backup', '-o', out]);
    expect(r.status).toBe(0);
    const head = /1 ledger events verified, head ([0-9a-f]{64})\)/.exec(r.stdout)?.[1];
    expect(head).toBeDefined();
    // The head to note elsewhere is the one the copy verifies to.
    expect(run(out, ['ledger', 'verify']).stdout).toContain(`ledger intact: 1 event, head ${head}`);
    expect(run(out, ['history', 'b@example.fr']).stdout).toContain('"purchase"');
    const again = run(db, ['backup', '-o', out]);
    expect(again.status).toBe(5);
    expect(again.stderr).toContain('never overwrites');
  });

  it('says, as ledger verify does, when the copy holds events whose evidence was removed', () => {
    const db = join(dir, 'stripped.db');
    run(db, ['contacts', 'add', '-j', 'FR', '--email', 's@example.fr']);
    const event = {
      contact: 's@example.fr',
      type: 'purchase',
      at: '2026-01-01',
      evidence: { method: 'api', ip: '203.0.113.1' },
    };
    expect(run(db, ['events', 'add'], JSON.stringify(event)).status).toBe(0);
    const raw = new Database(db);
    raw.prepare('update ledger_events set evidence = null').run();
    raw.close();
    const r = run(db, ['backup', '-o', join(dir, 'stripped-copy.db')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('1 ledger events verified');
    expect(r.stdout).toContain('warning: the evidence of 1 event was removed (first: event 1)');
  });

  it('makes the database, its folder, its backups and the files it writes readable by their owner only (GDPR art. 32)', () => {
    const db = join(dir, 'private', 'data', 'assent.db');
    expect(run(db, ['contacts', 'add', '-j', 'FR', '--email', 'p@example.fr']).status).toBe(0);
    const mode = (f: string) => statSync(f).mode & 0o777;
    expect(mode(db)).toBe(0o600);
    expect(mode(join(dir, 'private', 'data'))).toBe(0o700);
    const copy = join(dir, 'private', 'backups', 'copy.db');
    expect(run(db, ['backup', '-o', copy]).status).toBe(0);
    expect(mode(copy)).toBe(0o600);
    // The files it writes that hold personal data: an export, an import's rejects.
    const exported = join(dir, 'private', 'all.ndjson');
    expect(run(db, ['export', '--out', exported]).status).toBe(0);
    expect(mode(exported)).toBe(0o600);
    const bad = join(dir, 'private', 'bad.csv');
    writeFileSync(bad, 'email,jurisdiction\nnot-an-email,FR\n');
    run(db, ['import', bad, '--rejects', `${bad}.rejects.csv`]);
    expect(mode(`${bad}.rejects.csv`)).toBe(0o600);
  });

  it('points PostgreSQL users to pg_dump', () => {
    const r = run('postgres://postgres@127.0.0.1:5432/test', ['backup']);
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('pg_dump');
  });
});
