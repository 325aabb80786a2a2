import type { Kysely, Migration } from 'kysely';

/**
 * Recipient tokens (issue #5): the generated signing secrets of unsubscribe and preference links when
 * ASSENT_TOKEN_SECRETS is not set (newest signs, all live ones verify: rotation), and the access and erasure
 * requests made from the preference center (GDPR art. 15 and 17), kept for the data-protection officer.
 */
export function recipientTokens(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('recipient_token_secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('retired_at', 'text')
        .execute();
      await db.schema
        .createTable('rights_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        // The form's one-time nonce: a replayed submission is the same request, not a second one.
        .addColumn('nonce', 'text', (c) => c.notNull().unique())
        .addColumn('evidence', 'text')
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rights_requests_time').on('rights_requests').columns(['requested_at']).execute();
    },
  };
}
