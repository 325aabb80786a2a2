// Constant memory: a 200,000-row audience screens in a child process whose peak RSS stays that of a 40,000-row one
// (the audience is streamed a chunk at a time, never held). Figures are printed, for docs/screening.md.
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { tempStore } from './helpers.js';

const dist = fileURLToPath(new URL('../../dist', import.meta.url));
const child = fileURLToPath(new URL('./memory-child.mjs', import.meta.url));
const STORED = 20_000;
let dir: string;
let db: string;

beforeAll(async () => {
  const t = await tempStore();
  ({ dir, db } = t);
  await seed(t.store);
  await t.store.close();
  await audience(join(dir, 'small.csv'), 2 * STORED);
  await audience(join(dir, 'large.csv'), 200_000);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** STORED contacts, every other one with an email consent. */
async function seed(store: Store): Promise<void> {
  const contacts = await store.createContacts(
    Array.from({ length: STORED }, (_, i) => ({
      type: 'individual' as const,
      jurisdiction: 'FR',
      identifiers: [{ kind: 'email' as const, value: `user${i}@example.fr` }],
    })),
  );
  const events = contacts
    .filter((_, i) => i % 2 === 0)
    .map((c) => ({
      contactId: c.id,
      type: 'consent.given' as const,
      at: '2026-01-10T10:00:00Z',
      data: { channel: 'email', method: 'checkbox' },
      recordedBy: 'test:memory',
    }));
  for (let i = 0; i < events.length; i += 5_000) await store.appendEvents(events.slice(i, i + 5_000));
}

/** Rows cycle over twice the stored emails: half are unknown, a quarter consented, a quarter never asked. */
async function audience(file: string, rows: number): Promise<void> {
  const out = createWriteStream(file);
  out.write('email,name\n');
  for (let i = 0; i < rows; i++) {
    if (!out.write(`user${i % (2 * STORED)}@example.fr,Person ${i}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function screen(name: string): {
  rows: number;
  byReason: Record<string, number>;
  rowsPerSecond: number;
  maxRssMb: number;
} {
  const r = spawnSync(process.execPath, [child, dist, db, join(dir, `${name}.csv`), join(dir, `${name}.out`)], {
    encoding: 'utf8',
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

it('screens 200,000 rows in the memory of 40,000', () => {
  const small = screen('small');
  const large = screen('large');
  process.stderr.write(
    `screening: 40,000 rows ${JSON.stringify(small)}\nscreening: 200,000 rows ${JSON.stringify(large)}\n`,
  );
  expect(large.rows).toBe(200_000);
  expect(large.byReason).toEqual({ CONTACT_NOT_FOUND: 100_000, NO_CONSENT: 50_000 });
  expect(large.maxRssMb).toBeLessThan(small.maxRssMb + 64);
  expect(large.maxRssMb).toBeLessThan(512);
}, 120_000);
