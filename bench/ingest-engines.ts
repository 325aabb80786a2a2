// The two engines of bench/ingest: a template database holding the contacts, fresh copies of it for each timed
// run (opened through openStore, as the product opens them), and the raw-driver floor on a copy of its own.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { LEDGER_COLUMNS as COLUMNS } from '../src/store/ledger-insert.js';
import { openStore } from '../src/store/open-store.js';
import type { Store } from '../src/store/store.js';
import { createContacts } from './ingest-workload.js';

export { COLUMNS };

export type Row = unknown[];

export interface Opened {
  store: Store;
  /** Every row the store wrote, in ledger order, as arrays in COLUMNS order. */
  rows(): Promise<Row[]>;
  /** Closes the store and removes its database. */
  drop(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'postgres';
  contacts: readonly { id: string; email: string }[];
  /** A fresh database holding the template's contacts, opened with openStore (its defaults, unless told). */
  fresh(options?: { hashInWorker?: boolean }): Promise<Opened>;
  /** Inserts `batches` of rows into a fresh database with the bare driver, one transaction per batch; in ms. */
  floor(batches: readonly Row[][]): Promise<number>;
  /** An empty database for a child process: a SQLite file or a postgres:// URL, and how to remove it. */
  empty(): Promise<{ target: string; drop: () => Promise<void> }>;
  dispose(): Promise<void>;
}

const list = COLUMNS.join(', ');

export async function sqliteEngine(contactCount: number): Promise<Engine> {
  const dir = mkdtempSync(join(tmpdir(), 'assent-ingest-'));
  const template = join(dir, 'template.db');
  const seed = await openStore({ databaseUrl: null, sqliteFile: template });
  const contacts = await createContacts(seed, contactCount);
  await seed.close(); // the last connection checkpoints the WAL into the file, so a copy is whole
  let n = 0;
  const copy = (): string => {
    const file = join(dir, `run-${++n}.db`);
    copyFileSync(template, file);
    return file;
  };
  const remove = (file: string): void => {
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  };
  return {
    name: 'sqlite',
    contacts,
    async fresh(options = {}) {
      const file = copy();
      const store = await openStore({ databaseUrl: null, sqliteFile: file, ...options });
      return {
        store,
        async rows() {
          const db = new Sqlite(file, { readonly: true });
          try {
            return db.prepare(`select ${list} from ledger_events order by seq`).raw().all() as Row[];
          } finally {
            db.close();
          }
        },
        async drop() {
          await store.close();
          remove(file);
        },
      };
    },
    async floor(batches) {
      const file = copy();
      const db = new Sqlite(file); // the pragmas of sqlite-driver.ts
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      const insert = db.prepare(`insert into ledger_events (${list}) values (${COLUMNS.map(() => '?').join(', ')})`);
      const write = db.transaction((rows: Row[]) => {
        for (const r of rows) insert.run(r);
      });
      const t0 = performance.now();
      for (const b of batches) write(b);
      const ms = performance.now() - t0;
      db.close();
      remove(file);
      return ms;
    },
    async empty() {
      const file = join(dir, `child-${++n}.db`);
      return { target: file, drop: async () => remove(file) };
    },
    async dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL in schemas of this run's own (`assent_bench_<pid>_…`), all dropped by dispose(). */
export async function postgresEngine(url: string, contactCount: number): Promise<Engine> {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await admin.connect(); // throws when unreachable: the caller prints SKIPPED
  const base = `assent_bench_${process.pid}`;
  const schemas = new Set<string>();
  let n = 0;
  const urlFor = (schema: string): string => {
    const u = new URL(url);
    u.searchParams.set('options', `-c search_path=${schema}`);
    return u.toString();
  };
  const create = async (schema: string): Promise<void> => {
    await admin.query(`create schema ${schema}`);
    schemas.add(schema);
  };
  const drop = async (schema: string): Promise<void> => {
    await admin.query(`drop schema if exists ${schema} cascade`);
    schemas.delete(schema);
  };
  const template = `${base}_template`;
  await create(template);
  const seed = await openStore({ databaseUrl: urlFor(template), sqliteFile: '' });
  const contacts = await createContacts(seed, contactCount, 8);
  await seed.close();
  /** A migrated schema with the template's contacts. */
  const copy = async (): Promise<{ schema: string; store: Store }> => {
    const schema = `${base}_run${++n}`;
    await create(schema);
    const store = await openStore({ databaseUrl: urlFor(schema), sqliteFile: '' });
    await admin.query(`insert into ${schema}.contacts select * from ${template}.contacts`);
    await admin.query(`insert into ${schema}.identifiers select * from ${template}.identifiers`);
    await admin.query(`analyze ${schema}.contacts; analyze ${schema}.identifiers`);
    return { schema, store };
  };
  return {
    name: 'postgres',
    contacts,
    async fresh() {
      const { schema, store } = await copy();
      return {
        store,
        async rows() {
          const r = await admin.query({
            text: `select ${list} from ${schema}.ledger_events order by seq`,
            rowMode: 'array',
          });
          return r.rows as Row[];
        },
        async drop() {
          await store.close();
          await drop(schema);
        },
      };
    },
    async floor(batches) {
      const { schema, store } = await copy();
      await store.close();
      const client = new pg.Client({ connectionString: urlFor(schema) });
      await client.connect();
      // Statement texts and flat parameter lists are built before the clock starts: the floor is the driver alone.
      const texts = new Map<number, string>();
      const text = (rows: number): string => {
        let t = texts.get(rows);
        if (t === undefined) {
          const tuples = [];
          for (let r = 0; r < rows; r++) {
            tuples.push(`(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`);
          }
          t = `insert into ledger_events (${list}) values ${tuples.join(', ')}`;
          texts.set(rows, t);
        }
        return t;
      };
      const queries = batches.map((b) => ({ text: text(b.length), values: b.flat() }));
      const t0 = performance.now();
      for (const q of queries) {
        await client.query('begin');
        await client.query(q);
        await client.query('commit');
      }
      const ms = performance.now() - t0;
      await client.end();
      await drop(schema);
      return ms;
    },
    async empty() {
      const schema = `${base}_child${++n}`;
      await create(schema);
      return { target: urlFor(schema), drop: () => drop(schema) };
    },
    async dispose() {
      for (const s of [...schemas]) await drop(s);
      await admin.end();
    },
  };
}
