// The stored-contact flow as a user runs it: add a contact, record events, decide on the ledger, verify it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Sqlite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-cli-'));
const db = join(dir, 'assent.db');
const run = (args: string[], input = '') =>
  spawnSync(process.execPath, [bin, '--db', db, ...args], { input, encoding: 'utf8' });
const lines = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('stored contacts from the command line', () => {
  it('decides on the ledger, and an unsubscribe takes effect on the very next decision', () => {
    expect(run(['contacts', 'add', '-j', 'FR', '--email', 'Ana@Example.fr', '--external-id', 'crm-7']).status).toBe(0);
    const consent = {
      contact: 'ana@example.fr',
      type: 'consent.given',
      at: '2026-10-01T10:00:00Z',
      channel: 'email',
      method: 'checkbox',
      evidence: { method: 'form', ip: '203.0.113.9' },
    };
    expect(lines(run(['events', 'add'], JSON.stringify(consent)).stdout)[0]).toMatchObject({ line: 1, seq: 1 });

    const ask = JSON.stringify({
      contact: { externalId: 'crm-7' },
      at: '2026-11-02T10:00:00Z',
      message: { channel: 'email' },
    });
    expect(lines(run(['decide'], ask).stdout)[0]).toMatchObject({ decision: 'allow', basis: 'CONSENT' });

    const unsubscribe = { contact: 'ext:crm-7', type: 'objection', at: '2026-11-01T09:00:00Z', channel: 'email' };
    expect(run(['events', 'add'], JSON.stringify(unsubscribe)).status).toBe(0);
    const after = lines(run(['decide'], ask).stdout)[0];
    expect(after.decision).toBe('deny');
    expect(after.reasons[0]).toMatchObject({ code: 'WITHDRAWN', rule: 'fr.objection' });
  });

  it('explains a decision on a stored contact as decide takes it, on its ledger, for the DPO to tell the person', () => {
    // A database of its own: the ledger counts below are the shared one's.
    const own = join(dir, 'explain.db');
    const run = (args: string[], input = '') =>
      spawnSync(process.execPath, [bin, '--db', own, ...args], { input, encoding: 'utf8' });
    expect(run(['contacts', 'add', '-j', 'FR', '--email', 'eli@example.fr']).status).toBe(0);
    const consent = { contact: 'eli@example.fr', type: 'consent.given', at: '2026-10-01T10:00:00Z', channel: 'email' };
    expect(run(['events', 'add'], JSON.stringify(consent)).status).toBe(0);
    const ask = { contact: { email: 'eli@example.fr' }, at: '2026-11-02T10:00:00Z', message: { channel: 'email' } };
    const told = run(['explain'], JSON.stringify(ask));
    expect([told.status, told.stderr]).toEqual([0, '']);
    expect(told.stdout).toContain('ALLOW (CONSENT) under FR@');
    // The same decision as decide gives, with the trace.
    const decided = lines(run(['decide'], JSON.stringify(ask)).stdout)[0];
    const json = JSON.parse(run(['explain', '--json'], JSON.stringify(ask)).stdout);
    const { trace, ...decision } = json;
    expect(decision).toEqual(decided);
    expect(trace.some((t: { rule: string }) => t.rule === 'fr.objection')).toBe(true);
    // After their objection: why they no longer get anything.
    const objection = { contact: 'eli@example.fr', type: 'objection', at: '2026-11-01T09:00:00Z', channel: 'email' };
    expect(run(['events', 'add'], JSON.stringify(objection)).status).toBe(0);
    expect(run(['explain'], JSON.stringify(ask)).stdout).toContain('DENY (WITHDRAWN) under FR@');
    // No such person: said, exit 4, as contacts show.
    const none = run(['explain'], JSON.stringify({ ...ask, contact: { email: 'nobody@example.fr' } }));
    expect([none.status, none.stderr]).toEqual([
      4,
      'assent: stdin: no stored contact with email nobody@example.fr (at /contact/email)\n',
    ]);
  });

  it('refuses an idempotency key reused for another act on its line; the same act again is a duplicate', () => {
    const own = join(dir, 'keys.db');
    const at = (args: string[], input = '') =>
      spawnSync(process.execPath, [bin, '--db', own, ...args], { input, encoding: 'utf8' });
    expect(at(['contacts', 'add', '-j', 'FR', '--email', 'kai@example.fr']).status).toBe(0);
    const keyed = {
      contact: 'kai@example.fr',
      type: 'consent.given',
      at: '2026-10-01T10:00:00Z',
      channel: 'email',
      idempotencyKey: 'form-1',
    };
    expect(lines(at(['events', 'add'], JSON.stringify(keyed)).stdout)[0]).toMatchObject({ line: 1, seq: 1 });
    const reused = at(['events', 'add'], JSON.stringify({ ...keyed, type: 'objection' }));
    expect(reused.status).toBe(1);
    expect(lines(reused.stdout)[0]).toMatchObject({
      line: 1,
      error: {
        code: 'CONFLICT',
        path: '/idempotencyKey',
        message: expect.stringContaining('was used for another event (seq 1'),
      },
    });
    expect(lines(at(['events', 'add'], JSON.stringify(keyed)).stdout)[0]).toMatchObject({ line: 1, seq: null });
    expect(at(['ledger', 'verify']).stdout).toContain('ledger intact: 1 event');
  });

  it('answers an unknown contact and a bad event line by line, naming what is wrong', () => {
    const out = lines(
      run(
        ['decide'],
        JSON.stringify({ id: 'x', contact: { email: 'nobody@example.fr' }, message: { channel: 'email' } }),
      ).stdout,
    );
    expect(out[0]).toMatchObject({ id: 'x', error: { code: 'CONTACT_NOT_FOUND', path: '/contact/email' } });
    const bad = run(
      ['events', 'add'],
      JSON.stringify({ contact: 'ana@example.fr', type: 'consent.given', at: '2026-10-01', channel: 'pigeon' }),
    );
    expect(bad.status).toBe(1);
    expect(lines(bad.stdout)[0]).toMatchObject({
      line: 1,
      error: { code: 'INVALID_EVENT', message: expect.stringMatching(/^channel must be a channel/), path: '/channel' },
    });
    const noAt = run(['events', 'add'], JSON.stringify({ contact: 'ana@example.fr', type: 'purchase' }));
    expect(lines(noAt.stdout)[0]).toEqual({
      line: 1,
      error: { code: 'INVALID_EVENT', message: 'at is required (when it happened, ISO 8601)', path: '/at' },
    });
    const several = run(
      ['events', 'add'],
      ['{"contact": "nobody@example.fr", "type": "purchase", "at": "2026-10-01"}', '{"contact": '].join('\n'),
    );
    const future = run(
      ['events', 'add'],
      JSON.stringify({ contact: 'ana@example.fr', type: 'objection', channel: 'email', at: '2062-12-06T10:00:00Z' }),
    );
    expect(future.status).toBe(1);
    expect(lines(future.stdout)[0]).toMatchObject({
      error: {
        code: 'INVALID_EVENT',
        message: expect.stringMatching(/^at is in the future \(2062-12-06/),
        path: '/at',
      },
    });
    const noText = run(
      ['events', 'add'],
      JSON.stringify({
        contact: 'ana@example.fr',
        type: 'consent.given',
        at: '2026-10-01',
        channel: 'email',
        evidence: { textId: 'nope:1:fr' },
      }),
    );
    expect(lines(noText.stdout)[0]).toMatchObject({
      error: {
        code: 'INVALID_EVENT',
        path: '/evidence/textId',
        message: expect.stringContaining('not a stored consent text'),
      },
    });
    expect(lines(several.stdout)).toMatchObject([
      { line: 1, error: { code: 'CONTACT_NOT_FOUND', message: 'no contact nobody@example.fr', path: '/contact' } },
      { line: 2, error: { code: 'INVALID_JSON' } },
    ]);
  });

  it('verifies the chain, and names the first broken link after an edit in the database', () => {
    expect(run(['ledger', 'verify']).stdout).toContain('ledger intact: 2 events');
    const raw = new Sqlite(db);
    const { data } = raw.prepare('select data from ledger_events where seq = 1').get() as { data: string };
    raw.prepare(`update ledger_events set data = '{"channel":"sms"}' where seq = 1`).run();
    const r = run(['ledger', 'verify']);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('ledger BROKEN at event 1');
    expect(r.stdout).toContain('0 events verified before it');
    raw.prepare('update ledger_events set data = ? where seq = 1').run(data);
    raw.close();
    expect(run(['ledger', 'verify']).status).toBe(0);
  });

  // The head altered, every event intact: the break is after the last event, not at one that does not exist.
  it('names a head that disagrees with a whole chain as a break after its last event', () => {
    const raw = new Sqlite(db);
    raw.prepare(`update ledger_head set hash = ? where id = 1`).run('f'.repeat(64));
    raw.close();
    const r = run(['ledger', 'verify']);
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^ledger BROKEN after event 2: the head records event 2 with another hash/);
    expect(r.stdout).toContain('2 events verified before it');
  });
});

describe('a database that is not there or not a database', () => {
  const at = (file: string, args: string[]) =>
    spawnSync(process.execPath, [bin, '--db', file, ...args], { encoding: 'utf8' });

  it('is refused by the commands that only read, which create nothing', () => {
    const mistyped = join(dir, 'no-such-folder', 'assent.db');
    for (const args of [
      ['ledger', 'verify'],
      ['export'],
      ['history', 'ana@example.fr'],
      ['contacts', 'show', 'ana@example.fr'],
    ]) {
      const r = at(mistyped, args);
      expect(r.status, args.join(' ')).toBe(66);
      expect(r.stderr).toBe(
        `assent: no database at ${mistyped}: name it with --db or DATABASE_URL (the default is ./data/assent.db under the current folder, or under ASSENT_DATA_DIR)\n`,
      );
      expect(r.stdout).toBe('');
    }
    expect(existsSync(join(dir, 'no-such-folder'))).toBe(false);
  });

  it('is one line and exit 66 when the file is not a SQLite database, not a stack trace', () => {
    const notDb = join(dir, 'notes.db');
    writeFileSync(notDb, 'just some text, long enough to fill a page header of a SQLite file... '.repeat(3));
    for (const args of [
      ['ledger', 'verify'],
      ['contacts', 'add', '-j', 'FR', '--email', 'x@example.fr'],
    ]) {
      const r = at(notDb, args);
      expect(r.status, args.join(' ')).toBe(66);
      expect(r.stderr).toMatch(/^assent: the database file cannot be used: .*\(SQLITE_NOTADB\); check --db\n$/);
    }
  });
});

describe('erasing a person from the command line', () => {
  const erasing = join(dir, 'erasing.db');
  const at = (args: string[], input = '') =>
    spawnSync(process.execPath, [bin, '--db', erasing, ...args], { input, encoding: 'utf8' });

  it('removes the identifiers, keeps the proof, and a later import of the address is rejected', () => {
    expect(
      at(['contacts', 'add', '-j', 'FR', '--email', 'max@example.fr', '--postal', '3 place du Marché, Lyon']).status,
    ).toBe(0);
    expect(JSON.parse(at(['contacts', 'show', 'postal:3 place du Marché, Lyon']).stdout).identifiers).toContainEqual({
      kind: 'postal',
      value: expect.stringMatching(/3 place du march/i),
    });
    const given = { contact: 'max@example.fr', type: 'consent.given', at: '2026-10-01T10:00:00Z', channel: 'email' };
    expect(at(['events', 'add'], JSON.stringify(given)).status).toBe(0);
    const access = JSON.parse(at(['contacts', 'access', 'max@example.fr']).stdout);
    expect(access).toMatchObject({
      contact: { jurisdiction: 'FR' },
      events: [{ type: 'consent.given' }],
      messages: [],
    });
    const erased = at(['contacts', 'erase', 'max@example.fr', '--by', 'dpo', '--reason', 'rights request 3']);
    expect(erased.status).toBe(0);
    const summary = JSON.parse(erased.stdout) as { contactId: string };
    // The email and the postal address: a bought postal list must not bring the person back either.
    expect(summary).toMatchObject({ erasedNow: true, identifiersRemoved: 2, suppressed: 2 });
    const gone = at(['contacts', 'show', 'max@example.fr']);
    expect([gone.status, gone.stderr]).toEqual([4, expect.stringContaining('it is on the company suppression list')]);
    // Where the proof is: the DPO answering the person's letter looks them up by the address they write from.
    expect(gone.stderr).toContain(
      `erased on ${(summary as unknown as { erasedAt: string }).erasedAt} (it is on the company suppression list); the person's ledger, the proof of their consents and opt-outs, stays under contact ${summary.contactId}: assent contacts proof ${summary.contactId}`,
    );
    const proof = JSON.parse(at(['history', summary.contactId]).stdout) as { type: string; recordedBy: string }[];
    expect(proof.map((e) => e.type)).toEqual(['consent.given', 'contact.erased']);
    expect(proof[1]?.recordedBy).toBe('dpo');
    expect(at(['ledger', 'verify']).stdout).toContain('ledger intact: 2 events');
    const onList = at(['suppress', 'check', 'max@example.fr']);
    expect(onList.status).toBe(0);
    // Why, since when, and whose erasure: the DPO can answer "why was I never written to again?".
    expect(JSON.parse(onList.stdout)).toEqual({
      identifier: 'max@example.fr',
      suppressed: true,
      reason: 'erased',
      since: (summary as unknown as { erasedAt: string }).erasedAt,
      contactId: summary.contactId,
    });
    const file = join(dir, 'back.csv');
    writeFileSync(file, 'email,jurisdiction\nmax@example.fr,FR\n');
    expect(at(['import', file, '--rejects', `${file}.rejects.csv`]).status).toBe(1);
    const postal = join(dir, 'back-postal.csv');
    writeFileSync(postal, 'postal,jurisdiction\n"3 PLACE DU MARCHÉ,  Lyon",FR\n');
    expect(at(['import', postal, '--rejects', `${postal}.rejects.csv`]).status).toBe(1);
    expect(readFileSync(`${postal}.rejects.csv`, 'utf8')).toContain('postal is on the company suppression list');
    // Nothing live before the person's own return below: the erased contact's proof (no identifier, its ledger)
    // and the suppression list's hashes are exported, not the address.
    const exported = at(['export']).stdout;
    expect(exported).not.toContain('max@');
    const [person, ...list] = exported
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(list.map((l) => Object.keys(l))).toEqual([['suppression'], ['suppression']]);
    expect(person).toMatchObject({ id: summary.contactId, identifiers: [], erasedAt: expect.any(String) });
    expect(person.events.map((e: { type: string }) => e.type)).toEqual(['consent.given', 'contact.erased']);
    const again = at(['contacts', 'add', '-j', 'FR', '--email', 'max@example.fr']);
    expect([again.status, again.stderr]).toEqual([
      5,
      'assent: email max@example.fr is on the company suppression list (erased or objected): not stored; if the person came back themselves, say so (returning)\n',
    ]);
    // A returning contact that cannot be stored (its number is another contact's) lifts nothing.
    expect(at(['contacts', 'add', '-j', 'FR', '--phone', '06 11 22 33 44']).status).toBe(0);
    const clash = at([
      'contacts',
      'add',
      '-j',
      'FR',
      '--email',
      'max@example.fr',
      '--phone',
      '0611223344',
      '--returning',
    ]);
    expect(clash.status).toBe(5);
    expect(at(['suppress', 'check', 'max@example.fr']).status).toBe(0);
    expect(at(['contacts', 'add', '-j', 'FR', '--email', 'max@example.fr', '--returning', '--by', 'dpo']).status).toBe(
      0,
    );
    // Back of their own accord: off the suppression list, so a screening decides on their new ledger; the DPO sees
    // when, how and by whom it was lifted.
    const check = at(['suppress', 'check', 'max@example.fr']);
    expect(check.status).toBe(1);
    expect(JSON.parse(check.stdout)).toEqual({
      identifier: 'max@example.fr',
      suppressed: false,
      lifted: [
        {
          reason: 'erased',
          suppressedAt: expect.any(String),
          at: expect.any(String),
          via: 'contacts add --returning',
          by: 'dpo',
        },
      ],
    });
    // The DPO's list of requests (made from the preference center; none here) and its answers.
    expect(JSON.parse(at(['rights', 'list', '--status', 'open']).stdout)).toEqual([]);
    expect(at(['rights', 'list', '--status', 'closed']).status).toBe(64);
    // A request received by letter, recorded by the DPO: the month runs from its receipt.
    const letter = at([
      'rights',
      'add',
      'max@example.fr',
      '--kind',
      'access',
      '--received',
      '2026-01-31',
      '--by',
      'dpo',
    ]);
    expect(JSON.parse(letter.stdout)).toMatchObject({ kind: 'access', status: 'open', dueBy: '2026-02-28' });
    expect(JSON.parse(at(['rights', 'list', '--overdue', '--contact', 'max@example.fr']).stdout)).toHaveLength(1);
    expect(at(['rights', 'add', 'max@example.fr', '--kind', 'complaint']).status).toBe(64);
    // Restriction (art. 18), portability (art. 20) and objection (art. 21, e.g. by letter) get the same month.
    for (const kind of ['restriction', 'portability', 'objection']) {
      const added = at(['rights', 'add', 'max@example.fr', '--kind', kind, '--received', '2026-01-31']);
      expect(JSON.parse(added.stdout)).toMatchObject({ kind, status: 'open', dueBy: '2026-02-28' });
    }
    expect(at(['rights', 'add', 'max@example.fr', '--kind', 'access', '--received', '2999-01-01']).stderr).toMatch(
      /^assent: --received is in the future/,
    );
    expect(at(['rights', 'add', 'max@example.fr', '--kind', 'rectification']).stderr).toBe(
      'assent: a rectification request says what is wrong (details)\n',
    );
    const unknown = at(['rights', 'answer', 'nope', '--status', 'done']);
    expect([unknown.status, unknown.stderr]).toEqual([4, 'assent: no rights request nope\n']);
  }, 60_000); // some 35 CLI processes, each starting Node: slow on a loaded 2-core machine
});

describe('rectifying a contact from the command line', () => {
  const rectifying = join(dir, 'rectifying.db');
  const at = (args: string[]) => spawnSync(process.execPath, [bin, '--db', rectifying, ...args], { encoding: 'utf8' });

  it('merges two records of one person from two countries, says whose law is kept, and sets it', () => {
    const merging = join(dir, 'merging.db');
    const at = (args: string[]) => spawnSync(process.execPath, [bin, '--db', merging, ...args], { encoding: 'utf8' });
    const fr = JSON.parse(at(['contacts', 'add', '-j', 'FR', '--email', 'lea@example.fr']).stdout);
    const de = JSON.parse(at(['contacts', 'add', '-j', 'DE', '--email', 'lea@example.de']).stdout);
    const merged = at(['contacts', 'merge', 'lea@example.fr', 'lea@example.de', '--by', 'dpo']);
    expect(merged.status).toBe(0);
    expect(JSON.parse(merged.stdout).updatedAt > fr.updatedAt).toBe(true);
    expect(merged.stderr).toBe(
      `note: ${de.id} had jurisdiction DE; the merged person keeps FR (the first contact's): if DE is right, change it with contacts set ${fr.id} --jurisdiction DE\n`,
    );
    const set = at(['contacts', 'set', 'lea@example.de', '-j', 'DE', '--reason', 'lives in Berlin']);
    expect([set.status, JSON.parse(set.stdout).jurisdiction]).toEqual([0, 'DE']);
    expect(at(['contacts', 'set', 'lea@example.de', '-j', 'ZZ']).stderr).toMatch(/"ZZ" is not an ISO 3166-1 alpha-2/);
  });

  it('replaces a wrong phone number, records it, and names a bad or foreign identifier', () => {
    expect(at(['contacts', 'add', '-j', 'FR', '--email', 'noe@example.fr', '--phone', '0611111111']).status).toBe(0);
    const fixed = at([
      'contacts',
      'set',
      'noe@example.fr',
      '--remove',
      '06 11 11 11 11',
      '--add',
      '0622222222',
      '--reason',
      'typo',
    ]);
    expect(fixed.status).toBe(0);
    expect(JSON.parse(fixed.stdout).identifiers).toEqual([
      { kind: 'email', value: 'noe@example.fr' },
      { kind: 'phone', value: '+33622222222' },
    ]);
    const history = JSON.parse(at(['history', 'noe@example.fr']).stdout) as { type: string; data: object }[];
    expect(history).toMatchObject([
      { type: 'contact.rectified', data: { added: ['phone'], removed: ['phone'], reason: 'typo' }, recordedBy: 'cli' },
    ]);
    const foreign = at(['contacts', 'set', 'noe@example.fr', '--remove', '0611111111']);
    expect(foreign.status).not.toBe(0);
    expect(foreign.stderr).toMatch(/^assent: phone \+33611111111 is not an identifier of contact /);
    const bad = at(['contacts', 'set', 'noe@example.fr', '--add', 'noe@']);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/^assent: --add noe@: /)]);
    // Digits are a phone number, even too short to be one: refused, never stored as a CRM id.
    const short = at(['contacts', 'set', 'noe@example.fr', '--add', '+33 1']);
    expect([short.status, short.stderr]).toEqual([2, expect.stringMatching(/^assent: --add \+33 1: /)]);
    // An email missing its @ is no CRM id either (one is written ext:…).
    const typo = at(['contacts', 'set', 'noe@example.fr', '--add', 'noe.example.fr']);
    expect([typo.status, typo.stderr]).toEqual([
      2,
      'assent: --add noe.example.fr: not an email (no @) nor a phone number; write a CRM id as ext:noe.example.fr, an address as postal:…\n',
    ]);
    const links = JSON.parse(at(['contacts', 'links', 'noe@example.fr', '--channel', 'email']).stdout);
    expect(links).toMatchObject({
      unsubscribeUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8080\/u\/[\w.-]+$/),
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
    expect(at(['contacts', 'links', 'noe@example.fr', '--channel', 'pigeon']).status).toBe(64);
    const company = at(['contacts', 'set', 'noe@example.fr', '--type', 'company']);
    expect([company.status, company.stderr]).toEqual([
      2,
      'assent: type must be individual or professional; got "company"\n',
    ]);
    expect(at(['contacts', 'set', 'noe@example.fr', '--remove', 'noe@example.fr', '0622222222']).stderr).toMatch(
      /no identifier left/,
    );
    // A rectification record cannot be sent in: it would claim a change that was not made, with its values.
    const forged = { contact: 'noe@example.fr', type: 'contact.rectified', at: '2026-12-01T10:00:00Z', old: 'x@y.fr' };
    const refused = spawnSync(process.execPath, [bin, '--db', rectifying, 'events', 'add'], {
      input: JSON.stringify(forged),
      encoding: 'utf8',
    });
    expect(refused.status).toBe(1);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      line: 1,
      error: { message: expect.stringMatching(/contact.rectified is recorded by Assent itself/) },
    });
    expect(at(['ledger', 'verify']).stdout).toContain('ledger intact: 1 event,');
  });
});

describe('the retention purge from the command line', () => {
  const purging = join(dir, 'purging.db');
  const at = (args: string[], input = '') =>
    spawnSync(process.execPath, [bin, '--db', purging, ...args], { input, encoding: 'utf8' });

  it('lists in a dry run, refuses a future day without it, then erases', () => {
    expect(at(['retention', 'purge']).status).toBe(66); // no database yet: nothing to purge, nothing created
    expect(at(['contacts', 'add', '-j', 'FR', '--email', 'old@example.fr']).status).toBe(0);
    const given = { contact: 'old@example.fr', type: 'consent.given', at: '2023-06-30T10:00:00Z', channel: 'email' };
    expect(at(['events', 'add'], JSON.stringify(given)).status).toBe(0);
    expect(JSON.parse(at(['retention', 'purge', '--dry-run', '--at', '2026-06-30']).stdout)).toMatchObject({
      examined: 1,
      expired: [],
    });
    const later = JSON.parse(at(['retention', 'purge', '--dry-run', '--at', '2026-07-02']).stdout);
    expect(later).toMatchObject({ dryRun: true, erased: 0, expired: [{ why: expect.stringContaining('2023-06-30') }] });
    const dated = at(['retention', 'purge', '--at', '2999-01-01']);
    expect([dated.status, dated.stderr]).toEqual([
      64,
      'assent: --at needs --dry-run: an erasure judges the data as it is today\n',
    ]);
    const done = JSON.parse(at(['retention', 'purge', '--by', 'dpo']).stdout);
    expect(done).toMatchObject({ erased: 1, expired: [{ suppressed: 0 }] });
    expect(at(['contacts', 'show', 'old@example.fr']).status).toBe(4);
  });
});

describe('the register of processing activities from the command line', () => {
  const registering = join(dir, 'registering.db');
  const at = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [bin, '--db', registering, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  it('prints it as JSON or Markdown, with the profile of --profile or ASSENT_REGISTER_PROFILE', () => {
    expect(at(['contacts', 'add', '-j', 'FR', '--email', 'reg@example.fr']).status).toBe(0);
    const profile = join(dir, 'profile.json');
    writeFileSync(profile, JSON.stringify({ controller: { name: 'Lumière SAS', email: 'dpo@lumiere.fr' } }));
    const json = JSON.parse(at(['register', '--profile', profile]).stdout);
    expect(json).toMatchObject({
      controller: { name: 'Lumière SAS' },
      figures: { identifiers: [{ kind: 'email', count: 1 }] },
    });
    const md = at(['register', '--format', 'markdown'], { ASSENT_REGISTER_PROFILE: profile });
    expect(md.stdout).toContain('- **Controller**: Lumière SAS, dpo@lumiere.fr\n');
    const missing = at(['register', '--profile', join(dir, 'nope.json')]);
    expect([missing.status, missing.stderr]).toEqual([
      66,
      expect.stringMatching(/^assent: profile .*nope.json: cannot be read \(ENOENT\)\n$/),
    ]);
    writeFileSync(profile, JSON.stringify({ dpo: { mail: 'x' } }));
    const bad = at(['register', '--profile', profile]);
    expect([bad.status, bad.stderr]).toEqual([2, expect.stringMatching(/\/dpo\/mail: is not a field here/)]);
    expect(at(['register', '--format', 'pdf']).status).toBe(64);
  });
});
