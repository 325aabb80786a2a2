import { resolve } from 'node:path';

/** Settings fixed at start-up: the one place that reads the environment. */
export interface Config {
  /** `postgres://…` (PostgreSQL) or `sqlite:/path` or null for the default SQLite file. */
  readonly databaseUrl: string | null;
  /** The embedded SQLite database, created on first use. */
  readonly sqliteFile: string;
  /** The HTTP server (`assent serve`). */
  readonly server: ServerConfig;
}

/** The HTTP server's settings (docs/http.md lists them with their variables). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Largest request body, in bytes, on every route but the batch decision routes. */
  readonly bodyLimit: number;
  /** Largest body of `POST /v1/evaluate` and `POST /v1/decisions` (batches of up to 10,000 requests). */
  readonly batchBodyLimit: number;
  /** Requests allowed per API key (per client IP before a key is known) and window. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /** Read the client IP from X-Forwarded-For (behind a reverse proxy only). */
  readonly trustProxy: boolean;
  readonly logLevel: string;
  /** How long a known key is trusted without asking the store again: the delay for a revocation to bite. */
  readonly keyCacheMs: number;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Built from flags first, then the environment (`DATABASE_URL`, `ASSENT_DATA_DIR`, `PORT`, `HOST`, `ASSENT_*`),
 * then defaults. Throws an Error naming the setting when a value cannot be used.
 */
export function loadConfig(
  flags: { db?: string; port?: string; host?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const db = flags.db ?? (env.DATABASE_URL || null); // an empty DATABASE_URL is no setting
  const dataDir = resolve(env.ASSENT_DATA_DIR ?? 'data');
  const isUrl = db !== null && /^(postgres(ql)?|sqlite):/.test(db);
  const server: ServerConfig = Object.freeze({
    host: flags.host ?? env.HOST ?? DEFAULT_HOST,
    port: integer(flags.port !== undefined ? '--port' : 'PORT', flags.port ?? env.PORT, DEFAULT_PORT, 0, 65_535),
    bodyLimit: integer('ASSENT_BODY_LIMIT', env.ASSENT_BODY_LIMIT, 1 << 20, 1024, 1 << 30),
    batchBodyLimit: integer('ASSENT_BATCH_BODY_LIMIT', env.ASSENT_BATCH_BODY_LIMIT, 16 << 20, 1024, 1 << 30),
    rateLimit: Object.freeze({
      max: integer('ASSENT_RATE_LIMIT', env.ASSENT_RATE_LIMIT, 6_000, 1, Number.MAX_SAFE_INTEGER),
      windowMs: 60_000,
    }),
    trustProxy: env.ASSENT_TRUST_PROXY === 'true' || env.ASSENT_TRUST_PROXY === '1',
    logLevel: env.LOG_LEVEL ?? 'info',
    keyCacheMs: integer('ASSENT_KEY_CACHE_MS', env.ASSENT_KEY_CACHE_MS, 5_000, 0, 3_600_000),
  });
  return Object.freeze({
    databaseUrl: isUrl ? db : null,
    sqliteFile: db !== null && !isUrl ? resolve(db) : resolve(dataDir, 'assent.db'),
    server,
  });
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return n;
}
