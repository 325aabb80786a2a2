// Two processes writing one SQLite file (the server and an import): a transaction that read before another
// connection committed must not fail when it then writes (SQLITE_BUSY_SNAPSHOT); it takes the write lock up front.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

describe('SQLite store beside another writer', () => {
  let dir: string;
  let file: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assent-writers-'));
    file = join(dir, 'assent.db');
    store = await openStore({ databaseUrl: null, sqliteFile: file });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the write lock from the start of a transaction, so a read-then-write never meets a newer snapshot', async () => {
    const other = new Sqlite(file);
    other.pragma('busy_timeout = 0'); // fail at once rather than wait for the lock the transaction holds
    let otherWrite: string | null = null;
    try {
      const created = await store.transaction(async (tx) => {
        await tx.findContact({ kind: 'email', value: 'nobody@example.fr', jurisdiction: 'FR' }); // a read first
        try {
          other.prepare('create table other_writer (x integer)').run();
          otherWrite = 'committed';
        } catch (error) {
          otherWrite = (error as { code?: string }).code ?? String(error);
        }
        return tx.createContact({ type: 'individual', jurisdiction: 'FR', email: 'jane@example.fr' }); // then a write
      });
      expect(created.identifiers.map((i) => i.value)).toEqual(['jane@example.fr']);
      expect(otherWrite).toBe('SQLITE_BUSY');
    } finally {
      other.close();
    }
  });
});
