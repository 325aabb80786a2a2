import type { Generated } from 'kysely';

/** Tables as Kysely sees them. Times are ISO 8601 text; `at_ms` orders and filters. */
export interface Database {
  contacts: {
    id: string;
    type: string;
    address: string | null;
    address_source: string | null;
    jurisdiction: string;
    time_zone: string | null;
    region: string | null;
    merged_into: string | null;
    created_at: string;
    updated_at: string;
  };
  identifiers: { kind: string; value: string; contact_id: string };
  consent_texts: {
    id: string;
    key: string;
    version: string;
    language: string;
    body: string;
    sha256: string;
    created_at: string;
  };
  ledger_events: {
    seq: number;
    id: string;
    contact_id: string;
    type: string;
    at: string;
    at_ms: number;
    data: string;
    evidence: string | null;
    evidence_hash: string | null;
    recorded_at: string;
    recorded_by: string;
    idempotency_key: string | null;
    prev_hash: string;
    hash: string;
  };
  ledger_head: { id: number; seq: number; hash: string };
  import_batches: {
    id: Generated<number>;
    file_sha256: string;
    source: string;
    status: string;
    lines_done: number;
    accepted: number;
    rejected: number;
    started_at: string;
    updated_at: string;
  };
}
