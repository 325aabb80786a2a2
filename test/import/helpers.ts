// Shared by the import tests: temporary folders, files, the built CLI, and reading rejects files back.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import pg from 'pg';
import type { ImportOptions } from '../../src/services/import/run-import.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, PG_URL } from '../store/dialects.js';

export const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'assent-import-'));
}

export function write(dir: string, name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** Run in the database's folder: an import's rejects file is written in the current folder. */
export function cli(db: string, args: string[], input = '') {
  return spawnSync(process.execPath, [bin, '--db', db, ...args], { input, encoding: 'utf8', cwd: dirname(db) });
}

export function rejectsOf(file: string): { line: string; reason: string; raw: string }[] {
  return parse(readFileSync(file, 'utf8'), { columns: true });
}

export function options(file: string, extra: Partial<ImportOptions> = {}): ImportOptions {
  return {
    file,
    format: file.endsWith('.csv') ? 'csv' : 'ndjson',
    map: new Map(),
    jurisdiction: null,
    batchSize: 1000,
    rejectsPath: `${file}.rejects.csv`,
    recordedBy: 'import:test',
    again: false,
    delimiter: ',',
    ...extra,
  };
}

export const ndjson = (rows: readonly object[]): string[] => rows.map((r) => JSON.stringify(r));

/**
 * The store dialects for the import suite. PostgreSQL gets a database of its own, not a schema: Kysely's migrator
 * looks for its tables in every schema of the database, so a schema-per-run store opened while another test file
 * holds one (vitest runs files in parallel) would skip creating them and fail.
 */
export const IMPORT_DIALECTS: {
  name: string;
  available: () => Promise<string | null>;
  open: () => Promise<{ store: Store; cleanup: () => Promise<void> }>;
}[] = DIALECTS.map((d) => ({
  name: d.name,
  available: d.available,
  open: d.name === 'sqlite' ? d.open : openPgDatabase,
}));

async function openPgDatabase(): Promise<{ store: Store; cleanup: () => Promise<void> }> {
  const name = `assent_import_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const drop = async () => {
    // The store's pool ends its connections asynchronously: forcing the drop while one is still closing made that
    // client report "terminating connection due to administrator command" as an uncaught error. Wait (up to ~2 s)
    // for the server to see them gone first.
    for (let i = 0; i < 100; i++) {
      const { rows } = await admin.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (rows[0]?.n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  };
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  try {
    const store = await openStore({ databaseUrl: url.toString(), sqliteFile: '' });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await drop();
      },
    };
  } catch (error) {
    await drop();
    throw error;
  }
}

/** The store whose transactions run with some of the transaction store's methods replaced (`replace(tx)`). */
export function replacingInTransactions(store: Store, replace: (tx: Store) => Partial<Store>): Store {
  return new Proxy(store, {
    get: (target, p, receiver) =>
      p === 'transaction'
        ? (fn: (tx: Store) => Promise<unknown>) =>
            target.transaction((tx) => {
              const replaced = replace(tx) as Record<string | symbol, unknown>;
              return fn(new Proxy(tx, { get: (t, q, r) => (q in replaced ? replaced[q] : Reflect.get(t, q, r)) }));
            })
        : Reflect.get(target, p, receiver),
  });
}
