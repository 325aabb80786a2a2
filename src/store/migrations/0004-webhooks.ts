import { type Kysely, type Migration, sql } from 'kysely';

/**
 * Webhook subscriptions and their transactional outbox: one row per (ledger event, matching subscription), written
 * in the ledger append's transaction, delivered and retried by the dispatcher (docs/webhooks.md).
 */
export function webhooks(dialect: 'sqlite' | 'postgres'): Migration {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhook_subscriptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('topics', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('disabled_at', 'text')
        .execute();
      await db.schema
        .createTable('webhook_outbox')
        // `seq` orders deliveries per subscription; `id` is the message id sent as Webhook-Id.
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('subscription_id', 'text', (c) => c.notNull().references('webhook_subscriptions.id'))
        .addColumn('topic', 'text', (c) => c.notNull())
        .addColumn('event_seq', bigint)
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_ms', bigint, (c) => c.notNull())
        .addColumn('last_status', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('last_attempt_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      // The dispatcher's "oldest pending row of this subscription": partial, so delivered rows never slow it down.
      await db.schema
        .createIndex('webhook_outbox_pending')
        .on('webhook_outbox')
        .columns(['subscription_id', 'seq'])
        .where(sql.ref('status'), '=', sql.lit('pending'))
        .execute();
      // Recent deliveries of a subscription (GET /v1/webhooks/{id}/deliveries).
      await db.schema
        .createIndex('webhook_outbox_subscription')
        .on('webhook_outbox')
        .columns(['subscription_id', 'seq'])
        .execute();
    },
  };
}
