// `--at`: one reading of a date alone for every command (midnight UTC, the decision contract's), so `lists status`
// and `screen` agree on whether a list is stale on the day given.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { atOption } from '../../src/adapters/cli/options.js';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-at-'));
const db = join(dir, 'assent.db');
const run = (args: string[]) => spawnSync(process.execPath, [bin, '--db', db, ...args], { encoding: 'utf8' });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--at', () => {
  it('reads a date alone as midnight UTC, an instant as given, and names a day the calendar lacks', () => {
    expect(atOption('2026-03-03').toISOString()).toBe('2026-03-03T00:00:00.000Z');
    expect(atOption('2026-03-03T11:00:00+01:00').toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(() => atOption('2026-02-30')).toThrow('--at 2026-02-30: has day 30');
  });

  it('is the same day for lists status and screen', () => {
    const list = join(dir, 'dnc.txt');
    writeFileSync(list, '+12025550123\n');
    expect(run(['lists', 'import', list, '--name', 'dnc', '--as-of', '2026-01-30']).status).toBe(0);
    // Midnight UTC on 3 March is 2 March in New York, where DNC days are counted: 31 days old, still fresh (at noon
    // UTC, as `lists` once read it, it was 3 March there and stale, while `screen` screened with it).
    const status = run(['lists', 'status', '--at', '2026-03-03']);
    expect([status.status, JSON.parse(status.stdout)[0]]).toEqual([0, expect.objectContaining({ stale: false })]);
    const audience = join(dir, 'calls.csv');
    writeFileSync(audience, 'phone\n+12025550199\n');
    const screen = run(['screen', audience, '--channel', 'phone', '-j', 'US', '--at', '2026-03-03']);
    expect(screen.status, screen.stderr).toBe(0);
  });
});
