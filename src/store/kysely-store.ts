import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type Contact,
  type ContactInit,
  countryCode,
  DEFAULT_JURISDICTION,
  detectAddressKind,
  type Identifier,
  type IdentifierKind,
  identifiersOf,
  normalizeIdentifier,
  notACountry,
} from '../domain/contact.js';
import { pastInstant } from '../domain/iso-time.js';
import type { NewLedgerEvent } from '../domain/ledger.js';
import { isTimeZone } from '../domain/parse-request.js';
import { regionProblem } from '../domain/regions.js';
import * as acquisitions from './acquisitions.js';
import * as apiKeys from './api-keys.js';
import * as consentRequests from './consent-requests.js';
import * as consentTexts from './consent-texts.js';
import * as eventOrigins from './event-origins.js';
import * as inventory from './inventory.js';
import * as ledgerAppend from './ledger-append.js';
import type { LedgerHasher } from './ledger-hasher.js';
import * as ledgerHistories from './ledger-histories.js';
import * as ledgerVerify from './ledger-verify.js';
import * as lists from './lists.js';
import * as recipientTokens from './recipient-tokens.js';
import { type ContactRow, compareText, contactOf, fieldsOf, INSERT_CHUNK, importRunOf, newContactRow } from './rows.js';
import type { Database } from './schema.js';
import * as campaignSends from './sends.js';
import {
  type ContactFields,
  type ContactPatch,
  type ImportRun,
  type NewContact,
  type Store,
  StoreError,
} from './store.js';
import * as webhooks from './webhooks.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A contact's jurisdiction must name a country (a typo would leave it decided UNSUPPORTED_JURISDICTION forever). */
function checkCountry(jurisdiction: string): void {
  if (countryCode(jurisdiction) === null) {
    throw new StoreError('INVALID', `jurisdiction: ${notACountry(jurisdiction)}`, '/jurisdiction');
  }
}

/**
 * The fields a decision reads, checked before they are stored: a contact stored with a type, zone or region the
 * engine cannot read would answer INVALID_REQUEST to every decision, and never expire (whatever path stores it).
 */
function checkFields(
  f: Partial<Pick<ContactInit, 'type' | 'address' | 'jurisdiction'>> & {
    timeZone?: string | null;
    region?: string | null;
  },
): void {
  if (f.jurisdiction !== undefined) checkCountry(f.jurisdiction);
  const bad = (field: string, message: string): never => {
    throw new StoreError('INVALID', `${field} ${message}`, `/${field}`);
  };
  if (f.type !== undefined && f.type !== 'individual' && f.type !== 'professional') {
    bad('type', `must be individual or professional; got "${f.type}"`);
  }
  if (f.address !== undefined && f.address !== null && f.address !== 'named' && f.address !== 'generic') {
    bad('address', `must be named or generic; got "${f.address}"`);
  }
  if (f.timeZone !== undefined && f.timeZone !== null && !isTimeZone(f.timeZone)) {
    bad('timeZone', `is not an IANA time zone (Europe/Paris, America/New_York…); got "${f.timeZone}"`);
  }
  // A change of region alone is checked by updateContact, against the jurisdiction stored.
  if (f.jurisdiction !== undefined) checkRegion(f.jurisdiction, f.region);
}

/** A region of the contact's jurisdiction, which its rule pack knows (domain/regions.ts). */
function checkRegion(jurisdiction: string, region: string | null | undefined): void {
  if (region === undefined || region === null) return;
  const problem = regionProblem(jurisdiction, region);
  if (problem !== null) throw new StoreError('INVALID', `region ${problem}`, '/region');
}

/** A carried-over contact's first-record instant as stored (UTC, milliseconds); refused when not a past instant. */
function recordedAt(given: string): string {
  const ms = pastInstant(given, Date.now());
  if (typeof ms === 'string') throw new StoreError('INVALID', `createdAt ${ms}; got "${given}"`, '/createdAt');
  return new Date(ms).toISOString();
}

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

  async createContact(init: ContactInit): Promise<Contact> {
    const identifiers = identifiersOf(init);
    // Nothing could find, screen, export and import again a contact without one (nor unsubscribe it by address).
    if (identifiers.length === 0) {
      throw new StoreError('INVALID', 'a contact needs at least one identifier: email, phone, external id or postal');
    }
    checkFields(init);
    return this.transaction(async (self) => {
      await self.assertFree(identifiers, null);
      const now = new Date().toISOString();
      const row = newContactRow(init, identifiers.find((i) => i.kind === 'email')?.value, now);
      await self.db.insertInto('contacts').values(row).execute();
      if (identifiers.length > 0) {
        await self.db
          .insertInto('identifiers')
          .values(identifiers.map((i) => ({ contact_id: row.id, ...i })))
          .execute();
      }
      return self.load(row);
    });
  }

  async updateContact(id: string, patch: ContactPatch): Promise<Contact> {
    return this.transaction(async (self) => {
      const row = await self.row(id);
      if (row === undefined) throw new StoreError('NOT_FOUND', `no contact ${id}`);
      if (row.merged_into !== null)
        throw new StoreError('CONFLICT', `contact ${id} was merged into ${row.merged_into}`);
      if (row.erased_at) throw new StoreError('CONFLICT', `contact ${id} was erased on ${row.erased_at}`);
      const add = patch.add ?? [];
      const remove = patch.remove ?? [];
      checkFields(patch);
      await self.assertFree(add, id);
      const owned = await self.db
        .selectFrom('identifiers')
        .select(['kind', 'value'])
        .where('contact_id', '=', id)
        .orderBy('kind')
        .orderBy('value')
        .execute();
      const key = (i: { kind: string; value: string }) => `${i.kind}\u0000${i.value}`;
      const gone = new Set(remove.map(key));
      const both = add.find((i) => gone.has(key(i)));
      if (both !== undefined) {
        throw new StoreError('INVALID', `${both.kind} ${both.value} is both added and removed`, '/remove');
      }
      for (const i of remove) {
        if (!owned.some((o) => key(o) === key(i))) {
          throw new StoreError('INVALID', `${i.kind} ${i.value} is not an identifier of contact ${id}`, '/remove');
        }
      }
      const held = new Set(owned.map(key));
      const added = add.filter((i) => !held.has(key(i)));
      const kept = [...owned.filter((o) => !gone.has(key(o))), ...added];
      if (kept.length === 0) {
        throw new StoreError('INVALID', `contact ${id} would have no identifier left: add one, or erase the contact`);
      }
      const type = patch.type ?? row.type;
      const source = patch.address ? 'set' : (row.address_source ?? 'detected');
      // A detected address kind follows the emails when they change: generic only if every one is a role mailbox
      // (contact@, info@…); one that names a person keeps the protections of a person's address.
      const emailsChanged = [...added, ...remove].some((i) => i.kind === 'email');
      const emails = kept.filter((i) => i.kind === 'email').map((i) => i.value);
      const detected =
        emails.length > 0 && emails.every((e) => detectAddressKind(e) === 'generic') ? 'generic' : 'named';
      // Detected anew when the emails change, or when the contact becomes a professional (it had no kind).
      const kind = source === 'detected' && (emailsChanged || row.address === null) ? detected : row.address;
      const updated: ContactRow = {
        ...row,
        type,
        jurisdiction: patch.jurisdiction?.toUpperCase() ?? row.jurisdiction,
        time_zone: patch.timeZone === undefined ? row.time_zone : patch.timeZone,
        region: patch.region === undefined ? row.region : (patch.region?.toUpperCase() ?? null),
        address: type === 'professional' ? (patch.address ?? kind) : null,
        address_source: type === 'professional' ? source : null,
        updated_at: new Date().toISOString(),
      };
      // Against the jurisdiction it will have: a new one must not keep the region of the old (FR-75 on ES).
      if (patch.region !== undefined || patch.jurisdiction !== undefined)
        checkRegion(updated.jurisdiction, updated.region);
      await self.db.updateTable('contacts').set(updated).where('id', '=', id).execute();
      for (const i of remove) {
        await self.db
          .deleteFrom('identifiers')
          .where('contact_id', '=', id)
          .where('kind', '=', i.kind)
          .where('value', '=', i.value)
          .execute();
      }
      // A confirmation sent to a removed address (mistyped: perhaps someone else's) must not confirm anything. The
      // form kept the address as typed: compared normalised.
      if (remove.some((i) => i.kind === 'email' || i.kind === 'phone')) {
        const pending = await self.db
          .selectFrom('consent_requests')
          .select(['id', 'via', 'destination'])
          .where('contact_id', '=', id)
          .where('status', '=', 'pending')
          .execute();
        const stale = pending.filter((r) => {
          const kind = r.via === 'email' ? 'email' : 'phone';
          try {
            return gone.has(key({ kind, value: normalizeIdentifier(kind, r.destination, row.jurisdiction) }));
          } catch {
            return false;
          }
        });
        if (stale.length > 0) {
          await self.db
            .updateTable('consent_requests')
            .set({ status: 'expired', settled_at: updated.updated_at })
            .where(
              'id',
              'in',
              stale.map((r) => r.id),
            )
            .execute();
        }
      }
      for (const i of add) {
        await self.db
          .insertInto('identifiers')
          .values({ contact_id: id, ...i })
          .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
          .execute();
      }
      return self.load(updated);
    });
  }

  async findContact(
    by: { id: string } | { kind: IdentifierKind; value: string; jurisdiction?: string },
  ): Promise<Contact | null> {
    let id: string | undefined;
    if ('id' in by) id = by.id;
    else {
      const value = normalizeIdentifier(by.kind, by.value, by.jurisdiction ?? DEFAULT_JURISDICTION);
      const hit = await this.db
        .selectFrom('identifiers')
        .select('contact_id')
        .where('kind', '=', by.kind)
        .where('value', '=', value)
        .executeTakeFirst();
      id = hit?.contact_id;
    }
    if (id === undefined) return null;
    let row = await this.row(id);
    for (let hops = 0; row?.merged_into != null && hops < 100; hops++) row = await this.row(row.merged_into);
    return row === undefined ? null : this.load(row);
  }

  async mergeContacts(into: string, from: string, recordedBy: string): Promise<Contact> {
    if (into === from) throw new StoreError('INVALID', 'a contact cannot be merged into itself');
    return this.transaction(async (self) => {
      const [a, b] = [await self.row(into), await self.row(from)];
      if (a === undefined || b === undefined) throw new StoreError('NOT_FOUND', `no contact ${a ? from : into}`);
      if (a.merged_into !== null || b.merged_into !== null) {
        throw new StoreError('CONFLICT', 'merge into and from contacts that were not merged already');
      }
      // An erased person's ledger is kept as proof only: merged into someone, their consents would decide for that
      // person; someone merged into them would vanish from every lookup and decision (GDPR art. 17).
      const erased = [a, b].find((r) => r.erased_at !== null);
      if (erased !== undefined) {
        throw new StoreError(
          'CONFLICT',
          `contact ${erased.id} was erased on ${String(erased.erased_at).slice(0, 10)}: it cannot be merged`,
        );
      }
      await self.db.updateTable('identifiers').set({ contact_id: into }).where('contact_id', '=', from).execute();
      // One person, first recorded when the earlier record was: the retention period may run from it.
      if (b.created_at < a.created_at) {
        await self.db.updateTable('contacts').set({ created_at: b.created_at }).where('id', '=', into).execute();
      }
      // Keep merges flat: whatever was merged into `from` now belongs to `into` too.
      await self.db.updateTable('contacts').set({ merged_into: into }).where('merged_into', '=', from).execute();
      await self.db.updateTable('contacts').set({ merged_into: into }).where('id', '=', from).execute();
      await self.appendEvents([
        { contactId: into, type: 'contact.merged', at: new Date().toISOString(), data: { from }, recordedBy },
      ]);
      return self.load(b.created_at < a.created_at ? { ...a, created_at: b.created_at } : a);
    });
  }

  async eraseContact(id: string, at: string): Promise<Identifier[]> {
    return this.transaction(async (self) => {
      const contact = await self.findContact({ id });
      if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${id}`);
      if (contact.id !== id) {
        throw new StoreError('CONFLICT', `contact ${id} was merged into ${contact.id}: erase ${contact.id}`);
      }
      const ids = [id, ...contact.merged];
      await self.db.deleteFrom('identifiers').where('contact_id', 'in', ids).execute();
      await self.db
        .updateTable('contacts')
        .set({ erased_at: at, updated_at: at })
        .where('id', 'in', ids)
        .where('erased_at', 'is', null)
        .execute();
      // Where else an address of theirs is kept: the sends of campaigns and pending confirmation requests.
      await self.db.updateTable('campaign_sends').set({ address: '(erased)' }).where('contact_id', 'in', ids).execute();
      await self.db
        .updateTable('consent_requests')
        .set({ destination: '(erased)' })
        .where('contact_id', 'in', ids)
        .execute();
      await self.db
        .updateTable('consent_requests')
        .set({ status: 'expired', settled_at: at })
        .where('contact_id', 'in', ids)
        .where('status', '=', 'pending')
        .execute();
      // A rectification request's text is the person's own words (often the address to correct), and answers often
      // quote where a copy went or the new address: they go; the kind, dates, status and who answered stay.
      await self.db
        .updateTable('rights_requests')
        .set({ details: '(erased)' })
        .where('contact_id', 'in', ids)
        .where('details', 'is not', null)
        .execute();
      await self.db
        .updateTable('rights_requests')
        .set({ answer: '(erased)' })
        .where('contact_id', 'in', ids)
        .where('answer', 'is not', null)
        .execute();
      return contact.identifiers;
    });
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
  decisionHistoriesOf(contactIds: readonly string[]) {
    return ledgerHistories.decisionHistoriesOf(this.db, contactIds);
  }

  verifyLedger() {
    return ledgerVerify.verifyLedger(this.db);
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
  currentListVersions() {
    return lists.currentListVersions(this.db);
  }
  listEntriesAmong(versionIds: readonly number[], values: readonly string[]) {
    return lists.listEntriesAmong(this.db, this.dialect, versionIds, values);
  }
  addSuppressions(entries: readonly lists.Suppression[]) {
    return lists.addSuppressions(this.db, entries);
  }
  liftSuppressions(hashes: readonly string[]) {
    return lists.liftSuppressions(this.db, this.dialect, hashes);
  }
  suppressedAmong(hashes: readonly string[]) {
    return lists.suppressedAmong(this.db, this.dialect, hashes);
  }
  suppressionCount() {
    return lists.suppressionCount(this.db);
  }
  listSuppressions(page: { after: string | null; limit: number }) {
    return lists.listSuppressions(this.db, page);
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
  listSends(opts: { campaignId?: string; contactId?: string; limit?: number }) {
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

  private async row(id: string): Promise<ContactRow | undefined> {
    return this.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private async load(row: ContactRow): Promise<Contact> {
    return (await this.loadMany([row]))[0] as Contact;
  }

  /** Refuses identifiers that already belong to another contact, naming both. */
  private async assertFree(identifiers: readonly Identifier[], owner: string | null): Promise<void> {
    for (const i of identifiers) {
      const hit = await this.db
        .selectFrom('identifiers')
        .select('contact_id')
        .where('kind', '=', i.kind)
        .where('value', '=', i.value)
        .executeTakeFirst();
      if (hit !== undefined && hit.contact_id !== owner) {
        throw new StoreError('CONFLICT', `${i.kind} ${i.value} already belongs to contact ${hit.contact_id}`);
      }
    }
  }

  async contactsByIdentifiers(identifiers: readonly Identifier[]): Promise<Map<string, ContactFields>> {
    const byKind = new Map<IdentifierKind, Set<string>>();
    for (const i of identifiers) byKind.set(i.kind, (byKind.get(i.kind) ?? new Set()).add(i.value));
    const owners = new Map<string, string>();
    for (const [kind, set] of byKind) {
      const values = [...set];
      // kind and value: the primary key's order, so each chunk is an index lookup, not a scan
      for (let i = 0; i < values.length; i += INSERT_CHUNK) {
        const rows = await this.db
          .selectFrom('identifiers')
          .selectAll()
          .where('kind', '=', kind)
          .where('value', 'in', values.slice(i, i + INSERT_CHUNK))
          .execute();
        for (const r of rows) owners.set(`${r.kind}:${r.value}`, r.contact_id);
      }
    }
    // Merges move identifiers to the survivor, so owners are live (contactsByIds follows `merged_into` anyway), and
    // an erased person has no identifier left.
    const byId = await this.contactsByIds([...new Set(owners.values())]);
    const out = new Map<string, ContactFields>();
    for (const [key, id] of owners) {
      const fields = byId.get(id);
      if (fields !== undefined) out.set(key, fields);
    }
    return out;
  }

  async identifiersOfContacts(contactIds: readonly string[]): Promise<Map<string, Identifier[]>> {
    const wanted = [...new Set(contactIds)];
    const out = new Map<string, Identifier[]>();
    for (let i = 0; i < wanted.length; i += INSERT_CHUNK) {
      const rows = await this.db
        .selectFrom('identifiers')
        .select(['contact_id', 'kind', 'value'])
        .where('contact_id', 'in', wanted.slice(i, i + INSERT_CHUNK))
        .orderBy('kind')
        .orderBy('value') // as findContact gives them: the same list names, in the same order, on every run
        .execute();
      for (const r of rows) {
        const list = out.get(r.contact_id) ?? [];
        list.push({ kind: r.kind as IdentifierKind, value: r.value });
        out.set(r.contact_id, list);
      }
    }
    return out;
  }

  async contactsByIds(ids: readonly string[]): Promise<Map<string, ContactFields>> {
    const wanted = [...new Set(ids)];
    const byId = new Map<string, ContactRow>();
    for (let i = 0; i < wanted.length; i += INSERT_CHUNK) {
      const rows = await this.db
        .selectFrom('contacts')
        .selectAll()
        .where('id', 'in', wanted.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const r of rows) byId.set(r.id, r);
    }
    const out = new Map<string, ContactFields>();
    for (const id of wanted) {
      let row = byId.get(id);
      // A merged record answers as its survivor, as findContact does.
      for (let hops = 0; row?.merged_into != null && hops < 100; hops++) {
        const into: string = row.merged_into;
        row = byId.get(into) ?? (await this.row(into));
        if (row !== undefined) byId.set(row.id, row);
      }
      if (row !== undefined && !row.erased_at) out.set(id, fieldsOf(row));
    }
    return out;
  }

  async createContacts(contacts: readonly NewContact[]): Promise<Contact[]> {
    if (contacts.length === 0) return [];
    for (const c of contacts) checkFields(c);
    const firstRecorded = contacts.map((c) => (c.createdAt === undefined ? undefined : recordedAt(c.createdAt)));
    const identifiers = contacts.map((c) => {
      const unique = new Map<string, Identifier>();
      for (const i of c.identifiers) {
        const value = normalizeIdentifier(i.kind, i.value, c.jurisdiction);
        unique.set(`${i.kind}:${value}`, { kind: i.kind, value });
      }
      return [...unique.values()].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.value, b.value));
    });
    return this.transaction(async (self) => {
      const all = identifiers.flat();
      const given = new Set<string>();
      for (const i of all) {
        if (given.has(`${i.kind}:${i.value}`)) throw new StoreError('CONFLICT', `${i.kind} ${i.value} is given twice`);
        given.add(`${i.kind}:${i.value}`);
      }
      for (const [key, owner] of await self.contactsByIdentifiers(all)) {
        throw new StoreError('CONFLICT', `${key.replace(':', ' ')} already belongs to contact ${owner.id}`);
      }
      const now = new Date().toISOString();
      const rows = contacts.map((c, n) =>
        newContactRow(c, identifiers[n]?.find((i) => i.kind === 'email')?.value, now, firstRecorded[n]),
      );
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await self.db
          .insertInto('contacts')
          .values(rows.slice(i, i + INSERT_CHUNK))
          .execute();
      }
      const owned = rows.flatMap((row, n) => (identifiers[n] ?? []).map((i) => ({ contact_id: row.id, ...i })));
      for (let i = 0; i < owned.length; i += INSERT_CHUNK) {
        await self.db
          .insertInto('identifiers')
          .values(owned.slice(i, i + INSERT_CHUNK))
          .execute();
      }
      return rows.map((row, n) => contactOf(row, identifiers[n] ?? [], []));
    });
  }

  processingInventory() {
    return inventory.processingInventory(this.db);
  }

  async listContacts(page: { after: string | null; limit: number; live?: boolean }): Promise<Contact[]> {
    let query = this.db
      .selectFrom('contacts')
      .selectAll()
      .where('merged_into', 'is', null)
      .orderBy('id')
      .limit(page.limit);
    if (page.after !== null) query = query.where('id', '>', page.after);
    if (page.live === true) query = query.where('erased_at', 'is', null);
    return this.loadMany(await query.execute());
  }

  async latestImport(fileSha256: string): Promise<ImportRun | null> {
    const row = await this.db
      .selectFrom('import_batches')
      .selectAll()
      .where('file_sha256', '=', fileSha256)
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row === undefined ? null : importRunOf(row);
  }

  async startImport(run: { fileSha256: string; source: string }): Promise<ImportRun> {
    const now = new Date().toISOString();
    const row = await this.db
      .insertInto('import_batches')
      .values({
        file_sha256: run.fileSha256,
        source: run.source,
        status: 'running',
        lines_done: 0,
        accepted: 0,
        rejected: 0,
        started_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return importRunOf(row);
  }

  async recordImport(
    id: number,
    progress: Pick<ImportRun, 'status' | 'linesDone' | 'accepted' | 'rejected'>,
  ): Promise<void> {
    const result = await this.db
      .updateTable('import_batches')
      .set({
        status: progress.status,
        lines_done: progress.linesDone,
        accepted: progress.accepted,
        rejected: progress.rejected,
        updated_at: new Date().toISOString(),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new StoreError('NOT_FOUND', `no import run ${id}`);
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
  listRightsRequests(opts: Parameters<Store['listRightsRequests']>[0]) {
    return recipientTokens.listRightsRequests(this.db, opts);
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

  /** `load` for many contacts: their identifiers and merged records in two queries per chunk. */
  private async loadMany(rows: readonly ContactRow[]): Promise<Contact[]> {
    const identifiers = new Map<string, Identifier[]>(rows.map((r) => [r.id, []]));
    const merged = new Map<string, string[]>(rows.map((r) => [r.id, []]));
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      const ids = rows.slice(i, i + INSERT_CHUNK).map((r) => r.id);
      const owned = await this.db
        .selectFrom('identifiers')
        .selectAll()
        .where('contact_id', 'in', ids)
        .orderBy('kind')
        .orderBy('value')
        .execute();
      for (const o of owned) identifiers.get(o.contact_id)?.push({ kind: o.kind as IdentifierKind, value: o.value });
      const into = await this.db
        .selectFrom('contacts')
        .select(['id', 'merged_into'])
        .where('merged_into', 'in', ids)
        .orderBy('id')
        .execute();
      for (const m of into) if (m.merged_into !== null) merged.get(m.merged_into)?.push(m.id);
    }
    return rows.map((row) => contactOf(row, identifiers.get(row.id) ?? [], merged.get(row.id) ?? []));
  }
}
