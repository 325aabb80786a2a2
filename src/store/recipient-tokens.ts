// Recipient tokens and rights requests (issue #5; docs/unsubscribe.md): generated signing secrets (used when
// ASSENT_TOKEN_SECRETS is not set) and the access/erasure requests of the preference center.
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Evidence } from '../domain/ledger.js';
import { answerDueBy } from '../domain/rights.js';
import { newId } from './rows.js';
import type { Database } from './schema.js';
import { noNul, StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A generated signing secret of recipient links. */
export interface StoredTokenSecret {
  id: string;
  secret: string;
  createdAt: string;
}

/**
 * GDPR art. 15 (a copy of the data), art. 17 (erasure), art. 16 (rectification), art. 18 (restriction), art. 20
 * (portability) and art. 21 (objection): each answered within a month (art. 12(3)).
 */
export const RIGHTS_KINDS = ['access', 'erasure', 'rectification', 'restriction', 'portability', 'objection'] as const;
export type RightsKind = (typeof RIGHTS_KINDS)[number];

export const RIGHTS_STATUSES = ['open', 'done', 'refused'] as const;
export type RightsStatus = (typeof RIGHTS_STATUSES)[number];

/** A request made by the person, for the data-protection officer to answer (within a month, GDPR art. 12(3)). */
export interface RightsRequest {
  id: string;
  contactId: string;
  kind: RightsKind;
  status: RightsStatus;
  evidence: Evidence | null;
  requestedAt: string;
  /** Once answered (GDPR art. 12(3): within a month): when, by whom, and what the person was told. */
  settledAt: string | null;
  settledBy: string | null;
  answer: string | null;
  /** For a rectification: what the person says is wrong, in their words (any other kind may carry a note). */
  details: string | null;
  /** The last day to answer (GDPR art. 12(3): one month from receipt, three once extended), YYYY-MM-DD. */
  dueBy: string;
  /**
   * The period extended by the two further months of art. 12(3): when (within the first month), by whom, and the
   * reasons the person was given. Null otherwise.
   */
  extendedAt: string | null;
  extendedBy: string | null;
  extensionReason: string | null;
  /** Answered after `dueBy` (art. 12(3)): a late answer stays said, for the DPO's own record. */
  answeredLate: boolean;
  /**
   * A restriction granted (`done`) and lifted since: when, by whom, and when the person was told it would be (GDPR
   * art. 18(3): before it is lifted). Null otherwise.
   */
  liftedAt: string | null;
  liftedBy: string | null;
  informedAt: string | null;
}

/**
 * A restriction of processing of a person (GDPR art. 18): the request, since when (its receipt) and until when
 * (refused, or lifted once granted; null while in force). Decisions judge it at their own instant: a screening dated
 * in the past is judged by the restrictions of that day.
 */
export interface Restriction {
  request: string;
  since: string;
  until: string | null;
}

/** The restriction in force at `at` among these, or undefined. */
export function restrictionAt(restrictions: readonly Restriction[], at: number): Restriction | undefined {
  return restrictions.find((r) => Date.parse(r.since) <= at && (r.until === null || at < Date.parse(r.until)));
}

/** Live secrets, newest first (the first signs). */
export async function tokenSecrets(db: Db): Promise<StoredTokenSecret[]> {
  const rows = await db
    .selectFrom('recipient_token_secrets')
    .selectAll()
    .where('retired_at', 'is', null)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  return rows.map((r) => ({ id: r.id, secret: r.secret, createdAt: r.created_at }));
}

/**
 * Adds a secret that signs from now on (older ones keep verifying). `ifNone`: only when there is no live secret
 * yet, race-free (two processes starting together agree on one secret: the first insert wins).
 */
export async function addTokenSecret(db: Db, opts: { ifNone?: boolean } = {}): Promise<StoredTokenSecret[]> {
  const all = await db.selectFrom('recipient_token_secrets').select('id').execute();
  const live = await tokenSecrets(db);
  if (opts.ifNone && live.length > 0) return live;
  // Ids k1, k2…: short (they travel in every link) and never reused, retired ones included.
  const next = all.reduce((n, r) => Math.max(n, Number(r.id.slice(1)) || 0), 0) + 1;
  // Later than every existing secret, even if the clock went back, so the new one signs.
  const latest = live[0]?.createdAt ?? '';
  const now = new Date().toISOString();
  await db
    .insertInto('recipient_token_secrets')
    .values({
      id: `k${next}`,
      secret: randomBytes(32).toString('base64url'),
      created_at: now > latest ? now : `${latest}+`,
      retired_at: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return tokenSecrets(db);
}

/** Retires a secret: links it signed stop working. The last live secret cannot be retired. */
export async function retireTokenSecret(db: Db, id: string): Promise<StoredTokenSecret[]> {
  const live = await tokenSecrets(db);
  if (!live.some((s) => s.id === id)) throw new StoreError('NOT_FOUND', `no live token secret ${id}`);
  if (live.length === 1) throw new StoreError('CONFLICT', 'the last token secret cannot be retired: rotate first');
  await db
    .updateTable('recipient_token_secrets')
    .set({ retired_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
  return tokenSecrets(db);
}

/** The longest text a person may give with a rectification request. */
export const MAX_DETAILS = 1_000;

/** Records a rights request; the same `nonce` again returns the first request (a replayed form changes nothing). */
export async function createRightsRequest(
  db: Db,
  init: {
    contactId: string;
    kind: RightsKind;
    nonce: string;
    evidence?: Evidence | null;
    at?: Date;
    details?: string | null;
  },
): Promise<{ request: RightsRequest; created: boolean }> {
  if (!(RIGHTS_KINDS as readonly string[]).includes(init.kind)) {
    throw new StoreError('INVALID', `rights request kind must be ${RIGHTS_KINDS.join(', ')}`);
  }
  const details = init.details?.trim() || null;
  // An erased person has nothing left to correct or erase, and a text kept now would outlive the erasure.
  if (init.kind !== 'access' && (await erased(db, init.contactId))) {
    throw new StoreError(
      'CONFLICT',
      `contact ${init.contactId} was erased: no ${init.kind} is left to do (only the proof of consents and objections remains)`,
    );
  }
  if (init.kind === 'rectification' && details === null) {
    throw new StoreError('INVALID', 'a rectification request says what is wrong (details)', '/details');
  }
  noNul('details', details);
  // Characters as JSON Schema's maxLength counts them (code points: an emoji is one), so the API's schema and the
  // store agree; the preference page counts as the browser does (UTF-16 units), never more than this.
  const length = details === null ? 0 : [...details].length;
  if (length > MAX_DETAILS) {
    throw new StoreError('INVALID', `details are at most ${MAX_DETAILS} characters; got ${length}`, '/details');
  }
  const nonce = `${init.kind}:${init.nonce}`;
  const done = await db
    .insertInto('rights_requests')
    .values({
      id: newId(),
      contact_id: init.contactId,
      kind: init.kind,
      status: 'open',
      nonce,
      evidence: init.evidence ? JSON.stringify(init.evidence) : null,
      requested_at: (init.at ?? new Date()).toISOString(),
      details,
    })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .executeTakeFirst();
  const row = await db.selectFrom('rights_requests').selectAll().where('nonce', '=', nonce).executeTakeFirstOrThrow();
  return { request: requestOf(row), created: Number(done.numInsertedOrUpdatedRows ?? 0) > 0 };
}

/**
 * Spends a form's nonce: true the first time, false when it was spent already (a replayed page). Spent nonces past
 * `expiresMs` (their token refused by then anyway) are dropped on the way, so the table holds two hours of posts.
 * In the caller's transaction, the nonce is spent only if what the post records lands too.
 */
export async function spendNonce(db: Db, nonce: string, o: { at: Date; expiresMs: number }): Promise<boolean> {
  if (nonce === '' || nonce.length > 200) throw new StoreError('INVALID', 'a nonce is 1 to 200 characters');
  await db.deleteFrom('spent_nonces').where('expires_ms', '<', o.at.getTime()).execute();
  const done = await db
    .insertInto('spent_nonces')
    .values({ nonce, spent_at: o.at.toISOString(), expires_ms: o.expiresMs })
    .onConflict((oc) => oc.column('nonce').doNothing())
    .executeTakeFirst();
  return Number(done.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Whether a nonce was spent (and is not yet past its expiry). */
export async function nonceSpent(db: Db, nonce: string): Promise<boolean> {
  const row = await db.selectFrom('spent_nonces').select('nonce').where('nonce', '=', nonce).executeTakeFirst();
  return row !== undefined;
}

/** Rights requests, newest first; `contactId` narrows to one person. */
export async function listRightsRequests(
  db: Db,
  opts: {
    limit: number;
    contactId?: string;
    contactIds?: readonly string[];
    status?: RightsStatus;
    overdueOn?: string;
    after?: string;
  },
): Promise<RightsRequest[]> {
  let query = db.selectFrom('rights_requests').selectAll().orderBy('requested_at', 'desc').orderBy('id', 'desc');
  if (opts.contactId !== undefined) query = query.where('contact_id', '=', opts.contactId);
  if (opts.contactIds !== undefined) {
    if (opts.contactIds.length === 0) return [];
    query = query.where('contact_id', 'in', [...opts.contactIds]);
  }
  if (opts.status !== undefined) query = query.where('status', '=', opts.status);
  if (opts.after !== undefined) {
    // The next page starts after the last request of the previous one, in the same order (newest first).
    const last = await db
      .selectFrom('rights_requests')
      .select(['requested_at', 'id'])
      .where('id', '=', opts.after)
      .executeTakeFirst();
    if (last === undefined) throw new StoreError('INVALID', `after: no rights request ${opts.after}`, '/after');
    query = query.where((eb) =>
      eb.or([
        eb('requested_at', '<', last.requested_at),
        eb.and([eb('requested_at', '=', last.requested_at), eb('id', '<', last.id)]),
      ]),
    );
  }
  if (opts.overdueOn === undefined) return (await query.limit(opts.limit).execute()).map(requestOf);
  // Still open after their last day (a month from receipt: computed, so filtered here; open requests are few).
  const open = (await query.where('status', '=', 'open').execute()).map(requestOf);
  return open.filter((r) => r.dueBy < (opts.overdueOn as string)).slice(0, opts.limit);
}

function requestOf(row: Database['rights_requests']): RightsRequest {
  const dueBy = answerDueBy(row.requested_at, Boolean(row.extended_at));
  return {
    id: row.id,
    contactId: row.contact_id,
    kind: row.kind as RightsKind,
    status: (RIGHTS_STATUSES as readonly string[]).includes(row.status) ? (row.status as RightsStatus) : 'open',
    evidence: row.evidence === null ? null : (JSON.parse(row.evidence) as Evidence),
    requestedAt: row.requested_at,
    settledAt: row.settled_at ?? null,
    settledBy: row.settled_by ?? null,
    answer: row.answer ?? null,
    details: row.details ?? null,
    dueBy,
    answeredLate: typeof row.settled_at === 'string' && row.settled_at.slice(0, 10) > dueBy,
    extendedAt: row.extended_at ?? null,
    extendedBy: row.extended_by ?? null,
    extensionReason: row.extension_reason ?? null,
    liftedAt: row.lifted_at ?? null,
    liftedBy: row.lifted_by ?? null,
    informedAt: row.informed_at ?? null,
  };
}

const RESTRICTION_CHUNK = 1_000;

/**
 * The restrictions of processing of these contacts (GDPR art. 18), by contact, oldest first: every `restriction`
 * request, with the period it restricted (or restricts) the person: from its receipt (art. 18(1)(a), (d): restricted
 * while the controller verifies) until it was refused, or, granted (`done`), lifted; filed under the contact or a
 * record merged into it. Two queries a chunk, each on an index: the contacts' own requests by (kind, contact_id), and
 * those of the records merged into them (contacts.merged_into) by (kind, contact_id) too. One query with
 * `contact_id in … or merged_into in …` read every restriction request ever filed for each chunk: 27 ms a chunk of
 * 1,000 with 200,000 of them, on SQLite.
 */
export async function restrictionsOf(db: Db, contactIds: readonly string[]): Promise<Map<string, Restriction[]>> {
  const out = new Map<string, Restriction[]>();
  type Row = {
    id: string;
    requested_at: string;
    status: string;
    settled_at?: string | null;
    lifted_at?: string | null;
  };
  const keep = (person: string, r: Row): void => {
    const until = r.status === 'refused' ? (r.settled_at ?? r.requested_at) : (r.lifted_at ?? null);
    const list = out.get(person) ?? [];
    list.push({ request: r.id, since: r.requested_at, until });
    out.set(person, list);
  };
  // Bounded IN lists: the retention purge asks for every expired person at once.
  for (let i = 0; i < contactIds.length; i += RESTRICTION_CHUNK) {
    const ids = contactIds.slice(i, i + RESTRICTION_CHUNK);
    const own = await db
      .selectFrom('rights_requests')
      .select(['id', 'contact_id', 'requested_at', 'status', 'settled_at', 'lifted_at'])
      .where('kind', '=', 'restriction')
      .where('contact_id', 'in', ids)
      .execute();
    for (const r of own) keep(r.contact_id, r);
    const merged = await db
      .selectFrom('rights_requests as r')
      .innerJoin('contacts as c', 'c.id', 'r.contact_id')
      .select(['r.id', 'r.requested_at', 'r.status', 'r.settled_at', 'r.lifted_at', 'c.merged_into'])
      .where('r.kind', '=', 'restriction')
      .where('r.contact_id', 'in', (eb) => eb.selectFrom('contacts').select('id').where('merged_into', 'in', ids))
      .execute();
    for (const r of merged) if (r.merged_into !== null) keep(r.merged_into, r);
  }
  for (const list of out.values()) list.sort((a, b) => (a.since < b.since ? -1 : a.since > b.since ? 1 : 0));
  return out;
}

/**
 * Lifts a granted restriction (GDPR art. 18): only a `restriction` request answered `done` and not lifted yet, and
 * only once the person was told (`informedAt`, art. 18(3): before it is lifted, so not after `at`, nor before the
 * request was received). Decisions on the person come back from then on.
 */
export async function liftRestriction(
  db: Db,
  id: string,
  l: { by: string; at: string; informedAt: string },
): Promise<RightsRequest> {
  const row = await requestRow(db, id);
  if (row.kind !== 'restriction') {
    throw new StoreError('CONFLICT', `rights request ${id} is a ${row.kind} request: only a restriction is lifted`);
  }
  if (row.status !== 'done') {
    throw new StoreError(
      'CONFLICT',
      row.status === 'open'
        ? `restriction ${id} is not answered yet: answer it done (granted) or refused first; a refusal ends it`
        : `restriction ${id} was refused on ${row.settled_at}: there is no restriction to lift`,
    );
  }
  if (row.lifted_at) {
    throw new StoreError('CONFLICT', `restriction ${id} was lifted already (on ${row.lifted_at} by ${row.lifted_by})`);
  }
  noNul('by', l.by, '/by');
  if (Date.parse(l.informedAt) > Date.parse(l.at)) {
    throw new StoreError(
      'INVALID',
      `the person is told before the restriction is lifted (GDPR art. 18(3)): informed ${l.informedAt} is after now`,
      '/informedAt',
    );
  }
  if (l.informedAt.slice(0, 10) < row.requested_at.slice(0, 10)) {
    throw new StoreError(
      'INVALID',
      `informed ${l.informedAt} is before the request was received (${row.requested_at})`,
      '/informedAt',
    );
  }
  const lifted = { lifted_at: l.at, lifted_by: l.by, informed_at: l.informedAt };
  await db.updateTable('rights_requests').set(lifted).where('id', '=', id).where('lifted_at', 'is', null).execute();
  return requestOf({ ...row, ...lifted });
}

/** Request `id`'s row, or NOT_FOUND. */
async function requestRow(db: Db, id: string): Promise<Database['rights_requests']> {
  const row = await db.selectFrom('rights_requests').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new StoreError('NOT_FOUND', `no rights request ${id}`);
  return row;
}

/**
 * Extends an open request's period by two months (GDPR art. 12(3): "where necessary, taking into account the
 * complexity and number of the requests"). The person must be told of it, with the reasons, within the first month:
 * an extension after that month, of a request answered, or a second one, is refused.
 */
export async function extendRightsRequest(
  db: Db,
  id: string,
  e: { by: string; at: string; reason: string },
): Promise<RightsRequest> {
  const row = await requestRow(db, id);
  if (row.status !== 'open') {
    throw new StoreError(
      'CONFLICT',
      `rights request ${id} was answered already (${row.status} on ${row.settled_at}): there is no period to extend`,
    );
  }
  if (row.extended_at) {
    throw new StoreError(
      'CONFLICT',
      `rights request ${id} was extended already (on ${row.extended_at}, to ${answerDueBy(row.requested_at, true)}): art. 12(3) allows two further months once`,
    );
  }
  const firstMonth = answerDueBy(row.requested_at);
  if (e.at.slice(0, 10) > firstMonth) {
    throw new StoreError(
      'CONFLICT',
      `rights request ${id}'s month ended on ${firstMonth}: the person is told of an extension within the first month (GDPR art. 12(3)); answer it now`,
    );
  }
  const reason = e.reason.trim();
  if (reason === '') {
    throw new StoreError('INVALID', 'the reasons for the extension are required (GDPR art. 12(3))', '/reason');
  }
  noNul('reason', reason, '/reason');
  noNul('by', e.by, '/by');
  const length = [...reason].length;
  if (length > MAX_DETAILS) {
    throw new StoreError('INVALID', `reason is at most ${MAX_DETAILS} characters; got ${length}`, '/reason');
  }
  const extended = { extended_at: e.at, extended_by: e.by, extension_reason: reason };
  await db.updateTable('rights_requests').set(extended).where('id', '=', id).where('extended_at', 'is', null).execute();
  return requestOf({ ...row, ...extended });
}

/** Whether the contact (or the one it was merged into) was erased. */
async function erased(db: Db, contactId: string): Promise<boolean> {
  let id: string | null = contactId;
  for (let hops = 0; id !== null && hops < 100; hops++) {
    const row = await db
      .selectFrom('contacts')
      .select(['merged_into', 'erased_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return false;
    if (row.erased_at) return true;
    id = row.merged_into;
  }
  return false;
}

/**
 * Answers an open request: `done` (carried out) or `refused` (with the reason in `answer`, art. 12(4)). An erasure
 * request is done only once the person is erased.
 */
export async function settleRightsRequest(
  db: Db,
  id: string,
  s: { status: 'done' | 'refused'; by: string; at: string; answer: string | null; ownWords?: boolean },
): Promise<RightsRequest> {
  const row = await requestRow(db, id);
  if (row.status !== 'open') {
    throw new StoreError('CONFLICT', `rights request ${id} was answered already (${row.status} on ${row.settled_at})`);
  }
  noNul('answer', s.answer, '/answer');
  noNul('by', s.by, '/by');
  if (s.status === 'refused' && (s.answer === null || s.answer.trim() === '')) {
    throw new StoreError('INVALID', 'a refusal needs its reason in answer (GDPR art. 12(4))', '/answer');
  }
  const gone = await erased(db, row.contact_id);
  if (row.kind === 'erasure' && s.status === 'done' && !gone) {
    throw new StoreError(
      'CONFLICT',
      `rights request ${id} asks for erasure and contact ${row.contact_id} is not erased: erase it with the request ` +
        `named (assent contacts erase --request ${id}; DELETE /v1/contacts/{id}?request=${id}), or answer refused with the reason`,
    );
  }
  // Answered after the person was erased (an access request answered once the data is gone): what they were told is
  // theirs, and often quotes where it went; it is not kept, as an erasure does not keep earlier answers. Assent's own
  // words (`ownWords`: the erasure's "erased on …") hold nothing of the person.
  const answer = gone && s.answer !== null && s.ownWords !== true ? '(erased)' : s.answer;
  await db
    .updateTable('rights_requests')
    .set({ status: s.status, settled_at: s.at, settled_by: s.by, answer })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .execute();
  return requestOf({ ...row, status: s.status, settled_at: s.at, settled_by: s.by, answer });
}
