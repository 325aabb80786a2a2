import type { Kysely, Migration } from 'kysely';
import { departmentNumber } from '../../domain/contact.js';

/** The two tables as this migration finds them (a migration never reads the current schema). */
interface Tables {
  identifiers: { kind: string; value: string; contact_id: string };
  list_entries: { version_id: number; value: string };
}

/** The national prefixes of the overseas departments, as they follow +33 in a number read as mainland France's. */
const PREFIXES = ['262', '263', '269', '590', '594', '596', '639', '690', '691', '692', '693', '694', '696', '697'];

/**
 * Overseas departments' numbers stored in mainland France's form (+33 596 61 23 45 for Martinique's 0596 61 23 45,
 * which libphonenumber-js accepts) are rewritten in the department's (+596 596 61 23 45), as they are read now
 * (src/domain/contact.ts `departmentNumber`): otherwise a Bloctel entry, a contact and an audience row of one
 * number would no longer meet. A number a department's plan does not hold stays. Where the department's form is
 * already stored (another contact, or the same list version), the old row stays (contacts: a merge is for a person
 * to decide) or goes (a list version's duplicate). Suppression hashes cannot be rewritten: lookups try both forms.
 */
export function overseasNumbers(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const k = db as unknown as Kysely<Tables>;
      const identifiers = await k
        .selectFrom('identifiers')
        .select(['kind', 'value'])
        .where('kind', '=', 'phone')
        .where((eb) => eb.or(PREFIXES.map((p) => eb('value', 'like', `+33${p}%`))))
        .execute();
      for (const row of identifiers) {
        const now = departmentNumber(row.value);
        if (now === null) continue;
        const taken = await k
          .selectFrom('identifiers')
          .select('value')
          .where('kind', '=', 'phone')
          .where('value', '=', now)
          .executeTakeFirst();
        if (taken !== undefined) continue;
        await k
          .updateTable('identifiers')
          .set({ value: now })
          .where('kind', '=', 'phone')
          .where('value', '=', row.value)
          .execute();
      }
      const entries = await k
        .selectFrom('list_entries')
        .select(['version_id', 'value'])
        .where((eb) => eb.or(PREFIXES.map((p) => eb('value', 'like', `+33${p}%`))))
        .execute();
      for (const row of entries) {
        const now = departmentNumber(row.value);
        if (now === null) continue;
        const taken = await k
          .selectFrom('list_entries')
          .select('value')
          .where('version_id', '=', row.version_id)
          .where('value', '=', now)
          .executeTakeFirst();
        if (taken === undefined) {
          await k
            .updateTable('list_entries')
            .set({ value: now })
            .where('version_id', '=', row.version_id)
            .where('value', '=', row.value)
            .execute();
        } else {
          // The version holds the department's form already: the old row is a duplicate.
          await k
            .deleteFrom('list_entries')
            .where('version_id', '=', row.version_id)
            .where('value', '=', row.value)
            .execute();
        }
      }
    },
  };
}
