import type { Kysely, Migration } from 'kysely';

/**
 * contacts.erased_at: when the person's data was erased (GDPR art. 17). The row stays, without identifiers, so that
 * the ledger events that prove each consent and opt-out keep their contact (docs/rights.md).
 */
export function erasure(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('contacts').addColumn('erased_at', 'text').execute();
    },
  };
}
