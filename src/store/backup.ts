import { existsSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import { createPrivate } from './sqlite-driver.js';
import { StoreError } from './store.js';

/**
 * SQLite online backup (the SQLite backup API through better-sqlite3): a consistent copy taken page by page while
 * the database stays in use. Returns the number of pages copied.
 */
export async function backupSqlite(file: string, destination: string): Promise<number> {
  if (!existsSync(file)) throw new StoreError('NOT_FOUND', `no database at ${file}`);
  if (existsSync(destination))
    throw new StoreError('CONFLICT', `${destination} exists: a backup never overwrites a file`);
  createPrivate(destination); // a copy of personal data, this user's only, as the database is
  const db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    const { totalPages } = await db.backup(destination);
    return totalPages;
  } finally {
    db.close();
  }
}
