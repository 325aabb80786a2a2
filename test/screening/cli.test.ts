// `assent screen` end to end: the built CLI on a SQLite file, with lists imported by `assent lists import` and
// `assent suppress add` (the real lists module, not a fake).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMixed, tempStore, write } from './helpers.js';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
let dir: string;
let db: string;
const cli = (args: string[]) => spawnSync(process.execPath, [bin, '--db', db, ...args], { encoding: 'utf8' });
const ok = (args: string[]) => {
  const r = cli(args);
  expect(r.stderr + r.stdout).toBeDefined();
  expect(r.status, r.stderr).toBe(0);
  return r;
};

beforeAll(async () => {
  const t = await tempStore();
  ({ dir, db } = t);
  await seedMixed(t.store);
  await t.store.close();
  ok(['suppress', 'add', 'erin@example.fr', '--reason', 'erased', '--at', '2026-02-01']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AUDIENCE = [
  'email,phone,external_id,channel',
  'ana@example.fr,,,',
  'bob@example.fr,,,',
  'nobody@example.fr,,,',
  ',,crm-carla,phone',
  ',06 12 34 56 70,,phone',
  'erin@example.fr,,,',
  'contact@acme.fr,,,',
  'not-an-email,,,',
];

describe('assent screen', () => {
  it('refuses a phone screening while Bloctel was never imported, then while it is stale (exit 5)', () => {
    const file = write(dir, 'calls.csv', ['phone', '06 12 34 56 70']);
    const args = ['screen', file, '--channel', 'phone', '--at', '2026-03-03T11:00:00+01:00', '-j', 'FR'];
    const missing = cli(args);
    expect(missing.status).toBe(5);
    expect(missing.stderr).toMatch(/screening refused: the bloctel list is required .* never imported/);
    // La Réunion is France: its audience needs Bloctel too.
    const reunion = cli(['screen', file, '--channel', 'phone', '--at', '2026-03-03T11:00:00+04:00', '-j', 'RE']);
    expect([reunion.status, reunion.stderr]).toEqual([5, expect.stringMatching(/the bloctel list is required/)]);
    write(dir, 'bloctel-old.txt', ['+33612345679']);
    ok(['lists', 'import', join(dir, 'bloctel-old.txt'), '--name', 'bloctel', '--as-of', '2026-01-05']);
    const stale = cli(args);
    expect(stale.status).toBe(5);
    expect(stale.stderr).toMatch(/screening refused: the bloctel list of 2026-01-05 is stale/);
    const summary = JSON.parse(readFileSync(join(dir, 'calls.screening', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ refused: true, rows: 0, listProblems: [{ name: 'bloctel', asOf: '2026-01-05' }] });
    expect(existsSync(join(dir, 'calls.screening', 'allowed.csv'))).toBe(false);
    const dry = cli([...args, '--dry-run']);
    expect(dry.status).toBe(0);
    expect(dry.stderr).toMatch(/warning \(dry run\): the bloctel list of 2026-01-05 is stale/);
  });

  it('screens a mixed audience with the current lists into the output folder', () => {
    write(dir, 'bloctel.txt', ['+33612345679', '+33699999999']);
    ok(['lists', 'import', join(dir, 'bloctel.txt'), '--name', 'bloctel', '--as-of', '2026-02-20']);
    const file = write(dir, 'audience.csv', AUDIENCE);
    const out = join(dir, 'out');
    const screen = (outDir: string, ...more: string[]) =>
      ok([
        'screen',
        file,
        '--channel',
        'email',
        '--purpose',
        'offers',
        '--at',
        '2026-03-03T11:00:00+01:00',
        '-j',
        'FR',
        '--out-dir',
        outDir,
        ...more,
      ]);
    const r = screen(out, '--progress');
    expect(r.stderr).toMatch(/progress: 8 rows, 3 allowed, 5 excluded/);
    expect(r.stderr).toMatch(/screened .*audience\.csv: 8 rows, 3 allowed, 5 excluded/);
    const read = (name: string): Record<string, string>[] =>
      parse(readFileSync(join(out, name), 'utf8'), { columns: true });
    expect(read('allowed.csv').map((x) => [x.line, x.basis])).toEqual([
      ['2', 'CONSENT'],
      ['6', 'OPT_OUT_REGIME'],
      ['8', 'LEGAL_PERSON'],
    ]);
    expect(read('excluded.csv').map((x) => [x.line, x.reason])).toEqual([
      ['3', 'REFUSED_AT_COLLECTION'],
      ['4', 'CONTACT_NOT_FOUND'],
      ['5', 'OPPOSITION_LIST'],
      ['7', 'SUPPRESSED'],
      ['9', 'INVALID_ROW'],
    ]);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.byList).toEqual({ bloctel: { matched: 1, excluded: 1 } });
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<h1>Screening report</h1>');
    // The same screening on two worker threads, one row per chunk: the same files.
    const threaded = join(dir, 'out-threaded');
    screen(threaded, '--workers', '2', '--chunk', '1');
    for (const name of ['allowed.csv', 'excluded.csv']) {
      expect(readFileSync(join(threaded, name), 'utf8')).toBe(readFileSync(join(out, name), 'utf8'));
    }
  });

  it('names bad options and unusable files', () => {
    const file = write(dir, 'a.csv', ['email', 'ana@example.fr']);
    expect(cli(['screen', file, '--channel', 'pigeon']).status).toBe(64);
    expect(cli(['screen', file, '--channel', 'email', '--at', '2026-13-01']).status).toBe(64);
    const purpose = cli(['screen', file, '--channel', 'email', '--purpose', ' ']);
    expect([purpose.status, purpose.stderr]).toEqual([
      64,
      expect.stringContaining('--purpose must be 1 to 100 characters'),
    ]);
    const workers = cli(['screen', file, '--channel', 'email', '--workers', '0']);
    expect(workers.status).toBe(64);
    expect(workers.stderr).toMatch(/--workers must be a whole number from 1 to 64, or auto; got 0/);
    const sector = cli(['screen', file, '--channel', 'email', '--sector', 'energy_renovaton']);
    expect(sector.status).toBe(64);
    expect(sector.stderr).toMatch(/--sector energy_renovaton: no rule names it \(known: .*energy_renovation/);
    const bad = cli(['screen', write(dir, 'b.csv', ['name', 'Ana']), '--channel', 'email']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/no identifier column/);
    // A missing audience, and an output folder that is a file: exit 66 with one line, no stack.
    const missing = cli(['screen', join(dir, 'nope.csv'), '--channel', 'email']);
    expect([missing.status, missing.stderr]).toEqual([
      66,
      `assent: cannot read ${join(dir, 'nope.csv')}: no such file\n`,
    ]);
    const outFile = cli(['screen', file, '--channel', 'email', '--out-dir', write(dir, 'not-a-folder', ['x'])]);
    expect([outFile.status, outFile.stderr.split('\n').length]).toEqual([66, 2]);
  });

  it('stops on Ctrl-C (exit 130), keeping no partial file and the earlier run whole; refuses an input it would write', async () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => `someone${i}@example.fr,,,`);
    const file = write(dir, 'big.csv', ['email,phone,external_id,channel', ...rows]);
    const outDir = join(dir, 'big.out');
    ok([
      'screen',
      write(dir, 'small.csv', AUDIENCE),
      '--channel',
      'email',
      '--out-dir',
      outDir,
      '--at',
      '2026-03-02T10:00:00Z',
    ]);
    const before = readFileSync(join(outDir, 'allowed.csv'), 'utf8');
    const child = spawn(
      process.execPath,
      [bin, '--db', db, 'screen', file, '--channel', 'email', '--out-dir', outDir, '--progress', '--chunk', '200'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      if (!stderr.includes('progress:') && c.toString().includes('progress:')) child.kill('SIGINT');
      stderr += c.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code, stderr).toBe(130);
    expect(stderr).toContain('interrupted: nothing of this screening was kept');
    expect(readdirSync(outDir).sort()).toEqual(['allowed.csv', 'excluded.csv', 'report.html', 'summary.json']);
    expect(readFileSync(join(outDir, 'allowed.csv'), 'utf8')).toBe(before);
    // An audience named as one of the files the screening writes through is refused, not overwritten.
    const partial = write(dir, 'big.out/allowed.csv.partial', AUDIENCE);
    const refused = cli(['screen', partial, '--channel', 'email', '--out-dir', outDir]);
    expect(refused.status).toBe(64);
    expect(refused.stderr).toContain(`assent: --out-dir ${outDir}: ${partial} is the input file itself`);
    expect(readFileSync(partial, 'utf8')).toBe(`${AUDIENCE.join('\n')}\n`);
  });
});
