import type { Kysely, Migration } from 'kysely';

/**
 * consent_requests.deferred: the answers of a sign-up typed with an address of the suppression list by someone
 * no record is kept for (an erased person, GDPR art. 17), recorded on a new contact only once the address's owner
 * confirms; until then nothing stores the address as a contact's (docs/forms.md). An index on contact_id: a
 * submission sent again is looked up by the id its person will have.
 */
export function deferredSignUps(_dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('consent_requests').addColumn('deferred', 'text').execute();
      await db.schema.createIndex('consent_requests_contact').on('consent_requests').column('contact_id').execute();
    },
  };
}
