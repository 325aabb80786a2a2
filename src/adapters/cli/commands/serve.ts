import type { Command } from 'commander';
import { loadConfig } from '../../../config.js';
import { CliError } from '../errors.js';

/** `assent serve`: the HTTP API (docs/http.md) on the configured store, until SIGINT or SIGTERM. */
export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the HTTP API (default 127.0.0.1:8080; $PORT, $HOST); stops gracefully on SIGINT/SIGTERM')
    .option('-p, --port <port>', 'TCP port (default: $PORT, else 8080; 0 picks a free one)')
    .option('-H, --host <host>', 'address to listen on (default: $HOST, else 127.0.0.1; 0.0.0.0 for every interface)')
    .option(
      '-w, --workers <n>',
      'server processes sharing the port: a number, or auto for one per core (default: $ASSENT_WORKERS, else 1)',
    )
    .action(async (o: { port?: string; host?: string; workers?: string }, command: Command) => {
      const db = command.optsWithGlobals().db as string | undefined;
      let config: ReturnType<typeof loadConfig>;
      let workers: number;
      // Loaded on first need, like the store: the other commands never pay for Fastify's start-up.
      const { runPrimary, stopOnPrimaryMessage, workerConfig, workerCount, workerNumber } = await import(
        '../../http/cluster.js'
      );
      try {
        config = loadConfig({ db, port: o.port, host: o.host });
        workers = workerCount(o.workers ?? config.server.workers ?? undefined);
      } catch (error) {
        throw new CliError('USAGE', error instanceof Error ? error.message : String(error));
      }
      const { firstKeyHelp, noLiveKey, startServer } = await import('../../http/server.js');
      const n = workerNumber(config);
      if (n !== null) {
        // A worker of `--workers N`: the primary announces the address and stops it (src/adapters/http/cluster.ts).
        const lifecycle = stopOnPrimaryMessage();
        let running: Awaited<ReturnType<typeof startServer>>;
        try {
          running = await startServer({ config: workerConfig(config, n), background: n === 1, log: () => {} });
        } catch (error) {
          lifecycle.failed();
          throw error;
        }
        lifecycle.started(running.shutdown);
        return;
      }
      if (workers === 1) {
        await startServer({ config, handleSignals: true, dbFlag: db });
        return;
      }
      const { openStore } = await import('../../../store/open-store.js');
      const code = await runPrimary({
        count: workers,
        // Migrations run here, once, before any worker opens the store.
        prepare: async () => {
          const store = await openStore(config);
          try {
            if (await noLiveKey(store)) process.stderr.write(firstKeyHelp(db));
          } finally {
            await store.close();
          }
        },
      });
      process.exit(code);
    });
}
