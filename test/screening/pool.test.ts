// Screening on worker threads (src/services/screening/screen-pool.ts): the same files, byte for byte, as on one
// thread, whatever the chunking; a worker that cannot open the store fails the screening with its reason. The
// workers run the build's script (`npm test` builds first).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importList } from '../../src/services/lists/import-list.js';
import { openListsScreen } from '../../src/services/lists/lookup.js';
import { NO_LISTS } from '../../src/services/screening/lists.js';
import { type ScreenOptions, screenAudience } from '../../src/services/screening/screen.js';
import { screenFile } from '../../src/services/screening/screen-file.js';
import {
  openScreenPool,
  POOL_MIN_BYTES,
  type ScreenPool,
  screenWorkerCount,
} from '../../src/services/screening/screen-pool.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { AT, packs, seedMixed, tempStore, write } from './helpers.js';

let store: Store;
let dir: string;
let db: string;
beforeAll(async () => {
  ({ store, dir, db } = await tempStore());
  await seedMixed(store);
  write(dir, 'bloctel.txt', ['+33612345679']);
  await importList(store, { file: join(dir, 'bloctel.txt'), name: 'bloctel', asOf: '2026-02-20', country: 'FR' });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = [
  'ana@example.fr,,,', // consented
  'bob@example.fr,,,', // refused at collection
  'nobody@example.fr,,,', // unknown
  ',,crm-carla,phone', // on Bloctel
  ',06 12 34 56 70,,phone', // opt-out regime
  'erin@example.fr,,,', // consented (not suppressed here)
  'contact@acme.fr,,,', // generic B2B
  'not-an-email,,,', // invalid
  ',12,,sms', // invalid phone
];
/** 40 copies of the mixed rows: 360 lines, so a chunk of 7 rows spreads them over many chunks and workers. */
const AUDIENCE = ['email,phone,external_id,channel', ...Array.from({ length: 40 }, () => ROWS).flat()];

const options = (file: string, outDir: string) => ({
  file,
  outDir,
  channel: 'email' as const,
  purpose: 'offers',
  at: AT,
  jurisdiction: 'FR',
  dryRun: false,
  chunkSize: 7,
});

describe('screening on worker threads', () => {
  it('writes the same files as one thread, rows in input order', async () => {
    const file = write(dir, 'audience.csv', AUDIENCE);
    const lists = await openListsScreen(store, AT);
    const one = await screenFile(options(file, join(dir, 'one')), { store, packs, lists });
    const o = options(file, join(dir, 'three'));
    const pool = openScreenPool(3, { databaseUrl: null, sqliteFile: db }, o, lists);
    expect(pool).not.toBeNull();
    let three: Awaited<ReturnType<typeof screenFile>>;
    try {
      three = await screenFile(o, { store, packs, lists, ...(pool ? { pool } : {}) });
    } finally {
      await pool?.close();
    }
    for (const name of ['allowed.csv', 'excluded.csv']) {
      expect(readFileSync(join(dir, 'three', name), 'utf8')).toBe(readFileSync(join(dir, 'one', name), 'utf8'));
    }
    const counts = ({ rows, allowed, excluded, byReason, byBasis, byChannel, byList }: typeof one) => ({
      rows,
      allowed,
      excluded,
      byReason,
      byBasis,
      byChannel,
      byList,
    });
    expect(counts(three)).toEqual(counts(one));
    expect(one).toMatchObject({ rows: 360, allowed: 160 });
    expect(one.byReason).toMatchObject({ INVALID_ROW: 80, REFUSED_AT_COLLECTION: 40, OPPOSITION_LIST: 40 });
  });

  it('fails the screening with the reason a worker could not open the store, and closes', async () => {
    const o: ScreenOptions = { channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false };
    const pool = openScreenPool(2, { databaseUrl: 'postgres://nobody@127.0.0.1:1/none', sqliteFile: '' }, o, NO_LISTS);
    expect(pool).not.toBeNull();
    async function* rows() {
      yield { row: { line: 2, email: 'ana@example.fr' }, source: null };
    }
    try {
      await expect(
        screenAudience(rows(), o, { store, packs, lists: NO_LISTS, ...(pool ? { pool } : {}) }, { row: () => {} }),
      ).rejects.toThrow(/ECONNREFUSED|connect/);
    } finally {
      await pool?.close();
    }
  });

  it('uses no worker for one, for an in-memory database, or for a small audience under auto', () => {
    const o: ScreenOptions = { channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false };
    expect(openScreenPool(1, { databaseUrl: null, sqliteFile: db }, o, NO_LISTS)).toBeNull();
    expect(openScreenPool(2, { databaseUrl: null, sqliteFile: ':memory:' }, o, NO_LISTS)).toBeNull();
    expect(openScreenPool(2, { databaseUrl: 'sqlite::memory:', sqliteFile: 'x' }, o, NO_LISTS)).toBeNull();
    expect(screenWorkerCount('auto', POOL_MIN_BYTES - 1)).toBe(1);
    expect(screenWorkerCount(undefined, POOL_MIN_BYTES)).toBeGreaterThanOrEqual(1);
    expect(screenWorkerCount('3', 0)).toBe(3);
    expect(() => screenWorkerCount('0', 0)).toThrow(/--workers must be a whole number from 1 to 64, or auto; got 0/);
    expect(() => screenWorkerCount('two', 0)).toThrow(/got two/);
  });
});

// The pool over each dialect's store (PostgreSQL: each worker opens its own connection pool).
for (const dialect of DIALECTS) {
  describe(`screening on worker threads, ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'screening pool'))) return;
    it('gives every row the outcome one thread gives, in order', async () => {
      const opened = await dialect.open();
      try {
        await seedMixed(opened.store);
        const o: ScreenOptions = { channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false };
        const lines = ROWS.map((r) => r.split(','));
        async function* rows() {
          for (let i = 0; i < 90; i++) {
            const [email, phone, externalId, channel] = lines[i % lines.length] as string[];
            yield { row: { line: i + 2, email, phone, externalId, channel }, source: null };
          }
        }
        const collect = async (pool?: ScreenPool) => {
          const out: string[] = [];
          const deps = { store: opened.store, packs, lists: NO_LISTS, ...(pool ? { pool } : {}) };
          await screenAudience(rows(), { ...o, chunkSize: 4 }, deps, {
            row: (_s, row, outcome) => {
              out.push(`${row.line} ${outcome.status} ${outcome.status === 'allowed' ? outcome.basis : outcome.code}`);
            },
          });
          return out;
        };
        const one = await collect();
        const pool = openScreenPool(2, opened.config, { ...o, chunkSize: 4 }, NO_LISTS);
        expect(pool).not.toBeNull();
        try {
          expect(await collect(pool ?? undefined)).toEqual(one);
        } finally {
          await pool?.close();
        }
        expect(one.filter((x) => x.includes('allowed'))).toHaveLength(30);
      } finally {
        await opened.cleanup();
      }
    });
  });
}
