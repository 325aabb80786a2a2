import { type Kysely, type Migration, sql } from 'kysely';

/** Contacts, identifiers, consent texts, the chained ledger and the import journal. */
export function initial(dialect: 'sqlite' | 'postgres'): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('contacts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('address', 'text')
        .addColumn('address_source', 'text')
        .addColumn('jurisdiction', 'text', (c) => c.notNull())
        .addColumn('time_zone', 'text')
        .addColumn('region', 'text')
        .addColumn('merged_into', 'text', (c) => c.references('contacts.id'))
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('identifiers')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
        .addPrimaryKeyConstraint('identifiers_pk', ['kind', 'value'])
        .execute();
      await db.schema.createIndex('identifiers_contact').on('identifiers').column('contact_id').execute();
      await db.schema
        .createTable('consent_texts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('sha256', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addUniqueConstraint('consent_texts_version', ['key', 'version', 'language'])
        .execute();
      await db.schema
        .createTable('ledger_events')
        .addColumn('seq', bigint, (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('at_ms', bigint, (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text')
        .addColumn('evidence_hash', 'text')
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('recorded_by', 'text', (c) => c.notNull())
        .addColumn('idempotency_key', 'text', (c) => c.unique())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('ledger_events_contact').on('ledger_events').columns(['contact_id', 'seq']).execute();
      await db.schema
        .createTable('ledger_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', bigint, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await sql`insert into ledger_head (id, seq, hash) values (1, 0, ${'0'.repeat(64)})`.execute(db);
      await db.schema
        .createTable('import_batches')
        .addColumn('id', dialect === 'postgres' ? 'serial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('file_sha256', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('lines_done', bigint, (c) => c.notNull())
        .addColumn('accepted', bigint, (c) => c.notNull())
        .addColumn('rejected', bigint, (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
