import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  Kysely,
  SqliteDialect,
  type SqliteDialectConfig,
  SqliteDriver,
} from 'kysely';
import type { Database } from './schema.js';

/** The embedded default: one SQLite file in WAL mode, created (with its folder) on first use. */
export function sqliteKysely(file: string): { db: Kysely<Database>; raw: SqliteDatabase.Database } {
  if (file !== ':memory:') createPrivate(file);
  const raw = new SqliteDatabase(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL'); // durable with WAL: a crash loses no committed transaction's consistency
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  return {
    db: new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachingStatements(raw) }) }),
    raw,
  };
}

/**
 * A new database file, and any folder made for it, readable by this user only (0600, 0700): it holds personal data
 * and the recipient links' signing secrets (GDPR art. 32). SQLite gives its -wal and -shm files the file's mode. An
 * existing file is left as it is.
 */
export function createPrivate(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(file, 'wx', 0o600));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Transactions begin IMMEDIATE: they take the write lock before their first read. A deferred one that read, then
 * wrote after another process committed (the server beside an import), failed with SQLITE_BUSY_SNAPSHOT, which no
 * busy timeout retries; an immediate one waits for the lock (busy_timeout) and then reads the latest data.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly settings: SqliteDialectConfig) {
    super(settings);
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.settings);
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

/**
 * Kysely prepares every query afresh; SQLite then parses and plans it again, which cost more than running it for
 * the store's small lookups. Statements are kept by SQL text (least recently used out first); one that is still
 * being iterated is not shared: a fresh one is prepared for the second use.
 */
function cachingStatements(raw: SqliteDatabase.Database, size = 256): SqliteDatabase.Database {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const prepare = (sql: string): SqliteDatabase.Statement => {
    const hit = cache.get(sql);
    if (hit !== undefined && !hit.busy) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = raw.prepare(sql);
    if (cache.size >= size) cache.delete(cache.keys().next().value as string);
    cache.set(sql, statement);
    return statement;
  };
  return new Proxy(raw, {
    get(target, key) {
      if (key === 'prepare') return prepare;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
