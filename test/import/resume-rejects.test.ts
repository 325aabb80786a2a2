// A resumed import needs the rejects file its run began with: the rejects of the lines it committed are there, and
// the run still counts them. Resumed from elsewhere (the default place is the folder the run started in), it says so
// rather than losing them.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportInputError } from '../../src/services/import/reader.js';
import { importFile } from '../../src/services/import/run-import.js';
import { DIALECTS } from '../store/dialects.js';
import { options, tempDir, write } from './helpers.js';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
if (sqlite === undefined) throw new Error('no sqlite dialect');

describe('resuming an import whose rejects file is elsewhere', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is refused naming the file, and resumes once it is given', async () => {
    const { store, cleanup } = await sqlite.open();
    try {
      const file = write(dir, 'crm.csv', [
        'email,jurisdiction',
        'a@example.fr,FR',
        'not-an-email,FR',
        'b@example.fr,FR',
      ]);
      const first = options(file, { batchSize: 1 });
      // A run stopped after line 3, one line rejected, as a crash leaves it.
      const done = await importFile(store, first);
      expect(done.run).toMatchObject({ rejected: 1 });
      await store.recordImport(done.run.id, { status: 'running', linesDone: 3, accepted: 1, rejected: 1 });
      const elsewhere = options(file, { rejectsPath: join(dir, 'other', 'crm.rejects.csv') });
      await expect(importFile(store, elsewhere)).rejects.toThrow(ImportInputError);
      await expect(importFile(store, elsewhere)).rejects.toThrow(
        /with 1 rejected lines, whose rejects file .*other\/crm\.rejects\.csv is not there: resume from the folder/,
      );
      const resumed = await importFile(store, first);
      expect(resumed.run).toMatchObject({ status: 'done', rejected: 1 });
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
