// Migration 0013: overseas departments' numbers stored in mainland France's +33 form (before src/domain/contact.ts
// read them in the department's plan) are rewritten, and their suppression hashes still count.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importList } from '../../src/services/lists/import-list.js';
import { openListsScreen } from '../../src/services/lists/lookup.js';
import { assertNotSuppressed, suppressionHash } from '../../src/services/lists/suppression.js';
import { overseasNumbers } from '../../src/store/migrations/0013-overseas-numbers.js';
import { openStore } from '../../src/store/open-store.js';
import { sqliteKysely } from '../../src/store/sqlite-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'assent-overseas-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('overseas numbers stored in the +33 form', () => {
  it('are rewritten in the department’s form, and their old suppression hash still bars them', async () => {
    const file = join(dir, 'assent.db');
    let store = await openStore({ databaseUrl: null, sqliteFile: file });
    const mq = await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '0596 61 23 45' });
    const mainland = await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '06 12 34 56 78' });
    writeFileSync(join(dir, 'bloctel.txt'), '0596 61 23 45\n0596 61 23 47\n');
    await importList(store, { file: join(dir, 'bloctel.txt'), name: 'bloctel', asOf: '2026-06-01' });
    // As an older build stored them.
    await store.addSuppressions([
      { hash: suppressionHash('phone', '+33596612346'), reason: 'erased', at: '2026-01-01' },
    ]);
    await store.close();
    const legacy = sqliteKysely(file);
    legacy.raw.prepare(`update identifiers set value = '+33596612345' where value = '+596596612345'`).run();
    legacy.raw.prepare(`update list_entries set value = '+33' || substr(value, 5) where value like '+596596%'`).run();
    await overseasNumbers().up(legacy.db as never);
    legacy.raw.close();

    store = await openStore({ databaseUrl: null, sqliteFile: file });
    try {
      expect((await store.findContact({ kind: 'phone', value: '+596596612345' }))?.id).toBe(mq.id);
      expect((await store.findContact({ kind: 'phone', value: '+33612345678' }))?.id).toBe(mainland.id);
      const lists = await openListsScreen(store, new Date('2026-06-10T10:00:00Z'));
      const found = await lists.matches(['+596596612345', '+596596612347']);
      expect([...found.keys()].sort()).toEqual(['+596596612345', '+596596612347']);
      // The erased number, hashed in its +33 form, is still refused in the department's.
      expect(await lists.suppressed(['+596596612346'])).toEqual(new Set(['+596596612346']));
      await expect(assertNotSuppressed(store, [{ kind: 'phone', value: '+596596612346' }], null)).rejects.toThrow(
        /phone \+596596612346 is on the company suppression list/,
      );
    } finally {
      await store.close();
    }
  });
});
