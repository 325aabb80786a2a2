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
  /** API keys: the SHA-256 of the secret only; `scopes` comma-separated. */
  api_keys: {
    id: string;
    name: string;
    prefix: string;
    hash: string;
    scopes: string;
    created_at: string;
    revoked_at: string | null;
    last_used_at: string | null;
  };
  webhook_subscriptions: {
    id: string;
    url: string;
    secret: string;
    /** JSON array of topics; `*` is every topic. */
    topics: string;
    description: string | null;
    /** 1 or 0 (portable across SQLite and PostgreSQL). */
    active: number;
    created_at: string;
    disabled_at: string | null;
  };
  webhook_outbox: {
    seq: Generated<number>;
    id: string;
    subscription_id: string;
    topic: string;
    event_seq: number | null;
    payload: string;
    status: string;
    attempts: number;
    next_attempt_ms: number;
    last_status: number | null;
    last_error: string | null;
    last_attempt_at: string | null;
    delivered_at: string | null;
    created_at: string;
  };
}
