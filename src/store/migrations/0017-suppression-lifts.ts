import type { Kysely, Migration } from 'kysely';

/**
 * suppression_lifts: each hash taken off the suppression list, with what it was there for and since when, when it
 * was lifted, how (a returning contact stored, a form's confirmation) and by whom. Lifting deletes the hash from
 * `suppressions` (screening reads only that table), so without this the DPO had no trace of why a person who had
 * objected or been erased is reachable again.
 */
export function suppressionLifts(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('suppression_lifts')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('suppressed_at', 'text', (c) => c.notNull())
        .addColumn('lifted_at', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('lifted_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('suppression_lifts_hash').on('suppression_lifts').column('hash').execute();
    },
  };
}
