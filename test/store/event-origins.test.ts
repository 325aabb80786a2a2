// Migration 0016 keeps the hashes moved events had in their source databases (evidence.movedFrom) in event_origins,
// filled for events imported before it by reading their evidence once, so an import finds them by those hashes.
import { describe, expect, it } from 'vitest';
import { eventOrigins } from '../../src/store/migrations/0016-event-origins.js';
import { postgresKysely } from '../../src/store/postgres-driver.js';
import { sqliteKysely } from '../../src/store/sqlite-driver.js';
import { DIALECTS, dialectReady } from './dialects.js';

const moved = (hash: string) => ({
  importBatch: '1',
  sourceFile: 'a.ndjson',
  recordedAt: '2025-01-01T00:00:00Z',
  hash,
});

for (const dialect of DIALECTS) {
  describe(`event origins, on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'event origins'))) return;
    it('finds an event by its own seq and hash and by the hashes of the databases it came from; 0016 fills them for old events', async () => {
      const { store, config, raw, cleanup } = await dialect.open();
      try {
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
        const [h1, h2, h3] = ['1', '2', '3'].map((d) => d.repeat(64)) as [string, string, string];
        const [own, twice] = await store.appendEvents([
          { contactId: c.id, type: 'purchase', at: '2025-01-05T00:00:00Z', data: {}, recordedBy: 'api' },
          {
            contactId: c.id,
            type: 'purchase',
            at: '2025-01-06T00:00:00Z',
            data: {},
            // Moved twice, the same hash written twice, and an entry that is no hash: each hash kept once.
            evidence: { movedFrom: [moved(h1), moved(h2), moved(h2), moved('not a hash')] },
            recordedBy: 'import:a.ndjson',
          },
        ]);
        const found = async () => {
          const acts = await store.eventsByOrigins([
            { hash: own?.hash as string, seq: own?.seq as number },
            // Recorded here: found by its seq, and only if that seq has this hash.
            { hash: h3, seq: own?.seq as number },
            ...[h1, h2, h3].map((hash) => ({ hash, seq: null })),
          ]);
          return Object.fromEntries(
            [...acts].map(([hash, list]) => [hash, list.map((a) => [a.seq, a.contactId, a.erasedAt])]),
          );
        };
        const expected = {
          [own?.hash as string]: [[own?.seq, c.id, null]],
          [h1]: [[twice?.seq, c.id, null]],
          [h2]: [[twice?.seq, c.id, null]],
        };
        expect(await found()).toEqual(expected);
        // As a database from before 0016 left it: then the migration again, which reads the stored evidence.
        await raw('drop table event_origins');
        if (config.databaseUrl === null) {
          const legacy = sqliteKysely(config.sqliteFile);
          await eventOrigins('sqlite').up(legacy.db as never);
          legacy.raw.close();
        } else {
          const legacy = postgresKysely(config.databaseUrl);
          await eventOrigins('postgres').up(legacy.db as never);
          await legacy.db.destroy();
        }
        expect(await found()).toEqual(expected);
        // Held by the contact it was merged into, and erased with them.
        const d = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.com' });
        await store.mergeContacts(d.id, c.id, 'dpo');
        await store.eraseContact(d.id, '2025-03-01T12:00:00.000Z');
        expect((await store.eventsByOrigins([{ hash: h1, seq: null }])).get(h1)).toEqual([
          {
            seq: twice?.seq,
            contactId: d.id,
            erasedAt: '2025-03-01T12:00:00.000Z',
            // What it records, for the import to compare with the act it brings.
            type: 'purchase',
            at: '2025-01-06T00:00:00Z',
            data: {},
          },
        ]);
      } finally {
        await cleanup();
      }
    });
  });
}
