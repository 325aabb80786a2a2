import type { Kysely, Migration } from 'kysely';

/**
 * spent_nonces: the nonces of the recipient pages' forms already acted on (docs/unsubscribe.md). The page token is a
 * stateless HMAC: it proves the page was ours, not that it was not posted before, so a second POST of one page with
 * other choices was recorded too. A row here spends the nonce for every process sharing the database, across
 * restarts; `expires_ms` (when the token could no longer be posted anyway) lets spent rows go.
 */
export function spentNonces(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('spent_nonces')
        .addColumn('nonce', 'text', (c) => c.primaryKey())
        .addColumn('spent_at', 'text', (c) => c.notNull())
        .addColumn('expires_ms', dialect === 'postgres' ? 'bigint' : 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('spent_nonces_expiry').on('spent_nonces').columns(['expires_ms']).execute();
    },
  };
}
