import type { Kysely, Migration } from 'kysely';
import { normalizeEmail, normalizeExternal } from '../../domain/contact.js';

/** The table as this migration finds it (a migration never reads the current schema). */
interface Tables {
  identifiers: { kind: string; value: string; contact_id: string };
}

/**
 * Emails and CRM ids stored in another spelling than the one they are read in now (src/domain/contact.ts: an email
 * composed, NFC, with its domain in DNS's Unicode form; a CRM id NFC) are rewritten, so a lookup of the same address
 * finds them. Only values with a non-ASCII character or an IDN label can differ. Where the new spelling is stored
 * already (another contact: the same person twice, which a merge is for a person to decide), the old row stays.
 */
export function identifierSpellings(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const k = db as unknown as Kysely<Tables>;
      const rows = await k
        .selectFrom('identifiers')
        .select(['kind', 'value'])
        .where('kind', 'in', ['email', 'external'])
        .execute();
      for (const row of rows) {
        if (/^[\x20-\x7e]*$/.test(row.value) && !row.value.includes('xn--')) continue;
        let now: string;
        try {
          now = row.kind === 'email' ? normalizeEmail(row.value) : normalizeExternal(row.value);
        } catch {
          continue; // stored before a check that would refuse it now: left as it is
        }
        if (now === row.value) continue;
        const taken = await k
          .selectFrom('identifiers')
          .select('value')
          .where('kind', '=', row.kind)
          .where('value', '=', now)
          .executeTakeFirst();
        if (taken !== undefined) continue;
        await k
          .updateTable('identifiers')
          .set({ value: now })
          .where('kind', '=', row.kind)
          .where('value', '=', row.value)
          .execute();
      }
    },
  };
}
