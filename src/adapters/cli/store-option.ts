import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import type { Store } from '../../store/store.js';
import { type StoreConfig, sqliteFileOf } from '../../store/store-config.js';
import { CliError } from './errors.js';

/** The store named by the global `--db` option, `DATABASE_URL`, or the default `./data/assent.db`. */
export function storeOpener(command: Command): () => Promise<Store> {
  const config = storeConfig(command);
  // Loaded on first need: the database drivers cost ~150 ms of start-up that pure decisions never pay.
  return async () => (await import('../../store/open-store.js')).openStore(config);
}

/** Where the store is: `--db`, `DATABASE_URL` or the default (for code that opens its own connections). */
export function storeConfig(command: Command): StoreConfig {
  return loadConfig({ db: command.optsWithGlobals().db as string | undefined });
}

/**
 * The SQLite file the command names, refused when it is not there (null: PostgreSQL, or in memory): for commands
 * that only read, and must not create an empty database and report on it.
 */
export function existingStore(command: Command): string | null {
  const file = sqliteFileOf(storeConfig(command));
  if (file === null || file === ':memory:') return null;
  if (!existsSync(file)) {
    throw new CliError(
      'NO_INPUT',
      `no database at ${file}: name it with --db or DATABASE_URL (the default is ./data/assent.db under the current folder, or under ASSENT_DATA_DIR)`,
    );
  }
  return file;
}

/**
 * Runs `fn` with the store open, and closes it whatever happens. `existing`: a command that only reads (ledger
 * verify, export, history) refuses a SQLite file that is not there, instead of creating an empty database and
 * reporting on it ("ledger intact: 0 events" for a mistyped --db).
 */
export async function withStore<T>(
  command: Command,
  fn: (store: Store) => Promise<T>,
  options: { existing?: boolean } = {},
): Promise<T> {
  if (options.existing) existingStore(command);
  const store = await storeOpener(command)();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
