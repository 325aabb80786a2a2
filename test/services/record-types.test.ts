// The ledger's own records (merge, rectification, erasure, restriction and its end) are never sent in: `events add`
// and an import refuse each, naming the command that records it, so the error says where to go instead.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/services/import/run-import.js';
import { recordEvents } from '../../src/services/record-events.js';
import type { Store } from '../../src/store/store.js';
import { ndjson, options, rejectsOf, tempDir, write } from '../import/helpers.js';
import { DIALECTS } from '../store/dialects.js';

/** Each record type, and the command the refusal names. */
const RECORDS = [
  ['contact.merged', 'assent contacts merge'],
  ['contact.rectified', 'assent contacts set'],
  ['contact.erased', 'assent contacts erase'],
  ['contact.restricted', 'assent rights add --kind restriction'],
  ['contact.unrestricted', 'assent rights answer --status refused, or assent rights lift'],
] as const;

describe('a ledger record sent in', () => {
  const dialect = DIALECTS[0] as (typeof DIALECTS)[number];
  let store: Store;
  let cleanup: () => Promise<void>;
  const dir = tempDir();
  beforeAll(async () => {
    ({ store, cleanup } = await dialect.open());
  });
  afterAll(async () => {
    await cleanup?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is refused by events add, naming the command that records it', async () => {
    const { id } = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'sent@example.fr' });
    for (const [type, command] of RECORDS) {
      await expect(
        recordEvents(store, [{ contactId: id, type, at: '2026-01-01', data: {}, recordedBy: 'test' }]),
        type,
      ).rejects.toThrow(`event 0: ${type} is recorded by Assent itself when it happens (${command}), not sent as`);
    }
  });

  it('is refused in an import row, naming the command that records it', async () => {
    for (const [i, [type, command]] of RECORDS.entries()) {
      const file = write(dir, `record-${i}.ndjson`, [
        ...ndjson([{ email: `r${i}@example.fr`, jurisdiction: 'FR', events: [{ type, at: '2026-01-01' }] }]),
      ]);
      expect(await importFile(store, options(file)), type).toMatchObject({ run: { rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`)[0]?.reason, type).toBe(
        `events.0.type ${type} is not imported: Assent records it when it happens (${command})`,
      );
    }
  });
});
