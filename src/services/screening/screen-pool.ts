// Screening on worker threads (issue #6): each worker opens its own connection to the store and screens whole
// chunks with the same code as the in-thread path (screen.ts's chunkScreener); the reading thread parses the
// audience and writes the outcomes, in input order. better-sqlite3 is synchronous, so one thread can only look
// contacts up one at a time: the store lookups and the engine are what a screening spends its time on.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ListVersion } from '../../store/lists.js';
import { type StoreConfig, sqliteFileOf } from '../../store/open-store.js';
import type { ListsScreenOptions } from '../lists/lookup.js';
import type { ScreeningLists } from './lists.js';
import type { AudienceRow } from './rows.js';
import type { ChunkPool, ScreenOptions } from './screen.js';
import type { RowOutcome } from './summary.js';

/** What a worker is started with (structured-cloned): the store to open and the screening it serves. */
export interface ScreenWorkerInit {
  store: StoreConfig;
  options: Omit<ScreenOptions, 'at'> & { at: string };
  versions: readonly ListVersion[];
  listOptions: ListsScreenOptions;
}

/** A worker's answer to chunk `id`. */
export type ScreenWorkerReply = { id: number; outcomes: RowOutcome[] } | { id: number; error: string };

/** Audiences smaller than this (bytes) are screened on the reading thread: starting workers costs more. */
export const POOL_MIN_BYTES = 1 << 20;

/**
 * How many workers `--workers` asks for: a number, or `auto` (the machine's parallelism, at most 8, and none for
 * an audience under POOL_MIN_BYTES). 1 means no worker: everything on the reading thread.
 */
export function screenWorkerCount(given: string | undefined, audienceBytes: number): number {
  if (given === undefined || given === 'auto') return audienceBytes < POOL_MIN_BYTES ? 1 : autoWorkers();
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new RangeError(`--workers must be a whole number from 1 to 64, or auto; got ${given}`);
  }
  return n;
}

/** `auto`: one worker per CPU, at most 8. */
export function autoWorkers(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * The worker script: next to this module in the build; when running from the TypeScript sources (vitest), the
 * build's copy (`npm test` builds first). Null when there is none: the screening then runs on the reading thread.
 */
function workerScript(): URL | null {
  const here = import.meta.url;
  const url = here.endsWith('.ts')
    ? new URL('../../../dist/src/services/screening/screen-worker.js', here)
    : new URL('./screen-worker.js', here);
  return existsSync(fileURLToPath(url)) ? url : null;
}

/** A pool of screening workers, closed by `close()` (also after a failure). */
export interface ScreenPool extends ChunkPool {
  close(): Promise<void>;
}

/**
 * Starts `count` workers over the store `config` names, for one screening (its options and the list versions it
 * started with, so every worker answers from the same lists). Null when workers cannot be used: fewer than 2
 * asked for, an in-memory SQLite database (a worker cannot see it), or no worker script.
 */
export function openScreenPool(
  count: number,
  config: StoreConfig,
  options: ScreenOptions,
  lists: ScreeningLists,
): ScreenPool | null {
  const memory = sqliteFileOf(config) === ':memory:';
  const script = workerScript();
  if (count < 2 || memory || script === null) return null;
  const init: ScreenWorkerInit = {
    store: { ...config, hashInWorker: false },
    options: { ...options, at: options.at.toISOString() },
    versions: lists.versions,
    listOptions: lists.options,
  };
  const waiting = new Map<number, { resolve: (o: RowOutcome[]) => void; reject: (e: Error) => void }>();
  const load: number[] = [];
  const exits: Promise<void>[] = [];
  let failure: Error | null = null;
  let closing = false;
  let next = 0;
  const fail = (error: Error): void => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(failure);
    waiting.clear();
  };
  const workers: Worker[] = [];
  const start = (k: number): Worker => {
    const worker = new Worker(script, { workerData: init });
    exits.push(new Promise<void>((ok) => worker.once('exit', () => ok())));
    load.push(0);
    worker.on('message', (reply: ScreenWorkerReply) => {
      const w = waiting.get(reply.id);
      waiting.delete(reply.id);
      load[k] = (load[k] as number) - 1;
      if (w === undefined) return;
      if ('error' in reply) w.reject(new Error(`screening worker: ${reply.error}`));
      else w.resolve(reply.outcomes);
    });
    worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
    worker.on('exit', (code) => {
      if (!closing) fail(new Error(`a screening worker stopped (exit ${code})`));
    });
    return worker;
  };
  try {
    for (let k = 0; k < count; k++) workers.push(start(k));
  } catch (error) {
    // One could not start (out of threads or memory): the ones that did are stopped, not left running.
    closing = true;
    for (const w of workers) void w.terminate();
    throw error;
  }
  return {
    size: count,
    screen(rows: readonly AudienceRow[]): Promise<RowOutcome[]> {
      if (failure !== null) return Promise.reject(failure);
      // The least busy worker (chunks take about as long each; ties go round).
      let k = next++ % count;
      for (let j = 0; j < count; j++) if ((load[j] as number) < (load[k] as number)) k = j;
      const id = next;
      load[k] = (load[k] as number) + 1;
      return new Promise<RowOutcome[]>((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        (workers[k] as Worker).postMessage({ id, rows });
      });
    },
    async close(): Promise<void> {
      closing = true;
      // Each worker closes its store and exits; one that does not within 5 s is stopped.
      await Promise.all(
        workers.map((w, k) => {
          w.postMessage('close');
          const timer = setTimeout(() => void w.terminate(), 5_000);
          return (exits[k] as Promise<void>).finally(() => clearTimeout(timer));
        }),
      );
      fail(new Error('the screening pool is closed'));
    },
  };
}
