import { historyEventOf, isRecordType, type LedgerEvent, type NewLedgerEvent } from '../domain/ledger.js';
import { InvalidRequestError, parseEvent } from '../domain/parse-request.js';
import { HISTORY_EVENT_FIELDS } from '../domain/request.js';
import type { Database } from './schema.js';
import { noNul, StoreError } from './store.js';

const KNOWN: ReadonlySet<string> = new Set(HISTORY_EVENT_FIELDS);

/**
 * Refuses an event the engine could not read back: the ledger holds the contract's history vocabulary, checked
 * by the same parser as decision requests (the error names the event and the field as the parser does:
 * `events.0.evidence.callId`).
 */
export function checkLedgerEvent(e: NewLedgerEvent, index: number): void {
  if (typeof e.contactId !== 'string' || e.contactId === '') {
    throw new StoreError('INVALID', `events.${index}.contactId is required`, `/events/${index}/contactId`);
  }
  if (typeof e.recordedBy !== 'string' || e.recordedBy.trim() === '') {
    throw new StoreError(
      'INVALID',
      `events.${index}.recordedBy (who recorded it) is required`,
      `/events/${index}/recordedBy`,
    );
  }
  noNul(`events.${index}.recordedBy`, e.recordedBy, `/events/${index}/recordedBy`);
  noNul(`events.${index}.idempotencyKey`, e.idempotencyKey, `/events/${index}/idempotencyKey`);
  // Evidence is free-form JSON, hashed and stored as canonical text by recursive code: a value nested thousands deep
  // would overflow the stack there. Real evidence (a form, a call recording, an import) nests a few levels. A number
  // JSON does not carry exactly (past 2^53, or past the largest double, stored as null) would be kept as proof of
  // another value than the one sent: refused, naming where it is.
  for (const [field, value] of [
    ['evidence', e.evidence],
    ['data', e.data],
  ] as const) {
    const flaw = flawOf(value, MAX_NESTING);
    if (flaw === 'deep') {
      throw new StoreError(
        'INVALID',
        `events.${index}.${field} nests deeper than ${MAX_NESTING} levels`,
        `/events/${index}/${field}`,
      );
    }
    if (flaw !== null) {
      const [number, ...path] = flaw;
      throw new StoreError(
        'INVALID',
        `events.${index}.${[field, ...path].join('.')} is ${number}, a number JSON does not carry exactly (beyond ±${Number.MAX_SAFE_INTEGER}): send it as a string`,
        `/events/${index}/${[field, ...path].map(pointerToken).join('/')}`,
      );
    }
  }
  if (isRecordType(e.type)) return;
  // A field the contract does not know is refused, not kept: a misspelt "purpse" would store a consent to every
  // purpose, and nothing would ever read the field (decision requests may carry extra fields; the ledger may not).
  for (const key of Object.keys(e.data ?? {})) {
    if (!KNOWN.has(key)) {
      throw new StoreError(
        'INVALID',
        `events.${index}.${key} is not a field of a history event (known: ${HISTORY_EVENT_FIELDS.join(', ')})`,
        `/events/${index}/${key}`,
      );
    }
  }
  try {
    parseEvent(historyEventOf(e.type, e.at, e.data), `/events/${index}`);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw new StoreError('INVALID', error.message, error.path);
    throw error;
  }
}

/** Levels of objects and lists an event's data or evidence may nest. */
const MAX_NESTING = 32;

/**
 * What a JSON value holds that the ledger cannot keep as sent: `deep` when it nests objects or lists more than `max`
 * levels (it stops looking past that: no deep recursion), else the first number that is not a safe integer or a
 * finite fraction, with the keys leading to it; null when none.
 */
function flawOf(value: unknown, max: number): 'deep' | [number: string, ...path: string[]] | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && (Number.isSafeInteger(value) || !Number.isInteger(value)) ? null : [String(value)];
  }
  if (typeof value !== 'object' || value === null) return null;
  if (max === 0) return 'deep';
  // for…in, not Object.entries: no array built per event on the append path (bench/ingest).
  for (const k in value) {
    const flaw = flawOf((value as Record<string, unknown>)[k], max - 1);
    if (flaw === 'deep') return flaw;
    if (flaw !== null) {
      const [number, ...path] = flaw;
      return [number, k, ...path];
    }
  }
  return null;
}

/** A key as a JSON Pointer token (RFC 6901). */
const pointerToken = (key: string): string => key.replaceAll('~', '~0').replaceAll('/', '~1');

export function rowToEvent(r: Database['ledger_events']): LedgerEvent {
  return {
    seq: Number(r.seq),
    id: r.id,
    contactId: r.contact_id,
    type: r.type as LedgerEvent['type'],
    at: r.at,
    data: JSON.parse(r.data) as Record<string, unknown>,
    evidence: r.evidence === null ? null : (JSON.parse(r.evidence) as LedgerEvent['evidence']),
    evidenceHash: r.evidence_hash,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
    idempotencyKey: r.idempotency_key,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}
