import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePostal } from '../../src/domain/contact.js';
import { importList } from '../../src/services/lists/import-list.js';
import { openListsScreen } from '../../src/services/lists/lookup.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { AudienceInputError } from '../../src/services/screening/csv-files.js';
import { screenAudience } from '../../src/services/screening/screen.js';
import { screenFile } from '../../src/services/screening/screen-file.js';
import type { ScreeningSummary } from '../../src/services/screening/summary.js';
import type { Store } from '../../src/store/store.js';
import { AT, fakeLists, packs, seedMixed, tempStore, write } from './helpers.js';

let store: Store;
let dir: string;
beforeAll(async () => {
  ({ store, dir } = await tempStore());
  await seedMixed(store);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const MIXED = [
  'email,phone,external_id,channel,name',
  'ana@example.fr,,,,Ana', // 2: consented
  'bob@example.fr,,,,Bob', // 3: refused at collection
  'nobody@example.fr,,,,Nobody', // 4: unknown
  ',,crm-carla,phone,Carla', // 5: on Bloctel (stored number, row names her by CRM id)
  ',06 12 34 56 70,,phone,Dan', // 6: phone, opt-out regime before 2026-08-11
  'erin@example.fr,,,,Erin', // 7: suppressed (erased)
  'contact@acme.fr,,,,"Acme, Inc."', // 8: B2B generic address
  'not-an-email,,,,Bad', // 9: malformed email
  ',12,,sms,Short', // 10: malformed phone
  'ana@example.fr,,,fax-ish,Ana', // 11: unknown channel
  'ana@example.fr,email', // 12: two cells under a five-column header (columns shifted)
];

const rows = (file: string): Record<string, string>[] => parse(readFileSync(file, 'utf8'), { columns: true });

async function screen(name: string, lines: readonly string[], extra: Partial<Parameters<typeof screenFile>[0]> = {}) {
  const file = write(dir, `${name}.csv`, lines);
  const outDir = join(dir, `${name}.out`);
  const lists = fakeLists();
  const summary = await screenFile(
    { file, outDir, channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false, ...extra },
    { store, packs, lists },
  );
  return { summary, outDir, lists };
}

function addsUp(s: ScreeningSummary): void {
  const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  expect(s.allowed + s.excluded).toBe(s.rows);
  expect(sum(s.byReason)).toBe(s.excluded);
  expect(sum(s.byBasis)).toBe(s.allowed);
  const channels = Object.values(s.byChannel);
  expect(channels.reduce((a, c) => a + c.rows, 0)).toBe(s.rows);
  expect(channels.reduce((a, c) => a + c.allowed, 0)).toBe(s.allowed);
  for (const c of channels) expect(c.allowed + c.excluded).toBe(c.rows);
}

describe('screening a mixed audience', () => {
  it('allows and excludes exactly the expected rows, with their line and reason', async () => {
    const { summary, outDir } = await screen('mixed', MIXED);
    const allowed = rows(join(outDir, 'allowed.csv'));
    expect(allowed.map((r) => [r.line, r.name, r.basis])).toEqual([
      ['2', 'Ana', 'CONSENT'],
      ['6', 'Dan', 'OPT_OUT_REGIME'],
      ['8', 'Acme, Inc.', 'LEGAL_PERSON'],
    ]);
    expect(allowed[0]?.obligations?.split(';')).toContain('UNSUBSCRIBE_LINK');
    expect(allowed[1]?.obligations?.split(';')).toContain('ANNOUNCE_CALLER_AND_PURPOSE');
    const excluded = rows(join(outDir, 'excluded.csv'));
    expect(excluded.map((r) => [r.line, r.name, r.reason])).toEqual([
      ['3', 'Bob', 'REFUSED_AT_COLLECTION'],
      ['4', 'Nobody', 'CONTACT_NOT_FOUND'],
      ['5', 'Carla', 'OPPOSITION_LIST'],
      ['7', 'Erin', 'SUPPRESSED'],
      ['9', 'Bad', 'INVALID_ROW'],
      ['10', 'Short', 'INVALID_ROW'],
      ['11', 'Ana', 'INVALID_ROW'],
      ['12', '', 'INVALID_ROW'],
    ]);
    expect(excluded.find((r) => r.line === '9')?.message).toMatch(/email: "not-an-email" is not an email address/);
    expect(excluded.find((r) => r.line === '10')?.message).toMatch(/phone: "12" is not a valid phone number/);
    expect(excluded.find((r) => r.line === '11')?.message).toMatch(/channel: "fax-ish" is not a channel/);
    expect(excluded.find((r) => r.line === '12')?.message).toMatch(/^has 2 cells; the header has 5/);
    expect(Object.keys(excluded[0] ?? {})).toEqual([
      'line',
      'email',
      'phone',
      'external_id',
      'channel',
      'name',
      'reason',
      'message',
    ]);

    expect(summary).toMatchObject({
      rows: 11,
      allowed: 3,
      excluded: 8,
      refused: false,
      byReason: { REFUSED_AT_COLLECTION: 1, CONTACT_NOT_FOUND: 1, OPPOSITION_LIST: 1, SUPPRESSED: 1, INVALID_ROW: 4 },
      byBasis: { CONSENT: 1, OPT_OUT_REGIME: 1, LEGAL_PERSON: 1 },
      byList: { bloctel: { matched: 1, excluded: 1 } },
    });
    expect(summary.byChannel.phone).toEqual({ rows: 2, allowed: 1, excluded: 1 });
    addsUp(summary);
    const json = JSON.parse(readFileSync(join(outDir, 'summary.json'), 'utf8')) as ScreeningSummary;
    expect(json.byReason).toEqual(summary.byReason);
  });

  it('writes a self-contained, accessible HTML report', async () => {
    const { outDir } = await screen('report', MIXED);
    const html = readFileSync(join(outDir, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<svg role="img" aria-labelledby="reasons-t reasons-d"');
    expect(html).toContain('<th scope="row">OPPOSITION_LIST</th><td>1</td>');
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/);
    expect(html).toContain('<th scope="row">bloctel (FR)</th>');
  });

  it('gives the same answers whatever the chunk size, and reads the lists once per chunk', async () => {
    const whole = await screen('chunk-all', MIXED);
    const small = await screen('chunk-3', MIXED, { chunkSize: 3 });
    expect(small.summary.byReason).toEqual(whole.summary.byReason);
    expect(readFileSync(join(small.outDir, 'excluded.csv'), 'utf8')).toBe(
      readFileSync(join(whole.outDir, 'excluded.csv'), 'utf8'),
    );
    expect(small.lists.calls).toBe(4);
  });

  it('lets the event loop turn between chunks (a server screening still answers other requests)', async () => {
    let chunks = 0;
    let turnedAfter = -1;
    setImmediate(() => {
      turnedAfter = chunks;
    });
    async function* rows() {
      for (let i = 0; i < 12; i++) yield { row: { line: i + 2, email: 'ana@example.fr' }, source: null };
    }
    const o = { channel: 'email' as const, purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false, chunkSize: 3 };
    await screenAudience(rows(), o, { store, packs, lists: fakeLists() }, { row: () => {}, progress: () => chunks++ });
    expect(chunks).toBe(4);
    // SQLite answers in microtasks only: without a yield the callback would wait for the whole screening.
    expect(turnedAfter).toBe(1);
  });

  it('refuses an audience file without an identifier column', async () => {
    await expect(screen('names', ['name,city', 'Ana,Lyon'])).rejects.toThrow(AudienceInputError);
    // A ;-separated file read with commas: one header cell, and the message says which delimiter to give.
    await expect(screen('semi', ['email;name', 'ana@example.fr;Ana'])).rejects.toThrow(
      `the file looks ";"-separated: give the delimiter (--delimiter ';'`,
    );
  });
});

describe('opposition lists that are not current', () => {
  const phones = ['phone,name', '06 12 34 56 70,Dan', '06 12 34 56 79,Carla'];
  const run = (
    name: string,
    lists: ReturnType<typeof fakeLists>,
    extra: Partial<Parameters<typeof screenFile>[0]> = {},
  ) =>
    screenFile(
      {
        file: write(dir, `${name}.csv`, phones),
        outDir: join(dir, `${name}.out`),
        channel: 'phone',
        purpose: 'offers',
        at: AT,
        jurisdiction: 'FR',
        dryRun: false,
        ...extra,
      },
      { store, packs, lists },
    );

  it('a stale Bloctel file refuses a phone screening, naming the list and its date', async () => {
    const summary = await run('stale', fakeLists({ stale: true }));
    expect(summary.refused).toBe(true);
    expect(summary.rows).toBe(0);
    expect(summary.listProblems).toEqual([
      expect.objectContaining({ name: 'bloctel', jurisdiction: 'FR', asOf: '2026-01-05', problem: 'stale' }),
    ]);
    expect(summary.listProblems[0]?.message).toMatch(/bloctel list of 2026-01-05 is stale/);
    expect(existsSync(join(dir, 'stale.out', 'allowed.csv'))).toBe(false);
    expect(readFileSync(join(dir, 'stale.out', 'report.html'), 'utf8')).toMatch(/role="alert"><strong>Refused:/);
  });

  it('a missing Bloctel file refuses too; a dry run screens and says so', async () => {
    expect((await run('missing', fakeLists({ missing: true }))).listProblems[0]?.problem).toBe('missing');
    const dry = await run('dry', fakeLists({ stale: true }), { dryRun: true });
    expect(dry).toMatchObject({ refused: false, dryRun: true, rows: 2, allowed: 1, byReason: { OPPOSITION_LIST: 1 } });
    expect(dry.listProblems[0]?.name).toBe('bloctel');
    // The row a real run would not have screened says so itself: a file handed on without the summary still tells.
    expect(rows(join(dir, 'dry.out', 'allowed.csv')).map((r) => [r.name, r.list_problem])).toEqual([
      ['Dan', 'bloctel stale'],
    ]);
    await run('dry-missing', fakeLists({ missing: true }), { dryRun: true });
    expect(rows(join(dir, 'dry-missing.out', 'allowed.csv'))[0]?.list_problem).toBe('bloctel missing');
  });

  it('Bloctel binds no longer once phone prospecting is opt-in (2026-08-11): no refusal', async () => {
    const summary = await run('after', fakeLists({ stale: true }), { at: new Date('2026-09-01T09:00:00Z') });
    expect(summary.refused).toBe(false);
    expect(summary.byReason).toEqual({ NO_CONSENT: 2 });
  });

  it('an email screening runs, and its rows that name the phone channel are excluded as LIST_STALE', async () => {
    const { summary } = await screen('row-channel', MIXED.slice(0, 2).concat([',06 12 34 56 70,,phone,Dan']), {});
    expect(summary.byReason).toEqual({});
    const stale = await screenFile(
      {
        file: write(dir, 'rc.csv', ['email,phone,channel', 'ana@example.fr,,', ',06 12 34 56 70,phone']),
        outDir: join(dir, 'rc.out'),
        channel: 'email',
        purpose: 'offers',
        at: AT,
        jurisdiction: 'FR',
        dryRun: false,
      },
      { store, packs, lists: fakeLists({ stale: true }) },
    );
    expect(stale).toMatchObject({ refused: false, allowed: 1, byReason: { LIST_STALE: 1 } });
  });

  it('without a jurisdiction, each row is held to the lists of its own country: no refusal for a foreign list', async () => {
    await store.createContact({ type: 'individual', jurisdiction: 'GB', phone: '+447911123456' });
    const lines = ['phone,jurisdiction', '06 12 34 56 70,', '+447911123456,', '06 12 34 56 79,FR'];
    const file = write(dir, 'no-j-audience.csv', lines);
    const summary = await run('no-j', fakeLists(), { file, jurisdiction: null });
    expect(summary).toMatchObject({ refused: false, rows: 3, allowed: 1 });
    // Not refused, but the summary names the list that excluded the row (the report and the CLI say it too).
    expect(summary.listProblems).toEqual([
      expect.objectContaining({ name: 'tps', jurisdiction: 'GB', problem: 'missing' }),
    ]);
    const excluded = rows(join(dir, 'no-j.out', 'excluded.csv'));
    expect(excluded.map((r) => [r.line, r.reason])).toEqual([
      ['3', 'LIST_MISSING'], // GB stored contact: the TPS was never imported
      ['4', 'OPPOSITION_LIST'], // carla, on Bloctel
    ]);
    expect(excluded[0]?.message).toMatch(/tps list is required for phone screening in GB/);
    // France stays the default: a stale Bloctel still refuses the whole screening up front.
    const stale = await run('no-j-stale', fakeLists({ stale: true }), { file, jurisdiction: null });
    expect(stale).toMatchObject({ refused: true, rows: 0 });
    // A dry run decides those rows all the same, and its summary names the list a real run would want.
    const dry = await run('no-j-dry', fakeLists(), { file, jurisdiction: null, dryRun: true });
    expect(dry).toMatchObject({ refused: false, rows: 3, byReason: { OPPOSITION_LIST: 1 } });
    expect(dry.listProblems).toEqual([
      expect.objectContaining({ name: 'tps', jurisdiction: 'GB', problem: 'missing' }),
    ]);
  });
});

describe('the output files', () => {
  it('repeat the audience header as written, its case included', async () => {
    const { outDir } = await screen('cased', [
      'Email,Full Name',
      'ana@example.fr,Ana Lima',
      'nobody@example.fr,No One',
    ]);
    expect(readFileSync(join(outDir, 'allowed.csv'), 'utf8').split('\n')[0]).toBe(
      'line,Email,Full Name,basis,obligations,lists,data_source,data_provider,list_problem',
    );
    expect(readFileSync(join(outDir, 'excluded.csv'), 'utf8').split('\n')[0]).toBe(
      'line,Email,Full Name,reason,message',
    );
  });
});

describe('the source a message must name', () => {
  it('is in allowed.csv for details bought, rented or public, and empty for details the person gave', async () => {
    const dina = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'dina@example.fr' });
    await store.appendEvents(
      [
        { type: 'data.collected', data: { source: 'acquired', provider: 'DataBroker SAS' } } as const,
        { type: 'consent.given', data: { channel: 'email', method: 'checkbox' } } as const,
      ].map((e) => ({ ...e, contactId: dina.id, at: '2026-01-02T10:00:00Z', recordedBy: 'test:screening' })),
    );
    const { outDir } = await screen('source', ['email', 'dina@example.fr', 'contact@acme.fr', 'ana@example.fr']);
    const allowed = rows(join(outDir, 'allowed.csv'));
    expect(allowed.map((r) => [r.email, r.data_source, r.data_provider, r.list_problem])).toEqual([
      ['dina@example.fr', 'acquired', 'DataBroker SAS', ''],
      ['contact@acme.fr', 'public', '', ''], // found on the company's website
      ['ana@example.fr', '', '', ''],
    ]);
    for (const r of allowed) expect(r.obligations?.split(';')).toContain('DISCLOSE_DATA_SOURCE');
  });
});

describe('lists whose law gives new registrations a grace period', () => {
  it('a number in a DNC or TPS file binds at once: the file’s date is not the date it was registered', async () => {
    await store.createContact({ type: 'individual', jurisdiction: 'US', phone: '+12125550123' });
    await store.createContact({ type: 'individual', jurisdiction: 'GB', phone: '+447911123457' });
    write(dir, 'dnc.txt', ['+12125550123']);
    write(dir, 'tps.txt', ['+447911123457']);
    // Fresh files, as the monthly refresh brings them: the grace (31 days, 28 days) would run from their date.
    await importList(store, { file: join(dir, 'dnc.txt'), name: 'dnc', asOf: '2026-12-05', country: 'US' });
    await importList(store, { file: join(dir, 'tps.txt'), name: 'tps', asOf: '2026-12-05', country: 'GB' });
    write(dir, 'ctps.txt', ['+442079460000']);
    await importList(store, { file: join(dir, 'ctps.txt'), name: 'ctps', asOf: '2026-12-05', country: 'GB' });
    const at = new Date('2026-12-07T15:00:00Z');
    const file = write(dir, 'graced.csv', ['phone,name', '+12125550123,Ulysses', '+447911123457,Gwen']);
    const outDir = join(dir, 'graced.out');
    const summary = await screenFile(
      { file, outDir, channel: 'phone', purpose: 'offers', at, jurisdiction: null, dryRun: false },
      { store, packs, lists: await openListsScreen(store, at) },
    );
    expect(summary).toMatchObject({ rows: 2, allowed: 0, byReason: { OPPOSITION_LIST: 2 } });
    expect(rows(join(outDir, 'excluded.csv')).map((r) => r.message)).toEqual([
      expect.stringMatching(/on the dnc opposition list \(list of 2026-12-05\)/),
      expect.stringMatching(/on the tps opposition list \(list of 2026-12-05\)/),
    ]);
  });
});

describe('the Fax Preference Service', () => {
  it('must be current for a fax screening in GB, 28 days at most (PECR reg. 20(3)), and excludes its numbers', async () => {
    await store.createContact({ type: 'professional', jurisdiction: 'GB', phone: '+442079460001' });
    await store.createContact({ type: 'professional', jurisdiction: 'GB', phone: '+442079460002' });
    const at = new Date('2026-12-07T15:00:00Z');
    const file = write(dir, 'faxes.csv', ['phone,name', '+442079460001,Listed', '+442079460002,Open']);
    const fax = async (name: string) =>
      screenFile(
        { file, outDir: join(dir, name), channel: 'fax', purpose: 'offers', at, jurisdiction: 'GB', dryRun: false },
        { store, packs, lists: await openListsScreen(store, at) },
      );
    expect((await fax('fps-missing.out')).listProblems).toEqual([
      expect.objectContaining({ name: 'fps', jurisdiction: 'GB', problem: 'missing' }),
    ]);
    write(dir, 'fps.txt', ['+442079460001']);
    await importList(store, { file: join(dir, 'fps.txt'), name: 'fps', asOf: '2026-11-08', now: at });
    const old = await fax('fps-stale.out');
    expect(old).toMatchObject({ refused: true, rows: 0 });
    expect(old.listProblems[0]?.message).toMatch(
      /fps list of 2026-11-08 is stale \(.*over 28 \(FPS: .*PECR reg\. 20\(3\)/,
    );
    await importList(store, { file: join(dir, 'fps.txt'), name: 'fps', asOf: '2026-11-09', now: at });
    const fresh = await fax('fps.out');
    expect(fresh).toMatchObject({ refused: false, rows: 2, allowed: 1, byReason: { OPPOSITION_LIST: 1 } });
    expect(rows(join(dir, 'fps.out', 'excluded.csv'))[0]?.name).toBe('Listed');
  });
});

describe('a postal campaign over CRM ids', () => {
  it('checks the stored postal address against the postal opposition lists and the suppression list', async () => {
    const at = new Date('2026-12-07T15:00:00Z');
    const person = (externalId: string, postal: string) =>
      store.createContact({ type: 'individual', jurisdiction: 'FR', externalId, postal });
    await person('crm-paul', '12 rue de la Paix, 75002 Paris');
    await person('crm-rita', '3 avenue Foch, 75116 Paris');
    await person('crm-olga', '7 rue Oberkampf, 75011 Paris');
    // The Robinson file writes Paul's address its own way; Rita's address was suppressed when someone there was erased.
    write(dir, 'robinson-postal.csv', ['nom;adresse', 'Paul Martin;"12 Rue de la Paix - 75002 PARIS"']);
    await importList(store, { file: join(dir, 'robinson-postal.csv'), name: 'robinson', asOf: '2026-12-01', now: at });
    const rita = suppressionHash('postal', normalizePostal('3 avenue Foch, 75116 Paris'));
    await store.addSuppressions([{ hash: rita, reason: 'erased', at: '2026-11-01T10:00:00Z' }]);
    // Erik was erased: no contact is stored under his CRM id any more, only its hash on the suppression list.
    const erik = suppressionHash('external', 'crm-erik');
    await store.addSuppressions([{ hash: erik, reason: 'erased', at: '2026-11-02T10:00:00Z' }]);
    const file = write(dir, 'letters.csv', [
      'external_id,name',
      'crm-paul,Paul',
      'crm-rita,Rita',
      'crm-olga,Olga',
      'crm-erik,Erik',
      'crm-nobody,Nobody',
    ]);
    const outDir = join(dir, 'letters.out');
    const summary = await screenFile(
      { file, outDir, channel: 'postal', purpose: 'offers', at, jurisdiction: 'FR', dryRun: false },
      { store, packs, lists: await openListsScreen(store, at) },
    );
    expect(rows(join(outDir, 'excluded.csv')).map((r) => [r.name, r.reason])).toEqual([
      ['Paul', 'OPPOSITION_LIST'],
      ['Rita', 'SUPPRESSED'],
      ['Erik', 'SUPPRESSED'],
      ['Nobody', 'CONTACT_NOT_FOUND'],
    ]);
    expect(rows(join(outDir, 'allowed.csv')).map((r) => [r.name, r.basis])).toEqual([['Olga', 'OPT_OUT_REGIME']]);
    expect(summary.byList).toEqual({ robinson: { matched: 1, excluded: 1 } });
  });
});

describe('a list the law makes the sender check, off the call channels', () => {
  const at = new Date('2026-12-07T15:00:00Z');
  const emails = async (name: string, dryRun = false) => {
    const file = write(dir, `${name}.csv`, ['email,name', 'pilar@example.es,Pilar', 'jordi@example.es,Jordi']);
    const outDir = join(dir, `${name}.out`);
    const summary = await screenFile(
      {
        file,
        outDir,
        channel: 'email',
        purpose: 'offers',
        at,
        jurisdiction: null,
        dryRun,
        offer: { similarToPurchases: true },
      },
      { store, packs, lists: await openListsScreen(store, at) },
    );
    return { summary, outDir };
  };

  it('excludes only the rows the Spanish Robinson list would decide while it is missing (LOPDGDD art. 23.4)', async () => {
    // Pilar consented to this sender: no list lifts that. Jordi is a client told he could refuse (LSSI art. 21.2):
    // only the Robinson list, which the company has not got for Spain, could say he may not be written to.
    const pilar = await store.createContact({ type: 'individual', jurisdiction: 'ES', email: 'pilar@example.es' });
    const jordi = await store.createContact({ type: 'individual', jurisdiction: 'ES', email: 'jordi@example.es' });
    const by = 'test:screening';
    await store.appendEvents([
      {
        contactId: pilar.id,
        type: 'consent.given',
        at: '2026-06-01T10:00:00Z',
        data: { channel: 'email', method: 'checkbox' },
        recordedBy: by,
      },
      {
        contactId: jordi.id,
        type: 'data.collected',
        at: '2025-06-01T10:00:00Z',
        data: { source: 'direct', informed: true },
        recordedBy: by,
      },
      { contactId: jordi.id, type: 'purchase', at: '2025-06-01T10:00:00Z', data: {}, recordedBy: by },
    ]);
    // A Robinson list of another country is not Spain's, even when it holds his address.
    write(dir, 'robinson-de.txt', ['jordi@example.es']);
    await importList(store, {
      file: join(dir, 'robinson-de.txt'),
      name: 'robinson',
      country: 'DE',
      asOf: '2026-12-01',
      now: at,
    });
    const missing = await emails('robinson-missing');
    expect(missing.summary).toMatchObject({ refused: false, rows: 2, allowed: 1, byReason: { LIST_MISSING: 1 } });
    expect(missing.summary.listProblems.map((p) => p.name)).toEqual(['robinson']);
    expect(rows(join(missing.outDir, 'allowed.csv')).map((r) => [r.name, r.basis])).toEqual([['Pilar', 'CONSENT']]);
    expect(rows(join(missing.outDir, 'excluded.csv'))[0]).toMatchObject({
      name: 'Jordi',
      reason: 'LIST_MISSING',
      message: expect.stringMatching(/robinson list of ES is required .* --country ES/),
    });
    // A dry run decides him all the same and names the list a real run wants.
    const dry = await emails('robinson-dry', true);
    expect(dry.summary).toMatchObject({ allowed: 2, excluded: 0 });
    expect(dry.summary.listProblems.map((p) => [p.name, p.jurisdiction, p.problem])).toEqual([
      ['robinson', 'ES', 'missing'],
    ]);
    // Spain's list imported, without him: both are written to; the German version is still in use beside it.
    write(dir, 'robinson-es.txt', ['someone@example.es']);
    await importList(store, {
      file: join(dir, 'robinson-es.txt'),
      name: 'robinson',
      country: 'ES',
      asOf: '2026-12-01',
      now: at,
    });
    expect((await store.currentListVersions()).filter((v) => v.name === 'robinson').map((v) => v.country)).toEqual([
      'DE',
      'ES',
      'FR',
    ]);
    const current = await emails('robinson-es');
    expect(current.summary).toMatchObject({ rows: 2, allowed: 2, listProblems: [] });
  });
});

describe('the offer of the message', () => {
  it('lets the B2B opt-out apply to a named professional address only when the offer relates to the profession', async () => {
    await store.createContact({ type: 'professional', jurisdiction: 'FR', email: 'jane.doe@acme.fr' });
    const lines = ['email', 'jane.doe@acme.fr'];
    const unrelated = await screen('offer-none', lines);
    expect(rows(join(unrelated.outDir, 'excluded.csv')).map((r) => r.reason)).toEqual(['NOT_RELATED_TO_PROFESSION']);
    const related = await screen('offer-profession', lines, { offer: { relatedToProfession: true } });
    expect(related.summary.allowed).toBe(1);
    expect(rows(join(related.outDir, 'allowed.csv'))[0]?.basis).toBe('B2B_RELATED');
  });
});

describe('a row naming one person and another person’s address', () => {
  it('decides on the owner of the address the message goes to, not on the contact the row names', async () => {
    const ana = await store.findContact({ kind: 'email', value: 'ana@example.fr' });
    const lines = [
      'contact_id,email,phone,channel',
      `${ana?.id},bob@example.fr,,`, // 2: Ana consented, Bob refused: the email goes to Bob
      `${ana?.id},stranger@example.fr,,`, // 3: an address no one stored: nobody's consent covers it
      `${ana?.id},,,`, // 4: no address in the row: Ana's own
      ',ana@example.fr,06 12 34 56 70,sms', // 5: the SMS goes to Dan's number, and Dan never consented
    ];
    const { summary, outDir } = await screen('mismatch', lines);
    expect(summary).toMatchObject({ allowed: 1, excluded: 3 });
    expect(rows(join(outDir, 'allowed.csv')).map((r) => r.line)).toEqual(['4']);
    expect(rows(join(outDir, 'excluded.csv')).map((r) => [r.line, r.reason])).toEqual([
      ['2', 'REFUSED_AT_COLLECTION'],
      ['3', 'CONTACT_NOT_FOUND'],
      ['5', 'NO_CONSENT'],
    ]);
  });
});

describe('reading the audience file', () => {
  it('reports the line a row starts on, with CRLF line ends and quoted cells over two lines', async () => {
    const file = join(dir, 'crlf.csv');
    writeFileSync(file, 'email,note\r\nana@example.fr,"a\r\nb"\r\nbad,x\r\n\r\nbad2,y\r\n');
    const outDir = join(dir, 'crlf.out');
    await screenFile(
      { file, outDir, channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false },
      { store, packs, lists: fakeLists() },
    );
    const lines = [...rows(join(outDir, 'allowed.csv')), ...rows(join(outDir, 'excluded.csv'))].map((r) => r.line);
    expect(lines.sort()).toEqual(['2', '4', '6']);
  });

  it('gives excluded.csv and allowed.csv the lines an editor shows, after a CR alone in a cell', async () => {
    const lines = [
      'email,note',
      'ana@example.fr,"a\rb"',
      'bob@example.fr,c\rd',
      '',
      'not-an-email,e',
      'ana@example.fr,f',
    ];
    const { outDir } = await screen('lone-cr', lines);
    expect(rows(join(outDir, 'excluded.csv')).map((r) => [r.line, r.email, r.reason])).toEqual([
      ['3', 'bob@example.fr', 'REFUSED_AT_COLLECTION'],
      ['5', 'not-an-email', 'INVALID_ROW'],
    ]);
    expect(rows(join(outDir, 'allowed.csv')).map((r) => [r.line, r.email])).toEqual([
      ['2', 'ana@example.fr'],
      ['6', 'ana@example.fr'],
    ]);
  });

  it('excludes a row of empty cells as INVALID_ROW with its line, and skips a line of no characters', async () => {
    const file = join(dir, 'blank.csv');
    // Line 3 has no characters, line 5 only spaces: neither is a row. Lines 4, 6, 7 and 9 are rows of empty cells.
    writeFileSync(file, 'email,phone,name\nana@example.fr,,Ana\n\n,,\n   \n,\n""\nbob@example.fr,,Bob\n" ","",\n');
    const outDir = join(dir, 'blank.out');
    const summary = await screenFile(
      { file, outDir, channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false },
      { store, packs, lists: fakeLists() },
    );
    const excluded = rows(join(outDir, 'excluded.csv'));
    const empty = excluded.filter((r) => r.message === 'the row is empty: every cell is blank');
    expect(empty.map((r) => [r.line, r.reason])).toEqual([
      ['4', 'INVALID_ROW'],
      ['6', 'INVALID_ROW'],
      ['7', 'INVALID_ROW'],
      ['9', 'INVALID_ROW'],
    ]);
    expect(summary.rows).toBe(6);
    expect(summary.byReason.INVALID_ROW).toBe(4);
    addsUp(summary);
  });

  it('refuses a file that is not UTF-8, naming the line, and two columns for one identifier', async () => {
    const file = join(dir, 'latin1.csv');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('email,name\nana@example.fr,Ana\nbob@example.fr,'),
        Buffer.from([0x4a, 0xe9, 0x72]),
        Buffer.from('\n'),
      ]),
    );
    const args = {
      file,
      outDir: join(dir, 'latin1.out'),
      channel: 'email',
      purpose: 'offers',
      at: AT,
      jurisdiction: 'FR',
      dryRun: false,
    } as const;
    await expect(screenFile(args, { store, packs, lists: fakeLists() })).rejects.toThrow(
      'latin1.csv: line 3 is not UTF-8 text',
    );
    await expect(screen('twins', ['email,Email', 'nobody@example.fr,ana@example.fr'])).rejects.toThrow(
      'columns "email" and "Email" both give email; keep one',
    );
  });
});

describe('the output folder', () => {
  it('keeps an earlier run’s files whole when a later run into it fails midway', async () => {
    const outDir = join(dir, 'kept.out'); // the folder of screen('kept', …)
    const run = (lines: readonly string[]) => screen('kept', lines);
    await run(['email', 'ana@example.fr', 'bob@example.fr']);
    const before = ['allowed.csv', 'excluded.csv', 'summary.json'].map((f) => readFileSync(join(outDir, f), 'utf8'));
    const many = Array.from({ length: 5_000 }, (_, i) => `p${i}@example.fr`);
    await expect(run(['email', ...many, '"unclosed@example.fr', 'last@example.fr'])).rejects.toBeInstanceOf(
      AudienceInputError,
    );
    expect(['allowed.csv', 'excluded.csv', 'summary.json'].map((f) => readFileSync(join(outDir, f), 'utf8'))).toEqual(
      before,
    );
    expect(readdirSync(outDir).sort()).toEqual(['allowed.csv', 'excluded.csv', 'report.html', 'summary.json']);
    // A short file is parsed whole before its rows are read: the line is still the one the quote opens on.
    await expect(run(['email', 'ana@example.fr', '', 'bob@example.fr', '"carl@example.fr'])).rejects.toThrow(
      'malformed CSV: line 5, cell 1: the quote opening the cell is never closed',
    );
    await expect(run(['email,name', 'ana@example.fr,Ana', '', '', 'bob@example.fr,"Bob', 'x', 'y'])).rejects.toThrow(
      'malformed CSV: line 5, cell 2: the quote opening the cell is never closed',
    );
  });
});

describe('cells that name Object.prototype members', () => {
  it('count as invalid rows under the screening channel, and leave every other object alone', async () => {
    const { summary } = await screen('proto', [
      'email,channel',
      'ana@example.fr,__proto__',
      'ana@example.fr,constructor',
      'ana@example.fr,toString',
    ]);
    expect(summary.byReason).toEqual({ INVALID_ROW: 3 });
    expect(summary.byChannel).toEqual({ email: { rows: 3, allowed: 0, excluded: 3 } });
    expect(({} as Record<string, unknown>).rows).toBeUndefined();
    addsUp(summary);
  });
});

describe('the screening jurisdiction (-j)', () => {
  it('reads national numbers but never decides a stored contact of another country: its own law does', async () => {
    const erik = await store.createContact({ type: 'individual', jurisdiction: 'DE', email: 'erik@example.de' });
    await store.appendEvents([
      {
        contactId: erik.id,
        type: 'consent.given',
        at: '2026-01-05T10:00:00Z',
        data: { channel: 'email', method: 'checkbox' },
        recordedBy: 'test',
      },
    ]);
    // Under French law a ticked box is consent; in Germany the product asks for its confirmation (double opt-in).
    const { outDir } = await screen('foreign', ['email', 'erik@example.de'], { jurisdiction: 'FR' });
    expect(rows(join(outDir, 'excluded.csv'))).toEqual([
      expect.objectContaining({ email: 'erik@example.de', reason: 'CONFIRMATION_PENDING' }),
    ]);
    // Nor does a row's jurisdiction cell: the person's country is a fact of the store, not the sender's choice.
    const own = await screen('foreign-own', ['email,jurisdiction', 'erik@example.de,FR'], { jurisdiction: 'FR' });
    expect(rows(join(own.outDir, 'excluded.csv'))).toEqual([
      expect.objectContaining({ email: 'erik@example.de', reason: 'CONFIRMATION_PENDING' }),
    ]);
  });
});
