// Opposition lists and the company suppression list (issue #6; docs/lists.md). A list import is one version: its
// entries are written in many transactions while the version is `loading`, and one UPDATE to `complete` makes it
// the version lookups use (the atomic switch). Older versions are kept for proof; a failed import stays `failed`.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import { listKey, listNameProblem } from '../domain/list-names.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

export type ListVersionStatus = 'loading' | 'complete' | 'failed';

/** One import of a named list (bloctel, robinson, tps, dncm…). */
export interface ListVersion {
  id: number;
  name: string;
  status: ListVersionStatus;
  /** The list's own date (YYYY-MM-DD): when its publisher produced the file. */
  asOf: string;
  /** ISO 3166-1 alpha-2 region national numbers were read in; also the list's calendar for staleness. */
  country: string;
  fileName: string;
  fileSha256: string;
  entries: number;
  rejected: number;
  importedAt: string;
  completedAt: string | null;
}

export interface NewListVersion {
  name: string;
  asOf: string;
  country: string;
  fileName: string;
  fileSha256: string;
  importedAt: string;
}

/** One hashed identifier of the company suppression list. */
export interface Suppression {
  /** SHA-256 hex of `kind:normalisedValue` (see suppressionHash in src/services/lists/suppression.ts). */
  hash: string;
  reason: 'erased' | 'objection';
  at: string;
}

/** Rows per multi-row INSERT of entries: 2 parameters a row, under SQLite's 32,766 and PostgreSQL's 65,535. */
export const ENTRY_CHUNK = 5000;
/**
 * Values per lookup query. PostgreSQL's planner switches from index probes to a full scan of `list_entries` as the
 * probe list grows (measured at 1,000,000 entries: 2,000 values probe the index, 4,000 scan, 10× slower), so it gets
 * 1,000 a query; SQLite always probes the index.
 */
const lookupChunk = (dialect: Dialect): number => (dialect === 'postgres' ? 1000 : 5000);

type Dialect = 'sqlite' | 'postgres';

/**
 * `column IN (values)`: on PostgreSQL one array parameter (`= ANY($1::text[])`), which spares Kysely compiling and
 * the server parsing thousands of placeholders (2× faster on 10,000-value lookups); SQLite binds each value.
 */
function inList(dialect: Dialect, column: string, values: string[]) {
  return dialect === 'postgres'
    ? sql<boolean>`${sql.ref(column)} = any(${values}::text[])`
    : sql<boolean>`${sql.ref(column)} in (${sql.join(values)})`;
}

type VersionRow = Selectable<Database['list_versions']>;

const versionOf = (r: VersionRow): ListVersion => ({
  id: Number(r.id),
  name: r.name,
  status: r.status as ListVersionStatus,
  asOf: r.as_of,
  country: r.country,
  fileName: r.file_name,
  fileSha256: r.file_sha256,
  entries: Number(r.entries),
  rejected: Number(r.rejected),
  importedAt: r.imported_at,
  completedAt: r.completed_at,
});

/** A new version in `loading` state: invisible to lookups until completeListVersion. */
export async function beginListVersion(db: Db, init: NewListVersion): Promise<ListVersion> {
  const problem = listNameProblem(init.name);
  if (problem !== null) throw new StoreError('INVALID', problem);
  const row = await db
    .insertInto('list_versions')
    .values({
      name: init.name,
      status: 'loading',
      as_of: init.asOf,
      country: init.country,
      file_name: init.fileName,
      file_sha256: init.fileSha256,
      entries: 0,
      rejected: 0,
      imported_at: init.importedAt,
      completed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return versionOf(row);
}

/** Adds normalised values to a loading version (duplicates are ignored); returns how many were new. */
export async function addListEntries(db: Db, versionId: number, values: readonly string[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < values.length; i += ENTRY_CHUNK) {
    const rows = values.slice(i, i + ENTRY_CHUNK).map((value) => ({ version_id: versionId, value }));
    const result = await db
      .insertInto('list_entries')
      .values(rows)
      .onConflict((oc) => oc.columns(['version_id', 'value']).doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** The switch: the version becomes the one lookups use, in one statement. Only a loading version completes. */
export async function completeListVersion(
  db: Db,
  versionId: number,
  counts: { entries: number; rejected: number; at: string },
): Promise<ListVersion> {
  const row = await db
    .updateTable('list_versions')
    .set({ status: 'complete', entries: counts.entries, rejected: counts.rejected, completed_at: counts.at })
    .where('id', '=', versionId)
    .where('status', '=', 'loading')
    .returningAll()
    .executeTakeFirst();
  if (row === undefined) throw new StoreError('CONFLICT', `list version ${versionId} is not loading`);
  return versionOf(row);
}

/** Marks a version that will never complete; its partial entries are deleted (they prove nothing). */
export async function failListVersion(db: Db, versionId: number): Promise<void> {
  await db.deleteFrom('list_entries').where('version_id', '=', versionId).execute();
  await db
    .updateTable('list_versions')
    .set({ status: 'failed' })
    .where('id', '=', versionId)
    .where('status', '=', 'loading')
    .execute();
}

/** Every version, newest first (optionally of one list). */
export async function listVersions(db: Db, name?: string): Promise<ListVersion[]> {
  let q = db.selectFrom('list_versions').selectAll();
  if (name !== undefined) q = q.where('name', '=', name);
  return (await q.orderBy('id', 'desc').execute()).map(versionOf);
}

/** Per list name, the complete version begun last (highest id): the one lookups use. */
export async function currentListVersions(db: Db): Promise<ListVersion[]> {
  // A few rows a list import: the last complete version of each list is picked here rather than in SQL.
  const rows = await db
    .selectFrom('list_versions')
    .selectAll()
    .where('status', '=', 'complete')
    .orderBy('id')
    .execute();
  const last = new Map<string, ListVersion>();
  for (const r of rows) {
    const v = versionOf(r);
    last.set(listKey(v), v);
  }
  return [...last.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.country < b.country ? -1 : 1,
  );
}

/** The (version, value) pairs among these versions whose value is one of these. */
export async function listEntriesAmong(
  db: Db,
  dialect: Dialect,
  versionIds: readonly number[],
  values: readonly string[],
): Promise<{ versionId: number; value: string }[]> {
  if (versionIds.length === 0 || values.length === 0) return [];
  const found: { versionId: number; value: string }[] = [];
  const unique = [...new Set(values)];
  for (let i = 0; i < unique.length; i += lookupChunk(dialect)) {
    const rows = await db
      .selectFrom('list_entries')
      .select(['version_id', 'value'])
      .where('version_id', 'in', [...versionIds])
      .where(inList(dialect, 'value', unique.slice(i, i + lookupChunk(dialect))))
      .execute();
    for (const r of rows) found.push({ versionId: Number(r.version_id), value: r.value });
  }
  return found;
}

/** Adds hashes to the suppression list; one already there keeps its first reason and date. Returns how many were new. */
export async function addSuppressions(db: Db, entries: readonly Suppression[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < entries.length; i += 2000) {
    const rows = entries.slice(i, i + 2000).map((e) => ({ hash: e.hash, reason: e.reason, at: e.at }));
    if (rows.length === 0) continue;
    const result = await db
      .insertInto('suppressions')
      .values(rows)
      .onConflict((oc) => oc.column('hash').doNothing())
      .executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** How and by whom hashes were taken off the suppression list (kept with each, `suppression_lifts`). */
export interface SuppressionLift {
  at: string;
  /** How: `contacts add --returning`, `POST /v1/contacts?returning=true`, `consent request <id> confirmed`… */
  via: string;
  by: string;
}

/** A hash that was taken off the suppression list: what it was there for and since when, and the lift. */
export interface LiftedSuppression extends SuppressionLift {
  hash: string;
  reason: string;
  suppressedAt: string;
}

/**
 * Takes hashes off the suppression list: the person came back of their own accord (a new sign-up, a confirmed
 * consent); their ledger keeps the proof of the earlier objection or erasure, and `suppression_lifts` the proof of
 * the lift. Call it in a transaction (the copy and the delete go together). Returns how many were on it.
 */
export async function liftSuppressions(
  db: Db,
  dialect: Dialect,
  hashes: readonly string[],
  lift: SuppressionLift,
): Promise<number> {
  let lifted = 0;
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += lookupChunk(dialect)) {
    const chunk = unique.slice(i, i + lookupChunk(dialect));
    const rows = await db
      .selectFrom('suppressions')
      .selectAll()
      .where(inList(dialect, 'hash', chunk))
      .execute();
    if (rows.length === 0) continue;
    await db
      .insertInto('suppression_lifts')
      .values(
        rows.map((r) => ({
          hash: r.hash,
          reason: r.reason,
          suppressed_at: r.at,
          lifted_at: lift.at,
          via: lift.via,
          lifted_by: lift.by,
        })),
      )
      .execute();
    const result = await db
      .deleteFrom('suppressions')
      .where(inList(dialect, 'hash', chunk))
      .executeTakeFirst();
    lifted += Number(result.numDeletedRows ?? 0);
  }
  return lifted;
}

/** The lifts of these hashes, oldest first. */
export async function suppressionLifts(
  db: Db,
  dialect: Dialect,
  hashes: readonly string[],
): Promise<LiftedSuppression[]> {
  const out: LiftedSuppression[] = [];
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += lookupChunk(dialect)) {
    const rows = await db
      .selectFrom('suppression_lifts')
      .selectAll()
      .where(inList(dialect, 'hash', unique.slice(i, i + lookupChunk(dialect))))
      .execute();
    for (const r of rows) {
      out.push({
        hash: r.hash,
        reason: r.reason,
        suppressedAt: r.suppressed_at,
        at: r.lifted_at,
        via: r.via,
        by: r.lifted_by,
      });
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * Every lift, a page of hashes at a time (`after`: the last hash of the previous page; all the lifts of a hash in one
 * page), ordered by hash then date: for `assent export`, so that the trace of why a person is reachable again moves
 * with the database.
 */
export async function listSuppressionLifts(
  db: Db,
  dialect: Dialect,
  page: { after: string | null; limit: number },
): Promise<LiftedSuppression[]> {
  let query = db.selectFrom('suppression_lifts').select('hash').distinct().orderBy('hash').limit(page.limit);
  if (page.after !== null) query = query.where('hash', '>', page.after);
  const hashes = (await query.execute()).map((r) => r.hash);
  const lifts = await suppressionLifts(db, dialect, hashes);
  return lifts.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
}

/**
 * Keeps lifts made on another database (`assent import` of an export's `suppressionLift` lines): only their record,
 * never this database's list, whose entries may be newer than the lift. One already kept (same hash, instant, way
 * and author) is not kept twice: a resumed or repeated import adds nothing. Returns how many were new.
 */
export async function addSuppressionLifts(db: Db, lifts: readonly LiftedSuppression[]): Promise<number> {
  let added = 0;
  for (const l of lifts) {
    const kept = await db
      .selectFrom('suppression_lifts')
      .select('hash')
      .where('hash', '=', l.hash)
      .where('lifted_at', '=', l.at)
      .where('via', '=', l.via)
      .where('lifted_by', '=', l.by)
      .executeTakeFirst();
    if (kept !== undefined) continue;
    await db
      .insertInto('suppression_lifts')
      .values({
        hash: l.hash,
        reason: l.reason,
        suppressed_at: l.suppressedAt,
        lifted_at: l.at,
        via: l.via,
        lifted_by: l.by,
      })
      .execute();
    added++;
  }
  return added;
}

/** The hashes among these that are on the suppression list. */
export async function suppressedAmong(db: Db, dialect: Dialect, hashes: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>();
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += lookupChunk(dialect)) {
    const rows = await db
      .selectFrom('suppressions')
      .select('hash')
      .where(inList(dialect, 'hash', unique.slice(i, i + lookupChunk(dialect))))
      .execute();
    for (const r of rows) found.add(r.hash);
  }
  return found;
}

/** The entries among these hashes that are on the suppression list, with their reason and date. */
export async function suppressionsAmong(db: Db, dialect: Dialect, hashes: readonly string[]): Promise<Suppression[]> {
  const out: Suppression[] = [];
  const unique = [...new Set(hashes)];
  for (let i = 0; i < unique.length; i += lookupChunk(dialect)) {
    const rows = await db
      .selectFrom('suppressions')
      .select(['hash', 'reason', 'at'])
      .where(inList(dialect, 'hash', unique.slice(i, i + lookupChunk(dialect))))
      .execute();
    for (const r of rows) out.push({ hash: r.hash, reason: r.reason as Suppression['reason'], at: r.at });
  }
  return out;
}

/** The suppression list a page at a time, by hash (`after`: the last hash of the previous page). */
export async function listSuppressions(db: Db, page: { after: string | null; limit: number }): Promise<Suppression[]> {
  let query = db.selectFrom('suppressions').select(['hash', 'reason', 'at']).orderBy('hash').limit(page.limit);
  if (page.after !== null) query = query.where('hash', '>', page.after);
  return (await query.execute()).map((r) => ({ hash: r.hash, reason: r.reason as Suppression['reason'], at: r.at }));
}

/** How many hashes the suppression list holds. */
export async function suppressionCount(db: Db): Promise<number> {
  const row = await db
    .selectFrom('suppressions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
