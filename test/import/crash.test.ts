// Crash safety: an import killed with SIGKILL in the middle of a large file leaves whole batches only (the ledger
// verifies, contacts match the journal), and running it again resumes and ends exactly where a clean import ends.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cli, rejectsOf, tempDir, write } from './helpers.js';

const ROWS = 30_000;
const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function query<T>(db: string, sql: string): T[] {
  const raw = new Sqlite(db, { readonly: true });
  try {
    return raw.prepare(sql).all() as T[];
  } finally {
    raw.close();
  }
}

const state = (db: string) => ({
  contacts: query<{ n: number }>(db, 'select count(*) as n from contacts')[0]?.n,
  events: query<{ n: number }>(db, 'select count(*) as n from ledger_events')[0]?.n,
  journal: query<{ status: string; lines_done: number; accepted: number; rejected: number }>(
    db,
    'select status, lines_done, accepted, rejected from import_batches',
  ),
});

/** Runs `assent` to its end without blocking the test's event loop (the clean import runs beside the crash). */
async function run(args: string[]): Promise<{ status: number | null; stderr: string }> {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, stderr };
}

describe('an import killed mid-file', () => {
  it('keeps whole batches only, and resumes to the same result as a clean import', { timeout: 90_000 }, async () => {
    const rows = Array.from({ length: ROWS }, (_, i) => {
      const email = i % 1000 === 999 ? `broken-${i}` : `person${i}@example.fr`; // 30 rejected rows along the file
      return `crm-${i},${email},FR,yes,2025-06-01T10:00:00Z,checkbox`;
    });
    const file = write(dir, 'big.csv', [
      'external_id,email,jurisdiction,consent_email,consent_at,consent_method',
      ...rows,
    ]);
    const [db, cleanDb] = [join(dir, 'crashed.db'), join(dir, 'clean.db')];
    const cleanRejects = join(dir, 'clean.rejects.csv');
    const clean = run(['--db', cleanDb, 'import', file, '--batch', '500', '--rejects', cleanRejects]);

    // In the folder the resume runs in (cli): the rejects file is written in the current folder.
    const child = spawn(process.execPath, [bin, '--db', db, 'import', file, '--progress', '--batch', '500'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      cwd: dir,
    });
    const exited = once(child, 'exit');
    // Killed as soon as its stderr shows a committed batch: at a random point of a later batch, maybe mid-write.
    for await (const line of createInterface({ input: child.stderr })) {
      if (line.startsWith('progress: committed through line')) break;
    }
    child.kill('SIGKILL');
    expect((await exited)[1]).toBe('SIGKILL');

    const verify = cli(db, ['ledger', 'verify']);
    expect(verify.status).toBe(0);
    expect(verify.stdout).toContain('ledger intact');
    const crashed = state(db);
    const [journal] = crashed.journal;
    expect(journal?.status).toBe('running');
    expect(journal?.lines_done).toBeGreaterThan(1);
    expect(journal?.lines_done).toBeLessThan(ROWS + 1);
    // Nothing half-written: every accepted row of the committed batches is a contact with its one consent event.
    expect(crashed.contacts).toBe(journal?.accepted);
    expect(crashed.events).toBe(journal?.accepted);

    const resumed = cli(db, ['import', file, '--progress', '--batch', '500']);
    expect(resumed.stderr).toContain(`resuming ${file} after line ${journal?.lines_done}`);
    expect(resumed.status).toBe(1);
    expect(resumed.stderr).toContain(`imported ${file}: ${ROWS - 30} accepted, 30 rejected`);

    const reference = await clean;
    expect(reference.status).toBe(1);
    expect(state(db)).toEqual(state(cleanDb));
    expect(state(db)).toMatchObject({ contacts: ROWS - 30, events: ROWS - 30 });
    const identifiers = 'select kind, value from identifiers order by kind, value';
    expect(query(db, identifiers)).toEqual(query(cleanDb, identifiers));
    // The rejects file lost nothing and repeated nothing across the crash.
    const rejects = rejectsOf(`${file}.rejects.csv`);
    expect(rejects).toEqual(rejectsOf(cleanRejects));
    expect(rejects.map((r) => Number(r.line))).toEqual(Array.from({ length: 30 }, (_, k) => 1000 * k + 1001));
    expect(cli(db, ['ledger', 'verify']).stdout).toContain(`ledger intact: ${ROWS - 30} events`);
  });
});
