import type { Kysely, Migration } from 'kysely';

/**
 * rights_requests.details: what the person says is wrong, for a rectification request (GDPR art. 16) made from the
 * preference center. Null for access and erasure requests.
 */
export function rectificationRequests(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rights_requests').addColumn('details', 'text').execute();
    },
  };
}
