import { historyEventOf, isRecordType, type LedgerEvent, type NewLedgerEvent } from '../domain/ledger.js';
import { InvalidRequestError, parseEvent } from '../domain/parse-request.js';
import { HISTORY_EVENT_FIELDS } from '../domain/request.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

const KNOWN: ReadonlySet<string> = new Set(HISTORY_EVENT_FIELDS);

/**
 * Refuses an event the engine could not read back: the ledger holds the contract's history vocabulary, checked
 * by the same parser as decision requests (the error names the event and the field).
 */
export function checkLedgerEvent(e: NewLedgerEvent, index: number): void {
  if (typeof e.contactId !== 'string' || e.contactId === '') {
    throw new StoreError('INVALID', `event ${index}: contactId is required`, `/events/${index}/contactId`);
  }
  if (typeof e.recordedBy !== 'string' || e.recordedBy.trim() === '') {
    throw new StoreError(
      'INVALID',
      `event ${index}: recordedBy (who recorded it) is required`,
      `/events/${index}/recordedBy`,
    );
  }
  if (isRecordType(e.type)) return;
  // A field the contract does not know is refused, not kept: a misspelt "purpse" would store a consent to every
  // purpose, and nothing would ever read the field (decision requests may carry extra fields; the ledger may not).
  for (const key of Object.keys(e.data ?? {})) {
    if (!KNOWN.has(key)) {
      throw new StoreError(
        'INVALID',
        `event ${index}: "${key}" is not a field of a history event (known: ${HISTORY_EVENT_FIELDS.join(', ')})`,
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
