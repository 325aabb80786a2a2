import { type Kysely, Migrator, sql } from 'kysely';
import { KyselyStore } from './kysely-store.js';
import { LedgerHasher } from './ledger-hasher.js';
import { migrationsFor } from './migrations/index.js';
import { postgresKysely } from './postgres-driver.js';
import { sqliteKysely } from './sqlite-driver.js';
import type { Store } from './store.js';
import { type StoreConfig, sqliteFileOf } from './store-config.js';

export { type StoreConfig, sqliteFileOf };

/** Opens the configured store and brings its schema up to date (migrations run automatically, in order). */
export async function openStore(config: StoreConfig): Promise<Store> {
  const file = sqliteFileOf(config);
  if (file === null) {
    const { db, pool } = postgresKysely(config.databaseUrl as string);
    await migrate(db as Kysely<unknown>, 'postgres');
    void pool; // ended by db.destroy()
    return new KyselyStore('postgres', db, () => db.destroy());
  }
  const { db, raw } = sqliteKysely(file);
  await migrate(db as Kysely<unknown>, 'sqlite');
  const version = raw.prepare('pragma data_version').pluck(); // prepared once: pragma() would prepare per call
  const dataVersion = (): number => version.get() as number;
  const hasher = config.hashInWorker === false ? null : new LedgerHasher();
  return new KyselyStore('sqlite', db, () => db.destroy(), false, dataVersion, { count: 0 }, hasher);
}

async function migrate(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // On PostgreSQL, Kysely's Migrator looks for its own tables in every schema unless told which: a database whose
  // other schema was migrated already (another instance, a test run) would make it skip creating them here.
  const schema =
    dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const { error, results } = await new Migrator({
    db,
    provider: migrationsFor(dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
