import type { Kysely, Migration } from 'kysely';

/**
 * rights_requests: the two further months of GDPR art. 12(3) ("where necessary, taking into account the complexity
 * and number of the requests"): when the period was extended, by whom, and the reasons the person was given (within
 * the first month, as the article requires).
 */
export function rightsExtensions(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rights_requests').addColumn('extended_at', 'text').execute();
      await db.schema.alterTable('rights_requests').addColumn('extended_by', 'text').execute();
      await db.schema.alterTable('rights_requests').addColumn('extension_reason', 'text').execute();
    },
  };
}
