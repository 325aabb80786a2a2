import type { CompiledQuery, Kysely, Transaction } from 'kysely';
import { parseInstant } from '../domain/iso-time.js';
import type { LedgerEvent } from '../domain/ledger.js';
import type { Database } from './schema.js';

/** ledger_events columns, in the order `ledgerParams` lays out each row. */
export const LEDGER_COLUMNS = [
  'seq',
  'id',
  'contact_id',
  'type',
  'at',
  'at_ms',
  'data',
  'evidence',
  'evidence_hash',
  'recorded_at',
  'recorded_by',
  'idempotency_key',
  'prev_hash',
  'hash',
] as const;

/**
 * Rows per multi-row INSERT of ledger events (and keys per idempotency lookup), under the bound-parameter limits
 * (SQLite 32,766, PostgreSQL 65,535). On PostgreSQL a batch goes out in several chunks so the server writes one
 * while this process chains the next (1,000-event batches: 250 rows per chunk gave 64 % of the floor, one chunk of
 * 1,000 gave 46 %). SQLite's driver is synchronous: nothing overlaps, and the size barely matters. bench/ingest.
 */
export const LEDGER_CHUNK = { sqlite: 200, postgres: 250 } as const;

/** Epoch ms of a valid ISO 8601 instant; Date.parse reads no comma fraction (10:00:00,5Z), which ISO 8601 allows. */
function instantMs(at: string): number {
  const ms = Date.parse(at);
  if (!Number.isNaN(ms)) return ms;
  const parsed = parseInstant(at);
  return typeof parsed === 'number' ? parsed : Number.NaN;
}

/** One stored event as the INSERT's parameters, in LEDGER_COLUMNS order, appended to `into`; data and evidence as JSON. */
export function pushLedgerParams(into: unknown[], e: LedgerEvent, data: string, evidence: string | null): void {
  into.push(
    e.seq,
    e.id,
    e.contactId,
    e.type,
    e.at,
    instantMs(e.at),
    data,
    evidence,
    e.evidenceHash,
    e.recordedAt,
    e.recordedBy,
    e.idempotencyKey,
    e.prevHash,
    e.hash,
  );
}

/** The INSERT of a full chunk, compiled by Kysely once per dialect; its parameters are swapped for each chunk. */
const compiledFull = new Map<string, CompiledQuery>();

/** Inserts rows given as flat parameters (LEDGER_COLUMNS order) through Kysely, without building a query per chunk. */
export function insertLedgerRows(
  db: Kysely<Database> | Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  params: unknown[],
): Promise<unknown> {
  const rows = params.length / LEDGER_COLUMNS.length;
  const full = rows === LEDGER_CHUNK[dialect];
  let compiled = full ? compiledFull.get(dialect) : undefined;
  if (compiled === undefined) {
    compiled = compile(db, rows);
    if (full) compiledFull.set(dialect, compiled);
  }
  return db.executeQuery({ ...compiled, parameters: params });
}

function compile(db: Kysely<Database> | Transaction<Database>, rows: number): CompiledQuery {
  const n = LEDGER_COLUMNS.length;
  const marker = (r: number, c: number): string => `${r}.${c}`;
  const values = Array.from(
    { length: rows },
    (_, r) =>
      Object.fromEntries(LEDGER_COLUMNS.map((c, i) => [c, marker(r, i)])) as unknown as Database['ledger_events'],
  );
  const compiled = db.insertInto('ledger_events').values(values).compile();
  // Parameters can only be swapped if every value is bound, row by row in LEDGER_COLUMNS order: checked once.
  if (
    compiled.parameters.length !== rows * n ||
    compiled.parameters.some((p, i) => p !== marker(Math.floor(i / n), i % n))
  ) {
    throw new Error('kysely compiled the ledger INSERT with another parameter layout');
  }
  return compiled;
}
