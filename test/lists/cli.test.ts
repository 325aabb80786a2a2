// `assent lists` and `assent suppress` as a user runs them (built CLI): exit codes, staleness, suppression.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-lists-cli-'));
const db = join(dir, 'assent.db');
const run = (args: string[]) => spawnSync(process.execPath, [bin, '--db', db, ...args], { encoding: 'utf8', cwd: dir });

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('opposition lists from the command line', () => {
  it('imports, reports rejects with exit 1, and tells a stale Bloctel with exit 1', () => {
    const file = join(dir, 'bloctel.csv');
    writeFileSync(file, 'Numero;x\n0612345678;a\nbad;b\n');
    const imported = run(['lists', 'import', file, '--name', 'bloctel', '--as-of', '2026-11-01']);
    // Dated 2026-11-01, the version is stale on any clock from 2026-12-02 (31 days): the note says so then.
    const staleNow = Date.now() >= Date.parse('2026-12-02T00:00:00+01:00');
    expect(imported.status).toBe(1);
    expect(imported.stderr).toContain('1 entry, 0 duplicate lines');
    expect(imported.stderr).not.toContain('no --country'); // Bloctel is France's list
    expect(imported.stderr).toContain(`${file}.rejects.csv`);
    expect(
      /note: this version is already stale: bloctel version of 2026-11-01 is \d+ days old/.test(imported.stderr),
    ).toBe(staleNow);
    const fresh = run(['lists', 'status', '--at', '2026-12-01']);
    expect(fresh.status).toBe(0);
    expect(JSON.parse(fresh.stdout)).toMatchObject([{ name: 'bloctel', asOf: '2026-11-01', stale: false }]);
    const stale = run(['lists', 'status', '--at', '2026-12-02']);
    expect(stale.status).toBe(1);
    expect(JSON.parse(stale.stdout)[0].reason).toContain('31 days old');
    expect(run(['lists', 'import', join(dir, 'missing.txt'), '--name', 'tps']).status).toBe(66);
    // A day the calendar lacks is refused, not rolled over into March (and nothing becomes the current version).
    const feb30 = run(['lists', 'import', file, '--name', 'bloctel', '--as-of', '2026-02-30']);
    expect(feb30.status).toBe(2);
    expect(feb30.stderr).toContain('--as-of 2026-02-30: has day 30, which 2026-02 does not have');
    expect(JSON.parse(run(['lists', 'status', '--at', '2026-12-01']).stdout)[0].asOf).toBe('2026-11-01');
    // A Robinson list is one country's: without --country it is read as France's, and told so.
    const robinson = join(dir, 'robinson.txt');
    writeFileSync(robinson, 'ana@example.es\n');
    const es = run(['lists', 'import', robinson, '--name', 'Lista Robinson', '--as-of', '2026-11-01']);
    expect(es.stderr).toContain('warning: no --country: robinson is kept per country and this file is read as France');
    expect(run(['lists', 'import', robinson, '--name', 'robinson', '--country', 'ES']).stderr).not.toContain(
      'no --country',
    );
  });

  it('writes the rejects of lists import and import in the current folder, never beside the input', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'assent-lists-input-'));
    try {
      const list = join(elsewhere, 'hostname');
      writeFileSync(list, 'not a number\n0612345678\n');
      const listed = run(['lists', 'import', list, '--name', 'dnc-test', '--country', 'FR', '--as-of', '2026-11-01']);
      expect(listed.status).toBe(1);
      expect(listed.stderr).toContain(
        `rejected lines, with their line and reason: ${join(dir, 'hostname.rejects.csv')}`,
      );
      expect(existsSync(join(dir, 'hostname.rejects.csv'))).toBe(true);
      const contacts = join(elsewhere, 'crm.csv');
      writeFileSync(contacts, 'email,jurisdiction\nnot-an-email,FR\n');
      const imported = run(['import', contacts]);
      expect(imported.status).toBe(1);
      expect(imported.stderr).toContain(
        `rejected rows, with their line and reason: ${join(dir, 'crm.csv.rejects.csv')}`,
      );
      expect(readdirSync(elsewhere).sort()).toEqual(['crm.csv', 'hostname']);
      // --rejects chooses, for both; never the input itself.
      const chosen = join(dir, 'chosen.csv');
      expect(run(['lists', 'import', list, '--name', 'dnc-test', '--rejects', chosen]).status).toBe(1);
      expect(existsSync(chosen)).toBe(true);
      expect(run(['lists', 'import', list, '--name', 'dnc-test', '--rejects', list]).stderr).toMatch(
        /is the input file itself/,
      );
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('refuses a list name it cannot store before any warning', () => {
    const file = join(dir, 'named.txt');
    writeFileSync(file, '0612345678\n');
    const bad = run(['lists', 'import', file, '--name', 'Bad Name!']);
    expect([bad.status, bad.stderr]).toEqual([
      2,
      'assent: list name "bad name!": lower-case letters, digits, - and _ only\n',
    ]);
  });

  it("reads a foreign list's national numbers in the list's own country unless told otherwise", () => {
    const file = join(dir, 'tps.txt');
    writeFileSync(file, '07911 123456\n');
    const imported = run(['lists', 'import', file, '--name', 'TPS', '--as-of', '2026-11-01']);
    expect([imported.status, JSON.parse(imported.stdout).country]).toEqual([0, 'GB']);
    // 0470 … is a Belgian mobile, and a valid French landline too: read in France, no Belgian number would match.
    const dncm = join(dir, 'dncm.txt');
    writeFileSync(dncm, '0470 12 34 56\n');
    expect(JSON.parse(run(['lists', 'import', dncm, '--name', 'dncm', '--as-of', '2026-11-01']).stdout).country).toBe(
      'BE',
    );
    const asFrench = run(['lists', 'import', dncm, '--name', 'dncm', '--as-of', '2026-11-02', '--country', 'FR']);
    expect(JSON.parse(asFrench.stdout).country).toBe('FR');
  });

  it('suppresses identifiers by hash and checks them, normalised', () => {
    expect(run(['suppress', 'add', 'Jane@Example.fr', '06 12 34 56 78', '--reason', 'erased']).status).toBe(0);
    expect(run(['suppress', 'check', 'jane@example.fr']).status).toBe(0);
    expect(run(['suppress', 'check', '+33 6 12 34 56 78']).status).toBe(0);
    expect(run(['suppress', 'check', 'other@example.fr']).status).toBe(1);
    // A mistyped --db is not an empty list that answers "not suppressed": exit 66, nothing created.
    const typo = join(dir, 'asent.db');
    const missing = spawnSync(process.execPath, [bin, '--db', typo, 'suppress', 'check', 'jane@example.fr'], {
      encoding: 'utf8',
    });
    expect(missing.status).toBe(66);
    expect(existsSync(typo)).toBe(false);
    expect(run(['suppress', 'add', 'x@y.fr', '--reason', 'whim']).status).toBe(64);
    const feb30 = run(['suppress', 'add', 'x@y.fr', '--reason', 'erased', '--at', '2026-02-30']);
    expect(feb30.status).toBe(64);
    expect(feb30.stderr).toContain('--at 2026-02-30: has day 30');
    expect(run(['suppress', 'check', 'x@y.fr']).status).toBe(1);
    // A missing --file is named before anything is stored, the identifiers given beside it included.
    const nofile = run(['suppress', 'add', 'x@y.fr', '--file', join(dir, 'none.txt'), '--reason', 'objection']);
    expect([nofile.status, nofile.stderr]).toEqual([
      66,
      `assent: cannot read ${join(dir, 'none.txt')}: no such file\n`,
    ]);
    expect(run(['suppress', 'check', 'x@y.fr']).status).toBe(1);
    expect(run(['contacts', 'add', '-j', 'FR', '--email', 'kept@example.fr']).status).toBe(0);
    const owned = run(['suppress', 'add', 'kept@example.fr', '--reason', 'objection']);
    expect(owned.stderr).toMatch(/note: 1 belong to stored contacts, .* kept@example\.fr \(contact /);
  });
});
