// Consent forms and double opt-in requests (issue #5): portable SQL over Kysely, for SQLite and PostgreSQL.
import type { Kysely, Transaction } from 'kysely';
import { newId } from './rows.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A stored form: its settings are validated by the service (src/services/forms/settings.ts) before storing. */
export interface ConsentForm {
  id: string;
  name: string;
  settings: unknown;
  createdAt: string;
  /** 1 as created, +1 at each change: a page carries the revision it showed. */
  revision: number;
  updatedAt: string | null;
  /** When the form was retired (its page and POST answer 410), or null. */
  retiredAt: string | null;
}

export type ConsentRequestStatus = 'pending' | 'confirmed' | 'expired';

/** One double opt-in: what waits for confirmation (`items`), where the confirmation went, and its state. */
export interface ConsentRequest {
  id: string;
  formId: string;
  contactId: string;
  /** The nonce of the confirmation token: the token is spent when the request leaves `pending`. */
  nonce: string;
  via: 'email' | 'sms';
  destination: string;
  language: string;
  items: unknown[];
  status: ConsentRequestStatus;
  requestedAt: string;
  requestedMs: number;
  expiresMs: number;
  reminders: number;
  /** When the last message went out; 0: the first could not be sent (none went out yet). */
  lastSentMs: number;
  settledAt: string | null;
  /**
   * A sign-up kept out of the contacts until confirmed: the person is not stored (an address of the suppression
   * list, typed by anyone) and `contactId` is the id they get when the confirmation creates them. The jurisdiction
   * and the submission's ledger events (without contactId), recorded then. Cleared when the request settles.
   */
  deferred: DeferredSignUp | null;
}

export interface DeferredSignUp {
  jurisdiction: string;
  events: unknown[];
}

export type NewConsentRequest = Omit<ConsentRequest, 'id' | 'status' | 'reminders' | 'settledAt' | 'deferred'> & {
  deferred?: DeferredSignUp;
};

export interface ConsentRequestStats {
  total: number;
  pending: number;
  confirmed: number;
  expired: number;
  /** Share of settled requests (confirmed or expired) never confirmed; null when none is settled. */
  neverConfirmedShare: number | null;
}

export async function createConsentForm(db: Db, form: { name: string; settings: unknown }): Promise<ConsentForm> {
  const row = {
    id: newId(),
    name: form.name,
    settings: JSON.stringify(form.settings),
    created_at: new Date().toISOString(),
    revision: 1,
    updated_at: null,
    retired_at: null,
  };
  await db.insertInto('consent_forms').values(row).execute();
  return formOf(row);
}

/**
 * A new name and settings for a live form; `revision`, when given, must be the current one (a change made meanwhile
 * by someone else is not overwritten). Throws StoreError: NOT_FOUND, or CONFLICT when retired or changed meanwhile.
 */
export async function updateConsentForm(
  db: Db,
  id: string,
  change: { name: string; settings: unknown; revision?: number },
): Promise<ConsentForm> {
  const now = new Date().toISOString();
  let query = db
    .updateTable('consent_forms')
    .set((eb) => ({
      name: change.name,
      settings: JSON.stringify(change.settings),
      revision: eb('revision', '+', 1),
      updated_at: now,
    }))
    .where('id', '=', id)
    .where('retired_at', 'is', null);
  if (change.revision !== undefined) query = query.where('revision', '=', change.revision);
  const result = await query.executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) {
    const form = await getConsentForm(db, id);
    if (form === null) throw new StoreError('NOT_FOUND', `no consent form ${id}`);
    if (form.retiredAt !== null) {
      throw new StoreError('CONFLICT', `consent form ${id} was retired at ${form.retiredAt}: create a new one`);
    }
    throw new StoreError(
      'CONFLICT',
      `consent form ${id} is at revision ${form.revision}, not ${change.revision}: it changed meanwhile; read it again`,
    );
  }
  return (await getConsentForm(db, id)) as ConsentForm;
}

/** Retires a form (once: retiring it again changes nothing); null when there is no such form. */
export async function retireConsentForm(db: Db, id: string): Promise<ConsentForm | null> {
  await db
    .updateTable('consent_forms')
    .set({ retired_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('retired_at', 'is', null)
    .execute();
  return getConsentForm(db, id);
}

export async function getConsentForm(db: Db, id: string): Promise<ConsentForm | null> {
  const row = await db.selectFrom('consent_forms').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : formOf(row);
}

export async function listConsentForms(db: Db): Promise<ConsentForm[]> {
  const rows = await db.selectFrom('consent_forms').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(formOf);
}

function formOf(row: Omit<Database['consent_forms'], 'revision'> & { revision: number | string }): ConsentForm {
  return {
    id: row.id,
    name: row.name,
    settings: JSON.parse(row.settings),
    createdAt: row.created_at,
    revision: Number(row.revision), // a bigint: a string from pg
    updatedAt: row.updated_at,
    retiredAt: row.retired_at,
  };
}

export async function createConsentRequest(db: Db, init: NewConsentRequest): Promise<ConsentRequest> {
  const row: Database['consent_requests'] = {
    id: newId(),
    form_id: init.formId,
    contact_id: init.contactId,
    nonce: init.nonce,
    via: init.via,
    destination: init.destination,
    language: init.language,
    items: JSON.stringify(init.items),
    status: 'pending',
    requested_at: init.requestedAt,
    requested_ms: init.requestedMs,
    expires_ms: init.expiresMs,
    reminders: 0,
    last_sent_ms: init.lastSentMs,
    settled_at: null,
    deferred: init.deferred === undefined ? null : JSON.stringify(init.deferred),
  };
  await db.insertInto('consent_requests').values(row).execute();
  return requestOf(row);
}

export async function getConsentRequestByNonce(db: Db, nonce: string): Promise<ConsentRequest | null> {
  const row = await db.selectFrom('consent_requests').selectAll().where('nonce', '=', nonce).executeTakeFirst();
  return row === undefined ? null : requestOf(row);
}

/** The double opt-in requests of these contacts, oldest first (an access report lists them: GDPR art. 15). */
export async function consentRequestsOf(db: Db, contactIds: readonly string[]): Promise<ConsentRequest[]> {
  if (contactIds.length === 0) return [];
  const rows = await db
    .selectFrom('consent_requests')
    .selectAll()
    .where('contact_id', 'in', [...contactIds])
    .orderBy('requested_ms')
    .execute();
  return rows.map(requestOf);
}

/**
 * Moves a pending request to `confirmed` or `expired`. Compare-and-set on `pending`: of two concurrent uses of
 * one token exactly one wins (single use); false when the request was not pending any more. A deferred sign-up's
 * answers go (recorded in the ledger when confirmed), and its address too when it expires: no contact holds it,
 * and a person who never confirmed leaves nothing behind but the count (GDPR art. 5(1)(c), (e)).
 */
export async function settleConsentRequest(
  db: Db,
  id: string,
  status: 'confirmed' | 'expired',
  at: string,
): Promise<boolean> {
  const result = await db
    .updateTable('consent_requests')
    .set({ status, settled_at: at })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db
    .updateTable('consent_requests')
    .set(status === 'expired' ? { deferred: null, destination: '(expired)' } : { deferred: null })
    .where('id', '=', id)
    .where('deferred', 'is not', null)
    .execute();
  return true;
}

/** Pending requests expired by `nowMs`, or last sent by `sentBeforeMs` with fewer than `maxReminders` reminders. */
export async function dueConsentRequests(
  db: Db,
  at: { nowMs: number; sentBeforeMs: number; maxReminders: number; limit: number },
): Promise<ConsentRequest[]> {
  const rows = await db
    .selectFrom('consent_requests')
    .selectAll()
    .where('status', '=', 'pending')
    .where((eb) =>
      eb.or([
        eb.and([eb('last_sent_ms', '<=', at.sentBeforeMs), eb('reminders', '<', at.maxReminders)]),
        // A first message that could not be sent is due at once, whatever the reminder settings.
        eb('last_sent_ms', '=', 0),
        eb('expires_ms', '<=', at.nowMs),
      ]),
    )
    .orderBy('last_sent_ms')
    .limit(at.limit)
    .execute();
  return rows.map(requestOf);
}

/**
 * A pending request whose first message could not be sent: `last_sent_ms` 0 means nothing went out, so a repeated
 * submission does not say it did, and the next sweep sends it (as a first message, not counted as a reminder)
 * instead of waiting a reminder interval, even with reminders off.
 */
export async function recordConsentSendFailed(db: Db, id: string): Promise<void> {
  await db
    .updateTable('consent_requests')
    .set({ last_sent_ms: 0 })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('reminders', '=', 0)
    .execute();
}

/** A message of a pending request went out: a reminder counts as one; a first message sent late (`first`) does not. */
export async function recordConsentReminder(db: Db, id: string, sentMs: number, first = false): Promise<void> {
  const result = await db
    .updateTable('consent_requests')
    .set((eb) => (first ? { last_sent_ms: sentMs } : { reminders: eb('reminders', '+', 1), last_sent_ms: sentMs }))
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new StoreError('NOT_FOUND', `no pending consent request ${id}`);
}

/** Counts by status (optionally for one form) and the share of settled requests never confirmed. */
export async function consentRequestStats(db: Db, formId?: string): Promise<ConsentRequestStats> {
  let q = db
    .selectFrom('consent_requests')
    .select((eb) => ['status', eb.fn.countAll<number | string>().as('n')])
    .groupBy('status');
  if (formId !== undefined) q = q.where('form_id', '=', formId);
  const counts = { pending: 0, confirmed: 0, expired: 0 };
  for (const row of await q.execute()) {
    if (row.status in counts) counts[row.status as ConsentRequestStatus] = Number(row.n);
  }
  const settled = counts.confirmed + counts.expired;
  return {
    total: counts.pending + settled,
    ...counts,
    neverConfirmedShare: settled === 0 ? null : counts.expired / settled,
  };
}

function requestOf(row: Database['consent_requests']): ConsentRequest {
  return {
    id: row.id,
    formId: row.form_id,
    contactId: row.contact_id,
    nonce: row.nonce,
    via: row.via === 'sms' ? 'sms' : 'email',
    destination: row.destination,
    language: row.language,
    items: JSON.parse(row.items) as unknown[],
    status: row.status as ConsentRequestStatus,
    requestedAt: row.requested_at,
    requestedMs: Number(row.requested_ms),
    expiresMs: Number(row.expires_ms),
    reminders: Number(row.reminders),
    lastSentMs: Number(row.last_sent_ms),
    settledAt: row.settled_at,
    deferred: row.deferred === null ? null : (JSON.parse(row.deferred) as DeferredSignUp),
  };
}
