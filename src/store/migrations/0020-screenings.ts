import type { Kysely, Migration } from 'kysely';

/**
 * screenings: one row a screening run (docs/screening.md, "The screenings record"), so the company can show a DPO or
 * a regulator which audience file (its SHA-256) was screened when, for which date, against which list versions
 * (id, as-of, file SHA-256, age) and with what outcome, after the output folder is gone. `lists`, `counts` and
 * `list_problems` are JSON text: read whole, never queried into.
 */
export function screenings(_dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('screenings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('ran_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('campaign_id', 'text')
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('jurisdiction', 'text')
        .addColumn('dry_run', 'integer', (c) => c.notNull())
        .addColumn('refused', 'integer', (c) => c.notNull())
        .addColumn('audience_sha256', 'text')
        .addColumn('audience_rows', 'integer', (c) => c.notNull())
        .addColumn('allowed', 'integer', (c) => c.notNull())
        .addColumn('excluded', 'integer', (c) => c.notNull())
        .addColumn('lists', 'text', (c) => c.notNull())
        .addColumn('list_problems', 'text', (c) => c.notNull())
        .addColumn('counts', 'text', (c) => c.notNull())
        .addColumn('out_dir', 'text')
        .execute();
      await db.schema.createIndex('screenings_ran_at').on('screenings').columns(['ran_at', 'id']).execute();
    },
  };
}
