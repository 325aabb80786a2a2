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
    .action(async (o: { port?: string; host?: string }, command: Command) => {
      const db = command.optsWithGlobals().db as string | undefined;
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig({ db, port: o.port, host: o.host });
      } catch (error) {
        throw new CliError('USAGE', error instanceof Error ? error.message : String(error));
      }
      // Loaded on first need, like the store: the other commands never pay for Fastify's start-up.
      const { startServer } = await import('../../http/server.js');
      await startServer({ config, handleSignals: true, dbFlag: db });
    });
}
