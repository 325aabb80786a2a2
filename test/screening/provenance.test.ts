// A screening's provenance (DPO audit): a screening dated in the past is judged on the list versions in force then,
// and says which (id, file SHA-256, age at its date); the built CLI on a SQLite file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { versionsInForce } from '../../src/services/lists/lookup.js';
import type { ListVersion } from '../../src/store/lists.js';
import { seedMixed, tempStore, write } from './helpers.js';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
let dir: string;
let db: string;
const cli = (args: string[]) => spawnSync(process.execPath, [bin, '--db', db, ...args], { encoding: 'utf8' });
const ok = (args: string[]) => {
  const r = cli(args);
  expect(r.status, r.stderr).toBe(0);
  return r;
};

beforeAll(async () => {
  const t = await tempStore();
  ({ dir, db } = t);
  await seedMixed(t.store);
  await t.store.close();
  // carla (+33612345679) was on the March file only; dan (+33612345670) registered by July.
  write(dir, 'bloctel-03.txt', ['+33612345679']);
  write(dir, 'bloctel-07.txt', ['+33612345670']);
  write(dir, 'bloctel-11.txt', ['+33612345670', '+33699999999']);
  for (const [file, asOf] of [
    ['bloctel-03.txt', '2026-03-01'],
    ['bloctel-07.txt', '2026-07-01'],
    ['bloctel-11.txt', '2026-11-20'],
  ] as const) {
    ok(['lists', 'import', join(dir, file), '--name', 'bloctel', '--as-of', asOf]);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CALLS = ['phone', '06 12 34 56 79', '06 12 34 56 70'];
/** `screen` of a phone audience dated 10 March 2026 (the Bloctel era), into `out`. */
const inMarch = (file: string, out: string) => [
  'screen',
  file,
  '--channel',
  'phone',
  '--at',
  '2026-03-10T10:00:00+01:00',
  '-j',
  'FR',
  '--out-dir',
  out,
];

describe('a past-dated screening', () => {
  it('uses the list version in force at its date, and says which, how old and from which file', () => {
    const file = write(dir, 'calls.csv', CALLS);
    const out = join(dir, 'march');
    const r = cli(inMarch(file, out));
    expect(r.stderr).not.toMatch(/refused/);
    expect(r.status, r.stderr).toBe(0);
    const read = (name: string): Record<string, string>[] =>
      parse(readFileSync(join(out, name), 'utf8'), { columns: true });
    // March's file: carla was on it, dan not yet.
    expect(read('excluded.csv').map((x) => [x.line, x.reason])).toEqual([['2', 'OPPOSITION_LIST']]);
    expect(read('allowed.csv').map((x) => x.line)).toEqual(['3']);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    const march = readFileSync(join(dir, 'bloctel-03.txt'));
    expect(summary.lists).toEqual([
      expect.objectContaining({
        name: 'bloctel',
        country: 'FR',
        versionId: 1,
        asOf: '2026-03-01',
        fileSha256: createHash('sha256').update(march).digest('hex'),
        ageDays: 9,
        stale: false,
      }),
    ]);
  });

  it('keeps the staleness rule, measured at its date', () => {
    const file = write(dir, 'calls-april.csv', CALLS);
    // 2026-04-10: the March file is 40 days old and July's not out yet: refused, naming March's file.
    const r = cli(['screen', file, '--channel', 'phone', '--at', '2026-04-10T10:00:00+02:00', '-j', 'FR']);
    expect(r.status).toBe(5);
    expect(r.stderr).toMatch(
      /the bloctel list of 2026-03-01 is stale \(bloctel version of 2026-03-01 is 40 days old at 2026-04-10, over 30/,
    );
    // Before any file: the earliest one, dated after the screening date, is named.
    const early = cli(['screen', file, '--channel', 'phone', '--at', '2026-02-10T10:00:00+01:00', '-j', 'FR']);
    expect(early.status).toBe(5);
    expect(early.stderr).toMatch(/bloctel is dated 2026-03-01, after the screening date 2026-02-10/);
  });

  it('lists status --at shows the version in force then', () => {
    const r = ok(['lists', 'status', '--at', '2026-07-15T12:00:00Z']);
    expect(r.stdout).toMatch(/2026-07-01/);
    expect(r.stdout).not.toMatch(/2026-11-20/);
  });
});

describe('versionsInForce', () => {
  const v = (id: number, name: string, asOf: string, country = 'FR', status = 'complete') =>
    ({ id, name, asOf, country, status }) as unknown as ListVersion;
  it('takes per list and country the latest version dated on or before the date, the last begun on a tie', () => {
    const versions = [
      v(1, 'bloctel', '2026-03-01'),
      v(2, 'bloctel', '2026-07-01'),
      v(3, 'bloctel', '2026-07-01'),
      v(4, 'bloctel', '2026-08-01', 'FR', 'failed'),
      v(5, 'robinson', '2026-05-01', 'DE'),
      v(6, 'robinson', '2026-02-01', 'ES'),
      v(7, 'robinson', '2026-09-01', 'ES'),
    ];
    const at = (iso: string) => versionsInForce(versions, new Date(iso)).map((x) => x.id);
    expect(at('2026-08-15T12:00:00Z')).toEqual([3, 5, 6]);
    expect(at('2026-03-01T00:30:00+01:00')).toEqual([1, 5, 6]); // 1 March in Paris; DE dated after: the earliest
    expect(at('2026-12-01T00:00:00Z')).toEqual([3, 5, 7]);
  });
});

describe('the screenings record', () => {
  const json = (args: string[]) => JSON.parse(ok(args).stdout);
  it('records each run: when it ran, the date judged at, the audience, the list versions and the counts', () => {
    const file = write(dir, 'calls-record.csv', CALLS);
    const out = join(dir, 'record');
    const r = ok(inMarch(file, out));
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(r.stderr).toContain(`recorded as screening ${summary.id}`);
    // summary.json says when it ran (clock) beside the date it was judged at.
    expect(Object.keys(summary).slice(0, 5)).toEqual(['id', 'channel', 'purpose', 'at', 'startedAt']);
    expect(Date.parse(summary.startedAt)).toBeGreaterThan(Date.parse('2026-12-01'));
    const record = json(['screenings', 'show', summary.id, '--json']);
    const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
    expect(record).toMatchObject({
      id: summary.id,
      ranAt: summary.startedAt,
      at: '2026-03-10T09:00:00.000Z',
      via: 'cli',
      channel: 'phone',
      purpose: 'marketing',
      jurisdiction: 'FR',
      dryRun: false,
      refused: false,
      audienceSha256: sha(file),
      audienceRows: 2,
      allowed: 1,
      excluded: 1,
      lists: [
        {
          name: 'bloctel',
          country: 'FR',
          versionId: 1,
          asOf: '2026-03-01',
          fileSha256: sha(join(dir, 'bloctel-03.txt')),
          ageDays: 9,
          stale: false,
        },
      ],
      counts: { byReason: { OPPOSITION_LIST: 1 }, byList: { bloctel: { matched: 1, excluded: 1 } } },
      outDir: out,
    });
    const shown = ok(['screenings', 'show', summary.id]).stdout;
    expect(shown).toMatch(/bloctel FR {2}version 1 {2}as of 2026-03-01 {2}9 days old at 2026-03-10 {2}fresh/);
    expect(shown).toMatch(/OPPOSITION_LIST: 1/);
    expect(json(['screenings', 'list', '--json'])[0].id).toBe(summary.id);
    expect(ok(['screenings', 'list']).stdout).toContain(summary.id);
    expect(
      json(['screenings', 'list', '--json', '--before', summary.id]).map((x: { id: string }) => x.id),
    ).not.toContain(summary.id);
    // The report shows it too: the screening, when it ran, and each version's id, age and file.
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain(summary.id);
    expect(html).toContain(summary.startedAt);
    expect(html).toContain(sha(join(dir, 'bloctel-03.txt')));
    expect(cli(['screenings', 'show', 'nope']).status).toBe(4);
  });

  it('records a refused run, naming the whole audience file', () => {
    const file = write(dir, 'calls-refused.csv', CALLS);
    const r = cli(['screen', file, '--channel', 'phone', '--at', '2026-04-10T10:00:00+02:00', '-j', 'FR']);
    expect(r.status).toBe(5);
    const id = /\(screening ([0-9a-f-]{36})\)/.exec(r.stderr)?.[1];
    const record = json(['screenings', 'show', String(id), '--json']);
    expect(record).toMatchObject({
      refused: true,
      audienceRows: 0,
      audienceSha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
      lists: [{ asOf: '2026-03-01', ageDays: 40, stale: true }],
      listProblems: [{ name: 'bloctel', problem: 'stale' }],
    });
  });
});
