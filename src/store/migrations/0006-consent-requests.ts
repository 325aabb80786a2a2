import type { Kysely, Migration } from 'kysely';

/**
 * Consent forms and double opt-in requests (issue #5). A form's settings are one JSON document (boxes, partners,
 * privacy link, jurisdiction): settings that change at run time live in the database. A request is one pending
 * double opt-in: its token's nonce (single use), when it expires and when it was last reminded.
 */
export function consentRequests(dialect: 'sqlite' | 'postgres'): Migration {
  const big = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('consent_forms')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('consent_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('form_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull().unique())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('language', 'text', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('requested_ms', big, (c) => c.notNull())
        .addColumn('expires_ms', big, (c) => c.notNull())
        .addColumn('reminders', 'integer', (c) => c.notNull())
        .addColumn('last_sent_ms', big, (c) => c.notNull())
        .addColumn('settled_at', 'text')
        .execute();
      await db.schema
        .createIndex('consent_requests_due')
        .on('consent_requests')
        .columns(['status', 'last_sent_ms'])
        .execute();
    },
  };
}
