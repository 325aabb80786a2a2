import { type Kysely, sql, type Transaction } from 'kysely';
import type { ContactInit, Identifier } from '../domain/contact.js';
import type { NewLedgerEvent } from '../domain/ledger.js';
import * as acquisitions from './acquisitions.js';
import * as apiKeys from './api-keys.js';
import * as consentRequests from './consent-requests.js';
import * as consentTexts from './consent-texts.js';
import * as contactReads from './contact-reads.js';
import * as contactWrites from './contact-writes.js';
import * as eventOrigins from './event-origins.js';
import * as importRuns from './import-runs.js';
import * as inventory from './inventory.js';
import * as ledgerAppend from './ledger-append.js';
import type { LedgerHasher } from './ledger-hasher.js';
import * as ledgerHistories from './ledger-histories.js';
import * as ledgerVerify from './ledger-verify.js';
import * as lists from './lists.js';
import * as recipientTokens from './recipient-tokens.js';
import type { Database } from './schema.js';
import * as screenings from './screenings.js';
import * as campaignSends from './sends.js';
import type { ContactPatch, NewContact, Store } from './store.js';
import * as webhooks from './webhooks.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The PostgreSQL advisory lock every write transaction takes ("ASNT", with the schema): one writer, as on SQLite. */
const WRITER_LOCK = 0x41534e54;

/** The Store over Kysely; the same code serves SQLite and PostgreSQL (portable SQL only). */
export class KyselyStore implements Store {
  constructor(
    readonly dialect: 'sqlite' | 'postgres',
    private readonly db: Db,
    private readonly closeDriver: () => Promise<void>,
    private readonly inTransaction = false,
    /** SQLite's `PRAGMA data_version` on this connection: it moves when another connection commits. */
    private readonly dataVersion: (() => number) | null = null,
    /**
     * Transactions begun or ended through this store, shared with its transaction-scoped copies; `turn` queues this
     * process's PostgreSQL write transactions, so that one pooled connection at most waits for the writer lock.
     */
    private readonly writes: { count: number; turn?: Promise<void> } = { count: 0 },
    /** Hashes large SQLite batches on a worker thread; null: always in-thread. */
    private readonly hasher: LedgerHasher | null = null,
  ) {}

  /**
   * Store's transaction, its `tx` typed as what it is, a KyselyStore on the transaction's connection: this class's
   * own writes reach its query builder and helpers without a cast (a Store's `fn` takes it as the Store it also is).
   */
  async transaction<T>(fn: (tx: KyselyStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    // Every write that can change a decision runs in a transaction: counted at both ends for changeToken.
    this.writes.count++;
    // PostgreSQL: this process's writes wait their turn here, not on pooled connections (ten writes waiting on the
    // lock would hold every connection, and the reads behind them). SQLite's driver has one connection already.
    const release = this.dialect === 'postgres' ? await this.writerTurn() : null;
    try {
      return await (this.db as Kysely<Database>).transaction().execute(async (trx) => {
        // One writer at a time, as SQLite's BEGIN IMMEDIATE gives: the checks a write makes before it writes (an
        // identifier free, a contact live and not merged, a key unused) would otherwise race under READ COMMITTED.
        // Per schema (several stores may share a database); a holder stuck for 30 s fails the waiter (55P03).
        if (this.dialect === 'postgres') {
          await sql`set local lock_timeout = '30s'`.execute(trx);
          await sql`select pg_advisory_xact_lock(${WRITER_LOCK}, hashtext(current_schema()))`.execute(trx);
        }
        return fn(
          new KyselyStore(this.dialect, trx, this.closeDriver, true, this.dataVersion, this.writes, this.hasher),
        );
      });
    } finally {
      release?.();
      this.writes.count++;
    }
  }

  /** Waits for the previous write transaction of this process to end; returns the release of this one's turn. */
  private async writerTurn(): Promise<() => void> {
    let release = (): void => {};
    const mine = new Promise<void>((resolve) => {
      release = resolve;
    });
    const before = this.writes.turn ?? Promise.resolve();
    this.writes.turn = before.then(() => mine);
    await before;
    return release;
  }

  async changeToken(): Promise<string | null> {
    return this.dataVersion === null ? null : `${this.dataVersion()}:${this.writes.count}`;
  }

  /** The write transaction as contact writes take it (contact-writes.ts): its connection, and appends on it. */
  private write<T>(fn: (tx: contactWrites.ContactTx) => Promise<T>): Promise<T> {
    return this.transaction((tx) => fn({ db: tx.db, appendEvents: (events) => tx.appendEvents(events) }));
  }

  // --- contacts: one-line methods delegating to src/store/contact-writes.ts and contact-reads.ts ---
  createContact(init: ContactInit, options?: { id?: string }) {
    return contactWrites.createContact(init, (write) => this.write(write), options?.id);
  }
  updateContact(id: string, patch: ContactPatch) {
    return contactWrites.updateContact(id, patch, (write) => this.write(write));
  }
  findContact(by: Parameters<Store['findContact']>[0]) {
    return contactReads.findContact(this.db, by);
  }
  mergeContacts(into: string, from: string, recordedBy: string) {
    return contactWrites.mergeContacts(into, from, recordedBy, (write) => this.write(write));
  }
  eraseContact(id: string, at: string) {
    return contactWrites.eraseContact(id, at, (write) => this.write(write));
  }
  createContacts(contacts: readonly NewContact[]) {
    return contactWrites.createContacts(contacts, (write) => this.write(write));
  }
  listContacts(page: Parameters<Store['listContacts']>[0]) {
    return contactReads.listContacts(this.db, page);
  }
  contactsByIdentifiers(identifiers: readonly Identifier[]) {
    return contactReads.contactsByIdentifiers(this.db, identifiers);
  }
  identifiersOfContacts(contactIds: readonly string[]) {
    return contactReads.identifiersOfContacts(this.db, contactIds);
  }
  contactsByIds(ids: readonly string[]) {
    return contactReads.contactsByIds(this.db, ids);
  }

  // --- the ledger: one-line methods delegating to src/store/ledger-append.ts, ledger-histories.ts, ledger-verify.ts ---
  appendEvents(events: readonly NewLedgerEvent[]) {
    return ledgerAppend.appendEvents(events, {
      dialect: this.dialect,
      hasher: this.hasher,
      inTransaction: (append) => this.transaction((tx) => append(tx.db)),
    });
  }
  eventsByIdempotencyKeys(keys: readonly string[]) {
    return ledgerHistories.eventsByIdempotencyKeys(this.db, keys);
  }

  eventsByOrigins(refs: readonly eventOrigins.ActRef[]) {
    return eventOrigins.eventsByOrigins(this.db, refs);
  }

  historyOf(contactId: string) {
    return ledgerHistories.historyOf(this.db, contactId);
  }
  historyPage(contactId: string, page: { after: number | null; limit: number | null }) {
    return ledgerHistories.historyPage(this.db, contactId, page);
  }
  historiesOf(contactIds: readonly string[]) {
    return ledgerHistories.historiesOf(this.db, contactIds);
  }
  erasureRecordsAt(at: string) {
    return ledgerHistories.erasureRecordsAt(this.db, at);
  }
  decisionHistoriesOf(contactIds: readonly string[]) {
    return ledgerHistories.decisionHistoriesOf(this.db, contactIds);
  }

  verifyLedger() {
    return ledgerVerify.verifyLedger(this.db, this.dialect);
  }

  // --- consent texts: one-line methods delegating to src/store/consent-texts.ts ---
  putConsentText(text: Parameters<Store['putConsentText']>[0]) {
    return consentTexts.putConsentText(text, (put) => this.transaction((tx) => put(tx.db)));
  }
  getConsentText(id: string) {
    return consentTexts.getConsentText(this.db, id);
  }
  listConsentTexts() {
    return consentTexts.listConsentTexts(this.db);
  }

  beginListVersion(init: lists.NewListVersion) {
    return lists.beginListVersion(this.db, init);
  }
  addListEntries(versionId: number, values: readonly string[]) {
    return lists.addListEntries(this.db, versionId, values);
  }
  completeListVersion(versionId: number, counts: { entries: number; rejected: number; at: string }) {
    return lists.completeListVersion(this.db, versionId, counts);
  }
  failListVersion(versionId: number) {
    return lists.failListVersion(this.db, versionId);
  }
  listVersions(name?: string) {
    return lists.listVersions(this.db, name);
  }
  addScreening(record: screenings.ScreeningRecord) {
    return screenings.addScreening(this.db, record);
  }
  getScreening(id: string) {
    return screenings.getScreening(this.db, id);
  }
  listScreenings(page: { limit: number; before?: { ranAt: string; id: string } | null }) {
    return screenings.listScreenings(this.db, page);
  }
  currentListVersions() {
    return lists.currentListVersions(this.db);
  }
  listEntriesAmong(versionIds: readonly number[], values: readonly string[]) {
    return lists.listEntriesAmong(this.db, this.dialect, versionIds, values);
  }
  addSuppressions(entries: readonly lists.Suppression[]) {
    return lists.addSuppressions(this.db, entries);
  }
  liftSuppressions(hashes: readonly string[], lift: lists.SuppressionLift) {
    // The copy to suppression_lifts and the delete go together (in the caller's transaction when there is one).
    return this.transaction((tx) => lists.liftSuppressions(tx.db, this.dialect, hashes, lift));
  }
  suppressionLifts(hashes: readonly string[]) {
    return lists.suppressionLifts(this.db, this.dialect, hashes);
  }
  suppressedAmong(hashes: readonly string[]) {
    return lists.suppressedAmong(this.db, this.dialect, hashes);
  }
  suppressionsAmong(hashes: readonly string[]) {
    return lists.suppressionsAmong(this.db, this.dialect, hashes);
  }
  suppressionCount() {
    return lists.suppressionCount(this.db);
  }
  listSuppressions(page: { after: string | null; limit: number }) {
    return lists.listSuppressions(this.db, page);
  }
  listSuppressionLifts(page: { after: string | null; limit: number }) {
    return lists.listSuppressionLifts(this.db, this.dialect, page);
  }
  addSuppressionLifts(lifts: readonly lists.LiftedSuppression[]) {
    return lists.addSuppressionLifts(this.db, lifts);
  }

  // --- campaign sends (issue #6): delegating to src/store/sends.ts ---
  recordSends(sends: readonly campaignSends.NewSend[]) {
    return campaignSends.recordSends(this.db, sends);
  }
  settledAmong(campaignId: string, contactIds: readonly string[]) {
    return campaignSends.settledAmong(this.db, campaignId, contactIds);
  }

  claimSend(campaignId: string, contactId: string) {
    return campaignSends.claimSend(this.db, campaignId, contactId);
  }

  releaseSend(campaignId: string, contactId: string) {
    return campaignSends.releaseSend(this.db, campaignId, contactId);
  }
  listSends(opts: campaignSends.SendQuery) {
    return campaignSends.listSends(this.db, opts);
  }

  // --- bought and rented lists (issue #6): delegating to src/store/acquisitions.ts ---
  createAcquisition(init: Parameters<Store['createAcquisition']>[0]) {
    return acquisitions.createAcquisition(this.db, init);
  }
  addAcquisitionDocument(acquisitionId: string, doc: acquisitions.NewAcquisitionDocument) {
    return acquisitions.addAcquisitionDocument(this.db, acquisitionId, doc);
  }
  getAcquisition(id: string) {
    return acquisitions.getAcquisition(this.db, id);
  }
  listAcquisitions() {
    return acquisitions.listAcquisitions(this.db);
  }
  acquisitionDocument(acquisitionId: string, ref: string) {
    return acquisitions.acquisitionDocument(this.db, acquisitionId, ref);
  }
  linkImportToAcquisition(importId: number, acquisitionId: string) {
    return acquisitions.linkImportToAcquisition(this.db, importId, acquisitionId);
  }
  acquisitionOfImport(importId: number) {
    return acquisitions.acquisitionOfImport(this.db, importId);
  }
  acquisitionImports(acquisitionId: string) {
    return acquisitions.acquisitionImports(this.db, acquisitionId);
  }

  async close(): Promise<void> {
    await this.hasher?.close();
    await this.closeDriver();
  }

  processingInventory() {
    return inventory.processingInventory(this.db);
  }

  // --- the import journal: one-line methods delegating to src/store/import-runs.ts ---
  latestImport(fileSha256: string) {
    return importRuns.latestImport(this.db, fileSha256);
  }
  startImport(run: { fileSha256: string; source: string }) {
    return importRuns.startImport(this.db, run);
  }
  recordImport(id: number, progress: Parameters<Store['recordImport']>[1]) {
    return importRuns.recordImport(this.db, id, progress);
  }

  // --- API keys (issue #4): one-line methods delegating to src/store/api-keys.ts ---
  createApiKey(key: Parameters<Store['createApiKey']>[0]) {
    return apiKeys.createApiKey(this.db, key);
  }
  findApiKeyByHash(hash: string) {
    return apiKeys.findApiKeyByHash(this.db, hash);
  }
  listApiKeys() {
    return apiKeys.listApiKeys(this.db);
  }
  revokeApiKey(id: string) {
    return apiKeys.revokeApiKey(this.db, id);
  }
  touchApiKey(id: string, at: Date) {
    return apiKeys.touchApiKey(this.db, id, at);
  }

  // --- recipient tokens and settings (issue #5): one-line methods delegating to src/store/recipient-tokens.ts ---
  tokenSecrets() {
    return recipientTokens.tokenSecrets(this.db);
  }
  addTokenSecret(opts?: { ifNone?: boolean }) {
    return recipientTokens.addTokenSecret(this.db, opts);
  }
  retireTokenSecret(id: string) {
    return recipientTokens.retireTokenSecret(this.db, id);
  }
  createRightsRequest(init: Parameters<Store['createRightsRequest']>[0]) {
    // Its checks (the person not erased) and its insert in one write transaction, as an erasure's.
    return this.transaction((tx) => recipientTokens.createRightsRequest(tx.db, init));
  }
  nonceSpent(nonce: string) {
    return recipientTokens.nonceSpent(this.db, nonce);
  }
  spendNonce(nonce: string, o: { at: Date; expiresMs: number }) {
    return this.transaction((tx) => recipientTokens.spendNonce(tx.db, nonce, o));
  }
  listRightsRequests(opts: Parameters<Store['listRightsRequests']>[0]) {
    return recipientTokens.listRightsRequests(this.db, opts);
  }

  restrictionsOf(contactIds: readonly string[]) {
    return recipientTokens.restrictionsOf(this.db, contactIds);
  }
  liftRestriction(id: string, lift: Parameters<Store['liftRestriction']>[1]) {
    return this.transaction((tx) => recipientTokens.liftRestriction(tx.db, id, lift));
  }
  extendRightsRequest(id: string, extension: Parameters<Store['extendRightsRequest']>[1]) {
    return this.transaction((tx) => recipientTokens.extendRightsRequest(tx.db, id, extension));
  }
  settleRightsRequest(id: string, settlement: Parameters<Store['settleRightsRequest']>[1]) {
    return this.transaction((tx) => recipientTokens.settleRightsRequest(tx.db, id, settlement));
  }

  // --- consent requests / double opt-in (issue #5): one-line methods delegating to src/store/consent-requests.ts ---
  createConsentForm(form: Parameters<Store['createConsentForm']>[0]) {
    return consentRequests.createConsentForm(this.db, form);
  }
  getConsentForm(id: string) {
    return consentRequests.getConsentForm(this.db, id);
  }
  listConsentForms() {
    return consentRequests.listConsentForms(this.db);
  }
  updateConsentForm(id: string, change: Parameters<Store['updateConsentForm']>[1]) {
    return consentRequests.updateConsentForm(this.db, id, change);
  }
  retireConsentForm(id: string) {
    return consentRequests.retireConsentForm(this.db, id);
  }
  createConsentRequest(init: Parameters<Store['createConsentRequest']>[0]) {
    return consentRequests.createConsentRequest(this.db, init);
  }
  consentRequestsOf(contactIds: readonly string[]) {
    return consentRequests.consentRequestsOf(this.db, contactIds);
  }
  getConsentRequestByNonce(nonce: string) {
    return consentRequests.getConsentRequestByNonce(this.db, nonce);
  }
  settleConsentRequest(id: string, status: 'confirmed' | 'expired', at: string) {
    return consentRequests.settleConsentRequest(this.db, id, status, at);
  }
  dueConsentRequests(at: Parameters<Store['dueConsentRequests']>[0]) {
    return consentRequests.dueConsentRequests(this.db, at);
  }
  recordConsentSendFailed(id: string) {
    return consentRequests.recordConsentSendFailed(this.db, id);
  }

  recordConsentReminder(id: string, sentMs: number, first?: boolean) {
    return consentRequests.recordConsentReminder(this.db, id, sentMs, first);
  }
  consentRequestStats(formId?: string) {
    return consentRequests.consentRequestStats(this.db, formId);
  }

  // --- webhooks and their outbox (issue #4): one-line methods delegating to src/store/webhooks.ts ---
  createWebhook(init: Parameters<Store['createWebhook']>[0]) {
    return webhooks.createWebhook(this.db, init);
  }
  listWebhooks(opts?: { includeDisabled?: boolean }) {
    return webhooks.listWebhooks(this.db, opts);
  }
  getWebhook(id: string) {
    return webhooks.getWebhook(this.db, id);
  }
  deleteWebhook(id: string) {
    return webhooks.deleteWebhook(this.db, id);
  }
  webhookDeliveries(subscriptionId: string, opts: Parameters<Store['webhookDeliveries']>[1]) {
    return webhooks.webhookDeliveries(this.db, subscriptionId, opts);
  }
  enqueueWebhookTest(subscriptionId: string) {
    return webhooks.enqueueWebhookTest(this.db, subscriptionId);
  }
  claimWebhookDelivery(subscriptionId: string, at: { nowMs: number; leaseMs: number }) {
    return webhooks.claimWebhookDelivery(this.db, this.dialect, subscriptionId, at);
  }
  recordWebhookAttempt(id: string, attempt: webhooks.WebhookAttempt) {
    return webhooks.recordWebhookAttempt(this.db, id, attempt);
  }
  pruneWebhookOutbox(before: Date) {
    return webhooks.pruneWebhookOutbox(this.db, before);
  }
}
