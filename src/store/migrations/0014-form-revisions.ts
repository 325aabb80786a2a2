import type { Kysely, Migration } from 'kysely';

/**
 * consent_forms.revision (1 for a form as created, +1 at each change), updated_at and retired_at: a form's boxes and
 * wording can be changed or the form retired, and a page shown before a change must not record the new wording as
 * the one the visitor saw (the proof of consent names the text shown, GDPR art. 7(1)).
 */
export function formRevisions(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const integer = dialect === 'postgres' ? 'bigint' : 'integer';
      await db.schema
        .alterTable('consent_forms')
        .addColumn('revision', integer, (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('consent_forms').addColumn('updated_at', 'text').execute();
      await db.schema.alterTable('consent_forms').addColumn('retired_at', 'text').execute();
    },
  };
}
