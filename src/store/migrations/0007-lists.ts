import type { Kysely, Migration } from 'kysely';

/**
 * Opposition lists and the company suppression list (issue #6; docs/lists.md). `list_versions` is one import of a
 * named list (kept after it is replaced: proof of what was screened against); `list_entries` its normalised
 * identifiers (E.164 phones, lower-cased emails), keyed by version then value so a lookup is an index seek;
 * `suppressions` the SHA-256 of erased or objecting people's identifiers, never the identifiers themselves.
 */
export function lists(dialect: 'sqlite' | 'postgres'): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('list_versions')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('as_of', 'text', (c) => c.notNull())
        .addColumn('country', 'text', (c) => c.notNull())
        .addColumn('file_name', 'text', (c) => c.notNull())
        .addColumn('file_sha256', 'text', (c) => c.notNull())
        .addColumn('entries', big, (c) => c.notNull())
        .addColumn('rejected', big, (c) => c.notNull())
        .addColumn('imported_at', 'text', (c) => c.notNull())
        .addColumn('completed_at', 'text')
        .execute();
      await db.schema.createIndex('list_versions_name').on('list_versions').columns(['name', 'status']).execute();
      await db.schema
        .createTable('list_entries')
        .addColumn('version_id', 'integer', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('list_entries_pk', ['version_id', 'value'])
        .execute();
      await db.schema
        .createTable('suppressions')
        .addColumn('hash', 'text', (c) => c.primaryKey())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
