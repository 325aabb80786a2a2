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
    /** GDPR art. 17: set when the person's data was erased (migration 0010). */
    erased_at?: string | null;
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
  /** The hashes earlier databases recorded a moved event under (`evidence.movedFrom[].hash`; migration 0016). */
  event_origins: { hash: string; seq: number };
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
  /** Generated signing secrets of recipient links (issue #5); the newest live one signs. */
  recipient_token_secrets: { id: string; secret: string; created_at: string; retired_at: string | null };
  /** Access and erasure requests from the preference center (issue #5), for the data-protection officer. */
  rights_requests: {
    id: string;
    contact_id: string;
    kind: string;
    status: string;
    nonce: string;
    evidence: string | null;
    requested_at: string;
    settled_at?: string | null;
    settled_by?: string | null;
    answer?: string | null;
    /** A rectification request's text: what the person says is wrong (migration 0011). */
    details?: string | null;
    /** A granted restriction (GDPR art. 18) lifted: when, by whom, and when the person was told (migration 0023). */
    lifted_at?: string | null;
    lifted_by?: string | null;
    informed_at?: string | null;
    /** The period extended by two months (GDPR art. 12(3)): when, by whom, the reasons given (migration 0024). */
    extended_at?: string | null;
    extended_by?: string | null;
    extension_reason?: string | null;
  };
  /** Nonces of recipient-page forms already acted on (migration 0018): a replayed form is refused. */
  spent_nonces: { nonce: string; spent_at: string; expires_ms: number };
  /** Consent collection forms (issue #5): `settings` is the FormSettings JSON (src/services/forms/settings.ts). */
  consent_forms: {
    id: string;
    name: string;
    settings: string;
    created_at: string;
    /** 1 as created, +1 at each change of name or settings. */
    revision: Generated<number>;
    updated_at: string | null;
    /** Set when the form is retired: its page and POST answer 410; pending confirmations still work. */
    retired_at: string | null;
  };
  /** Pending and settled double opt-in requests (issue #5); `items` is the JSON of the boxes awaiting confirmation. */
  consent_requests: {
    id: string;
    form_id: string;
    contact_id: string;
    nonce: string;
    via: string;
    destination: string;
    language: string;
    items: string;
    status: string;
    requested_at: string;
    requested_ms: number;
    expires_ms: number;
    reminders: number;
    last_sent_ms: number;
    settled_at: string | null;
    /** JSON of a deferred sign-up (ConsentRequest.deferred), or null. */
    deferred: string | null;
  };
  /** Imports of named opposition lists (issue #6): `status` loading → complete (the atomic switch) or failed. */
  list_versions: {
    id: Generated<number>;
    name: string;
    status: string;
    as_of: string;
    country: string;
    file_name: string;
    file_sha256: string;
    entries: number;
    rejected: number;
    imported_at: string;
    completed_at: string | null;
  };
  /** One screening run (src/store/screenings.ts): what was screened, when, for which date, on which list versions. */
  screenings: {
    id: string;
    ran_at: string;
    finished_at: string;
    at: string;
    via: string;
    campaign_id: string | null;
    channel: string;
    purpose: string;
    jurisdiction: string | null;
    dry_run: number;
    refused: number;
    audience_sha256: string | null;
    audience_rows: number;
    allowed: number;
    excluded: number;
    /** JSON: ScreeningListVersion[]. */
    lists: string;
    /** JSON: the summary's listProblems. */
    list_problems: string;
    /** JSON: { byReason, byBasis, byChannel, byList }. */
    counts: string;
    out_dir: string | null;
  };
  /** A list version's normalised identifiers (E.164 phones, lower-cased emails). */
  list_entries: { version_id: number; value: string };
  /** The company suppression list (issue #6): SHA-256 of `kind:value`, never the identifier. */
  suppressions: { hash: string; reason: string; at: string };
  /** Hashes taken off the suppression list: what for, since when, when, how and by whom (kept as proof). */
  suppression_lifts: {
    hash: string;
    reason: string;
    suppressed_at: string;
    lifted_at: string;
    via: string;
    lifted_by: string;
  };
  /** Campaign sends (issue #6): one row per message sent or failed; `obligations` is a JSON array of codes. */
  campaign_sends: {
    id: string;
    campaign_id: string;
    contact_id: string;
    channel: string;
    address: string;
    status: string;
    basis: string;
    obligations: string;
    template_sha256: string;
    message_id: string | null;
    error: string | null;
    sent_at: string;
  };
  /** Who a campaign sends to, claimed before the message leaves (one claim per campaign and contact). */
  campaign_claims: {
    campaign_id: string;
    contact_id: string;
    claimed_at: string;
  };
  /** Bought and rented lists (issue #6): provider, collection method, proof of consent; `informed` 1, 0 or null. */
  acquisitions: {
    id: string;
    provider: string;
    kind: string;
    collection_method: string;
    consent_proof: string;
    collected_at: string;
    acquired_at: string;
    informed: number | null;
    created_at: string;
    recorded_by: string;
  };
  /** An acquisition's proof documents, whole: `content` is a blob (SQLite) or bytea (PostgreSQL). */
  acquisition_documents: {
    acquisition_id: string;
    sha256: string;
    name: string;
    size: number;
    content: Uint8Array;
    added_at: string;
  };
  /** The acquisition an import run (`import_batches.id`) was imported under. */
  acquisition_imports: { import_id: number; acquisition_id: string };
}
