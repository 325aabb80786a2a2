// Webhook subscriptions and their transactional outbox (issue #4; docs/webhooks.md).
import { randomBytes } from 'node:crypto';
import type { Insertable, Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { LedgerEvent } from '../domain/ledger.js';
import { newId } from './rows.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';
import {
  type ClaimedDelivery,
  checkTopics,
  checkUrl,
  deliveryOf,
  type OutboxRow,
  subscriptionOf,
  topicOf,
  WEBHOOK_TEST_TOPIC,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookStatus,
  type WebhookSubscription,
} from './webhook-rows.js';

export {
  type ClaimedDelivery,
  topicOf,
  WEBHOOK_TEST_TOPIC,
  WEBHOOK_TOPICS,
  type WebhookAttempt,
  type WebhookDelivery,
  type WebhookStatus,
  type WebhookSubscription,
  type WebhookTopic,
} from './webhook-rows.js';

type Db = Kysely<Database> | Transaction<Database>;
type NewOutboxRow = Insertable<Database['webhook_outbox']> & Omit<OutboxRow, 'seq'>;

const PENDING = sql.lit('pending'); // a literal, so PostgreSQL can plan with the partial index on pending rows
const CHUNK = 200; // outbox rows per INSERT: 13 parameters each, far under the bound-parameter limits

/** Runs `fn` in a transaction of its own unless `db` already is one. */
const atomically = <T>(db: Db, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> =>
  db.isTransaction ? fn(db as Transaction<Database>) : db.transaction().execute(fn);

/**
 * A new subscription and its signing secret (Standard Webhooks: `whsec_` and base64 of 32 random bytes), which is
 * returned here only: it is kept to sign, never listed.
 */
export async function createWebhook(
  db: Db,
  init: { url: string; topics: readonly string[]; description?: string | null },
): Promise<{ webhook: WebhookSubscription; secret: string }> {
  const row = {
    id: newId(),
    url: checkUrl(init.url),
    secret: `whsec_${randomBytes(32).toString('base64')}`,
    topics: JSON.stringify(checkTopics(init.topics)),
    description: init.description ?? null,
    active: 1,
    created_at: new Date().toISOString(),
    disabled_at: null,
  };
  await db.insertInto('webhook_subscriptions').values(row).execute();
  return { webhook: subscriptionOf(row), secret: row.secret };
}

export async function listWebhooks(db: Db, opts: { includeDisabled?: boolean } = {}): Promise<WebhookSubscription[]> {
  let query = db.selectFrom('webhook_subscriptions').selectAll().orderBy('id');
  if (!opts.includeDisabled) query = query.where('active', '=', 1);
  return (await query.execute()).map(subscriptionOf);
}

export async function getWebhook(db: Db, id: string): Promise<WebhookSubscription | null> {
  const row = await db.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? null : subscriptionOf(row);
}

/** Disables a subscription (kept for its delivery log) and cancels what it had not received yet. */
export async function deleteWebhook(db: Db, id: string): Promise<WebhookSubscription> {
  return atomically(db, async (tx) => {
    const now = new Date().toISOString();
    const done = await tx
      .updateTable('webhook_subscriptions')
      .set({ active: 0, disabled_at: now })
      .where('id', '=', id)
      .where('active', '=', 1)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0) throw new StoreError('NOT_FOUND', `no active webhook ${id}`);
    await tx
      .updateTable('webhook_outbox')
      .set({ status: 'cancelled' })
      .where('subscription_id', '=', id)
      .where('status', '=', PENDING)
      .execute();
    return subscriptionOf(
      await tx.selectFrom('webhook_subscriptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow(),
    );
  });
}

/**
 * Outbox rows for events just appended, in the caller's transaction: one per (event, active subscription whose
 * topics match). Without subscriptions it costs one query on a tiny table, whatever the number of events.
 */
export async function enqueueWebhooks(db: Db, events: readonly LedgerEvent[]): Promise<void> {
  if (events.length === 0) return;
  const subs = await db.selectFrom('webhook_subscriptions').select(['id', 'topics']).where('active', '=', 1).execute();
  if (subs.length === 0) return;
  const wanted = subs.map((s) => ({ id: s.id, topics: new Set(JSON.parse(s.topics) as string[]) }));
  const now = new Date();
  const rows: NewOutboxRow[] = [];
  for (const e of events) {
    const topic = topicOf(e);
    // Evidence (IP, user agent, page) stays out: subscribers get what changed, not the proof (GDPR art. 5(1)(c)).
    const event = { seq: e.seq, id: e.id, contactId: e.contactId, type: e.type, at: e.at, data: e.data };
    for (const s of wanted) {
      if (s.topics.has(topic) || s.topics.has('*')) rows.push(outboxRow(s.id, topic, e.seq, e.recordedAt, event, now));
    }
  }
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('webhook_outbox')
      .values(rows.slice(i, i + CHUNK))
      .execute();
  }
}

function outboxRow(
  subscriptionId: string,
  topic: string,
  eventSeq: number | null,
  occurredAt: string,
  event: object | null,
  now: Date,
): NewOutboxRow {
  const id = newId();
  return {
    id,
    subscription_id: subscriptionId,
    topic,
    event_seq: eventSeq,
    payload: JSON.stringify({ id, topic, occurredAt, event }),
    status: 'pending',
    attempts: 0,
    next_attempt_ms: now.getTime(),
    last_status: null,
    last_error: null,
    last_attempt_at: null,
    delivered_at: null,
    created_at: now.toISOString(),
  };
}

/** Queues a `webhook.test` message (event null) behind whatever the subscription is waiting for. */
export async function enqueueWebhookTest(db: Db, subscriptionId: string): Promise<WebhookDelivery> {
  if ((await getWebhook(db, subscriptionId))?.active !== true) {
    throw new StoreError('NOT_FOUND', `no active webhook ${subscriptionId}`);
  }
  const now = new Date();
  const row = outboxRow(subscriptionId, WEBHOOK_TEST_TOPIC, null, now.toISOString(), null, now);
  await db.insertInto('webhook_outbox').values(row).execute();
  return deliveryOf({ ...row, seq: 0 });
}

/** The latest messages of a subscription, newest first. */
export async function webhookDeliveries(
  db: Db,
  subscriptionId: string,
  opts: { limit: number; status?: WebhookStatus },
): Promise<WebhookDelivery[]> {
  let query = db
    .selectFrom('webhook_outbox')
    .selectAll()
    .where('subscription_id', '=', subscriptionId)
    .orderBy('seq', 'desc')
    .limit(opts.limit);
  if (opts.status !== undefined) query = query.where('status', '=', opts.status);
  return (await query.execute()).map(deliveryOf);
}

/**
 * Claims the oldest pending message of a subscription if it is due, for `leaseMs`: messages go out one at a time
 * and in order per subscription (a withdrawal never overtakes the consent it withdraws). Safe with several
 * dispatchers: PostgreSQL skips a subscription another one is claiming, and the lease is taken only if nobody
 * moved it in between (which also covers SQLite). A claim that lapses (crash) makes the message due again.
 */
export async function claimWebhookDelivery(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  subscriptionId: string,
  at: { nowMs: number; leaseMs: number },
): Promise<ClaimedDelivery | null> {
  return atomically(db, async (tx) => {
    let subscription = tx
      .selectFrom('webhook_subscriptions')
      .select(['url', 'secret'])
      .where('id', '=', subscriptionId)
      .where('active', '=', 1);
    // Claims of one subscription queue on its row (held for these few statements only). SKIP LOCKED would answer
    // "another dispatcher is claiming" as "nothing is due", ending a drain with messages left.
    if (dialect === 'postgres') subscription = subscription.forUpdate();
    const sub = await subscription.executeTakeFirst();
    if (sub === undefined) return null;
    const head = await tx
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', PENDING)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    if (head === undefined || Number(head.next_attempt_ms) > at.nowMs) return null;
    const leased = await tx
      .updateTable('webhook_outbox')
      .set({ next_attempt_ms: at.nowMs + at.leaseMs })
      .where('seq', '=', head.seq)
      .where('status', '=', PENDING)
      .where('next_attempt_ms', '=', head.next_attempt_ms)
      .executeTakeFirst();
    if (Number(leased.numUpdatedRows) !== 1) return null;
    return { delivery: deliveryOf(head), url: sub.url, secret: sub.secret, body: head.payload };
  });
}

/** Records an attempt on a claimed message; a message cancelled meanwhile (subscription deleted) stays cancelled. */
export async function recordWebhookAttempt(db: Db, id: string, attempt: WebhookAttempt): Promise<void> {
  const at = attempt.at.toISOString();
  await db
    .updateTable('webhook_outbox')
    .set((eb) => ({
      attempts: eb('attempts', '+', 1),
      status: attempt.outcome === 'retry' ? 'pending' : attempt.outcome,
      last_status: attempt.status,
      last_error: attempt.error === null ? null : attempt.error.slice(0, 500),
      last_attempt_at: at,
      delivered_at: attempt.outcome === 'delivered' ? at : null,
      ...(attempt.outcome === 'retry' ? { next_attempt_ms: attempt.nextAttemptMs ?? attempt.at.getTime() } : {}),
    }))
    .where('id', '=', id)
    .where('status', '=', PENDING)
    .execute();
}

/** Deletes settled messages (delivered, dead, cancelled) last touched before `before`; returns how many. */
export async function pruneWebhookOutbox(db: Db, before: Date): Promise<number> {
  const result = await db
    .deleteFrom('webhook_outbox')
    .where('status', '<>', PENDING)
    .where((eb) => eb(eb.fn.coalesce('last_attempt_at', 'created_at'), '<', before.toISOString()))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
