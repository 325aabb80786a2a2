// Shared by the screening tests: a temporary SQLite store with a mixed FR audience, and fake lists.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRegistry } from '../../src/policy/packs/index.js';
import type { ListMatch, ListStatus, ScreeningLists } from '../../src/services/screening/lists.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

export const packs = buildRegistry();

/** Tuesday 3 March 2026, 11:00 in Paris: calling hours, the Bloctel era (before 2026-08-11). */
export const AT = new Date('2026-03-03T10:00:00Z');

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'assent-screen-'));
}

export async function tempStore(dir = tempDir()): Promise<{ store: Store; dir: string; db: string }> {
  const db = join(dir, 'assent.db');
  return { store: await openStore({ databaseUrl: null, sqliteFile: db }), dir, db };
}

export function write(dir: string, name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const by = 'test:screening';

/**
 * ana consented to email; bob refused email at collection; carla (phone only) is on Bloctel; dan (phone) is
 * not; erin consented but was later erased (suppression list); acme's contact@ is a generic business address.
 */
export async function seedMixed(store: Store): Promise<void> {
  const ana = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
  const bob = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'bob@example.fr' });
  await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '+33612345679', externalId: 'crm-carla' });
  await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '+33612345670' });
  const erin = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'erin@example.fr' });
  const acme = await store.createContact({
    type: 'professional',
    jurisdiction: 'FR',
    email: 'contact@acme.fr',
    address: 'generic',
  });
  const consent = (contactId: string) => ({
    contactId,
    type: 'consent.given' as const,
    at: '2026-01-10T10:00:00Z',
    data: { channel: 'email', method: 'checkbox' },
    recordedBy: by,
  });
  await store.appendEvents([
    consent(ana.id),
    consent(erin.id),
    // Found on the company's website: a message to it says so (GDPR art. 14).
    {
      contactId: acme.id,
      type: 'data.collected',
      at: '2026-01-02T10:00:00Z',
      data: { source: 'public' },
      recordedBy: by,
    },
    {
      contactId: bob.id,
      type: 'consent.refused',
      at: '2026-01-10T10:00:00Z',
      data: { channel: 'email' },
      recordedBy: by,
    },
  ]);
}

const bloctel = (stale: boolean): ListStatus => ({
  name: 'bloctel',
  country: 'FR',
  versionId: 1,
  asOf: stale ? '2026-01-05' : '2026-02-20',
  importedAt: stale ? '2026-01-06T09:00:00Z' : '2026-02-21T09:00:00Z',
  fileSha256: 'b'.repeat(64),
  entries: 1,
  ageDays: stale ? 57 : 11,
  stale,
  reason: stale ? 'older than 30 days' : null,
});

/** Lists with carla's number on Bloctel and erin's email suppressed; every call is recorded. */
export function fakeLists(opts: { stale?: boolean; missing?: boolean } = {}): ScreeningLists & { calls: number } {
  const on = new Map<string, ListMatch[]>([['+33612345679', [{ name: 'bloctel', asOf: '2026-02-20' }]]]);
  const lists = {
    calls: 0,
    versions: [],
    options: {},
    status: () => (opts.missing ? [] : [bloctel(opts.stale === true)]),
    matches: async (ids: readonly string[]) => {
      lists.calls++;
      return new Map(ids.flatMap((id) => (on.has(id) ? [[id, on.get(id) as ListMatch[]] as const] : [])));
    },
    suppressed: async (ids: readonly string[]) => new Set(ids.filter((id) => id === 'erin@example.fr')),
  };
  return lists;
}
