// `assent import` and `assent export` as users run them (the built CLI): rejects files with line numbers and
// reasons, exit codes 0/1/2, progress lines, a finished file, and export → import → export keeping the content.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256 } from '../../src/domain/ledger.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { cli, ndjson, rejectsOf, tempDir, write } from './helpers.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const journal = (db: string) => {
  const raw = new Sqlite(db, { readonly: true });
  try {
    return raw.prepare('select status, lines_done, accepted, rejected from import_batches').all();
  } finally {
    raw.close();
  }
};

describe('assent import', () => {
  const db = join(dir, 'a.db');

  it('reports every rejected CSV row with its line and reason, imports the rest, and exits 1', () => {
    const file = write(dir, 'mixed.csv', [
      'external_id,email,phone,type,jurisdiction,collected_at,consent_email,consent_at',
      'r-1,ok@example.fr,,,FR,,,',
      'r-2,not-an-email,,,FR,,,',
      'r-3,,12345,,FR,,,',
      'r-4,r4@example.fr,,robot,FR,,,',
      'r-5,r5@example.fr,,,FR,2025-13-01,,',
      'r-6,r6@example.fr,,,FR,,yes,',
      'r-7,"r7@example.fr',
      'on two lines",,,FR,,,',
      'r-8,r8@example.fr,,,FR,,,',
      'r-1,r8@example.fr,,,FR,,,',
      'r-9,r9@example.fr,FR',
      'r-10,r10@example.fr,,,FR,,no,2025-05-01',
    ]);
    const r = cli(db, ['import', file]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`imported ${file}: 3 accepted, 8 rejected`);
    expect(r.stderr).toContain(`${file}.rejects.csv`);
    const rejects = rejectsOf(`${file}.rejects.csv`);
    expect(rejects.map((x) => [x.line, x.reason])).toEqual([
      ['3', 'email: "not-an-email" is not an email address'],
      ['4', 'phone: "12345" is not a valid phone number (default region FR)'],
      ['5', 'type must be one of individual, professional; got "robot"'],
      ['6', 'collected_at has month 13, which does not exist; got "2025-13-01"'],
      ['7', 'consent_at is required when consent_email is set'],
      ['8', 'email: "r7@example.fr\\u000aon two lines" holds a control or invisible character: not an email address'],
      [
        '11',
        'identifier conflict: external r-1 belongs to the contact of line 2, email r8@example.fr belongs to the contact of line 10 (merge them first with contacts merge)',
      ],
      ['12', 'has 3 cells; the header has 8'],
    ]);
    expect(rejects[5]?.raw).toBe('r-7,"r7@example.fr\non two lines",,,FR,,,');
    expect(journal(db)).toEqual([{ status: 'done', lines_done: 13, accepted: 3, rejected: 8 }]);
  });

  it('rejects NDJSON lines: bad JSON, unknown field, unknown event type, missing channel', () => {
    const file = write(dir, 'events.ndjson', [
      ...ndjson([
        {
          email: 'good@example.fr',
          jurisdiction: 'FR',
          events: [{ type: 'objection', at: '2025-01-01', channel: '*' }],
        },
      ]),
      '{"email": "broken@example.fr",',
      '',
      ...ndjson([
        { emial: 'typo@example.fr', jurisdiction: 'FR' },
        { email: 'e1@example.fr', jurisdiction: 'FR', events: [{ type: 'consent.stolen', at: '2025-01-01' }] },
        { email: 'e2@example.fr', jurisdiction: 'FR', events: [{ type: 'consent.given', at: '2025-01-01' }] },
      ]),
    ]);
    const r = cli(db, ['import', file, '--rejects', join(dir, 'ndjson-rejects.csv')]);
    expect(r.status).toBe(1);
    expect(rejectsOf(join(dir, 'ndjson-rejects.csv')).map((x) => [x.line, x.reason])).toEqual([
      ['2', expect.stringMatching(/^is not valid JSON/)],
      [
        '4',
        'unknown field "emial"; the row has none of externalId, email, phone, postal: it could not be matched to a contact',
      ],
      ['5', expect.stringMatching(/^events\.0\.type must be one of data\.collected, .*; got "consent\.stolen"$/)],
      ['6', 'events.0.channel is required for a consent.given event'],
    ]);
  });

  it('lists the CSV columns in --help, each per-channel family once with its channels', () => {
    const r = cli(join(dir, 'help.db'), ['import', '--help']);
    expect(r.status).toBe(0);
    const columns = r.stdout.slice(r.stdout.indexOf('CSV columns')).replace(/\s+/g, ' ');
    for (const column of [
      'consent_<channel>',
      'objection_<channel>',
      'objection_at',
      'purchase_at',
      'contract',
      'last_contact_kind',
    ]) {
      expect(columns).toMatch(new RegExp(` ${column}[, ]`));
    }
    expect(columns).toContain('(<channel>: email, sms, mms, phone, postal, fax, automated_call)');
  });

  it('exits 2 on unusable input, naming the column or line, with nothing written', () => {
    const empty = join(dir, 'empty.db');
    const unknown = write(dir, 'unknown.csv', ['email,Country', 'x@example.fr,FR']);
    let r = cli(empty, ['import', unknown]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown column "Country"');
    expect(r.stderr).toContain('--map "Country=<column>"');
    r = cli(empty, ['import', write(dir, 'nojur.csv', ['email', 'x@example.fr'])]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('missing required column jurisdiction (or give a default with --jurisdiction XX)');
    r = cli(empty, [
      'import',
      write(dir, 'quotes.csv', ['email,jurisdiction', 'a@example.fr,FR', '"b@example.fr"x,FR']),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/malformed CSV: .*line 3/);
    r = cli(empty, ['import', write(dir, 'stray.csv', ['email,jurisdiction', 'a@example.fr,FR', 'b"x@example.fr,FR'])]);
    expect(r.stderr).toMatch(/malformed CSV: line 3, cell 1: a quote inside a cell that does not start with one/);
    r = cli(empty, [
      'import',
      write(dir, 'unclosed.csv', ['email,jurisdiction', 'a@example.fr,FR', '"b@example.fr,FR', 'c@example.fr,FR']),
    ]);
    expect(r.stderr).toMatch(/malformed CSV: line 3, cell 1: the quote opening the cell is never closed/);
    r = cli(empty, [
      'import',
      write(dir, 'unclosed2.csv', ['email,jurisdiction', 'a@example.fr,FR', 'b@example.fr,"FR', 'c@example.fr,FR']),
    ]);
    expect(r.stderr).toMatch(/malformed CSV: line 3, cell 2: the quote opening the cell is never closed/);
    r = cli(empty, ['import', unknown, '--map', 'Nation=jurisdiction']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--map Nation=jurisdiction: the header has no column "Nation"');
    expect(journal(empty)).toEqual([]);
    r = cli(empty, ['import', write(dir, 'semicolons.csv', ['email;jurisdiction', 'a@example.fr;FR'])]);
    expect([r.status, r.stderr]).toEqual([
      2,
      `assent: ${join(dir, 'semicolons.csv')}: line 1: the header is one cell "email;jurisdiction": the file looks ";"-separated; add --delimiter ';'\n`,
    ]);
    r = cli(empty, ['import', join(dir, 'not-there.csv')]);
    expect([r.status, r.stderr]).toEqual([66, `assent: cannot read ${join(dir, 'not-there.csv')}: no such file\n`]);
    // The same file with a default jurisdiction and a mapping is fine.
    expect(cli(empty, ['import', join(dir, 'nojur.csv'), '-j', 'fr']).status).toBe(0);
    expect(cli(empty, ['import', unknown, '--map', 'country=jurisdiction']).status).toBe(0);
  }, 60_000); // a dozen CLI processes: 29 s on a loaded 2-core CI machine

  it('prints one line per committed batch with --progress, and says when a file was imported already', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `p-${i},FR`);
    const file = write(dir, 'progress.csv', ['external_id,jurisdiction', ...rows]);
    const r = cli(db, ['import', file, '--progress', '--batch', '2']);
    expect(r.status).toBe(0);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('progress:'))).toEqual([
      'progress: committed through line 3, 2/5 rows, 2 accepted, 0 rejected',
      'progress: committed through line 5, 4/5 rows, 4 accepted, 0 rejected',
      'progress: committed through line 6, 5/5 rows, 5 accepted, 0 rejected',
    ]);
    const again = cli(db, ['import', file]);
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(
      /was imported already \(run \d+, .*: 5 accepted, 0 rejected\); --again imports it again/,
    );
    const forced = cli(db, ['import', file, '--again']);
    expect(forced.status).toBe(0);
    expect(forced.stderr).toContain('(this run: 0 contacts created, 0 updated, 0 events recorded)');
  });
});

describe('rows an import refuses as the API does', () => {
  it('an event dated in the future, and a "__proto__" field (which smuggled its contents in)', () => {
    const db = join(dir, 'refused.db');
    const file = write(dir, 'refused.ndjson', [
      '{"__proto__":{"email":"proto@example.fr"},"externalId":"n-8","jurisdiction":"FR"}',
      ...ndjson([
        {
          email: 'later@example.fr',
          jurisdiction: 'FR',
          events: [{ type: 'consent.given', at: '2099-01-01', channel: 'email' }],
        },
      ]),
    ]);
    const csv = write(dir, 'refused.csv', [
      'external_id,email,jurisdiction,consent_email,consent_at',
      'f1,f1@example.fr,FR,yes,2099-01-01',
    ]);
    expect(cli(db, ['import', file]).status).toBe(1);
    expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
      ['1', expect.stringContaining('unknown field "__proto__"')],
      ['2', expect.stringMatching(/^events\.0\.at is in the future/)],
    ]);
    expect(cli(db, ['import', csv]).status).toBe(1);
    expect(rejectsOf(`${csv}.rejects.csv`)[0]?.reason).toMatch(/^consent_at is in the future \(2099-01-01, now /);
    expect(cli(db, ['export']).stdout).toBe('');
  });
});

describe('national numbers of a stored contact of another country', () => {
  it('refuses a number without country code read in the default country for a contact of another', () => {
    const db = join(dir, 'national.db');
    expect(
      cli(db, ['import', write(dir, 'de.csv', ['external_id,phone,jurisdiction', 'crm-4,030 1234567,DE'])]).status,
    ).toBe(0);
    const update = write(dir, 'upd.csv', ['external_id,phone', 'crm-4,030 1234568', 'crm-5,06 12 34 56 78']);
    expect(cli(db, ['import', update, '-j', 'FR']).status).toBe(1);
    expect(rejectsOf(`${update}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
      [
        '2',
        expect.stringContaining(
          'phone "030 1234568" has no country code and was read in FR, but the stored contact is DE',
        ),
      ],
    ]);
    // Written with its country code, even in brackets, or with the row's jurisdiction, it is the contact's number.
    const bracketed = write(dir, 'bracketed.csv', ['external_id,phone', 'crm-4,(+49) 30 1234569']);
    expect(cli(db, ['import', bracketed, '-j', 'FR']).status).toBe(0);
    const fixed = write(dir, 'fixed.csv', ['external_id,phone', 'crm-4,+49 30 1234568']);
    expect(cli(db, ['import', fixed, '-j', 'FR']).status).toBe(0);
    const crm4 = cli(db, ['export'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((c) => c.jurisdiction === 'DE');
    expect(crm4.identifiers.map((i: { value: string }) => i.value).sort()).toEqual([
      '+49301234567',
      '+49301234568',
      '+49301234569',
      'crm-4',
    ]);
  });
});

describe('overseas departments', () => {
  it('reads a national number in the department of a French contact (region FR-974), and RE as French', () => {
    const db = join(dir, 'reunion.db');
    const file = write(dir, 're.csv', [
      'external_id,email,phone,jurisdiction,region,consent_email,consent_at',
      'r1,r1@example.re,0692123456,RE,,yes,2025-01-01',
      'r2,r2@example.re,0692123457,FR,FR-974,yes,2025-01-01',
    ]);
    expect(cli(db, ['import', file]).status).toBe(0);
    const phones = cli(db, ['export'])
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l).identifiers.find((i: { kind: string }) => i.kind === 'phone').value);
    expect(phones.sort()).toEqual(['+262692123456', '+262692123457']);
    const decided = cli(db, ['decide'], '{"contact":{"externalId":"r1"},"message":{"channel":"email"}}\n');
    expect(JSON.parse(decided.stdout)).toMatchObject({ decision: 'allow', basis: 'CONSENT' });
  });
});

describe('files that are not UTF-8', () => {
  it('refuses a Latin-1 or UTF-16 file before writing anything, naming the line', () => {
    const db = join(dir, 'latin1.db');
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(
      latin1,
      Buffer.concat([
        Buffer.from('external_id,email,postal,jurisdiction\nok-1,ok@example.fr,,FR\n'),
        Buffer.from('Jos\xe9-1,jose@example.fr,"12 rue de la Libert\xe9",FR\n', 'latin1'),
      ]),
    );
    const r = cli(db, ['import', latin1]);
    expect([r.status, r.stderr]).toEqual([
      2,
      expect.stringMatching(/^assent: \S+latin1\.csv: line 3 is not UTF-8 text/),
    ]);
    expect(r.stderr.split('latin1.csv').length).toBe(2); // the file named once
    const empty = write(dir, 'empty.csv', []);
    expect(cli(db, ['import', empty]).stderr).toBe(`assent: ${empty} is empty: a CSV import needs a header line\n`);
    const utf16 = join(dir, 'utf16.csv');
    writeFileSync(
      utf16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('external_id,jurisdiction\n', 'utf16le')]),
    );
    expect(cli(db, ['import', utf16]).stderr).toContain('line 1 is not UTF-8 text (it is UTF-16)');
    expect(cli(db, ['export']).stdout).toBe('');
  });
});

describe('export to a path that cannot be written', () => {
  it('says so in one line with exit 66: a folder, a missing folder, a full disk', () => {
    const db = join(dir, 'source-ok.db');
    expect(cli(db, ['import', write(dir, 'one.csv', ['external_id,jurisdiction', 'x-1,FR'])]).status).toBe(0);
    for (const [out, code] of [
      [dir, 'EISDIR'],
      [join(dir, 'missing', 'x.ndjson'), 'ENOENT'],
      ['/dev/full', 'ENOSPC'],
    ]) {
      const r = cli(db, ['export', '--out', out as string]);
      expect([r.status, r.stderr.trim()]).toEqual([66, `assent: cannot write ${out}: ${code}`]);
    }
    // Never over the database itself; a mistyped --db leaves an existing output file alone.
    const self = cli(db, ['export', '--out', db]);
    expect([self.status, self.stderr]).toEqual([64, expect.stringContaining('is the input file itself')]);
    expect(cli(db, ['export']).stdout).toContain('x-1');
    const kept = write(dir, 'kept.ndjson', ['{"keep":"me"}']);
    expect(cli(join(dir, 'typo.db'), ['export', '--out', kept]).status).toBe(66);
    expect(readFileSync(kept, 'utf8')).toBe('{"keep":"me"}\n');
  });
});

describe('outputs that would overwrite the input', () => {
  it('refuses a rejects file or a screening output that is the input file, and leaves it whole', () => {
    const db = join(dir, 'self.db');
    const lines = ['external_id,email,jurisdiction', 'r1,r1@example.fr,FR', 'r2,bad,FR'];
    const file = write(dir, 'self.csv', lines);
    const before = readFileSync(file, 'utf8');
    for (const args of [
      ['import', file, '--rejects', file],
      ['lists', 'import', file, '--name', 'robinson', '--rejects', file],
      ['screen', file, '--channel', 'email', '--out-dir', join(dir, 'sub', '..')],
    ]) {
      const copy = args[0] === 'screen' ? write(dir, 'allowed.csv', lines) : file;
      const r = cli(
        db,
        args.map((a) => (a === file ? copy : a)),
      );
      expect([r.status, r.stderr]).toEqual([64, expect.stringContaining('is the input file itself')]);
      expect(readFileSync(copy, 'utf8')).toBe(before);
    }
    // The refused import recorded nothing: the file imports afterwards.
    expect(cli(db, ['import', file]).status).toBe(1);
    expect(journal(db)).toEqual([{ status: 'done', lines_done: 3, accepted: 1, rejected: 1 }]);
  });

  it('ignores an unnamed column (a trailing comma) with --map "=-", as its error suggests', () => {
    const db = join(dir, 'trail.db');
    const file = write(dir, 'trail.csv', ['external_id,email,jurisdiction,', 'e1,e1@example.fr,FR,']);
    const refused = cli(db, ['import', file]);
    expect([refused.status, refused.stderr]).toEqual([2, expect.stringContaining('--map "=-"')]);
    expect(cli(db, ['import', file, '--map', '=-']).status).toBe(0);
  });
});

describe('assent export', () => {
  it('writes each live contact with identifiers and full ledger; importing it elsewhere keeps the content', () => {
    const db = join(dir, 'source.db');
    const wording = write(dir, 'sms-fr.txt', ["J'accepte de recevoir les offres par SMS."]);
    const text = cli(db, [
      'texts',
      'add',
      '--key',
      'sms-offers',
      '--version',
      '2',
      '--language',
      'fr',
      '--file',
      wording,
    ]);
    expect(text.status).toBe(0);
    const { id: textId, sha256: textSha256 } = JSON.parse(text.stdout) as { id: string; sha256: string };
    const file = write(dir, 'people.ndjson', [
      ...ndjson([
        {
          externalId: 'x-1',
          email: 'xavier@example.fr',
          jurisdiction: 'FR',
          timeZone: 'Europe/Paris',
          events: [
            {
              type: 'consent.given',
              at: '2025-01-01',
              channel: 'sms',
              evidence: { method: 'form', ip: '203.0.113.7', textId, textSha256 },
            },
          ],
        },
        {
          phone: '+33 6 98 76 54 32',
          type: 'professional',
          jurisdiction: 'FR',
          events: [{ type: 'purchase', at: '2025-02-01' }],
        },
        { externalId: 'x-2', jurisdiction: 'FR', events: [{ type: 'objection', at: '2025-03-01', channel: 'email' }] },
      ]),
    ]);
    expect(cli(db, ['import', file]).status).toBe(0);
    expect(cli(db, ['contacts', 'merge', 'ext:x-1', 'ext:x-2']).status).toBe(0);
    // An erased or objecting person's hash travels with the export: a re-imported file must not bring them back.
    expect(cli(db, ['suppress', 'add', 'gone@example.fr', '--reason', 'erased', '--at', '2025-04-01']).status).toBe(0);
    // A stored contact's own number on the list (a STOP) travels too, and the contact with it.
    expect(cli(db, ['suppress', 'add', '+33698765432', '--reason', 'objection', '--at', '2025-04-02']).status).toBe(0);

    const out = join(dir, 'export.ndjson');
    // An option where the file name goes is refused (it wrote the export to a file named "--help"), nothing written.
    const swallowed = cli(db, ['export', '--out', '--help']);
    expect(swallowed.status).toBe(64);
    expect(swallowed.stderr).toContain('--out needs a file name, got the option --help');
    expect(existsSync(join(dirname(db), '--help'))).toBe(false); // the command's folder
    const r = cli(db, ['export', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toContain(
      `exported 2 contacts (0 of them erased: their ledgers only), 1 consent text and 2 suppression-list entries to ${out}`,
    );
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const [textLine, ...exported] = lines.slice(0, -2);
    // The suppression list comes last, after the contacts (whose rows it would otherwise refuse).
    expect(lines.slice(-2).sort((a, b) => a.suppression.reason.localeCompare(b.suppression.reason))).toEqual([
      {
        suppression: {
          hash: suppressionHash('email', 'gone@example.fr'),
          reason: 'erased',
          at: '2025-04-01T00:00:00.000Z',
        },
      },
      {
        suppression: {
          hash: suppressionHash('phone', '+33698765432'),
          reason: 'objection',
          at: '2025-04-02T00:00:00.000Z',
        },
      },
    ]);
    // The wording comes first, so that the events citing it can be imported after it.
    expect(textLine).toEqual({
      consentText: expect.objectContaining({ id: textId, sha256: textSha256, key: 'sms-offers', language: 'fr' }),
    });
    expect(cli(db, ['export']).stdout).toBe(readFileSync(out, 'utf8'));
    const xavier = exported.find((c) => c.identifiers.some((i: { value: string }) => i.value === 'x-1'));
    expect(xavier.identifiers.map((i: { value: string }) => i.value).sort()).toEqual([
      'x-1',
      'x-2',
      'xavier@example.fr',
    ]);
    expect(xavier.merged).toHaveLength(1);
    expect(xavier.events.map((e: { type: string }) => e.type)).toEqual([
      'consent.given',
      'objection',
      'contact.merged',
    ]);
    expect(xavier.events[0]).toMatchObject({
      seq: expect.any(Number),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      evidence: { method: 'form', ip: '203.0.113.7', sourceFile: 'people.ndjson' },
    });

    // Imported back into its own database, it adds nothing: every act is already in the ledgers.
    const again0 = cli(db, ['import', out]);
    expect(again0.stderr).toContain('0 contacts created, 0 updated, 0 events recorded');
    expect(cli(db, ['ledger', 'verify']).stdout).toContain('ledger intact: 4 events');

    const copy = join(dir, 'copy.db');
    const imported = cli(copy, ['import', out]);
    expect(imported.status).toBe(0);
    expect(imported.stderr).toContain('1 consent text in place (stored or already there), 2 suppression-list entries');
    expect(imported.stderr).toContain('2 accepted, 0 rejected'); // the contact whose number is on the list too
    expect(cli(copy, ['suppress', 'check', 'gone@example.fr']).status).toBe(0);
    const back = write(dir, 'back.ndjson', ndjson([{ email: 'gone@example.fr', jurisdiction: 'FR' }]));
    expect(cli(copy, ['import', back]).status).toBe(1);
    expect(JSON.parse(cli(copy, ['texts', 'list']).stdout)).toEqual([
      expect.objectContaining({ id: textId, sha256: textSha256 }),
    ]);
    expect(cli(copy, ['ledger', 'verify']).stdout).toContain('ledger intact: 3 events');
    type Exported = {
      type: string;
      address: string | null;
      jurisdiction: string;
      timeZone: string | null;
      createdAt: string;
      identifiers: unknown[];
      events: { type: string; at: string; data: unknown; evidence: Record<string, unknown> }[];
    };
    // What an import carries over: the texts, the contact (its first-record date included) and its acts with their
    // evidence as it was, the first import's file included (not ids, seq, hashes; the move is added as a transfer).
    const content = (text: string) =>
      text
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('{"consentText"') && !l.startsWith('{"suppression"'))
        .map((l) => {
          const c = JSON.parse(l) as Exported;
          return {
            contact: [c.type, c.address, c.jurisdiction, c.timeZone, c.createdAt],
            identifiers: c.identifiers,
            events: c.events
              .filter((e) => e.type !== 'contact.merged')
              .map(({ type, at, data, evidence: { movedFrom, ...own } }) => ({ type, at, data, own })),
          };
        })
        .sort((a, b) => JSON.stringify(a.identifiers).localeCompare(JSON.stringify(b.identifiers)));
    const again = cli(copy, ['export']).stdout;
    expect(content(again)).toEqual(content(readFileSync(out, 'utf8')));
    // Each moved act says when, by whom and under which hash the source recorded it, and which file brought it.
    const moved = (JSON.parse(again.split('\n').find((l) => l.includes('x-1')) as string) as Exported).events[0];
    expect(moved?.evidence.movedFrom).toEqual([
      {
        importBatch: expect.any(String),
        sourceFile: 'export.ndjson',
        sourceSha256: sha256(readFileSync(out, 'utf8')),
        recordedAt: xavier.events[0].recordedAt,
        recordedBy: xavier.events[0].recordedBy,
        hash: xavier.events[0].hash,
        seq: xavier.events[0].seq,
      },
    ]);
    expect(again.split('\n')[0]).toBe(readFileSync(out, 'utf8').split('\n')[0]);
  });

  it('refuses a consent text whose wording was altered or clashes with a stored one, and the events citing it', () => {
    const db = join(dir, 'texts.db');
    const body = 'Ich willige ein, Angebote per E-Mail zu erhalten.';
    const line = (b: string) =>
      JSON.stringify({
        consentText: { key: 'email-offers', version: '1', language: 'de', body: b, sha256: sha256(body) },
      });
    const citing = JSON.stringify({
      email: 'dora@example.de',
      jurisdiction: 'DE',
      events: [
        {
          type: 'consent.given',
          at: '2025-01-01',
          channel: 'email',
          method: 'double_opt_in',
          evidence: { textId: 'email-offers:1:de' },
        },
      ],
    });
    const altered = write(dir, 'altered.ndjson', [line(`${body} Und per SMS.`), citing]);
    expect(cli(db, ['import', altered]).status).toBe(1);
    expect(rejectsOf(`${altered}.rejects.csv`)).toEqual([
      expect.objectContaining({
        line: '1',
        reason: expect.stringMatching(/consentText\.sha256 does not match its body/),
      }),
      expect.objectContaining({
        line: '2',
        reason: expect.stringMatching(/"email-offers:1:de" is not a stored consent text/),
      }),
    ]);
    expect(cli(db, ['import', write(dir, 'right.ndjson', [line(body), citing])]).status).toBe(0);
    const clash = JSON.stringify({
      consentText: { key: 'email-offers', version: '1', language: 'de', body: 'Anders.' },
    });
    const clashing = write(dir, 'clash.ndjson', [clash]);
    expect(cli(db, ['import', clashing]).status).toBe(1);
    expect(rejectsOf(`${clashing}.rejects.csv`)).toEqual([
      expect.objectContaining({ line: '1', reason: expect.stringMatching(/exists with other wording/) }),
    ]);
  });
});
