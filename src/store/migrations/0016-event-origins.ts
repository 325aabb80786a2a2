import type { Kysely, Migration } from 'kysely';
import { movedFromHashes } from '../event-origins.js';

/** The tables as this migration finds them (a migration never reads the current schema). */
interface Tables {
  ledger_events: { seq: number; evidence: string | null; hash: string };
  event_origins: { hash: string; seq: number };
}

/** Events read at a time while filling the table: memory stays bounded on a large ledger. */
const PAGE = 1_000;

/**
 * An event's hashes in the databases it was moved from (`evidence.movedFrom[].hash`, one row each): an import then
 * finds in one indexed query the events it brings that were moved in here before (docs/import.md). Those recorded
 * here first are found by their seq (event-origins.ts). A table, not an expression index: the hashes sit in a JSON
 * list inside text, which neither SQLite nor PostgreSQL indexes element by element. Events imported before are read
 * once.
 */
export function eventOrigins(dialect: 'sqlite' | 'postgres'): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('event_origins')
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('seq', dialect === 'postgres' ? 'bigint' : 'integer', (c) =>
          c.notNull().references('ledger_events.seq'),
        )
        .addPrimaryKeyConstraint('event_origins_pk', ['hash', 'seq'])
        .execute();
      const k = db as unknown as Kysely<Tables>;
      let after = 0;
      for (;;) {
        const page = await k
          .selectFrom('ledger_events')
          .select(['seq', 'evidence'])
          .where('seq', '>', after)
          .where('evidence', 'like', '%"movedFrom"%')
          .orderBy('seq')
          .limit(PAGE)
          .execute();
        if (page.length === 0) break;
        const rows = page.flatMap((r) =>
          movedFromHashes(JSON.parse(r.evidence ?? 'null')).map((hash) => ({ hash, seq: Number(r.seq) })),
        );
        // 2 parameters a row: 1,000 rows an INSERT stays under both dialects' limits, however many moves an event has.
        for (let i = 0; i < rows.length; i += PAGE)
          await k
            .insertInto('event_origins')
            .values(rows.slice(i, i + PAGE))
            .execute();
        after = Number(page[page.length - 1]?.seq);
      }
    },
  };
}
