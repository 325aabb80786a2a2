import type { Command } from 'commander';
import { loadConfig } from '../../config.js';
import { openStore } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';

/** The store named by the global `--db` option, `DATABASE_URL`, or the default `./data/assent.db`. */
export function storeOpener(command: Command): () => Promise<Store> {
  return () => openStore(loadConfig({ db: command.optsWithGlobals().db as string | undefined }));
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
