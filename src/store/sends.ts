// Campaign sends (issue #6; docs/campaigns.md): what each campaign sent to whom, on what basis, carrying what.
import type { Kysely, Transaction } from 'kysely';
import { newId } from './rows.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** `failed`: for now, a re-run tries again; `rejected`: the recipient refused for good (a bounce), a re-run does not. */
export const SEND_STATUSES = ['sent', 'failed', 'rejected'] as const;
export type SendStatus = (typeof SEND_STATUSES)[number];

export interface NewSend {
  campaignId: string;
  contactId: string;
  channel: string;
  /** The email address or phone number the message went to. */
  address: string;
  status: SendStatus;
  basis: string;
  /** Obligation codes the rendered message carried. */
  obligations: readonly string[];
  templateSha256: string;
  messageId: string | null;
  error: string | null;
  sentAt: string;
}

export interface SendRecord extends NewSend {
  id: string;
}

/** Bounded IN lists and insert batches (parameter limits of SQLite and PostgreSQL). */
const CHUNK = 500;

export async function recordSends(db: Db, sends: readonly NewSend[]): Promise<void> {
  for (let i = 0; i < sends.length; i += CHUNK) {
    await db
      .insertInto('campaign_sends')
      .values(
        sends.slice(i, i + CHUNK).map((s) => ({
          id: newId(),
          campaign_id: s.campaignId,
          contact_id: s.contactId,
          channel: s.channel,
          address: s.address,
          status: s.status,
          basis: s.basis,
          obligations: JSON.stringify(s.obligations),
          template_sha256: s.templateSha256,
          message_id: s.messageId,
          error: s.error,
          sent_at: s.sentAt,
        })),
      )
      .execute();
  }
}

/**
 * Claims the campaign's message to a contact before it leaves: true for the one run that gets it, false when the
 * campaign already sent to them or another run of it is sending (two runs of one campaign at once).
 */
export async function claimSend(db: Db, campaignId: string, contactId: string): Promise<boolean> {
  const r = await db
    .insertInto('campaign_claims')
    .values({ campaign_id: campaignId, contact_id: contactId, claimed_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
}

/** Gives a claim back when the message could not be sent: a later run tries again. */
export async function releaseSend(db: Db, campaignId: string, contactId: string): Promise<void> {
  await db
    .deleteFrom('campaign_claims')
    .where('campaign_id', '=', campaignId)
    .where('contact_id', '=', contactId)
    .execute();
}

/** Of these contacts, those the campaign already sent to or was refused for good (a re-run skips both), by status. */
export async function settledAmong(
  db: Db,
  campaignId: string,
  contactIds: readonly string[],
): Promise<Map<string, 'sent' | 'rejected'>> {
  const out = new Map<string, 'sent' | 'rejected'>();
  for (let i = 0; i < contactIds.length; i += CHUNK) {
    const rows = await db
      .selectFrom('campaign_sends')
      .select(['contact_id', 'status'])
      .where('campaign_id', '=', campaignId)
      .where('status', 'in', ['sent', 'rejected'])
      .where('contact_id', 'in', contactIds.slice(i, i + CHUNK))
      .execute();
    // A person sent to once is "sent", whatever else their rows say.
    for (const r of rows) if (out.get(r.contact_id) !== 'sent') out.set(r.contact_id, r.status as 'sent' | 'rejected');
  }
  return out;
}

/** Which sends to list: of one campaign and/or one contact, of one status, after the last one of a page. */
export interface SendQuery {
  campaignId?: string;
  contactId?: string;
  status?: SendStatus;
  /** The last send of the previous page (keyset paging: a page costs the same however deep). */
  after?: { sentAt: string; id: string };
  limit?: number;
}

/** Sends, oldest first, of one campaign and/or one contact. */
export async function listSends(db: Db, opts: SendQuery): Promise<SendRecord[]> {
  const rows = await sendsQuery(db, opts).execute();
  return rows.map((r) => ({
    id: r.id,
    campaignId: r.campaign_id,
    contactId: r.contact_id,
    channel: r.channel,
    address: r.address,
    status: r.status as SendStatus,
    basis: r.basis,
    obligations: JSON.parse(r.obligations) as string[],
    templateSha256: r.template_sha256,
    messageId: r.message_id,
    error: r.error,
    sentAt: r.sent_at,
  }));
}

/** The query of listSends (exported for its plan's test). */
export function sendsQuery(db: Db, opts: SendQuery) {
  let q = db.selectFrom('campaign_sends').selectAll();
  if (opts.campaignId !== undefined) q = q.where('campaign_id', '=', opts.campaignId);
  if (opts.contactId !== undefined) q = q.where('contact_id', '=', opts.contactId);
  if (opts.status !== undefined) q = q.where('status', '=', opts.status);
  const after = opts.after;
  if (after !== undefined) {
    // The range on sent_at first, so that a page is read from the key on (index campaign_sends_page, migration
    // 0022), not found among every send of the campaign and sorted: the OR alone is no range to SQLite.
    q = q
      .where('sent_at', '>=', after.sentAt)
      .where((eb) => eb.or([eb('sent_at', '>', after.sentAt), eb('id', '>', after.id)]));
  }
  return q
    .orderBy('sent_at')
    .orderBy('id')
    .limit(opts.limit ?? 10_000);
}
