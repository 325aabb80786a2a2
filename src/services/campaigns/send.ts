// Campaign sending (issue #6; docs/campaigns.md): the audience is screened (src/services/screening: stored
// histories, opposition and suppression lists), then each batch of allowed rows is decided AGAIN right before it
// leaves, so an unsubscribe recorded since the screening still wins; a message goes only to a recipient both
// decisions allow, rendered with the obligations of the last one, and every send is recorded (campaign_sends).
// A dry run writes the rendered messages (one .eml per email, messages.ndjson for all) and sends nothing.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Channel } from '../../domain/channels.js';
import { type Contact, countryOfNumber, DEFAULT_JURISDICTION } from '../../domain/contact.js';
import { disclosedSource } from '../../domain/decision.js';
import { usuallyReads } from '../../domain/languages.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import type { NewSend } from '../../store/sends.js';
import type { Store } from '../../store/store.js';
import type { SmsProvider } from '../forms/senders.js';
import type { Mailer } from '../mail.js';
import { PRIVATE_FILE } from '../private-file.js';
import type { ScreeningLists } from '../screening/lists.js';
import { recordScreening } from '../screening/record.js';
import { type AudienceRow, type PreparedRow, prepareRow } from '../screening/rows.js';
import { type MessageOffer, screenAudience } from '../screening/screen.js';
import type { ScreeningSummary } from '../screening/summary.js';
import { decideStoredBatch } from '../stored-decisions.js';
import type { TokenSigner } from '../tokens.js';
import { recipientLinks } from '../unsubscribe.js';
import { type LintProblem, lintTemplate } from './lint.js';
import { deliver, serverUnreachable, writeDryRun } from './outbox.js';
import { addressOf, findContact, sourceOf } from './recipients.js';
import { type SmsLength, smsLength } from './sms-length.js';
import {
  type MessageTemplate,
  missingVariables,
  type RenderContext,
  RenderError,
  type RenderedMessage,
  renderMessage,
  templateChannelOf,
  templateSha256,
} from './templates.js';

/** How far past the clock a live batch is decided: events stamped while it was prepared count (see below). */
const SEND_TIME_MARGIN_MS = 1_000;

/**
 * Messages in a row that could not reach the server (serverUnreachable) after which a live campaign stops: a server
 * that accepts connections and never greets would otherwise cost a connection timeout per message, for everyone.
 */
export const UNREACHABLE_LIMIT = 3;

export interface CampaignOptions {
  template: MessageTemplate;
  channel: Channel;
  purpose: string;
  /** What the message is about (`message.offer` of the contract): B2B relevance, similar products, sector. */
  offer?: MessageOffer;
  /** When the messages go out (default: now); both decisions are made at it. */
  at?: Date;
  /** Where national numbers are read (null: FR) and whose lists must be current; never a stored contact's law. */
  jurisdiction: string | null;
  /** A re-run with the same id skips who already got this campaign. */
  campaignId?: string;
  /** Write the rendered messages to this folder instead of sending. */
  dryRunDir?: string | null;
  /** Allowed rows decided again and sent per batch. */
  batchSize?: number;
  /** The audience's column names, as variables: a template variable none of them gives is refused up front. */
  columns?: ReadonlySet<string>;
  /** Stops the run before the next message (Ctrl-C): the message in flight is sent and recorded, the rest is not. */
  signal?: AbortSignal;
  /** The audience's SHA-256 once read, for the screenings record a live run writes (campaignAudience's `sha256`). */
  audienceSha256?: () => string | null;
}

export interface CampaignDeps {
  store: Store;
  packs: PackRegistry;
  lists: ScreeningLists;
  signer: TokenSigner;
  /** Base of the unsubscribe and preference links (`ASSENT_PUBLIC_URL`). */
  publicUrl: string;
  /** The `From` of emails (`ASSENT_MAIL_FROM`). */
  mailFrom: string;
  mailer?: Mailer | null;
  sms?: SmsProvider | null;
}

export interface CampaignResult {
  campaignId: string;
  channel: Channel;
  dryRun: boolean;
  outDir: string | null;
  screening: ScreeningSummary;
  /** Messages sent (or, in a dry run, written). */
  sent: number;
  failed: number;
  /** The first failure's reason (the SMTP server's or the SMS provider's answer), when any send failed. */
  firstFailure?: string;
  /** Allowed at screening but not sent, by reason: the deny code at send time, NO_ADDRESS, ALREADY_SENT… */
  skipped: Record<string, number>;
  /** SMS and MMS: the longest message rendered, as the network counts it (parts are billed one by one). */
  longestSms?: SmsLength;
  /** Of `failed`, those whose recipient was refused for good (see refusedForGood): a re-run does not retry them. */
  rejected?: number;
  /** The first message that could not be rendered, and why (its row's line): skipped as RENDER_ERROR. */
  firstRenderError?: string;
  /** Stopped by its signal before the end of the audience: a re-run with the same id sends the rest. */
  interrupted?: boolean;
  /**
   * Messages sent (in a dry run, written) to recipients whose jurisdiction does not usually read the template's
   * language, by jurisdiction (`{"DE": 3}`): their legal mentions (why they get it, the right to object,
   * "Publicité") were in a language they may not read (GDPR art. 12(1)). Absent when none; jurisdictions whose
   * languages are not known (src/domain/languages.ts) are not counted. Who is sent to does not change.
   */
  languageMismatch?: Record<string, number>;
  /**
   * Stopped after UNREACHABLE_LIMIT messages in a row could not reach the server: the last reason, and how many
   * recipients allowed at screening the run did not reach (an upper bound: a re-run with the same id sends to those
   * still due, skipping the already sent, and retries the failed ones).
   */
  stopped?: { reason: string; notAttempted: number };
}

/** The campaign cannot start: a template that cannot carry the obligations, or no way to send on the channel. */
export class CampaignError extends Error {
  constructor(
    message: string,
    readonly problems: LintProblem[] = [],
  ) {
    super(message);
    this.name = 'CampaignError';
  }
}

export type CampaignRow = { row: AudienceRow; vars: Readonly<Record<string, string>> };

/** Screens `rows`, then renders and sends (or writes) the message to each recipient allowed at send time. */
export async function runCampaign(
  rows: AsyncIterable<CampaignRow>,
  options: CampaignOptions,
  deps: CampaignDeps,
): Promise<CampaignResult> {
  const { template, channel } = options;
  const problems = lintTemplate(template, channel);
  if (problems.length > 0) {
    throw new CampaignError(`the template cannot be used for ${channel}: ${problems[0]?.message}`, problems);
  }
  const dryRunDir = options.dryRunDir ?? null;
  const kind = templateChannelOf(channel);
  const unknown = kind !== null && options.columns ? missingVariables(template, kind, options.columns) : [];
  if (unknown.length > 0) {
    // It would render empty for every recipient ("Bonjour ,").
    throw new CampaignError(
      `the template uses ${unknown.map((v) => `{{${v}}}`).join(', ')}, which no column of the audience gives (columns: ${[...(options.columns ?? [])].join(', ')}): add the column, or take the placeholder out`,
    );
  }
  if (dryRunDir === null) {
    if (kind === 'call') throw new CampaignError('calls are made by people: use --dry-run to write the call scripts');
    if (kind === 'email' && !deps.mailer) throw new CampaignError('no SMTP server configured (SMTP_URL)');
    if (kind === 'sms' && !deps.sms) throw new CampaignError('no SMS provider configured (ASSENT_SMS_URL)');
  } else {
    // A previous run's files would mix with this one's (numbered alike, some left over).
    const existing = await readdir(dryRunDir).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [];
      throw error;
    });
    if (existing.length > 0) {
      throw new CampaignError(`the dry-run folder ${dryRunDir} is not empty: name a new folder`);
    }
    await mkdir(dryRunDir, { recursive: true });
    await writeFile(join(dryRunDir, 'messages.ndjson'), '', { mode: PRIVATE_FILE });
  }
  const at = options.at ?? new Date();
  // Calling hours, frequency limits and the law in force are judged at `at`: a live campaign leaves now.
  if (dryRunDir === null && at.getTime() > Date.now() + 60_000) {
    throw new CampaignError('--at is in the future: a live campaign goes out now (use --dry-run to preview a date)');
  }
  const campaignId = options.campaignId ?? randomUUID();
  const result: Omit<CampaignResult, 'screening'> = {
    campaignId,
    channel,
    dryRun: dryRunDir !== null,
    outDir: dryRunDir,
    sent: 0,
    failed: 0,
    skipped: {},
  };
  const ctx: BatchContext = {
    options,
    deps,
    at,
    campaignId,
    dryRunDir,
    result,
    sha: templateSha256(template),
    seen: new Set(),
    unreachable: 0,
    unreachableReason: '',
  };
  const batchSize = options.batchSize ?? 200;
  let batch: CampaignRow[] = [];
  // The campaign's channel and purpose for every row: a row cannot turn an email campaign into a call.
  async function* screened() {
    for await (const r of rows) {
      if (options.signal?.aborted) return;
      yield { row: { ...r.row, channel: undefined, purpose: undefined }, source: r };
    }
  }
  const screening = await screenAudience(
    screened(),
    {
      channel,
      purpose: options.purpose,
      at,
      jurisdiction: options.jurisdiction,
      dryRun: false,
      ...(options.offer ? { offer: options.offer } : {}),
    },
    { store: deps.store, packs: deps.packs, lists: deps.lists },
    {
      row: async (source, _row, outcome) => {
        if (outcome.status !== 'allowed') return;
        // Stopped: the rest is still screened, so the summary is whole and says how many were not attempted.
        const stopped = halted(ctx);
        if (stopped) {
          stopped.notAttempted++;
          return;
        }
        batch.push(source);
        if (batch.length >= batchSize) {
          const full = batch;
          batch = [];
          await sendBatch(full, ctx);
        }
      },
    },
  );
  // A live run records its screening (docs/screening.md): which list versions it sent on; a dry run sends nothing.
  if (dryRunDir === null) {
    await recordScreening(deps.store, screening, {
      via: 'campaign',
      campaignId,
      audienceSha256: options.audienceSha256?.() ?? null,
    });
  }
  if (batch.length > 0) await sendBatch(batch, ctx);
  if (options.signal?.aborted) result.interrupted = true;
  const done: CampaignResult = { ...result, screening };
  if (dryRunDir !== null) await writeFile(join(dryRunDir, 'campaign.json'), `${JSON.stringify(done, null, 2)}\n`);
  return done;
}

interface BatchContext {
  options: CampaignOptions;
  deps: CampaignDeps;
  at: Date;
  campaignId: string;
  dryRunDir: string | null;
  result: Omit<CampaignResult, 'screening'>;
  sha: string;
  /** Contacts given a message in this run (an audience may name one person twice). */
  seen: Set<string>;
  /** Messages in a row that could not reach the server, and the last one's reason. */
  unreachable: number;
  unreachableReason: string;
}

/**
 * Whether a send failed for good for this recipient: the SMTP server refused the recipient with a 5xx (RFC 5321
 * §4.2.1, "do not repeat the exact request"; nodemailer names the command, `RCPT TO`), or an SMS provider refused the
 * number (400, 404, 410, 422). A refusal of the login, the sender or the account (535, a 5xx on MAIL FROM, an SMS
 * 401, 402 or 403) is no one recipient's: a re-run after the fix tries again, as after a timeout or a 4xx.
 */
function refusedForGood(error: unknown): boolean {
  const e = error as { responseCode?: unknown; command?: unknown; status?: unknown } | null;
  if (typeof e?.responseCode === 'number') {
    if (e.responseCode < 500 || e.responseCode >= 600 || typeof e.command !== 'string' || !/^RCPT\b/i.test(e.command)) {
      return false;
    }
    // An enhanced status (RFC 3463) saying policy or the system (5.7.1 "relay access denied" to a client that has not
    // logged in, 5.3.x, 5.4.x, 5.5.x) is the server's, not the address's: only 5.1.x and 5.2.x, or none, are.
    const enhanced = /\b5\.(\d)\.\d{1,3}\b/.exec(String((error as { response?: unknown }).response ?? ''));
    return enhanced === null || enhanced[1] === '1' || enhanced[1] === '2';
  }
  return typeof e?.status === 'number' && [400, 404, 410, 422].includes(e.status);
}

/** The run's stop for a server it cannot reach, set once UNREACHABLE_LIMIT messages in a row failed so; else none. */
function halted(ctx: BatchContext): CampaignResult['stopped'] {
  if (ctx.unreachable >= UNREACHABLE_LIMIT) ctx.result.stopped ??= { reason: ctx.unreachableReason, notAttempted: 0 };
  return ctx.result.stopped;
}

/**
 * A template has one language, its recipients' countries theirs: a message gone to someone whose jurisdiction does
 * not usually read it is counted under that jurisdiction (the stored person's, whose law decided), to be said.
 */
function countLanguage(ctx: BatchContext, contact: Contact): void {
  if (usuallyReads(contact.jurisdiction, ctx.options.template.language) !== false) return;
  ctx.result.languageMismatch ??= {};
  const counts = ctx.result.languageMismatch;
  counts[contact.jurisdiction] = (counts[contact.jurisdiction] ?? 0) + 1;
}

const skip = (ctx: BatchContext, reason: string): void => {
  ctx.result.skipped[reason] = (ctx.result.skipped[reason] ?? 0) + 1;
};

/**
 * Renders and sends (or writes) the batch to whoever is still allowed. A live message is decided on the ledger as it
 * is just before it leaves, one recipient at a time: an unsubscribe or a STOP recorded a moment ago, while earlier
 * messages of the batch went out, wins (CPCE L34-5; RGPD art. 21(3)). A dry run decides the batch at once, at `at`.
 * Each message is recorded as soon as it is sent or has failed: a run stopped or killed loses no record of what left.
 */
async function sendBatch(batch: readonly CampaignRow[], ctx: BatchContext): Promise<void> {
  const { options, deps } = ctx;
  const live = ctx.dryRunDir === null;
  const defaults = { channel: options.channel, purpose: options.purpose, jurisdiction: options.jurisdiction };
  const found: { item: CampaignRow; prepared: PreparedRow; contact: Contact }[] = [];
  for (const item of batch) {
    const prepared = prepareRow(item.row, defaults);
    if (!('lookup' in prepared)) {
      skip(ctx, 'INVALID_ROW');
      continue;
    }
    const contact = await findContact(deps.store, prepared);
    if (contact === null) skip(ctx, 'CONTACT_NOT_FOUND');
    else found.push({ item, prepared, contact });
  }
  const ids = found.map((f) => f.contact.id);
  // The records of a person merged into another since an earlier run are under the old id: both count.
  const settled = live
    ? await deps.store.settledAmong(
        ctx.campaignId,
        found.flatMap((f) => [f.contact.id, ...f.contact.merged]),
      )
    : new Map<string, 'sent' | 'rejected'>();
  const decide = (items: typeof found, at: Date) =>
    decideStoredBatch(
      items.map((f, i) => ({
        id: i,
        ...(f.prepared.jurisdiction !== null ? { jurisdiction: f.prepared.jurisdiction } : {}),
        at: at.toISOString(),
        message: {
          channel: options.channel,
          purpose: options.purpose,
          ...(options.offer ? { offer: options.offer } : {}),
        },
        contact: { id: f.contact.id },
      })),
      deps.store,
      deps.packs,
      () => at,
    );
  const previewed = live ? [] : await decide(found, ctx.at);
  const histories = await deps.store.decisionHistoriesOf(ids);
  for (let i = 0; i < found.length; i++) {
    if (options.signal?.aborted) return;
    const stopped = halted(ctx);
    if (stopped) {
      stopped.notAttempted += found.length - i;
      return;
    }
    const f = found[i] as (typeof found)[number];
    const { item, prepared, contact } = f;
    // Live: an event recorded now, dated now, would be in the future of a decision made at the campaign's start, and
    // ignored; the clock is read after the store and given a second's margin, so an objection stamped a moment after
    // it was read still counts.
    const decideAt = live ? new Date(Math.max(ctx.at.getTime(), Date.now() + SEND_TIME_MARGIN_MS)) : ctx.at;
    const answer = live ? (await decide([f], decideAt))[0] : previewed[i];
    if (answer === undefined || 'error' in answer) {
      skip(ctx, answer === undefined ? 'NO_ANSWER' : answer.error.code);
      continue;
    }
    if (answer.decision !== 'allow') {
      skip(ctx, answer.reasons[0]?.code ?? 'DENIED');
      continue;
    }
    const personIds = [contact.id, ...contact.merged];
    const statuses = personIds.map((id) => settled.get(id));
    const earlier = statuses.includes('sent') ? 'sent' : statuses.includes('rejected') ? 'rejected' : undefined;
    if (earlier === 'sent' || personIds.some((id) => ctx.seen.has(id))) {
      skip(ctx, 'ALREADY_SENT');
      continue;
    }
    if (earlier === 'rejected') {
      skip(ctx, 'REJECTED_BEFORE'); // the server refused this address for good: not tried again
      continue;
    }
    const address = addressOf(options.channel, prepared, contact);
    if (address === null) {
      skip(ctx, 'NO_ADDRESS');
      continue;
    }
    const render: RenderContext = {
      channel: options.channel,
      obligations: answer.obligations,
      basis: answer.basis ?? '',
      audience: contact.type === 'professional' ? 'b2b' : 'b2c',
      // The engine's reading first (the source DISCLOSE_DATA_SOURCE names, as allowed.csv gives it), so a message
      // and the screening name the same one; the ledger's own for the direct and unknown cases.
      source: disclosedSource(answer.obligations) ?? sourceOf(histories.get(contact.id) ?? []),
      links: recipientLinks(deps.signer, {
        publicUrl: deps.publicUrl,
        contactId: contact.id,
        channel: options.channel,
        ...(options.template.unsubscribeMailto ? { mailto: options.template.unsubscribeMailto } : {}),
        now: decideAt,
      }),
      vars: item.vars,
      // Whose short STOP number the recipient can text: their number's country (E.164, normalised by prepareRow).
      ...(templateChannelOf(options.channel) === 'sms'
        ? { countries: { number: countryOfNumber(address), campaign: options.jurisdiction ?? DEFAULT_JURISDICTION } }
        : {}),
    };
    let message: RenderedMessage;
    try {
      message = renderMessage(options.template, render);
    } catch (error) {
      if (!(error instanceof RenderError)) throw error;
      skip(ctx, 'RENDER_ERROR');
      ctx.result.firstRenderError ??= `line ${item.row.line}: ${error.message}`;
      continue;
    }
    ctx.seen.add(contact.id);
    if (message.kind === 'sms') {
      const length = smsLength(message.text);
      // The costliest: most parts (each is billed), then most units; a UCS-2 text of fewer characters may need more.
      const longest = ctx.result.longestSms;
      if (
        longest === undefined ||
        length.parts > longest.parts ||
        (length.parts === longest.parts && length.units > longest.units)
      ) {
        ctx.result.longestSms = length;
      }
    }
    const base = {
      campaignId: ctx.campaignId,
      contactId: contact.id,
      channel: options.channel,
      address,
      basis: answer.basis ?? '',
      obligations: message.carried,
      templateSha256: ctx.sha,
      sentAt: new Date().toISOString(),
    };
    if (ctx.dryRunDir !== null) {
      await writeDryRun(ctx.dryRunDir, deps.mailFrom, ctx.result.sent + 1, address, contact.id, message);
      ctx.result.sent++;
      countLanguage(ctx, contact);
      continue;
    }
    // Claimed first: another run of the same campaign at the same time read "not sent" too (settledAmong above).
    if (!(await deps.store.claimSend(ctx.campaignId, contact.id))) {
      skip(ctx, 'ALREADY_SENT');
      continue;
    }
    let record: NewSend;
    try {
      const messageId = await deliver(deps, address, message);
      record = { ...base, status: 'sent', messageId, error: null };
      ctx.result.sent++;
      countLanguage(ctx, contact);
      ctx.unreachable = 0;
    } catch (error) {
      const why = String((error as Error).message ?? error);
      const permanent = refusedForGood(error);
      record = { ...base, status: permanent ? 'rejected' : 'failed', messageId: null, error: why };
      ctx.result.failed++;
      if (permanent) ctx.result.rejected = (ctx.result.rejected ?? 0) + 1;
      ctx.result.firstFailure ??= why;
      // Only failures in a row count: a recipient refused, or a message sent, shows the server answers.
      ctx.unreachable = serverUnreachable(error) ? ctx.unreachable + 1 : 0;
      ctx.unreachableReason = why;
      ctx.seen.delete(contact.id);
      // A temporary failure is tried again by a re-run; a permanent one keeps its claim and its record says why.
      if (!permanent) await deps.store.releaseSend(ctx.campaignId, contact.id);
    }
    await deps.store.recordSends([record]);
  }
}
