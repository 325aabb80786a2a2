import type { Kysely, Migration } from 'kysely';

/**
 * contacts.erased_at: when the person's data was erased (GDPR art. 17). The row stays, without identifiers, so that
 * the ledger events that prove each consent and opt-out keep their contact (docs/rights.md). rights_requests gain
 * their answer (settled_at, settled_by, answer).
 */
export function erasure(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('contacts').addColumn('erased_at', 'text').execute();
      // A rights request is answered: when, by whom, how (done or refused) and what was said.
      await db.schema.alterTable('rights_requests').addColumn('settled_at', 'text').execute();
      await db.schema.alterTable('rights_requests').addColumn('settled_by', 'text').execute();
      await db.schema.alterTable('rights_requests').addColumn('answer', 'text').execute();
    },
  };
}
