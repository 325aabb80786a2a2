import { type Kysely, type Migration, sql } from 'kysely';

/**
 * campaign_claims: one row per campaign and contact, taken before a message leaves. Two runs of one campaign at the
 * same time both read "not sent yet" and both sent (docs/campaigns.md): the primary key lets one claim win. Filled
 * from the sends already made, so a re-run still skips them.
 */
export function campaignClaims(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('campaign_claims')
        .addColumn('campaign_id', 'text', (c) => c.notNull())
        .addColumn('contact_id', 'text', (c) => c.notNull())
        .addColumn('claimed_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('campaign_claims_pk', ['campaign_id', 'contact_id'])
        .execute();
      await sql`insert into campaign_claims (campaign_id, contact_id, claimed_at)
        select campaign_id, contact_id, min(sent_at) from campaign_sends where status = 'sent'
        group by campaign_id, contact_id`.execute(db);
    },
  };
}
