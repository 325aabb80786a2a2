import type { Kysely, Migration } from 'kysely';

/**
 * Campaign sends (issue #6; docs/campaigns.md): one row per message a campaign sent or failed to send, with the
 * legal basis and the obligations it carried. Not ledger events (the decision contract has no such type): proof
 * of what left, and the key that lets a re-run of the same campaign skip who already got it.
 */
export function sends(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('campaign_sends')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('obligations', 'text', (c) => c.notNull())
        .addColumn('template_sha256', 'text', (c) => c.notNull())
        .addColumn('message_id', 'text')
        .addColumn('error', 'text')
        .addColumn('sent_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('campaign_sends_contact')
        .on('campaign_sends')
        .columns(['campaign_id', 'contact_id'])
        .execute();
      await db.schema.createIndex('campaign_sends_time').on('campaign_sends').columns(['sent_at']).execute();
    },
  };
}
