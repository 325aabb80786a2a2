// Starts the HTTP API: opens the store, listens, and shuts down gracefully on SIGINT/SIGTERM.
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { buildRegistry } from '../../policy/packs/index.js';
import { profileWarnings, readRegisterProfile } from '../../services/register.js';
import { startRetentionPurge } from '../../services/retention.js';
import { startWebhookDispatcher } from '../../services/webhooks/dispatcher.js';
import type { Store } from '../../store/store.js';
import { buildApp } from './app.js';

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port` actually bound (port 0 picks a free one). */
  url: string;
  /** Stops accepting connections, lets requests in flight finish, stops the dispatcher, closes the store. */
  shutdown(): Promise<void>;
}

/** After this, shutdown gives up on requests still running and the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

/** How to make the first key, printed when the store has none (no key is ever made by default). */
export function firstKeyHelp(dbFlag: string | undefined): string {
  const db = dbFlag === undefined ? '' : ` --db ${JSON.stringify(dbFlag)}`;
  return (
    'assent: no API key exists yet, so every /v1 route answers 401. Create the first one (shown once) with:\n' +
    `  ./bin/assent${db} keys create --name admin --scope admin\n` +
    'and send it as "Authorization: Bearer <key>". Keys for integrations: --scope decide, read or write (docs/http.md).\n'
  );
}

/** Whether the store holds no usable key yet: then the first start says how to make one (firstKeyHelp). */
export async function noLiveKey(store: Store): Promise<boolean> {
  return (await store.listApiKeys()).every((k) => k.revokedAt !== null);
}

export async function startServer(opts: {
  config: Config;
  /** An open store to serve (tests); by default the configured one is opened, and closed on shutdown. */
  store?: Store;
  logger?: boolean | object;
  /** Shut down on SIGINT and SIGTERM (the `assent serve` command). */
  handleSignals?: boolean;
  /** Run the webhook dispatcher and the retention purge (default true; false in all cluster workers but the first). */
  background?: boolean;
  /** Printed when there is no key yet (the --db flag the server was started with, to repeat it). */
  dbFlag?: string;
  log?: (line: string) => void;
}): Promise<RunningServer> {
  const { config } = opts;
  const log = opts.log ?? ((line: string) => process.stderr.write(line));
  const store = opts.store ?? (await (await import('../../store/open-store.js')).openStore(config));
  const packs = buildRegistry();
  let app: FastifyInstance;
  try {
    app = await buildApp({
      store,
      packs,
      config: config.server,
      logger: opts.logger ?? true,
      // Worker threads open the store again: only when it is the configured one, not one handed in.
      ...(opts.store ? {} : { storeConfig: config }),
    });
    await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await store.close();
    throw error;
  }
  const dispatcher = opts.background === false ? null : startWebhookDispatcher({ store });
  const purge =
    opts.background === false || config.server.retentionPurgeMs <= 0
      ? null
      : startRetentionPurge({
          store,
          packs,
          everyMs: config.server.retentionPurgeMs,
          report: (r) => {
            if (r instanceof Error) app.log.error({ err: r }, 'retention purge failed');
            else if (r.expired.length > 0) {
              app.log.info(
                { erased: r.erased, held: r.held, examined: r.examined },
                r.held > 0
                  ? 'retention purge: contacts past retention erased, some kept until their open request is answered'
                  : 'retention purge: contacts past retention erased',
              );
            }
          },
        });
  const address = app.server.address();
  const url =
    typeof address === 'object' && address !== null
      ? `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`
      : String(address);
  log(`assent: serving ${url} (reference: ${url}/docs)\n`);
  // Read at each call of GET /v1/register; a file that cannot be used is said now, not at the first audit.
  if (config.server.registerProfile !== null) {
    try {
      const profile = await readRegisterProfile(config.server.registerProfile);
      for (const w of profileWarnings(profile)) log(`assent: warning: ASSENT_REGISTER_PROFILE ${w}\n`);
    } catch (error) {
      log(`assent: warning: ASSENT_REGISTER_PROFILE ${(error as Error).message}\n`);
    }
  }
  if (await noLiveKey(store)) log(firstKeyHelp(opts.dbFlag));

  // Connections, and those answering: a request read, its answer not yet handed to the operating system ('finish').
  // Node's server.close() (and Fastify's) destroys the "idle" connections, which to it include one whose answer has
  // been ended but is still being written to a slow client, cut off then; and app.close() resolves once each request
  // has its reply, not once the reply has left. So idle here means nothing left to write, and the store and the
  // process wait until every answer is out (Connection: close, app.ts, then ends each connection after its answer).
  const sockets = new Set<Socket>();
  const answering = new Set<Socket>();
  let drained: (() => void) | null = null;
  const answered = (socket: Socket) => {
    if (answering.delete(socket) && answering.size === 0) drained?.();
  };
  app.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => {
      sockets.delete(socket);
      answered(socket); // the client went away
    });
  });
  app.server.on('request', (req, res) => {
    answering.add(req.socket);
    res.once('finish', () => answered(req.socket));
  });
  app.server.closeIdleConnections = () => {
    for (const socket of sockets) if (!answering.has(socket)) socket.destroy();
  };
  const allWritten = (): Promise<void> =>
    answering.size === 0
      ? Promise.resolve()
      : new Promise((resolve) => {
          drained = resolve;
        });

  let closed: Promise<void> | undefined;
  const shutdown = (): Promise<void> => {
    closed ??= (async () => {
      // app.close() stops accepting, answers 503 to new requests on open connections, and resolves once the
      // requests in flight are answered; only once those answers are written may the store go and the process end.
      await app.close();
      await allWritten();
      await dispatcher?.stop();
      await purge?.stop();
      await store.close();
    })();
    return closed;
  };

  if (opts.handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      if (closed !== undefined) {
        log(`assent: ${signal} again: exiting now\n`);
        process.exit(1);
      }
      log(`assent: ${signal}: finishing requests in flight, then stopping\n`);
      const timer = setTimeout(() => {
        log(`assent: requests still running after ${SHUTDOWN_GRACE_MS / 1000} s: exiting\n`);
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      timer.unref();
      shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          log(`assent: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return { app, url, shutdown };
}
