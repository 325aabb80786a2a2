// The acts an import brings that this database holds already (docs/import.md, "Already here"): an event is found by
// its own hash, or by a hash under which a database it was moved from had recorded it (`evidence.movedFrom[].hash`,
// kept in event_origins, migration 0016). An export imported back into its source, or a person synced to a third
// database and exported again, is then recognised as the same acts, not recorded twice.
import type { Kysely, Transaction } from 'kysely';
import type { LedgerEvent } from '../domain/ledger.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Hashes per lookup, and origin rows per INSERT (2 parameters each): under both dialects' parameter limits. */
const CHUNK = 1000;

const HASH = /^[0-9a-f]{64}$/;

/** An event stored here that is one of the acts looked up, and the person it is of now. */
export interface StoredAct {
  seq: number;
  /** The contact holding it now: the one it was recorded for, or the one that contact was merged into. */
  contactId: string;
  /** That contact's erasure, or null while live. */
  erasedAt: string | null;
  /** What it records, to compare with the act an import brings (a `movedFrom` is no signature). */
  type: string;
  at: string;
  data: unknown;
}

/**
 * An act as a database recorded it: its hash there, and its `seq` there when known (moves recorded before the seq
 * was kept give the hash alone).
 */
export interface ActRef {
  hash: string;
  seq: number | null;
}

/** What an event's evidence says earlier databases recorded it under (`movedFrom[]`: hash, and seq when kept). */
export function movedFromRefs(evidence: unknown): ActRef[] {
  const moved = (evidence as { movedFrom?: unknown } | null)?.movedFrom;
  if (!Array.isArray(moved)) return [];
  const out: ActRef[] = [];
  for (const m of moved) {
    const { hash, seq } = (m ?? {}) as { hash?: unknown; seq?: unknown };
    if (typeof hash !== 'string' || !HASH.test(hash)) continue;
    out.push({ hash, seq: Number.isSafeInteger(seq) && (seq as number) > 0 ? (seq as number) : null });
  }
  return out;
}

/** The distinct hashes an event's evidence says earlier databases recorded it under (`movedFrom[].hash`). */
export function movedFromHashes(evidence: unknown): string[] {
  return [...new Set(movedFromRefs(evidence).map((r) => r.hash))];
}

/** Keeps the origins of events just appended, in the same transaction (nothing to do for events never moved). */
export async function recordOrigins(db: Db, events: readonly LedgerEvent[]): Promise<void> {
  const rows = events.flatMap((e) => movedFromHashes(e.evidence).map((hash) => ({ hash, seq: e.seq })));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('event_origins')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

/**
 * By hash: the stored events recorded under it, here or in a database they were moved from. An event recorded here
 * is found by its seq, then its hash compared: the ledger has no index on its hashes, which are random and would
 * cost every append a random index page (bench/ingest: a third of the rate). Moved events are found by the hashes
 * event_origins keeps.
 */
export async function eventsByOrigins(db: Db, refs: readonly ActRef[]): Promise<Map<string, StoredAct[]>> {
  const found: { hash: string; seq: number; contact_id: string; type: string; at: string; data: string }[] = [];
  const unique = [...new Set(refs.map((r) => r.hash))];
  for (let i = 0; i < unique.length; i += CHUNK) {
    found.push(
      ...(await db
        .selectFrom('event_origins as o')
        .innerJoin('ledger_events as e', 'e.seq', 'o.seq')
        .select(['o.hash', 'e.seq', 'e.contact_id', 'e.type', 'e.at', 'e.data'])
        .where('o.hash', 'in', unique.slice(i, i + CHUNK))
        .execute()),
    );
  }
  const wanted = new Set(refs.filter((r) => r.seq !== null).map((r) => `${r.seq}:${r.hash}`));
  const seqs = [...new Set(refs.flatMap((r) => (r.seq === null ? [] : [r.seq])))];
  for (let i = 0; i < seqs.length; i += CHUNK) {
    const rows = await db
      .selectFrom('ledger_events')
      .select(['hash', 'seq', 'contact_id', 'type', 'at', 'data'])
      .where('seq', 'in', seqs.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) if (wanted.has(`${Number(r.seq)}:${r.hash}`)) found.push(r);
  }
  const people = await holders(db, [...new Set(found.map((f) => f.contact_id))]);
  const out = new Map<string, StoredAct[]>();
  for (const f of found) {
    const person = people.get(f.contact_id) as { id: string; erasedAt: string | null };
    const acts = out.get(f.hash) ?? [];
    acts.push({
      seq: Number(f.seq),
      contactId: person.id,
      erasedAt: person.erasedAt,
      type: f.type,
      at: f.at,
      data: JSON.parse(f.data) as unknown,
    });
    out.set(f.hash, acts);
  }
  return out;
}

/** Contact id → the contact holding its events now (itself, or the survivor of its merge) and its erasure. */
async function holders(db: Db, ids: readonly string[]): Promise<Map<string, { id: string; erasedAt: string | null }>> {
  const rows = new Map<string, { merged_into: string | null; erased_at: string | null }>();
  const read = async (wanted: readonly string[]) => {
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const part = await db
        .selectFrom('contacts')
        .select(['id', 'merged_into', 'erased_at'])
        .where('id', 'in', wanted.slice(i, i + CHUNK))
        .execute();
      for (const r of part) rows.set(r.id, { merged_into: r.merged_into, erased_at: r.erased_at ?? null });
    }
  };
  await read(ids);
  // Merges are kept flat (a record points at its survivor, never at another record): one more read at most.
  await read([...new Set([...rows.values()].flatMap((r) => r.merged_into ?? []))].filter((id) => !rows.has(id)));
  const out = new Map<string, { id: string; erasedAt: string | null }>();
  for (const id of ids) {
    const own = rows.get(id);
    const survivor = own?.merged_into ?? id;
    out.set(id, { id: survivor, erasedAt: rows.get(survivor)?.erased_at ?? null });
  }
  return out;
}
