// `assent serve --workers N`: N server processes sharing the port (node:cluster), so the API uses every core.
//
// The primary opens the store once (migrations run there, before any worker starts), forks the workers, forwards
// SIGINT/SIGTERM to them and exits when they have finished their requests in flight. Each worker is the ordinary
// server (src/adapters/http/server.ts). What must happen once per deployment rather than once per process (the
// webhook dispatcher, the double opt-in sweep, the retention purge) runs in worker 1 only. Correctness across
// processes rests on the store: a decision in one worker sees a write made through another at once (SQLite's
// data_version, PostgreSQL uncached), and webhook deliveries are claimed under a lease.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '../../config.js';
import { servePrimaryMetrics } from './metrics.js';

/** Restarts of crashed workers allowed per minute before the primary gives up and stops the rest. */
const MAX_RESTARTS_PER_MINUTE = 5;
/** After a stop signal, how long the primary waits for its workers before killing them. */
const STOP_GRACE_MS = 15_000;

/** `--workers` as a count: a whole number from 1 to 64, or `auto` (one per available core). */
export function workerCount(given: string | undefined): number {
  if (given === undefined) return 1;
  if (given === 'auto') return availableParallelism();
  const n = Number(given);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new Error(`--workers must be a whole number from 1 to 64, or auto; got ${given}`);
  }
  return n;
}

/** This process's worker number (1 for the first), or null when it is not a cluster worker. */
export function workerNumber(config: Config): number | null {
  return cluster.isWorker ? config.server.worker : null;
}

/**
 * Called in a worker before its server starts: the worker stops on the primary's `shutdown` message (even one that
 * arrives while it is still starting) and ignores SIGINT and SIGTERM, which the primary, in the same process group,
 * receives and turns into that message. `started` hands over the running server's shutdown; `failed` says it never
 * started.
 */
export function stopOnPrimaryMessage(): {
  started: (shutdown: () => Promise<void>) => void;
  failed: () => void;
} {
  let requested = false;
  let stop: (() => Promise<void>) | null = null;
  const run = (shutdown: () => Promise<void>) =>
    shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  const onMessage = (message: unknown): void => {
    if (message !== 'shutdown' || requested) return;
    requested = true;
    if (stop !== null) run(stop);
  };
  process.on('message', onMessage);
  return {
    started(shutdown) {
      stop = shutdown;
      if (requested) run(shutdown);
    },
    // The server could not start (a port taken): the channel to the primary would keep this process alive; let it
    // go, so the process exits with the error's code (not by disconnecting, which a cluster worker takes as exit 0).
    failed() {
      process.off('message', onMessage);
      process.channel?.unref();
    },
  };
}

/** A worker's config: only worker 1 sweeps double opt-in requests. */
export function workerConfig(config: Config, n: number): Config {
  if (n === 1) return config;
  return { ...config, server: { ...config.server, forms: { ...config.server.forms, sweepMs: 0 } } };
}

/**
 * The primary: `prepare` opens the store (migrations) and says what the first start should say; then `count`
 * workers are forked with the same command line. Resolves with the exit code once every worker has stopped.
 */
export async function runPrimary(opts: {
  count: number;
  prepare: () => Promise<void>;
  log?: (line: string) => void;
}): Promise<number> {
  const log = opts.log ?? ((line: string) => process.stderr.write(line));
  await opts.prepare();
  servePrimaryMetrics();
  let stopping = false;
  let announced = false;
  const restarts: number[] = [];
  const numbers = new Map<Worker, number>();
  const listening = new Set<Worker>();
  const fork = (n: number): void => {
    const worker = cluster.fork({ ASSENT_WORKER: String(n) });
    numbers.set(worker, n);
  };
  return new Promise<number>((resolve) => {
    let code = 0;
    cluster.on('listening', (worker, address) => {
      listening.add(worker);
      // A worker still starting when the stop came could not hear it yet (a message with no listener is lost).
      if (stopping && worker.isConnected()) worker.send('shutdown');
      if (announced) return;
      announced = true;
      const host = address.address === null || address.address === undefined ? '127.0.0.1' : address.address;
      const shown = host.includes(':') ? `[${host}]` : host;
      log(`assent: serving http://${shown}:${address.port} with ${opts.count} workers (reference: /docs)\n`);
    });
    cluster.on('exit', (worker, exitCode, signal) => {
      const n = numbers.get(worker) ?? 0;
      const served = listening.has(worker);
      numbers.delete(worker);
      listening.delete(worker);
      if (!stopping && !served && !announced) {
        // At start-up, before any worker listened (a port taken, a store it cannot open): every one would fail the
        // same way. A replacement that fails later is a crash like any other, retried within the restart budget.
        log(`assent: worker ${n} could not start (${signal ?? `exit ${exitCode}`}): stopping\n`);
        code = exitCode > 0 ? exitCode : 1;
        stop(null);
      } else if (!stopping) {
        const now = Date.now();
        restarts.push(now);
        while ((restarts[0] ?? now) < now - 60_000) restarts.shift();
        if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
          log(`assent: worker ${n} stopped (${signal ?? `exit ${exitCode}`}); too many restarts: stopping\n`);
          code = 1;
          stop('SIGTERM');
        } else {
          log(`assent: worker ${n} stopped (${signal ?? `exit ${exitCode}`}); starting another\n`);
          fork(n);
          return;
        }
      } else if (exitCode !== 0) {
        log(`assent: worker ${n} ${served ? 'stopped' : 'could not start'} (${signal ?? `exit ${exitCode}`})\n`);
        if (code === 0) code = 1;
      }
      if (numbers.size === 0) resolve(code);
    });
    /** A stop signal (null: a worker failed to start, already said), or a second one: kill them now. */
    const stop = (signal: NodeJS.Signals | null): void => {
      if (stopping) {
        if (signal === null) return;
        log(`assent: ${signal} again: stopping the workers now\n`);
        for (const w of numbers.keys()) w.process.kill('SIGKILL');
        return;
      }
      stopping = true;
      if (signal !== null) log(`assent: ${signal}: the workers finish their requests in flight, then stop\n`);
      // By message, not by signal: a Ctrl-C reaches the whole process group, and a worker stopping on its own
      // signal would then take the primary's as a second one and quit without finishing its requests.
      for (const w of listening) if (w.isConnected()) w.send('shutdown');
      setTimeout(() => {
        for (const w of numbers.keys()) w.process.kill('SIGKILL');
      }, STOP_GRACE_MS).unref();
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    for (let n = 1; n <= opts.count; n++) fork(n);
  });
}
