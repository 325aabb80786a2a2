// The screenings record (docs/screening.md): one row a screening run, written when it ends, never changed.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A list version a screening used, as it stood at the screening's date. */
export interface ScreeningListVersion {
  name: string;
  country: string;
  versionId: number | null;
  asOf: string | null;
  fileSha256: string | null;
  /** Days from `asOf` to the screening's date in the list's calendar. */
  ageDays: number | null;
  stale: boolean;
  reason: string | null;
}

export interface ScreeningRecord {
  id: string;
  /** When it ran, by the clock (the summary's startedAt). */
  ranAt: string;
  finishedAt: string;
  /** The date it was judged at (`--at`). */
  at: string;
  /** `cli`, `api`, `api-stream` or `campaign`. */
  via: string;
  campaignId: string | null;
  channel: string;
  purpose: string;
  /** The jurisdiction given (`-j`), null for the default. */
  jurisdiction: string | null;
  dryRun: boolean;
  refused: boolean;
  /** SHA-256 of the audience as received (the CSV's bytes; the JSON of the API's `rows`), null when not read. */
  audienceSha256: string | null;
  audienceRows: number;
  allowed: number;
  excluded: number;
  lists: ScreeningListVersion[];
  listProblems: unknown[];
  counts: {
    byReason: Record<string, number>;
    byBasis: Record<string, number>;
    byChannel: Record<string, { rows: number; allowed: number; excluded: number }>;
    byList: Record<string, { matched: number; excluded: number }>;
  };
  outDir: string | null;
}

type Row = Selectable<Database['screenings']>;

const recordOf = (r: Row): ScreeningRecord => ({
  id: r.id,
  ranAt: r.ran_at,
  finishedAt: r.finished_at,
  at: r.at,
  via: r.via,
  campaignId: r.campaign_id,
  channel: r.channel,
  purpose: r.purpose,
  jurisdiction: r.jurisdiction,
  dryRun: Number(r.dry_run) === 1,
  refused: Number(r.refused) === 1,
  audienceSha256: r.audience_sha256,
  audienceRows: Number(r.audience_rows),
  allowed: Number(r.allowed),
  excluded: Number(r.excluded),
  lists: JSON.parse(r.lists),
  listProblems: JSON.parse(r.list_problems),
  counts: JSON.parse(r.counts),
  outDir: r.out_dir,
});

export async function addScreening(db: Db, s: ScreeningRecord): Promise<void> {
  await db
    .insertInto('screenings')
    .values({
      id: s.id,
      ran_at: s.ranAt,
      finished_at: s.finishedAt,
      at: s.at,
      via: s.via,
      campaign_id: s.campaignId,
      channel: s.channel,
      purpose: s.purpose,
      jurisdiction: s.jurisdiction,
      dry_run: s.dryRun ? 1 : 0,
      refused: s.refused ? 1 : 0,
      audience_sha256: s.audienceSha256,
      audience_rows: s.audienceRows,
      allowed: s.allowed,
      excluded: s.excluded,
      lists: JSON.stringify(s.lists),
      list_problems: JSON.stringify(s.listProblems),
      counts: JSON.stringify(s.counts),
      out_dir: s.outDir,
    })
    .execute();
}

export async function getScreening(db: Db, id: string): Promise<ScreeningRecord | null> {
  const row = await db.selectFrom('screenings').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : recordOf(row);
}

/** Newest first, a page at a time (`before`: the last record of the previous page). */
export async function listScreenings(
  db: Db,
  page: { limit: number; before?: { ranAt: string; id: string } | null },
): Promise<ScreeningRecord[]> {
  let q = db.selectFrom('screenings').selectAll().orderBy('ran_at', 'desc').orderBy('id', 'desc').limit(page.limit);
  const b = page.before;
  if (b)
    q = q.where((eb) => eb.or([eb('ran_at', '<', b.ranAt), eb.and([eb('ran_at', '=', b.ranAt), eb('id', '<', b.id)])]));
  return (await q.execute()).map(recordOf);
}
