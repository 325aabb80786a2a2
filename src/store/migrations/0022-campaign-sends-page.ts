import type { Kysely, Migration } from 'kysely';

/**
 * An index on campaign_sends (campaign_id, sent_at, id): `assent campaign sends` reads a campaign's sends a page at a
 * time after the last (sent_at, id), and each page is then a range of this index, in order. Through the index on
 * (campaign_id, contact_id) each page read and sorted every send of the campaign: a listing cost the square of it
 * (200,000 sends: 8 s; millions: most of an hour).
 */
export function campaignSendsPageIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('campaign_sends_page')
        .on('campaign_sends')
        .columns(['campaign_id', 'sent_at', 'id'])
        .execute();
    },
  };
}
