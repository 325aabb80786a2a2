// Appending to the ledger: each event chained to the one before by its hash (docs/storage.md), in the store's write
// transaction, with the head, the events' origins and the webhook outbox moved in that same transaction.
import type { Kysely, Transaction } from 'kysely';
import type { LedgerEvent, NewLedgerEvent } from '../domain/ledger.js';
import * as eventOrigins from './event-origins.js';
import { type HashInput, hashChunk, type LedgerHasher } from './ledger-hasher.js';
import { insertLedgerRows, LEDGER_CHUNK, pushLedgerParams } from './ledger-insert.js';
import { checkLedgerEvent } from './ledger-rows.js';
import { newId } from './rows.js';
import type { Database } from './schema.js';
import * as webhooks from './webhooks.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What appending needs of the store. */
export interface LedgerWriter {
  dialect: 'sqlite' | 'postgres';
  /** Hashes large SQLite batches on a worker thread; null: always in-thread. */
  hasher: LedgerHasher | null;
  /**
   * Runs `append` in the store's write transaction (PostgreSQL's writer lock, changeToken's count), on that
   * transaction's connection; within a transaction already, in it.
   */
  inTransaction: (append: (db: Db) => Promise<LedgerEvent[]>) => Promise<LedgerEvent[]>;
}

/** Appends events in order to the chained ledger; an event whose idempotency key exists (or came before) is skipped. */
export async function appendEvents(events: readonly NewLedgerEvent[], writer: LedgerWriter): Promise<LedgerEvent[]> {
  if (events.length === 0) return [];
  for (const [i, e] of events.entries()) checkLedgerEvent(e, i);
  return writer.inTransaction(async (db) => {
    const chunk = LEDGER_CHUNK[writer.dialect];
    let head = db.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1);
    if (writer.dialect === 'postgres') head = head.forUpdate();
    const current = await head.executeTakeFirstOrThrow();
    const keys = events.map((e) => e.idempotencyKey).filter((k): k is string => typeof k === 'string');
    const seen = new Set<string>();
    for (let i = 0; i < keys.length; i += chunk) {
      const rows = await db
        .selectFrom('ledger_events')
        .select('idempotency_key')
        .where('idempotency_key', 'in', keys.slice(i, i + chunk))
        .execute();
      for (const r of rows) if (r.idempotency_key) seen.add(r.idempotency_key);
    }
    let seq = Number(current.seq);
    let prev = current.hash;
    const recordedAt = new Date().toISOString();
    // Each event's place (seq, id) is fixed first; then chunks are hashed (on a worker for large SQLite batches:
    // src/store/ledger-hasher.ts) and inserted in order.
    const inputs: HashInput[] = [];
    for (const e of events) {
      if (e.idempotencyKey) {
        if (seen.has(e.idempotencyKey)) continue;
        seen.add(e.idempotencyKey);
      }
      // Field by field (no spread): extra members of the caller's objects stay out of the ledger.
      inputs.push({
        seq: ++seq,
        id: newId(),
        contactId: e.contactId,
        type: e.type,
        at: e.at,
        data: e.data,
        evidence: e.evidence ?? null,
        recordedAt,
        recordedBy: e.recordedBy,
        idempotencyKey: e.idempotencyKey ?? null,
      });
    }
    const chunks: HashInput[][] = [];
    for (let i = 0; i < inputs.length; i += chunk) chunks.push(inputs.slice(i, i + chunk));
    // The first chunk is hashed here while the worker starts on the next ones: the appending thread used to idle
    // ~0.6 ms per 1,000-event batch for the worker's first answer, and a chunk ahead the worker keeps up with
    // SQLite (bench/ingest, import order: +6 % over four alternating runs).
    const first = chunks.length > 1 && writer.dialect === 'sqlite' ? hashChunk(chunks[0] as HashInput[], prev) : null;
    const onWorker = first ? writer.hasher?.hashChunks(chunks.slice(1), first.hash.at(-1) as string) : null;
    const out: LedgerEvent[] = [];
    // Rows go out a chunk at a time while the next chunk is hashed: on PostgreSQL the server writes one chunk
    // while this process chains the next; on SQLite the worker chains the next while SQLite writes. An INSERT that
    // fails is awaited (and rethrown) before anything else.
    let pending: Promise<unknown> | null = null;
    const flush = async (params: unknown[]): Promise<void> => {
      if (pending !== null) await pending;
      pending = params.length > 0 ? insertLedgerRows(db, writer.dialect, params) : null;
      pending?.catch(() => {});
      // PostgreSQL: let the driver put the INSERT on the wire before this process hashes the next chunk.
      if (pending !== null && writer.dialect === 'postgres') await new Promise<void>((ok) => setImmediate(ok));
    };
    for (let k = 0; k < chunks.length; k++) {
      const part = chunks[k] as HashInput[];
      const posted = k === 0 ? null : onWorker?.[k - 1];
      const hashed = (k === 0 ? first : posted ? await posted : null) ?? hashChunk(part, prev);
      if (!hashed.ok) throw new Error(`hashing ledger events failed: ${hashed.message}`);
      const params: unknown[] = [];
      for (let i = 0; i < part.length; i++) {
        const e = part[i] as HashInput;
        const stored: LedgerEvent = {
          seq: e.seq,
          id: e.id,
          contactId: e.contactId,
          type: e.type as LedgerEvent['type'],
          at: e.at,
          data: e.data,
          evidence: e.evidence,
          evidenceHash: hashed.evidenceHash[i] ?? null,
          recordedAt,
          recordedBy: e.recordedBy,
          idempotencyKey: e.idempotencyKey,
          prevHash: prev,
          hash: hashed.hash[i] as string,
        };
        prev = stored.hash;
        out.push(stored);
        // The canonical JSON of data and evidence is both what was hashed and what is stored.
        pushLedgerParams(params, stored, hashed.data[i] as string, hashed.evidence[i] ?? null);
      }
      await flush(params);
    }
    await flush([]);
    // Where moved events came from, so that an import finds them again by the hashes of their source (0016).
    await eventOrigins.recordOrigins(db, out);
    // webhooks (issue #4): outbox rows for these events are written here, in this same transaction
    await webhooks.enqueueWebhooks(db, out);
    if (out.length > 0) {
      await db.updateTable('ledger_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
    }
    return out;
  });
}
