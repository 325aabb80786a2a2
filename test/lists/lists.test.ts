// Opposition lists and the suppression list (issue #6) on every store dialect: file formats and rejects, the
// atomic version switch, Bloctel's 30-day staleness, lookups and suppression.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeIdentifier } from '../../src/domain/contact.js';
import { sha256 } from '../../src/domain/ledger.js';
import { ImportInputError } from '../../src/services/import/reader.js';
import { importList, ListImportInterrupted } from '../../src/services/lists/import-list.js';
import { openListsScreen } from '../../src/services/lists/lookup.js';
import { localDate, staleness } from '../../src/services/lists/refresh.js';
import { readEmailOrPhone, suppressionHash, suppressionHashes } from '../../src/services/lists/suppression.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';

for (const dialect of DIALECTS) {
  describe(`opposition lists: ${dialect.name}`, async () => {
    const unavailable = await dialect.available();
    if (unavailable !== null) {
      if (process.env.CI) {
        it('has its database', () => {
          throw new Error(`${unavailable}: CI must run the lists suite on PostgreSQL too`);
        });
      } else {
        console.warn(`SKIPPED opposition lists on ${dialect.name}: ${unavailable} (set TEST_DATABASE_URL)`);
        it.skip(`${dialect.name}: ${unavailable}`, () => {});
      }
      return;
    }
    let store: Store;
    let cleanup: () => Promise<void>;
    let dir: string;
    const file = (name: string, text: string): string => {
      const path = join(dir, name);
      writeFileSync(path, text);
      return path;
    };
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
      dir = mkdtempSync(join(tmpdir(), 'assent-lists-'));
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });

    it('imports one number a line, national numbers read in the country, bad lines to rejects', async () => {
      const path = file('bloctel.txt', '06 12 34 56 78\n\n+33 6 98 76 54 32\n0033612345678\nhello\n12\n33611223344\n');
      const out = await importList(store, { file: path, name: 'bloctel', asOf: '2026-06-01' });
      expect(out.format).toBe('lines');
      expect(out).toMatchObject({ lines: 6, entries: 3, duplicates: 1, rejected: 2 });
      expect(out.version).toMatchObject({ name: 'bloctel', status: 'complete', asOf: '2026-06-01', entries: 3 });
      expect(out.version.fileSha256).toMatch(/^[0-9a-f]{64}$/);
      const rejects = readFileSync(out.rejectsFile ?? '', 'utf8')
        .trim()
        .split('\n');
      expect(rejects[0]).toBe('line,reason,raw');
      expect(rejects.slice(1).map((l) => l.split(',')[0])).toEqual(['5', '6']);
      expect(rejects[1]).toContain('neither an email nor a phone number');
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      const m = await screen.matches(['+33612345678', '+33611223344', '+33699999999']);
      expect(m.get('+33612345678')).toEqual([{ name: 'bloctel', asOf: '2026-06-01' }]);
      expect(m.get('+33611223344')).toEqual([{ name: 'bloctel', asOf: '2026-06-01' }]);
      expect(m.has('+33699999999')).toBe(false);
    });

    it('imports a CSV whose header names the number column (semicolons, quotes, BOM), and emails', async () => {
      const path = file(
        'robinson.csv',
        '\uFEFFid;"Numero";source\n1;"06 11 11 11 11";x\n2;;y\n3;+41 44 668 18 00;z\n4;jane.DOE@example.fr;w\n',
      );
      const out = await importList(store, { file: path, name: 'robinson', asOf: '2026-06-01', country: 'FR' });
      expect(out).toMatchObject({ format: 'csv', lines: 4, entries: 3, rejected: 1 });
      const rejects = readFileSync(out.rejectsFile ?? '', 'utf8');
      expect(rejects).toContain('3,no identifier in the column');
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      const m = await screen.matches(['+33611111111', '+41446681800', 'jane.doe@example.fr']);
      expect([...m.keys()].sort()).toEqual(['+33611111111', '+41446681800', 'jane.doe@example.fr']);
    });

    it('refuses an unusable file without switching anything', async () => {
      const latin1 = join(dir, 'latin1.txt');
      writeFileSync(latin1, Buffer.from('0612345678\n0698765432 Jos\xe9\n', 'latin1'));
      await expect(importList(store, { file: latin1, name: 'optout' })).rejects.toThrow('line 2 is not UTF-8 text');
      await expect(importList(store, { file: file('empty.txt', '\n\n'), name: 'optout' })).rejects.toThrow(
        ImportInputError,
      );
      await expect(
        importList(store, { file: file('nocol.csv', 'name,city\nJane,Paris\n'), name: 'optout' }),
      ).rejects.toThrow(/names no identifier column/);
      await expect(importList(store, { file: file('junk.txt', 'abc\ndef\n'), name: 'optout' })).rejects.toThrow(
        /junk\.txt: no valid identifier in 2 lines \(national numbers read in FR\); line 1: "abc" is neither an email nor a phone number; every rejected line is in .*junk\.txt\.rejects\.csv$/,
      );
      expect(existsSync(join(dir, 'junk.txt.rejects.csv'))).toBe(true);
      await expect(importList(store, { file: join(dir, 'missing.txt'), name: 'optout' })).rejects.toThrow(
        /no such file/,
      );
      await expect(importList(store, { file: dir, name: 'optout' })).rejects.toThrow(`${dir} is a folder`);
      await expect(
        importList(store, { file: file('ahead.txt', '0612345678\n'), name: 'optout', asOf: '2030-01-01' }),
      ).rejects.toThrow('--as-of 2030-01-01: is in the future');
      // Tomorrow too: it would lock phone screenings out until then (stale: dated after the screening date).
      const tomorrow = localDate(new Date(Date.now() + 86_400_000), 'FR');
      await expect(
        importList(store, { file: file('tomorrow.txt', '0612345678\n'), name: 'bloctel', asOf: tomorrow }),
      ).rejects.toThrow(`--as-of ${tomorrow}: is in the future`);
      await expect(
        importList(store, { file: file('typo.txt', '0612345678\n'), name: 'optout', country: 'XX' }),
      ).rejects.toThrow(/--country XX: not a country whose phone numbers are known/);
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      expect(screen.status().map((s) => s.name)).not.toContain('optout');
      expect((await store.listVersions('optout')).map((v) => v.status)).toEqual(['failed']);
    });

    it('refuses a file that changed while it was imported: the version recorded its first hash, nothing is used', async () => {
      const path = file('growing.txt', '0612345678\n0698765432\n');
      // The file grows between the hash of the first read and the read of its numbers (a download still running).
      const growing = new Proxy(store, {
        get(target, key, receiver) {
          if (key !== 'beginListVersion') return Reflect.get(target, key, receiver);
          return async (...args: Parameters<typeof store.beginListVersion>) => {
            const version = await target.beginListVersion(...args);
            appendFileSync(path, '0611223344\n');
            return version;
          };
        },
      });
      await expect(importList(growing, { file: path, name: 'changing', asOf: '2026-06-01' })).rejects.toThrow(
        /growing\.txt: the file changed while it was imported \(its SHA-256 is no longer [0-9a-f]{12}…\)/,
      );
      expect((await store.listVersions('changing')).map((v) => v.status)).toEqual(['failed']);
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      expect(screen.status().map((s) => s.name)).not.toContain('changing');
    });

    it('undoes an import stopped by its signal (Ctrl-C): entries written so far deleted, the version failed', async () => {
      const stop = new AbortController();
      let calls = 0;
      const stopping = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'transaction') {
            return async <T>(fn: (tx: Store) => Promise<T>) => {
              const out = await target.transaction(fn);
              if (++calls === 2) stop.abort(); // two batches written, then Ctrl-C
              return out;
            };
          }
          return Reflect.get(target, prop, receiver);
        },
      });
      const lines = Array.from({ length: 12 }, (_, i) => `06150000${String(i).padStart(2, '0')}`).join('\n');
      await expect(
        importList(stopping, {
          file: file('stopped.txt', lines),
          name: 'stopped',
          asOf: '2026-06-01',
          batchLines: 2,
          signal: stop.signal,
        }),
      ).rejects.toBeInstanceOf(ListImportInterrupted);
      const [version] = await store.listVersions('stopped');
      expect(version?.status).toBe('failed');
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      expect(screen.status().find((s) => s.name === 'stopped')).toBeUndefined();
      expect(await store.listEntriesAmong([version?.id ?? -1], ['+33615000000', '+33615000003'])).toEqual([]);
    });

    it('switches versions atomically: a failed import leaves the previous version in use', async () => {
      const v1 = await importList(store, {
        file: file('nmap-1.txt', '0611000001\n0611000002\n'),
        name: 'dncm',
        country: 'FR',
        asOf: '2026-05-01',
      });
      // A store whose third batch of entries fails: the new version has entries written but never completes.
      let calls = 0;
      const failing = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'transaction') {
            return <T>(fn: (tx: Store) => Promise<T>) =>
              target.transaction((tx) => {
                if (++calls === 3) throw new Error('disk full');
                return fn(tx);
              });
          }
          return Reflect.get(target, prop, receiver);
        },
      });
      const lines = Array.from({ length: 10 }, (_, i) => `06120000${String(i).padStart(2, '0')}`).join('\n');
      await expect(
        importList(failing, {
          file: file('nmap-2.txt', lines),
          name: 'dncm',
          country: 'FR',
          asOf: '2026-06-01',
          batchLines: 2,
        }),
      ).rejects.toThrow('disk full');
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      expect(screen.status().find((s) => s.name === 'dncm')).toMatchObject({ versionId: v1.version.id, entries: 2 });
      const m = await screen.matches(['+33611000001', '+33612000000', '+33612000001']);
      expect([...m.keys()]).toEqual(['+33611000001']);
      const versions = await store.listVersions('dncm');
      expect(versions.map((v) => v.status)).toEqual(['failed', 'complete']);
      // A later complete import replaces v1 for lookups; v1 is kept for proof.
      const v3 = await importList(store, {
        file: file('nmap-3.txt', '0612000001\n'),
        name: 'dncm',
        country: 'FR',
        asOf: '2026-06-05',
      });
      const after = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      expect(after.status().find((s) => s.name === 'dncm')).toMatchObject({
        versionId: v3.version.id,
        asOf: '2026-06-05',
      });
      const m2 = await after.matches(['+33611000001', '+33612000001']);
      expect([...m2.keys()]).toEqual(['+33612000001']);
      expect((await store.listVersions('dncm')).map((v) => v.status)).toEqual(['complete', 'failed', 'complete']);
    });

    it('a screen keeps the versions it opened with while a new one is imported', async () => {
      const before = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      await importList(store, {
        file: file('nmap-4.txt', '0613000001\n'),
        name: 'dncm',
        country: 'FR',
        asOf: '2026-06-09',
      });
      expect(before.status().find((s) => s.name === 'dncm')?.asOf).toBe('2026-06-05');
    });

    it('keeps screening records: one by id, the newest first', async () => {
      const record = (id: string, ranAt: string) => ({
        id,
        ranAt,
        finishedAt: ranAt,
        at: '2026-03-10T09:00:00.000Z',
        via: 'cli',
        campaignId: null,
        channel: 'phone',
        purpose: 'marketing',
        jurisdiction: 'FR',
        dryRun: false,
        refused: true,
        audienceSha256: 'c'.repeat(64),
        audienceRows: 0,
        allowed: 0,
        excluded: 0,
        lists: [
          {
            name: 'bloctel',
            country: 'FR',
            versionId: 1,
            asOf: '2026-03-01',
            fileSha256: 'd'.repeat(64),
            ageDays: 9,
            stale: false,
            reason: null,
          },
        ],
        listProblems: [],
        counts: { byReason: {}, byBasis: {}, byChannel: {}, byList: {} },
        outDir: null,
      });
      await store.addScreening(record('s-1', '2026-12-01T10:00:00.000Z'));
      await store.addScreening(record('s-2', '2026-12-02T10:00:00.000Z'));
      expect(await store.getScreening('s-1')).toEqual(record('s-1', '2026-12-01T10:00:00.000Z'));
      expect(await store.getScreening('none')).toBeNull();
      expect((await store.listScreenings({ limit: 10 })).map((r) => r.id)).toEqual(['s-2', 's-1']);
      const after = { ranAt: '2026-12-02T10:00:00.000Z', id: 's-2' };
      expect((await store.listScreenings({ limit: 10, before: after })).map((r) => r.id)).toEqual(['s-1']);
    });

    it('Bloctel is stale after 30 days, counted in French calendar days', async () => {
      // An older file than the version in use is refused: it would undo the registrations made since.
      await expect(
        importList(store, { file: file('b-old.txt', '0612345678\n'), name: 'bloctel', asOf: '2026-03-01' }),
      ).rejects.toThrow('older than the bloctel version in use (version 1, as of 2026-06-01)');
      await importList(store, { file: file('b.txt', '0612345678\n'), name: 'bloctel', asOf: '2026-07-01' });
      const at = (iso: string) => openListsScreen(store, new Date(iso));
      // 2026-07-31 is 30 days after 2026-07-01: still fresh, up to 23:59 in Paris (21:59 UTC, summer time).
      expect((await at('2026-07-31T21:59:00Z')).status().find((s) => s.name === 'bloctel')).toMatchObject({
        stale: false,
        reason: null,
      });
      // 00:00 on 2026-08-01 in Paris is still 2026-07-31 in UTC: the list's calendar decides.
      const stale = (await at('2026-07-31T22:00:00Z')).status().find((s) => s.name === 'bloctel');
      expect(stale?.stale).toBe(true);
      expect(stale?.reason).toMatch(/31 days old at 2026-08-01, over 30/);
      // Other lists have no maximum age unless configured.
      const late = await openListsScreen(store, new Date('2027-01-01T00:00:00Z'));
      expect(late.status().find((s) => s.name === 'robinson')?.stale).toBe(false);
      const limited = await openListsScreen(store, new Date('2026-06-11T12:00:00Z'), { maxAgeDays: { robinson: 9 } });
      expect(limited.status().find((s) => s.name === 'robinson')).toMatchObject({ stale: true });
      const ok = await openListsScreen(store, new Date('2026-06-10T12:00:00Z'), { maxAgeDays: { robinson: 9 } });
      expect(ok.status().find((s) => s.name === 'robinson')?.stale).toBe(false);
      // A screening dated before the July file is judged on the version in force then (June's: 28 days old).
      expect((await at('2026-06-29T12:00:00Z')).status().find((s) => s.name === 'bloctel')).toMatchObject({
        asOf: '2026-06-01',
        ageDays: 28,
        stale: false,
      });
      // One dated before every file has none in force: the earliest, dated after it, cannot be used for it.
      expect((await at('2026-05-20T12:00:00Z')).status().find((s) => s.name === 'bloctel')).toMatchObject({
        asOf: '2026-06-01',
        stale: true,
        reason: 'bloctel is dated 2026-06-01, after the screening date 2026-05-20',
      });
    });

    it('the DNC is stale after 31 days (47 CFR 64.1200(c)(2)(i)(D)), the TPS after 28 (PECR reg. 21(3))', async () => {
      await importList(store, {
        file: file('dnc.txt', '+12125550123\n'),
        name: 'dnc',
        asOf: '2026-06-01',
        country: 'US',
      });
      await importList(store, {
        file: file('tps.txt', '+447911123456\n'),
        name: 'tps',
        asOf: '2026-06-01',
        country: 'GB',
      });
      const status = async (iso: string, maxAgeDays?: Record<string, number>) =>
        Object.fromEntries(
          (await openListsScreen(store, new Date(iso), { maxAgeDays }))
            .status()
            .map((s) => [s.name, [s.stale, s.reason]]),
        );
      // 2026-06-29 is 28 days after 2026-06-01 in London: fresh; the 29th day is stale.
      expect((await status('2026-06-29T12:00:00Z')).tps).toEqual([false, null]);
      expect((await status('2026-06-30T12:00:00Z')).tps).toEqual([
        true,
        'tps version of 2026-06-01 is 29 days old at 2026-06-30, over 28 (TPS: registrations bind after 28 days, PECR reg. 21(3))',
      ]);
      // 23:30 in New York on 2026-07-02 (31 days): fresh, though UTC already reads 2026-07-03.
      expect((await status('2026-07-03T03:30:00Z')).dnc).toEqual([false, null]);
      expect((await status('2026-07-03T12:00:00Z')).dnc?.[0]).toBe(true);
      // A configured age shortens the law's, never lengthens it.
      expect((await status('2026-06-20T12:00:00Z', { tps: 14 })).tps?.[0]).toBe(true);
      expect((await status('2026-07-10T12:00:00Z', { tps: 90 })).tps?.[0]).toBe(true);
    });

    it('imports postal addresses from an address column, matched as the stored address however written', async () => {
      const path = file(
        'mps.csv',
        'name,address\nAnn,"1 High Street, London SW1A 1AA"\nBen,\nCat,"2 Low Road; Leeds LS1 1AA"\n',
      );
      const out = await importList(store, { file: path, name: 'mps', asOf: '2026-06-09' });
      expect(out).toMatchObject({ format: 'csv', lines: 3, entries: 2, rejected: 1 });
      expect(readFileSync(out.rejectsFile ?? '', 'utf8')).toContain('3,no identifier in the column');
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      const stored = normalizeIdentifier('postal', '1 high street - london  SW1A 1AA', 'GB');
      const m = await screen.matches([`postal:${stored}`, 'postal:2 LOW ROAD LEEDS']);
      expect([...m]).toEqual([[`postal:${stored}`, [{ name: 'mps', asOf: '2026-06-09' }]]]);
    });

    it('reads quoted cells as CSV does: a delimiter inside quotes does not move the number column', async () => {
      const path = file(
        'quoted.csv',
        'comment,number,other\n"a,0612345678",0698765432,x\n"Dupont, Jean",0611111111,y\n"open,0622222222,z\n',
      );
      const out = await importList(store, { file: path, name: 'dncm', asOf: '2026-06-09', country: 'FR' });
      expect(out).toMatchObject({ format: 'csv', lines: 3, entries: 2, rejected: 1 });
      expect(readFileSync(out.rejectsFile ?? '', 'utf8')).toContain('4,a quote opened on this line does not close');
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      const m = await screen.matches(['+33698765432', '+33611111111', '+33612345678', '+33622222222']);
      const onDncm = [...m].filter(([, found]) => found.some((l) => l.name === 'dncm')).map(([value]) => value);
      expect(onDncm.sort()).toEqual(['+33611111111', '+33698765432']);
    });

    it('rejects a line whose quote does not close alone: the numbers on the lines after it are listed', async () => {
      // A CSV parser streaming the file would read on to the next quote: fail the file, or swallow these lines.
      const path = file('unclosed.csv', 'id;numero\n1;"06 21 00 00 01\n2;0621000002\n3;"0621000003"\n\n4;0621000004\n');
      const out = await importList(store, { file: path, name: 'unclosed', asOf: '2026-06-09', country: 'FR' });
      expect(out).toMatchObject({ format: 'csv', lines: 4, entries: 3, rejected: 1 });
      const rejects = readFileSync(out.rejectsFile ?? '', 'utf8')
        .trim()
        .split('\n');
      expect(rejects.slice(1)).toEqual(['2,a quote opened on this line does not close,"1;""06 21 00 00 01"']);
      const screen = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      const m = await screen.matches(['+33621000002', '+33621000003', '+33621000004']);
      expect([...m.keys()].sort()).toEqual(['+33621000002', '+33621000003', '+33621000004']);
    });

    it('keeps hashes on the suppression list, never identifiers, and finds them', async () => {
      const email = 'gone@example.fr';
      const phone = '+33612345678';
      const h = suppressionHash('email', email);
      expect(h).toMatch(/^[0-9a-f]{64}$/);
      expect(h).not.toBe(suppressionHash('phone', email));
      const added = await store.addSuppressions([
        { hash: h, reason: 'erased', at: '2026-06-01T00:00:00.000Z' },
        { hash: suppressionHash('phone', phone), reason: 'objection', at: '2026-06-01T00:00:00.000Z' },
      ]);
      expect(added).toBe(2);
      expect(await store.addSuppressions([{ hash: h, reason: 'objection', at: '2026-07-01T00:00:00.000Z' }])).toBe(0);
      expect(await store.suppressionCount()).toBe(2);
      const screen = await openListsScreen(store, new Date());
      const found = await screen.suppressed([email, phone, 'kept@example.fr', '+33611111111', 'not-an-identifier']);
      expect([...found].sort()).toEqual([phone, email].sort());
    });
  });
}

describe('identifiers of a list line', () => {
  it('reads a French overseas number in its department, as contacts are read (0692 … is a Réunion mobile)', () => {
    expect(readEmailOrPhone('0692 12 34 56', 'FR')).toEqual({ kind: 'phone', value: '+262692123456' });
    expect(readEmailOrPhone('06 12 34 56 78', 'FR')).toEqual({ kind: 'phone', value: '+33612345678' });
    // A Bloctel line and a Martinique contact's number are one number (mainland France's plan also reads +33 596 …).
    expect(readEmailOrPhone('0596 61 23 45', 'FR')).toEqual({ kind: 'phone', value: '+596596612345' });
  });
});

describe('the legal maximum age of a list', () => {
  // Fresh on its last day, stale the next, counted in the list's country's calendar (London: BST, UTC+1).
  it.each([
    ['bloctel', 'FR', '2026-07-01', '2026-07-31T12:00:00Z', '2026-08-01T12:00:00Z', 'C. consom. art. L223-1'],
    ['dnc', 'US', '2026-06-01', '2026-07-02T12:00:00Z', '2026-07-03T12:00:00Z', '47 CFR 64.1200(c)(2)(i)(D)'],
    ['tps', 'GB', '2026-06-01', '2026-06-29T12:00:00Z', '2026-06-30T12:00:00Z', 'PECR reg. 21(3)'],
    ['ctps', 'GB', '2026-06-01', '2026-06-29T12:00:00Z', '2026-06-30T12:00:00Z', 'PECR reg. 21(3) and 26'],
    ['fps', 'GB', '2026-06-01', '2026-06-29T22:59:00Z', '2026-06-29T23:00:00Z', 'PECR reg. 20(3) and 25'],
  ])('%s (%s) of %s: fresh at %s, stale at %s (%s)', (name, country, asOf, fresh, stale, rule) => {
    expect(staleness({ name, country, asOf }, new Date(fresh))).toMatchObject({ stale: false, reason: null });
    const late = staleness({ name, country, asOf }, new Date(stale));
    expect(late.stale).toBe(true);
    expect(late.reason).toContain(rule);
  });
  it('is none for a list the law gives none (a Robinson list), unless configured', () => {
    const robinson = { name: 'robinson', country: 'DE', asOf: '2020-01-01' };
    expect(staleness(robinson, new Date('2026-06-01T12:00:00Z')).stale).toBe(false);
    expect(staleness(robinson, new Date('2026-06-01T12:00:00Z'), { robinson: 90 }).stale).toBe(true);
  });
});

describe('the suppression form of an identifier', () => {
  // The same person written another way is the same entry (GDPR art. 17, 21(3)); a value stored before keeps its hash.
  const hashes = (kind: 'email' | 'postal' | 'external', written: string) =>
    suppressionHashes(kind, normalizeIdentifier(kind, written, 'FR'));
  it.each([
    ['email', 'éloïse@exämple.fr', 'e\u0301loi\u0308se@exa\u0308mple.fr'],
    ['email', 'marie@example.fr', 'ｍarie@ｅxample.fr'],
    ['email', 'jo@exämple.fr', 'jo@xn--exmple-cua.fr'],
    ['postal', '12 rue de la Paix, 75002 Paris', '12 rue de la Paix - 75002 PARIS'],
    ['postal', '12 rue de la Paix, 75002 Paris', '12, Rue de la Paix 75002 Paris.'],
    ['external', 'crm-é1', 'crm-e\u03011'],
  ] as const)('%s %s is %s', (kind, erased, written) => {
    const onList = suppressionHash(kind, normalizeIdentifier(kind, erased, 'FR'));
    expect(hashes(kind, written)).toContain(onList);
  });
  it('still finds an entry made before, under the value as stored', () => {
    const stored = normalizeIdentifier('postal', '12 rue de la Paix, 75002 Paris', 'FR');
    expect(hashes('postal', '12 rue de la Paix, 75002 Paris')).toContain(sha256(`postal:${stored}`));
    expect(suppressionHashes('email', 'ana@example.fr')).toEqual([sha256('email:ana@example.fr')]);
  });
  it('keeps apart what is not the same', () => {
    const a = suppressionHash('postal', normalizeIdentifier('postal', '12 rue de la Paix, 75002 Paris', 'FR'));
    expect(hashes('postal', '13 rue de la Paix, 75002 Paris')).not.toContain(a);
    const m = suppressionHash('email', 'marie@example.fr');
    expect(hashes('email', 'marie@example.com')).not.toContain(m);
  });
});
