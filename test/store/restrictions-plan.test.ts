// The restrictions in force (GDPR art. 18) are read with every stored decision's histories, a chunk of contacts at a
// time: each query must find its rows through an index on the chunk's ids, not read every restriction request ever
// filed (refused and lifted ones stay) for each chunk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { type CompiledQuery, Kysely, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import { restrictionsOf } from '../../src/store/recipient-tokens.js';
import type { Database } from '../../src/store/schema.js';

describe('restrictions in force, read a chunk at a time', () => {
  it("finds the chunk's requests and its merged records' by index, without a scan of every restriction", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-restrictions-'));
    const file = join(dir, 'assent.db');
    try {
      await (await openStore({ databaseUrl: null, sqliteFile: file })).close();
      const raw = new Sqlite(file);
      const queries: CompiledQuery[] = [];
      const db = new Kysely<Database>({
        dialect: new SqliteDialect({ database: raw }),
        log: (event) => {
          if (event.level === 'query') queries.push(event.query);
        },
      });
      try {
        await restrictionsOf(db, ['a', 'b', 'c']);
        expect(queries.length).toBeGreaterThan(0);
        for (const q of queries) {
          const plan = (raw.prepare(`EXPLAIN QUERY PLAN ${q.sql}`).all(...q.parameters) as { detail: string }[])
            .map((r) => r.detail)
            .join('\n');
          expect(plan, q.sql).toMatch(/rights_requests_kind_contact \(kind=\? AND contact_id=\?\)/);
          expect(plan, q.sql).not.toMatch(/SCAN|\(kind=\?\)/);
        }
      } finally {
        await db.destroy();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
