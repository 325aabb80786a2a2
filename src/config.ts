import { resolve } from 'node:path';

/** Settings fixed at start-up: the one place that reads the environment. */
export interface Config {
  /** `postgres://…` (PostgreSQL) or `sqlite:/path` or null for the default SQLite file. */
  readonly databaseUrl: string | null;
  /** The embedded SQLite database, created on first use. */
  readonly sqliteFile: string;
}

/** Built from flags first, then the environment (`DATABASE_URL`, `ASSENT_DATA_DIR`), then defaults. */
export function loadConfig(flags: { db?: string } = {}, env: NodeJS.ProcessEnv = process.env): Config {
  const db = flags.db ?? env.DATABASE_URL ?? null;
  const dataDir = resolve(env.ASSENT_DATA_DIR ?? 'data');
  const isUrl = db !== null && /^(postgres(ql)?|sqlite):/.test(db);
  return Object.freeze({
    databaseUrl: isUrl ? db : null,
    sqliteFile: db !== null && !isUrl ? resolve(db) : resolve(dataDir, 'assent.db'),
  });
}
