import type { Kysely, Migration } from 'kysely';

/**
 * Bought and rented lists (issue #6; docs/lists.md): `acquisitions` records who provided a list, how they collected
 * it and the proof of consent they gave; `acquisition_documents` keeps that proof whole (blob on SQLite, bytea on
 * PostgreSQL), keyed by its SHA-256 so an auditor gets the very bytes back; `acquisition_imports` ties an import run
 * (`import_batches`) to the acquisition it was imported under, one acquisition a run.
 */
export function acquisitions(dialect: 'sqlite' | 'postgres'): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('acquisitions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('collection_method', 'text', (c) => c.notNull())
        .addColumn('consent_proof', 'text', (c) => c.notNull())
        .addColumn('collected_at', 'text', (c) => c.notNull())
        .addColumn('acquired_at', 'text', (c) => c.notNull())
        // 1, 0 or null (portable across SQLite and PostgreSQL)
        .addColumn('informed', 'integer')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('acquisition_documents')
        .addColumn('acquisition_id', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('size', big, (c) => c.notNull())
        .addColumn('content', dialect === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
        .addColumn('added_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('acquisition_documents_pk', ['acquisition_id', 'sha256'])
        .execute();
      await db.schema
        .createTable('acquisition_imports')
        .addColumn('import_id', 'integer', (c) => c.primaryKey())
        .addColumn('acquisition_id', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('acquisition_imports_acquisition')
        .on('acquisition_imports')
        .columns(['acquisition_id'])
        .execute();
    },
  };
}
