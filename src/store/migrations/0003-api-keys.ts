import type { Kysely, Migration } from 'kysely';

/**
 * API keys of the HTTP server (issue #4): only the SHA-256 of a key is kept, so a stolen database gives no usable
 * key. `prefix` (the first characters of the key) lets a person tell keys apart in `assent keys list`.
 */
export function apiKeys(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_used_at', 'text')
        .execute();
    },
  };
}
