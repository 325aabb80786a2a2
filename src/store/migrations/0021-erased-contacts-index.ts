import type { Kysely, Migration } from 'kysely';

/**
 * An index on contacts.erased_at: whose erasure put an identifier on the suppression list is found by the erasure's
 * instant (`suppress check`, GET /v1/contacts?email=), through the contacts erased then, not a scan of the ledger.
 */
export function erasedContactsIndex(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.createIndex('contacts_erased_at').on('contacts').column('erased_at').execute();
    },
  };
}
