// Reading the ledger: a contact's history (with those of the contacts merged into it), by batch, by page, and the
// events stored under idempotency keys.
import type { Kysely, Transaction } from 'kysely';
import type { DecisionEvent, LedgerEvent } from '../domain/ledger.js';
import { rowToEvent } from './ledger-rows.js';
import { INSERT_CHUNK } from './rows.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function eventsByIdempotencyKeys(db: Db, keys: readonly string[]): Promise<Map<string, LedgerEvent>> {
  const out = new Map<string, LedgerEvent>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('ledger_events')
      .selectAll()
      .where('idempotency_key', 'in', unique.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const r of rows) if (r.idempotency_key !== null) out.set(r.idempotency_key, rowToEvent(r));
  }
  return out;
}

export async function historyOf(db: Db, contactId: string): Promise<LedgerEvent[]> {
  return (await historiesOf(db, [contactId])).get(contactId) ?? [];
}

export async function historyPage(
  db: Db,
  contactId: string,
  page: { after: number | null; limit: number | null },
): Promise<LedgerEvent[]> {
  let q = db
    .selectFrom('ledger_events')
    .selectAll()
    .where('contact_id', 'in', [...(await ownersOf(db, [contactId])).keys()]);
  if (page.after !== null) q = q.where('seq', '>', page.after);
  if (page.limit !== null) q = q.limit(page.limit);
  return (await q.orderBy('seq').execute()).map(rowToEvent);
}

export async function historiesOf(db: Db, contactIds: readonly string[]): Promise<Map<string, LedgerEvent[]>> {
  return readHistories(
    db,
    contactIds,
    (db, ids) => db.selectFrom('ledger_events').selectAll().where('contact_id', 'in', ids).orderBy('seq').execute(),
    rowToEvent,
  );
}

export async function decisionHistoriesOf(
  db: Db,
  contactIds: readonly string[],
): Promise<Map<string, DecisionEvent[]>> {
  // Only what the engine reads: no evidence to parse, no hashes to carry (bulk screening reads millions).
  return readHistories(
    db,
    contactIds,
    (db, ids) =>
      db
        .selectFrom('ledger_events')
        .select(['contact_id', 'type', 'at', 'data', 'recorded_at'])
        .where('contact_id', 'in', ids)
        .orderBy('seq')
        .execute(),
    (r) => {
      const data = JSON.parse(r.data) as Record<string, unknown>;
      return { type: r.type as LedgerEvent['type'], at: effectiveAt(r.type, r.at, r.recorded_at, data), data };
    },
  );
}

/**
 * When an event counts for decisions: its date, but a "no" (objection, refusal, withdrawal, a refusal during a call)
 * dated ahead of its recording counts from its recording. An act may be dated up to a day ahead (clock skew, a
 * wrong offset: record-events.ts), and an objection takes effect at once (GDPR art. 21(3); CPCE L34-5 al. 4): a CRM
 * sending an unsubscribe three hours "in the future" must not leave three hours of messages allowed.
 */
function effectiveAt(type: string, at: string, recordedAt: string, data: Record<string, unknown>): string {
  const no =
    type === 'objection' ||
    type === 'consent.withdrawn' ||
    type === 'consent.refused' ||
    (type === 'call' && data.outcome === 'refused');
  return no && Date.parse(recordedAt) < Date.parse(at) ? recordedAt : at;
}

/** Each contact's events in ledger order, those of contacts merged into it included. */
async function readHistories<R extends { contact_id: string }, E>(
  db: Db,
  contactIds: readonly string[],
  query: (db: Db, ids: string[]) => Promise<R[]>,
  map: (row: R) => E,
): Promise<Map<string, E[]>> {
  const out = new Map<string, E[]>(contactIds.map((id) => [id, []]));
  if (contactIds.length === 0) return out;
  const owner = await ownersOf(db, contactIds);
  for (const r of await query(db, [...owner.keys()])) out.get(owner.get(r.contact_id) as string)?.push(map(r));
  return out;
}

/** Whose history each stored contact id's events belong to: each given id, and the contacts merged into it. */
async function ownersOf(db: Db, contactIds: readonly string[]): Promise<Map<string, string>> {
  const owner = new Map<string, string>(contactIds.map((id) => [id, id]));
  const merged = await db
    .selectFrom('contacts')
    .select(['id', 'merged_into'])
    .where('merged_into', 'in', [...contactIds])
    .execute();
  for (const m of merged) if (m.merged_into) owner.set(m.id, m.merged_into);
  return owner;
}

/**
 * The records of the erasures made at the instant `at` (an erasure dates its suppression entries with its own
 * instant): by a scan, for the rare question "whose erasure put this hash on the suppression list?".
 */
export async function erasureRecordsAt(db: Db, at: string): Promise<LedgerEvent[]> {
  // Through the contacts erased at that instant (indexed, migration 0021), then their own events: the ledger has no
  // index on type and date, and a scan of it blocked the server for a quarter of a second per 2M events.
  const ids = (await db.selectFrom('contacts').select('id').where('erased_at', '=', at).execute()).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('ledger_events')
    .selectAll()
    .where('contact_id', 'in', ids)
    .where('type', '=', 'contact.erased')
    .where('at', '=', at)
    .orderBy('seq')
    .execute();
  return rows.map(rowToEvent);
}
