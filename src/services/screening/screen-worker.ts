// A screening worker thread (screen-pool.ts): opens its own connection to the store, then screens the chunks it is
// sent, one after the other, with the same code as the in-thread path.
import { parentPort, workerData } from 'node:worker_threads';
import { buildRegistry } from '../../policy/packs/index.js';
import { openStore } from '../../store/open-store.js';
import { listsScreenOf } from '../lists/lookup.js';
import type { AudienceRow } from './rows.js';
import { chunkScreener } from './screen.js';
import type { ScreenWorkerInit, ScreenWorkerReply } from './screen-pool.js';

const init = workerData as ScreenWorkerInit;
const at = new Date(init.options.at);
const store = await openStore(init.store);
const lists = listsScreenOf(store, init.versions, at, init.listOptions);
const screen = chunkScreener({ ...init.options, at }, { store, packs: buildRegistry(), lists });

let done: Promise<void> = Promise.resolve();
parentPort?.on('message', (m: { id: number; rows: AudienceRow[] } | 'close') => {
  if (m === 'close') {
    // After the chunks under way: the store's connections are closed, not cut.
    done = done.then(async () => {
      await store.close();
      parentPort?.close();
    });
    return;
  }
  // One chunk at a time, in the order they came.
  done = done.then(async () => {
    let reply: ScreenWorkerReply;
    try {
      reply = { id: m.id, outcomes: await screen(m.rows) };
    } catch (error) {
      reply = { id: m.id, error: error instanceof Error ? error.message : String(error) };
    }
    parentPort?.postMessage(reply);
  });
});
