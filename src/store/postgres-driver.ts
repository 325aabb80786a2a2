import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

// bigint columns (seq, at_ms) hold values far below 2^53: read them as numbers, not strings.
pg.types.setTypeParser(20, (v) => Number(v));

/** PostgreSQL for production, from a connection URL (`DATABASE_URL`). */
export function postgresKysely(url: string): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), pool };
}
