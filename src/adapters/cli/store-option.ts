import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import type { StoreConfig } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

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

/** Runs `fn` with the store open, and closes it whatever happens. */
export async function withStore<T>(command: Command, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await storeOpener(command)();
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
