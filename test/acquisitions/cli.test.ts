// `assent acquisitions` as a user runs it (the built CLI), and a bought list end to end: record it with its proof
// document, import the file under it, and the first message to one of its people must name the provider; a
// suppressed email in the file is not imported; the document comes back byte for byte.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-acquisitions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string | Buffer): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const runner =
  (db: string) =>
  (args: string[], input = '') =>
    spawnSync(process.execPath, [bin, '--db', db, ...args], { input, encoding: 'utf8', cwd: dir }); // rejects land here

const ADD = [
  'acquisitions',
  'add',
  '--provider',
  'DataBroker SAS',
  '--kind',
  'bought',
  '--method',
  'checkbox on partner form, partners named',
  '--proof',
  'per-person consent log with time stamps',
  '--collected-at',
  '2026-05-02',
  '--acquired-at',
  '2026-06-01',
];

describe('a bought list, end to end', () => {
  const run = runner(join(dir, 'e2e.db'));
  const contract = file('contract.pdf', Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(200_000)]));

  it('records it, imports it, owes the source at the first message, keeps suppressed people out', () => {
    const added = run([...ADD, '--informed', '--document', contract]);
    expect(added.status).toBe(0);
    const id = added.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(added.stderr).toContain(`assent import <file> --acquisition ${id}`);

    expect(run(['suppress', 'add', 'gone@example.fr', '--reason', 'objection']).status).toBe(0);
    // The consent the provider collected for its partners, the buyer named among them (CNIL, SAN-2022-021).
    const bought = file(
      'bought.csv',
      [
        'email,jurisdiction,consent_email,consent_at,consent_method',
        'ana@example.fr,FR,yes,2026-05-02T10:00:00Z,checkbox',
        'Gone@example.fr,FR,yes,2026-05-02T10:00:00Z,checkbox',
        '',
      ].join('\n'),
    );
    const imported = run(['import', bought, '--acquisition', id]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toContain('1 accepted, 1 rejected');
    expect(parse(readFileSync(`${bought}.rejects.csv`, 'utf8'), { columns: true })).toEqual([
      {
        line: '3',
        reason: 'email is on the company suppression list (erased or objected): not imported',
        raw: 'Gone@example.fr,FR,yes,2026-05-02T10:00:00Z,checkbox',
      },
    ]);

    const decided = run(
      ['decide'],
      `${JSON.stringify({ contact: { email: 'ana@example.fr' }, message: { channel: 'email' }, at: '2026-07-01T10:00:00Z' })}\n`,
    );
    expect(decided.status).toBe(0);
    expect(JSON.parse(decided.stdout)).toMatchObject({ decision: 'allow', basis: 'CONSENT' });
    const obligation = JSON.parse(decided.stdout).obligations.find(
      (o: { code: string }) => o.code === 'DISCLOSE_DATA_SOURCE',
    );
    expect(obligation?.message).toContain('Source: DataBroker SAS.');
    expect(obligation?.source).toEqual({ kind: 'acquired', provider: 'DataBroker SAS' });
    expect(obligation?.ref).toContain('14(3)(b)');
    const gone = run(['decide'], '{"contact":{"email":"gone@example.fr"},"message":{"channel":"email"}}\n');
    expect(JSON.parse(gone.stdout).error.code).toBe('CONTACT_NOT_FOUND');

    const shown = run(['acquisitions', 'show', id, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({
      provider: 'DataBroker SAS',
      informed: true,
      documents: [{ name: 'contract.pdf', size: 200_009 }],
      imports: [{ source: 'bought.csv', accepted: 1, rejected: 1 }],
    });
    const out = join(dir, 'contract-back.pdf');
    const back = run(['acquisitions', 'document', id, 'contract.pdf', '--out', out]);
    expect(back.status).toBe(0);
    expect(readFileSync(out).equals(readFileSync(contract))).toBe(true);
  });
});

describe('assent acquisitions', () => {
  const db = join(dir, 'cli.db');
  const run = runner(db);
  const recorded = (): number => {
    const raw = new Sqlite(db, { readonly: true });
    try {
      return (raw.prepare('select count(*) as n from acquisitions').get() as { n: number }).n;
    } finally {
      raw.close();
    }
  };
  beforeAll(() => {
    expect(run(['acquisitions', 'list']).status).toBe(0); // creates the database
  });

  it('lists as a table or JSON, shows fields, documents with their SHA-256, and imports', () => {
    const scan = file('scan.png', randomBytes(1000));
    const id = run([...ADD, '--kind', 'rented', '--not-informed', '--document', scan]).stdout.trim();
    const other = run([...ADD]).stdout.trim();
    const table = run(['acquisitions', 'list']).stdout.trim().split('\n');
    expect(table[0]).toMatch(/^id\s+kind\s+provider\s+collected\s+acquired\s+informed\s+documents$/);
    expect(table.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${id}\\s+rented\\s+DataBroker SAS\\s+2026-05-02\\s+2026-06-01\\s+no\\s+1$`)),
      expect.stringMatching(new RegExp(`^${other}\\s+bought\\s+.*\\s+not said\\s+0$`)),
    ]);
    expect(JSON.parse(run(['acquisitions', 'list', '--json']).stdout).map((a: { id: string }) => a.id)).toEqual([
      id,
      other,
    ]);
    const shown = run(['acquisitions', 'show', id]);
    expect(shown.status).toBe(0);
    expect(shown.stdout).toContain('collection method:  checkbox on partner form, partners named');
    expect(shown.stdout).toContain('proof of consent:   per-person consent log with time stamps');
    expect(shown.stdout).toMatch(/documents \(1\)\n {2}[0-9a-f]{64} {2}1000 bytes {2}scan\.png/);
    expect(shown.stdout).toContain('imports (0), rows accepted: 0');
  });

  it('gives a document back by its SHA-256 too', () => {
    const bytes = randomBytes(5000);
    const id = run([...ADD, '--document', file('proof.bin', bytes)]).stdout.trim();
    const [doc] = JSON.parse(run(['acquisitions', 'show', id, '--json']).stdout).documents;
    const out = join(dir, 'by-sha.bin');
    expect(run(['acquisitions', 'document', id, doc.sha256, '--out', out]).status).toBe(0);
    expect(readFileSync(out).equals(bytes)).toBe(true);
    const again = run(['acquisitions', 'document', id, doc.sha256, '--out', out]);
    expect(again.status).toBe(5);
    expect(again.stderr).toMatch(/--out .*by-sha\.bin exists: name a new file/);
    expect(readFileSync(out).equals(bytes)).toBe(true);
  });

  it.each([
    ['a missing required flag', ['--kind', 'bought'], 64, '--provider is required; --method is required'],
    ['an unknown kind', [...ADD, '--kind', 'leased'], 64, '--kind must be one of bought, rented; got "leased"'],
    ['a bad date', [...ADD, '--collected-at', '2026-13-01'], 64, '--collected-at has month 13'],
    [
      'a collection after the acquisition',
      [...ADD, '--collected-at', '2026-07-01'],
      64,
      '--collected-at 2026-07-01 is after --acquired-at 2026-06-01',
    ],
    [
      'a list handed over in the future',
      [...ADD, '--acquired-at', '2099-06-01'],
      64,
      '--acquired-at is in the future (today is ',
    ],
    ['both --informed and --not-informed', [...ADD, '--informed', '--not-informed'], 64, 'contradict each other'],
    ['an unreadable document', [...ADD, '--document', join(dir, 'missing.pdf')], 2, 'missing.pdf: cannot read it'],
    ['a folder as document', [...ADD, '--document', dir], 2, `--document ${dir}: not a file`],
  ])('refuses %s, naming it, and records nothing', (_, args, status, message) => {
    const before = recorded();
    const r = run(args[0] === 'acquisitions' ? args : ['acquisitions', 'add', ...args]);
    expect(r.status, r.stderr).toBe(status);
    expect(r.stderr).toContain(message);
    expect(recorded()).toBe(before);
  });

  it('refuses a document over 20 MiB, naming the file', () => {
    const big = file('big.pdf', Buffer.alloc(20 * 1024 * 1024 + 1));
    const r = run([...ADD, '--document', big]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`--document ${big}: 20971521 bytes; a document may be 20971520 bytes (20 MiB) at most`);
  });

  it.each([
    ['show of an unknown id', ['acquisitions', 'show', 'nope'], 4, 'no acquisition nope'],
    ['document of an unknown id', ['acquisitions', 'document', 'nope', 'x', '--out', 'x'], 4, 'no acquisition nope'],
    ['document without --out', ['acquisitions', 'document', 'nope', 'x'], 64, '--out <file> is required'],
    [
      'import under an unknown id',
      ['import', file('list.csv', 'email,jurisdiction\nx@example.fr,FR\n'), '--acquisition', 'nope'],
      4,
      '--acquisition nope: no such acquisition',
    ],
  ])('answers %s with a clear error', (_, args, status, message) => {
    const r = run(args);
    expect(r.status, r.stderr).toBe(status);
    expect(r.stderr).toContain(message);
  });

  it('names the documents an acquisition has when asked for another', () => {
    const id = run([...ADD, '--document', file('terms.txt', 'terms')]).stdout.trim();
    const r = run(['acquisitions', 'document', id, 'other.txt', '--out', join(dir, 'o.txt')]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain(`acquisition ${id} has no document other.txt (its documents: terms.txt)`);
  });
});
