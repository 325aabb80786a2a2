// Stores under test: SQLite always; PostgreSQL from TEST_DATABASE_URL (default: the local server of DEVELOPERS.md).
// Each PostgreSQL run gets a schema of its own, dropped afterwards. Locally an unreachable server is skipped with
// a message; in CI (CI=true) it fails, so a green CI always means both dialects ran.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { it } from 'vitest';
import { openStore, type StoreConfig } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

export const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface Dialect {
  name: 'sqlite' | 'postgres';
  available: () => Promise<string | null>;
  open: () => Promise<{
    store: Store;
    /** Where the store is, for code that opens connections of its own (screening workers). */
    config: StoreConfig;
    raw: (sql: string) => Promise<unknown[]>;
    cleanup: () => Promise<void>;
  }>;
}

let pgReachable: Promise<string | null> | undefined;
function pgAvailable(): Promise<string | null> {
  pgReachable ??= (async () => {
    const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.end();
      return null;
    } catch (error) {
      return `PostgreSQL at ${PG_URL} is unreachable (${(error as Error).message})`;
    }
  })();
  return pgReachable;
}

export const DIALECTS: Dialect[] = [
  {
    name: 'sqlite',
    available: async () => null,
    open: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'assent-store-'));
      const file = join(dir, 'assent.db');
      const config = { databaseUrl: null, sqliteFile: file };
      const store = await openStore(config);
      return {
        store,
        config,
        raw: async (sql) => {
          const db = new Sqlite(file);
          try {
            const stmt = db.prepare(sql);
            if (stmt.reader) return stmt.all();
            stmt.run();
            return [];
          } finally {
            db.close();
          }
        },
        cleanup: async () => {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    available: pgAvailable,
    open: async () => {
      const schema = `assent_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      const url = new URL(PG_URL);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const config = { databaseUrl: url.toString(), sqliteFile: '' };
      const store = await openStore(config);
      return {
        store,
        config,
        raw: async (sql) =>
          ((await admin.query(`set search_path to ${schema}; ${sql}`)) as unknown as pg.QueryResult[]).at(-1)?.rows ??
          [],
        cleanup: async () => {
          await store.close();
          await admin.query(`drop schema ${schema} cascade`);
          await admin.end();
        },
      };
    },
  },
];

/**
 * Whether a suite can run on this dialect. When it cannot, registers why: a skipped test with a warning locally, a
 * failing one in CI (CI must run every suite on PostgreSQL too). Call it first in the dialect's `describe`.
 */
export async function dialectReady(
  dialect: { name: string; available: () => Promise<string | null> },
  suite: string,
): Promise<boolean> {
  const unavailable = await dialect.available();
  if (unavailable === null) return true;
  if (process.env.CI) {
    it('has its database', () => {
      throw new Error(`${unavailable}: CI must run the ${suite} suite on ${dialect.name} too`);
    });
  } else {
    console.warn(`SKIPPED ${suite} on ${dialect.name}: ${unavailable} (set TEST_DATABASE_URL)`);
    it.skip(`${dialect.name}: ${unavailable}`, () => {});
  }
  return false;
}
