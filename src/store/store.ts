import type { Contact, ContactInit, Identifier, IdentifierKind } from '../domain/contact.js';
import type { DecisionEvent, LedgerEvent, NewLedgerEvent } from '../domain/ledger.js';

/** A versioned consent wording, stored once and referenced by id and SHA-256. */
export interface ConsentText {
  id: string;
  key: string;
  version: string;
  language: string;
  body: string;
  sha256: string;
  createdAt: string;
}

/**
 * A change to a contact. `remove` deletes identifiers of the contact (rectification, GDPR art. 16): each must be
 * one of its own, and the contact keeps at least one. A removed email or phone is not put on the suppression list.
 */
export type ContactPatch = Partial<Pick<ContactInit, 'type' | 'address' | 'jurisdiction'>> & {
  /** null clears it: the recipient's zone is then read from their region, or the jurisdiction's. */
  timeZone?: string | null;
  /** null clears it. */
  region?: string | null;
  add?: Identifier[];
  remove?: Identifier[];
};

/** The first broken link of the ledger chain, or null when every event is where and what it was. */
export interface LedgerCheck {
  events: number;
  head: string;
  broken: null | { seq: number; id: string | null; problem: string };
  /**
   * Events whose evidence is gone while its SHA-256 is still chained (the first one's seq): the chain still proves
   * what each said, not how it was captured. Assent never removes evidence itself.
   */
  evidenceRemoved: { events: number; firstSeq: number | null };
}

/** Persistence behind one small interface, shaped around the domain (one implementation per SQL dialect). */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  /** `id`: the id a deferred sign-up promised the person (its confirmation creates them); else a new one. */
  createContact(init: ContactInit, options?: { id?: string }): Promise<Contact>;
  updateContact(id: string, patch: ContactPatch): Promise<Contact>;
  /** By id or any identifier (normalised first); merged contacts resolve to the one they were merged into. */
  findContact(
    by: { id: string } | { kind: IdentifierKind; value: string; jurisdiction?: string },
  ): Promise<Contact | null>;
  /**
   * Erases a person's data (GDPR art. 17): deletes the identifiers of the contact and of those merged into it,
   * marks them erased, blanks the addresses of their campaign sends and the text of their rectification requests,
   * and settles their pending double opt-in requests. Ledger events stay (the proof of each consent and opt-out). Returns the identifiers removed.
   */
  eraseContact(id: string, at: string): Promise<Identifier[]>;
  /** Merges `from` into `into`: identifiers move, both ledgers become `into`'s history, nothing is lost. */
  mergeContacts(into: string, from: string, recordedBy: string): Promise<Contact>;

  /** The stored events of these idempotency keys, by key (keys never used are left out). */
  eventsByIdempotencyKeys(keys: readonly string[]): Promise<Map<string, LedgerEvent>>;
  /**
   * The stored events recorded under these hashes, by hash: here (their own hash), or in a database they were moved
   * from (`evidence.movedFrom[].hash`), each with the contact holding it now (merges followed) and its erasure.
   */
  eventsByOrigins(
    refs: readonly import('./event-origins.js').ActRef[],
  ): Promise<Map<string, import('./event-origins.js').StoredAct[]>>;
  /** Appends events in order to the chained ledger; an event whose idempotency key exists is skipped. */
  appendEvents(events: readonly NewLedgerEvent[]): Promise<LedgerEvent[]>;
  /** A contact's events (and those of contacts merged into it), in ledger order. */
  historyOf(contactId: string): Promise<LedgerEvent[]>;
  /** A page of historyOf: at most `limit` (null: all) events after the one numbered `after` (its `seq`), in order. */
  historyPage(contactId: string, page: { after: number | null; limit: number | null }): Promise<LedgerEvent[]>;
  historiesOf(contactIds: readonly string[]): Promise<Map<string, LedgerEvent[]>>;
  /** The `contact.erased` records dated `at` (a scan: for tracing a suppression entry to its erasure). */
  erasureRecordsAt(at: string): Promise<LedgerEvent[]>;
  /** historiesOf with only what a decision reads (type, at, data): for bulk decisions and screening. */
  decisionHistoriesOf(contactIds: readonly string[]): Promise<Map<string, DecisionEvent[]>>;
  /** Walks the chain from the first event and names the first broken link. */
  verifyLedger(): Promise<LedgerCheck>;

  /** `createdAt`: when it was first published, for a text carried over from another database (default: now). */
  putConsentText(text: {
    key: string;
    version: string;
    language: string;
    body: string;
    createdAt?: string;
  }): Promise<ConsentText>;
  getConsentText(id: string): Promise<ConsentText | null>;
  listConsentTexts(): Promise<ConsentText[]>;

  // --- opposition and suppression lists (issue #6): implemented in src/store/lists.ts ---
  /** A new list version, invisible to lookups until completeListVersion. */
  beginListVersion(init: import('./lists.js').NewListVersion): Promise<import('./lists.js').ListVersion>;
  /** Adds normalised values to a loading version (duplicates ignored); returns how many were new. */
  addListEntries(versionId: number, values: readonly string[]): Promise<number>;
  /** The atomic switch: the version becomes the list's current one. */
  completeListVersion(
    versionId: number,
    counts: { entries: number; rejected: number; at: string },
  ): Promise<import('./lists.js').ListVersion>;
  /** A version that will never complete: marked failed, its partial entries deleted. */
  failListVersion(versionId: number): Promise<void>;
  listVersions(name?: string): Promise<import('./lists.js').ListVersion[]>;
  /** Records a screening run (docs/screening.md, "The screenings record"). */
  addScreening(record: import('./screenings.js').ScreeningRecord): Promise<void>;
  getScreening(id: string): Promise<import('./screenings.js').ScreeningRecord | null>;
  /** Screening runs, newest first. */
  listScreenings(page: {
    limit: number;
    before?: { ranAt: string; id: string } | null;
  }): Promise<import('./screenings.js').ScreeningRecord[]>;
  /** Per list name, the complete version begun last (highest id): the one lookups use. */
  currentListVersions(): Promise<import('./lists.js').ListVersion[]>;
  listEntriesAmong(
    versionIds: readonly number[],
    values: readonly string[],
  ): Promise<{ versionId: number; value: string }[]>;
  addSuppressions(entries: readonly import('./lists.js').Suppression[]): Promise<number>;
  suppressedAmong(hashes: readonly string[]): Promise<Set<string>>;
  /** The entries among these hashes on the suppression list, with their reason and date. */
  suppressionsAmong(hashes: readonly string[]): Promise<import('./lists.js').Suppression[]>;
  /**
   * Takes hashes off the suppression list (a person who came back of their own accord), keeping each with the lift
   * in `suppression_lifts`; how many were on it.
   */
  liftSuppressions(hashes: readonly string[], lift: import('./lists.js').SuppressionLift): Promise<number>;
  /** The lifts of these hashes, oldest first. */
  suppressionLifts(hashes: readonly string[]): Promise<import('./lists.js').LiftedSuppression[]>;
  suppressionCount(): Promise<number>;
  /** The suppression list a page at a time, ordered by hash (`after`: the last hash of the previous page). */
  listSuppressions(page: { after: string | null; limit: number }): Promise<import('./lists.js').Suppression[]>;
  /** Every lift, a page of hashes at a time (all the lifts of a hash in one page), ordered by hash then date. */
  listSuppressionLifts(page: {
    after: string | null;
    limit: number;
  }): Promise<import('./lists.js').LiftedSuppression[]>;
  /** Keeps lifts made on another database (their record only; the list is left as it is); how many were new. */
  addSuppressionLifts(lifts: readonly import('./lists.js').LiftedSuppression[]): Promise<number>;

  // --- campaign sends (issue #6) ---
  /** Records messages a campaign sent or failed to send. */
  recordSends(sends: readonly import('./sends.js').NewSend[]): Promise<void>;
  /** Of these contacts, those the campaign already sent to, or whose address was refused for good: a re-run skips both. */
  settledAmong(campaignId: string, contactIds: readonly string[]): Promise<Map<string, 'sent' | 'rejected'>>;
  /** Claims a campaign's message to a contact before it leaves; false: sent already or being sent by another run. */
  claimSend(campaignId: string, contactId: string): Promise<boolean>;
  /** Gives back the claim of a message that could not be sent. */
  releaseSend(campaignId: string, contactId: string): Promise<void>;
  /** Sends, oldest first: of a campaign and/or a contact, of a status, a page at a time (`after`). */
  listSends(opts: import('./sends.js').SendQuery): Promise<import('./sends.js').SendRecord[]>;

  // --- bought and rented lists (issue #6): implemented in src/store/acquisitions.ts ---
  /** Records an acquisition (provider, kind, collection method, proof of consent, dates); its documents follow. */
  createAcquisition(
    init: import('../domain/acquisition.js').NewAcquisition,
  ): Promise<import('../domain/acquisition.js').Acquisition>;
  /** Keeps a proof document whole, under its SHA-256 (20 MiB at most). */
  addAcquisitionDocument(
    acquisitionId: string,
    doc: import('./acquisitions.js').NewAcquisitionDocument,
  ): Promise<import('../domain/acquisition.js').AcquisitionDocument>;
  getAcquisition(id: string): Promise<import('../domain/acquisition.js').Acquisition | null>;
  listAcquisitions(): Promise<import('../domain/acquisition.js').Acquisition[]>;
  /** A document's bytes, by SHA-256 or file name; null when there is none. */
  acquisitionDocument(
    acquisitionId: string,
    ref: string,
  ): Promise<{ document: import('../domain/acquisition.js').AcquisitionDocument; content: Buffer } | null>;
  linkImportToAcquisition(importId: number, acquisitionId: string): Promise<void>;
  acquisitionOfImport(importId: number): Promise<string | null>;
  acquisitionImports(acquisitionId: string): Promise<import('./acquisitions.js').AcquisitionImport[]>;

  close(): Promise<void>;

  /**
   * A token that changes whenever a write that may change a decision could have happened since it was read, in
   * this process or another; null when the store cannot tell cheaply (nothing read from it may then be cached).
   */
  changeToken(): Promise<string | null>;

  /** Live contacts owning any of these (already normalised) identifiers, keyed `kind:value`; their own fields only. */
  contactsByIdentifiers(identifiers: readonly Identifier[]): Promise<Map<string, ContactFields>>;
  /** The identifiers of these contacts (merges moved their records' identifiers to them), by contact id. */
  identifiersOfContacts(contactIds: readonly string[]): Promise<Map<string, Identifier[]>>;
  /** Contacts by id, in bulk: a merged id gives its survivor; erased contacts and unknown ids are left out. */
  contactsByIds(ids: readonly string[]): Promise<Map<string, ContactFields>>;
  /** Creates many contacts in one transaction (bulk inserts); refuses them all if an identifier is taken. */
  createContacts(contacts: readonly NewContact[]): Promise<Contact[]>;
  /** What the database holds, counted, for the register of processing activities (src/store/inventory.ts). */
  processingInventory(): Promise<import('./inventory.js').ProcessingInventory>;
  /** Contacts in id order, a page at a time (`after`: the last id of the previous page), merged records left out (and erased ones too with `live`). */
  listContacts(page: { after: string | null; limit: number; live?: boolean }): Promise<Contact[]>;

  /** The import journal: the latest run of a file (by its SHA-256), so a crashed import resumes. */
  latestImport(fileSha256: string): Promise<ImportRun | null>;
  startImport(run: { fileSha256: string; source: string }): Promise<ImportRun>;
  recordImport(id: number, progress: Pick<ImportRun, 'status' | 'linesDone' | 'accepted' | 'rejected'>): Promise<void>;

  // --- API keys (issue #4): methods added here, implemented in src/store/api-keys.ts ---
  /** Stores a new key by the SHA-256 of its secret (see generateApiKeySecret). */
  createApiKey(key: {
    name: string;
    scopes: readonly import('./api-keys.js').ApiScope[];
    hash: string;
    prefix: string;
  }): Promise<import('./api-keys.js').ApiKey>;
  /** The key whose secret has this SHA-256 (hex), revoked or not; null when none. */
  findApiKeyByHash(hash: string): Promise<import('./api-keys.js').ApiKey | null>;
  listApiKeys(): Promise<import('./api-keys.js').ApiKey[]>;
  /** Revokes a key (NOT_FOUND when there is none); a second revocation keeps the first time. */
  revokeApiKey(id: string): Promise<import('./api-keys.js').ApiKey>;
  /** Records when a key was last used. */
  touchApiKey(id: string, at: Date): Promise<void>;

  // --- recipient tokens and settings (issue #5): methods added here, implemented in src/store/recipient-tokens.ts ---
  /** Live generated signing secrets of recipient links, newest (the signing one) first. */
  tokenSecrets(): Promise<import('./recipient-tokens.js').StoredTokenSecret[]>;
  /** Adds a signing secret (`ifNone`: only when there is none yet); returns the live ones, newest first. */
  addTokenSecret(opts?: { ifNone?: boolean }): Promise<import('./recipient-tokens.js').StoredTokenSecret[]>;
  /** Retires a secret (links it signed stop working); never the last one. */
  retireTokenSecret(id: string): Promise<import('./recipient-tokens.js').StoredTokenSecret[]>;
  /** Records an access or erasure request (idempotent by nonce). */
  createRightsRequest(
    init: Parameters<typeof import('./recipient-tokens.js').createRightsRequest>[1],
  ): Promise<{ request: import('./recipient-tokens.js').RightsRequest; created: boolean }>;
  /**
   * Spends a recipient-page form's nonce (`expiresMs`: when its token stops being taken): true the first time,
   * false for a replay. Inside a transaction, it is spent only if the transaction commits.
   */
  spendNonce(nonce: string, o: { at: Date; expiresMs: number }): Promise<boolean>;
  /** Whether `spendNonce` spent this nonce already. */
  nonceSpent(nonce: string): Promise<boolean>;
  listRightsRequests(opts: {
    limit: number;
    contactId?: string;
    /** A person's requests: their contact id and those merged into it. */
    contactIds?: readonly string[];
    status?: import('./recipient-tokens.js').RightsStatus;
    /** Only requests still open after their last day to answer, as of this day (YYYY-MM-DD). */
    overdueOn?: string;
    /** The id of the last request of the previous page. */
    after?: string;
  }): Promise<import('./recipient-tokens.js').RightsRequest[]>;
  /**
   * Every restriction of processing (GDPR art. 18) of these contacts, in force or ended, each with its period, by
   * contact (merged records' too), oldest first.
   */
  restrictionsOf(contactIds: readonly string[]): Promise<Map<string, import('./recipient-tokens.js').Restriction[]>>;
  /** Lifts a granted restriction once the person was told (art. 18(3)); CONFLICT for any other request. */
  liftRestriction(
    id: string,
    lift: { by: string; at: string; informedAt: string },
  ): Promise<import('./recipient-tokens.js').RightsRequest>;
  /** Extends an open request's period by two months within its first month (art. 12(3)); CONFLICT otherwise. */
  extendRightsRequest(
    id: string,
    extension: { by: string; at: string; reason: string },
  ): Promise<import('./recipient-tokens.js').RightsRequest>;
  /** Answers an open rights request (done, or refused with its reason). */
  settleRightsRequest(
    id: string,
    settlement: { status: 'done' | 'refused'; by: string; at: string; answer: string | null; ownWords?: boolean },
  ): Promise<import('./recipient-tokens.js').RightsRequest>;

  // --- consent requests / double opt-in (issue #5): methods added here, implemented in src/store/consent-requests.ts ---
  createConsentForm(form: { name: string; settings: unknown }): Promise<import('./consent-requests.js').ConsentForm>;
  getConsentForm(id: string): Promise<import('./consent-requests.js').ConsentForm | null>;
  listConsentForms(): Promise<import('./consent-requests.js').ConsentForm[]>;
  /** Throws StoreError: NOT_FOUND, or CONFLICT when the form is retired or not at the revision given. */
  updateConsentForm(
    id: string,
    change: { name: string; settings: unknown; revision?: number },
  ): Promise<import('./consent-requests.js').ConsentForm>;
  retireConsentForm(id: string): Promise<import('./consent-requests.js').ConsentForm | null>;
  createConsentRequest(
    init: import('./consent-requests.js').NewConsentRequest,
  ): Promise<import('./consent-requests.js').ConsentRequest>;
  getConsentRequestByNonce(nonce: string): Promise<import('./consent-requests.js').ConsentRequest | null>;
  /** The double opt-in requests of these contacts, oldest first. */
  consentRequestsOf(contactIds: readonly string[]): Promise<import('./consent-requests.js').ConsentRequest[]>;
  /** Compare-and-set from `pending`: true for the one caller that settled it (single-use tokens). */
  settleConsentRequest(id: string, status: 'confirmed' | 'expired', at: string): Promise<boolean>;
  /** Pending requests expired by `nowMs`, or due a reminder (last sent by `sentBeforeMs`, under `maxReminders`). */
  dueConsentRequests(at: {
    nowMs: number;
    sentBeforeMs: number;
    maxReminders: number;
    limit: number;
  }): Promise<import('./consent-requests.js').ConsentRequest[]>;
  /** The request's first message could not be sent (`lastSentMs` becomes 0: never sent). */
  recordConsentSendFailed(id: string): Promise<void>;
  /** A message of a pending request went out; `first`: its first message, sent late (not a reminder). */
  recordConsentReminder(id: string, sentMs: number, first?: boolean): Promise<void>;
  consentRequestStats(formId?: string): Promise<import('./consent-requests.js').ConsentRequestStats>;

  // --- webhooks and their outbox (issue #4): methods added here, implemented in src/store/webhooks.ts ---
  /** A new subscription; its signing secret is returned by this call only. */
  createWebhook(init: {
    url: string;
    topics: readonly string[];
    description?: string | null;
  }): Promise<{ webhook: import('./webhooks.js').WebhookSubscription; secret: string }>;
  listWebhooks(opts?: { includeDisabled?: boolean }): Promise<import('./webhooks.js').WebhookSubscription[]>;
  getWebhook(id: string): Promise<import('./webhooks.js').WebhookSubscription | null>;
  /** Disables a subscription and cancels its undelivered messages; its delivery log stays. */
  deleteWebhook(id: string): Promise<import('./webhooks.js').WebhookSubscription>;
  /** The latest messages of a subscription, newest first. */
  webhookDeliveries(
    subscriptionId: string,
    opts: { limit: number; status?: import('./webhooks.js').WebhookStatus },
  ): Promise<import('./webhooks.js').WebhookDelivery[]>;
  enqueueWebhookTest(subscriptionId: string): Promise<import('./webhooks.js').WebhookDelivery>;
  /** For the dispatcher: the subscription's oldest pending message if due, leased for `leaseMs`. */
  claimWebhookDelivery(
    subscriptionId: string,
    at: { nowMs: number; leaseMs: number },
  ): Promise<import('./webhooks.js').ClaimedDelivery | null>;
  recordWebhookAttempt(id: string, attempt: import('./webhooks.js').WebhookAttempt): Promise<void>;
  /** Deletes settled messages last touched before `before`. */
  pruneWebhookOutbox(before: Date): Promise<number>;
}

/** Storage failures with a stable code (mapped to exit codes and HTTP statuses by the adapters). */
export class StoreError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID',
    message: string,
    /** For INVALID: a JSON Pointer to the faulty field when one is to blame (`/events/2/channel`). */
    readonly path?: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

/**
 * Refuses a NUL character in text the store keeps: PostgreSQL's text cannot hold one, so SQLite must not take it
 * either (an export of it could never be imported there).
 */
export function noNul(field: string, value: string | null | undefined, path?: string): void {
  if (typeof value !== 'string') return;
  const at = value.indexOf('\u0000');
  if (at >= 0) throw new StoreError('INVALID', `${field} holds a NUL character (\\u0000) at position ${at + 1}`, path);
}

/** A contact's own fields, for bulk lookups that need neither its identifiers nor its merged records. */
export type ContactFields = Omit<Contact, 'identifiers' | 'merged'>;

/** A contact to create in bulk: its identifiers as a list (several of a kind allowed), normalised by the store. */
export type NewContact = Omit<ContactInit, 'email' | 'phone' | 'externalId' | 'postal'> & {
  identifiers: Identifier[];
  /**
   * When the contact was first recorded, for one carried over from another database (`assent export`): an ISO 8601
   * instant, not in the future; default now. Retention runs from it when the ledger holds no dated active contact.
   */
  createdAt?: string;
};

/** One import of one file: how far it got (`linesDone`, the last committed line) and its row counts. */
export interface ImportRun {
  id: number;
  fileSha256: string;
  source: string;
  status: 'running' | 'done';
  linesDone: number;
  accepted: number;
  rejected: number;
  startedAt: string;
  updatedAt: string;
}
