import type { Kysely, Migration } from 'kysely';

/**
 * rights_requests: when a granted restriction of processing (GDPR art. 18) was lifted, by whom, and when the person
 * was told it would be (art. 18(3): before it is lifted). A restriction stops every decision on the contact from its
 * receipt until it is refused or, granted, lifted; an index on (kind, contact_id) reads the restrictions of a chunk
 * of contacts without a scan of every request.
 */
export function restrictionLifts(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rights_requests').addColumn('lifted_at', 'text').execute();
      await db.schema.alterTable('rights_requests').addColumn('lifted_by', 'text').execute();
      await db.schema.alterTable('rights_requests').addColumn('informed_at', 'text').execute();
      await db.schema
        .createIndex('rights_requests_kind_contact')
        .on('rights_requests')
        .columns(['kind', 'contact_id'])
        .execute();
    },
  };
}
