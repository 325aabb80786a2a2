// The CLI as users run it: the built bin/assent (npm test builds first).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const run = (args: string[], input = '') => spawnSync(process.execPath, [bin, ...args], { input, encoding: 'utf8' });

const email = (id: string, extra: object = {}) =>
  JSON.stringify({ id, jurisdiction: 'FR', at: '2026-03-02T10:00:00+01:00', message: { channel: 'email' }, ...extra });

describe('assent decide', () => {
  it('answers each line in order, errors included, and exits 0', () => {
    const input = [
      email('a'),
      '',
      '{not json',
      email('b', { message: { channel: 'pigeon' } }),
      email('c', { history: [{ at: '2026-01-01', type: 'consent.given', channel: 'email' }] }),
    ].join('\n');
    const r = run(['decide'], input);
    expect(r.status).toBe(0);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ id: 'a', decision: 'deny', reasons: [{ code: 'NO_CONSENT' }] });
    expect(lines[1]).toMatchObject({ id: null, error: { code: 'INVALID_REQUEST', path: '' } });
    expect(lines[1].error.message).toContain('line 3 is not valid JSON');
    expect(lines[2]).toMatchObject({ id: 'b', error: { code: 'INVALID_REQUEST', path: '/message/channel' } });
    expect(lines[3]).toMatchObject({ id: 'c', decision: 'allow', basis: 'CONSENT', rules: 'FR@2025-07-02' });
  });

  it('answers a last line without a newline', () => {
    const r = run(['decide'], email('last'));
    expect(JSON.parse(r.stdout)).toMatchObject({ id: 'last', decision: 'deny' });
  });

  // A contract request with an identifier added (`contact.email` beside `type`) and no history was decided on the
  // store: CONTACT_NOT_FOUND (and a ./data folder made) where POST /v1/evaluate decides it, the omitted history
  // being empty. A request describing its contact is the contract's; only one naming a contact alone is stored.
  it('decides a contract request carrying an identifier as the contract says, without opening a store', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'assent-decide-'));
    const line = (id: string, contact: object) =>
      JSON.stringify({
        id,
        jurisdiction: 'FR',
        at: '2026-03-02T10:00:00+01:00',
        message: { channel: 'postal' },
        contact,
      });
    const r = spawnSync(process.execPath, [bin, 'decide'], {
      input: `${line('typed', { type: 'individual', email: 'jane.doe@example.fr' })}\n${line('pro', { type: 'professional', address: 'generic', phone: '+33612345678' })}\n`,
      encoding: 'utf8',
      cwd,
    });
    const answers = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(answers.map((a) => [a.id, a.decision, a.basis])).toEqual([
      ['typed', 'allow', 'OPT_OUT_REGIME'],
      ['pro', 'allow', 'OPT_OUT_REGIME'],
    ]);
    // The identifier was not read, nor the ledger, and said so; no database was opened or made.
    expect(answers[0].warnings).toEqual([
      { path: '/contact/email', message: expect.stringContaining("not on a stored contact's ledger") },
    ]);
    expect(readdirSync(cwd)).toEqual([]);
    // Assent's own additions beside an identifier (no type, no address) stay a stored request: refused as misplaced,
    // not decided without the ledger (an objection recorded there would be missed).
    const own = spawnSync(process.execPath, [bin, 'decide'], {
      input: `${line('zone', { email: 'jane.doe@example.fr', timeZone: 'Europe/Paris' })}\n`,
      encoding: 'utf8',
      cwd: mkdtempSync(join(tmpdir(), 'assent-decide-')),
    });
    expect(JSON.parse(own.stdout)).toMatchObject({
      id: 'zone',
      error: { code: 'INVALID_REQUEST', path: '/contact/timeZone' },
    });
  });

  it('reads a file that starts with a byte order mark', () => {
    const r = run(['decide'], `\uFEFF${email('bom')}\n${email('next')}\n`);
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['bom', 'next']);
  });
});

describe('assent explain', () => {
  it('tells a person each rule, its outcome and its reference', () => {
    const r = run(['explain'], email('x'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('DENY (NO_CONSENT) under FR@');
    expect(r.stdout).toContain('fr.electronic.b2c.consent');
    expect(r.stdout).toContain('ref: CPCE art. L34-5');
  });

  it('exits 2 with the field named for an invalid request', () => {
    const r = run(['explain'], email('x', { at: 'tomorrow' }));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('/at');
  });

  it('prints the trace as JSON on request', () => {
    const out = JSON.parse(run(['explain', '--json'], email('x')).stdout);
    expect(out.trace.some((t: { rule: string }) => t.rule === 'fr.objection')).toBe(true);
  });
});

describe('assent rules', () => {
  it('prints the reference for one jurisdiction, and refuses an unknown one', () => {
    expect(run(['rules', '-j', 'ch']).stdout).toContain('## Switzerland (CH)');
    const bad = run(['rules', '-j', 'zz']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('no rule pack for ZZ');
  });
});

describe('assent failing', () => {
  it('exits 64 on a usage error, 66 on a missing file, 69 on a database it cannot reach, with one line and no stack', () => {
    const cases: [string[], number, RegExp][] = [
      [['decide', '--bogus'], 64, /unknown option '--bogus'/],
      [['import', 'x.csv', '--format', 'xml'], 64, /^assent: --format must be csv or ndjson; got xml\n$/],
      [['screen', 'x.csv'], 64, /required option '--channel <channel>' not specified/],
      [['explain', 'no-such-file.json'], 66, /^assent: ENOENT: no such file or directory, open 'no-such-file.json'\n$/],
      [['--db', 'mysql://x', 'ledger', 'verify'], 64, /^assent: --db must be a SQLite file, sqlite:\/path or postgres/],
      [
        ['screen', 'x.csv', '--channel', 'email', '-j', 'UK'],
        64,
        /"UK" is not an ISO 3166-1 alpha-2 country code \(the United Kingdom is GB\)/,
      ],
      [['--db', 'postgres://postgres@127.0.0.1:1/x', 'ledger', 'verify'], 69, /^assent: connect ECONNREFUSED/],
    ];
    for (const [args, status, stderr] of cases) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(status);
      expect(r.stderr, args.join(' ')).toMatch(stderr);
      expect(r.stderr, args.join(' ')).not.toMatch(/\n\s+at /);
    }
    expect(run(['--help']).status).toBe(0);
  });
});
