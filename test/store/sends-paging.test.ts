// `assent campaign sends` pages through a campaign's sends a thousand at a time, after the last (sent_at, id) of
// the page before. Written as `sent_at > ? OR (sent_at = ? AND id > ?)` with no index to read it by, SQLite answered
// each page by reading every send of the campaign (index campaign_id, contact_id) and sorting those after the key:
// the listing cost the square of the campaign (200,000 sends: 8 s; millions: most of an hour). An index on
// (campaign_id, sent_at, id) and a range on sent_at let it read each page from the key on, in order.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-store.js';
import type { Database } from '../../src/store/schema.js';
import { sendsQuery } from '../../src/store/sends.js';
import { DIALECTS, dialectReady } from './dialects.js';

const compiler = new Kysely<Database>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

describe('campaign sends, a page at a time', () => {
  it("reads a page from the previous page's key on, in index order, not every send of the campaign sorted", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-sends-'));
    const file = join(dir, 'assent.db');
    try {
      await (await openStore({ databaseUrl: null, sqliteFile: file })).close();
      const raw = new Sqlite(file, { readonly: true });
      try {
        const plan = (query: Parameters<typeof sendsQuery>[1]): string => {
          const { sql, parameters } = sendsQuery(compiler, query).compile();
          return (raw.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...parameters) as { detail: string }[])
            .map((r) => r.detail)
            .join('\n');
        };
        const after = { sentAt: '2026-10-01T10:00:00.000Z', id: '01a2' };
        for (const query of [
          { campaignId: 'spring', limit: 1_000 },
          { campaignId: 'spring', after, limit: 1_000 },
          { campaignId: 'spring', status: 'failed' as const, after, limit: 1_000 },
        ]) {
          const p = plan(query);
          expect(p, JSON.stringify(query)).toMatch(
            query.after === undefined
              ? /USING INDEX campaign_sends_page \(campaign_id=\?\)/
              : /USING INDEX campaign_sends_page \(campaign_id=\? AND sent_at>\?\)/,
          );
          // Read in order: no sort of what is left of the campaign.
          expect(p, JSON.stringify(query)).not.toMatch(/MULTI-INDEX OR|TEMP B-TREE/);
        }
      } finally {
        raw.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// The pages, on each dialect: every send once, in (sent_at, id) order, a page ending between two of one instant.
for (const dialect of DIALECTS) {
  describe(`campaign sends paged: ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'campaign sends paging'))) return;
    it('lists every send once, oldest first, across pages that end inside an instant', async () => {
      const { store, cleanup } = await dialect.open();
      try {
        const contact = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'p@example.fr' });
        const send = (i: number, campaignId = 'spring') => ({
          campaignId,
          contactId: contact.id,
          channel: 'email',
          address: 'p@example.fr',
          status: i % 3 === 0 ? ('failed' as const) : ('sent' as const),
          basis: 'CONSENT',
          obligations: [],
          templateSha256: 'a'.repeat(64),
          messageId: null,
          error: null,
          // Three sends an instant, another campaign's between them.
          sentAt: new Date(Date.UTC(2026, 9, 1, 10, 0, Math.floor(i / 3))).toISOString(),
        });
        await store.recordSends([
          ...Array.from({ length: 31 }, (_, i) => send(i)),
          ...Array.from({ length: 10 }, (_, i) => send(i, 'other')),
        ]);
        for (const status of [undefined, 'failed' as const]) {
          const seen: { id: string; sentAt: string }[] = [];
          let after: { sentAt: string; id: string } | undefined;
          for (;;) {
            const page = await store.listSends({
              campaignId: 'spring',
              ...(status ? { status } : {}),
              ...(after ? { after } : {}),
              limit: 4,
            });
            if (page.length === 0) break;
            seen.push(...page);
            const last = page[page.length - 1] as { id: string; sentAt: string };
            after = { sentAt: last.sentAt, id: last.id };
          }
          const all = await store.listSends({ campaignId: 'spring', ...(status ? { status } : {}) });
          expect(all).toHaveLength(status ? 11 : 31);
          expect(seen.map((s) => s.id)).toEqual(all.map((s) => s.id));
          expect(seen.map((s) => `${s.sentAt} ${s.id}`)).toEqual(seen.map((s) => `${s.sentAt} ${s.id}`).sort());
        }
      } finally {
        await cleanup();
      }
    });
  });
}
