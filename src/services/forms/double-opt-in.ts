// Double opt-in: the confirmation of a pending consent request, the reminders and the expiry of unconfirmed ones.
// Confirmation is the proof of email consent in DE/AT/CH (BGH, 10.02.2011, I ZR 164/09; UWG §7 Abs. 2 Nr. 2):
// it is recorded as `consent.confirmed`, with its own evidence (time, IP, user agent), beside the request's.
import type { NewLedgerEvent } from '../../domain/ledger.js';
import type { ConsentRequest } from '../../store/consent-requests.js';
import type { Store } from '../../store/store.js';
import { isSuppressed, readmit, suppressionHash } from '../lists/suppression.js';
import { recordEvents } from '../record-events.js';
import type { TokenSigner } from '../tokens.js';
import { type FormDeps, type PendingItem, saysNoOn, sendConfirmation } from './collect.js';

/** The address a request's confirmation went to, as an identifier. */
function addressOf(request: ConsentRequest): { kind: 'email' | 'phone'; value: string } {
  return { kind: request.via === 'email' ? 'email' : 'phone', value: request.destination };
}

export type TokenProblem = 'invalid' | 'expired' | 'used';
/** A failure names the request's language when the request was found: its page speaks the form's language. */
export type TokenState =
  | { ok: true; request: ConsentRequest }
  | { ok: false; problem: TokenProblem; language?: string };

/** What a confirmation token stands for, without changing anything (the GET page shows a button or a problem). */
export async function checkConfirmToken(
  deps: { store: Store; signer: () => Promise<TokenSigner>; now: () => Date },
  token: string,
): Promise<TokenState> {
  const check = (await deps.signer()).verify(token, 'confirm');
  if (!check.ok) return { ok: false, problem: check.reason === 'expired' ? 'expired' : 'invalid' };
  const nonce = check.payload.n;
  const request = nonce === undefined ? null : await deps.store.getConsentRequestByNonce(nonce);
  if (request === null || request.contactId !== check.payload.c) return { ok: false, problem: 'invalid' };
  if (request.status === 'confirmed') return { ok: false, problem: 'used', language: request.language };
  if (request.status === 'expired' || request.expiresMs <= deps.now().getTime())
    return { ok: false, problem: 'expired', language: request.language };
  return { ok: true, request };
}

export type ConfirmResult =
  | { ok: true; request: ConsentRequest }
  | { ok: false; problem: TokenProblem; language?: string };

/**
 * Confirms once: the request leaves `pending` by compare-and-set in the same transaction as the ledger events, so
 * a replayed or concurrent use of the token changes nothing.
 */
export async function confirmConsent(
  deps: Pick<FormDeps, 'store' | 'signer' | 'now' | 'recordedBy'>,
  token: string,
  visitor: { ip: string; userAgent: string },
): Promise<ConfirmResult> {
  const state = await checkConfirmToken(deps, token);
  if (!state.ok) return state;
  const request = state.request;
  const at = deps.now().toISOString();
  const done = await deps.store.transaction(async (tx) => {
    if (!(await tx.settleConsentRequest(request.id, 'confirmed', at))) return false;
    const holder = request.deferred === null ? request.contactId : await admit(tx, request);
    // The address went to another record since the sign-up: the confirmation counts for nothing (as an added
    // address does, countingNow), and the person signs up again.
    if (holder === null) return true;
    const { items, person } = await countingNow(tx, request);
    const events: NewLedgerEvent[] = items.map((i) => ({
      contactId: holder,
      type: 'consent.confirmed',
      at,
      data: {
        channel: i.channel,
        purpose: i.purpose,
        scope: i.scope,
        ...(i.partners === undefined ? {} : { partners: i.partners }),
      },
      evidence: {
        method: 'double_opt_in',
        formId: request.formId,
        requestId: request.id,
        requestedAt: request.requestedAt,
        via: request.via,
        // Which address confirmed, as the suppression list keeps one: the proof names it without holding it, and
        // outlives an erasure and a rectification of the contact (docs/rights.md, proof statements).
        addressSha256: suppressionHash(addressOf(request).kind, addressOf(request).value),
        textId: i.textId,
        ip: visitor.ip,
        userAgent: visitor.userAgent,
        confirmedAt: at,
      },
      recordedBy: deps.recordedBy,
      idempotencyKey: `doi:${request.id}:${i.box}`,
    }));
    // The address typed beside the one they hold, now theirs: both confirmed (countingNow).
    const adds = new Map(items.flatMap((i) => (i.add ? [[i.add.value, i.add]] : [])));
    for (const add of adds.values()) await tx.updateContact(person ?? holder, { add: [add] });
    if (events.length > 0) await recordEvents(tx, events); // ties each textId to its SHA-256 again
    // The confirmed address is the person's own, and they asked to hear from us again: off the suppression list.
    // Only the one the confirmation went to: it proves that address, not one typed beside it.
    await readmit(tx, [addressOf(request)], {
      at,
      via: `consent request ${request.id} confirmed by the address's owner`,
      by: deps.recordedBy,
    });
    return true;
  });
  return done ? { ok: true, request } : { ok: false, problem: 'used', language: request.language };
}

/**
 * A deferred sign-up (collect.ts: a new person's address on the suppression list) confirmed by the address's owner:
 * the person is stored now, with the confirmed address only (an address typed beside it proved nothing), under the
 * id the request promised, or gets the address when a sibling request of the submission stored them first; the
 * submission's answers are recorded as they were given (their evidence, their time). Null when another record holds
 * the address now.
 */
async function admit(tx: Store, request: ConsentRequest): Promise<string | null> {
  const deferred = request.deferred as NonNullable<ConsentRequest['deferred']>;
  const address = addressOf(request);
  const { kind } = address;
  const person = await tx.findContact({ id: request.contactId });
  const owner = await tx.findContact({ kind, value: request.destination, jurisdiction: deferred.jurisdiction });
  if (owner !== null) return owner.id === person?.id ? owner.id : null;
  const holder =
    person === null
      ? await tx.createContact(
          { type: 'individual', jurisdiction: deferred.jurisdiction, [kind]: request.destination },
          { id: request.contactId },
        )
      : await tx.updateContact(person.id, { add: [address] });
  // Idempotent by their keys: the sibling request's confirmation recorded them already, if it came first.
  await recordEvents(
    tx,
    (deferred.events as Omit<NewLedgerEvent, 'contactId'>[]).map((e) => ({ contactId: holder.id, ...e })),
  );
  return holder.id;
}

const WITHDRAWALS: ReadonlySet<string> = new Set(['consent.withdrawn', 'objection']);

/** Whether the person withdrew or objected, on a channel the request asks about, since it was made. */
async function objectedSince(
  store: Pick<Store, 'historyOf' | 'findContact'>,
  request: ConsentRequest,
): Promise<boolean> {
  const since = Date.parse(request.requestedAt);
  const channels = new Set((request.items as PendingItem[]).flatMap((i) => [i.channel].flat()));
  // Merged since: the survivor's history (with this record's) is the person's.
  const person = (await store.findContact({ id: request.contactId }))?.id ?? request.contactId;
  return (await store.historyOf(person)).some((e) => Date.parse(e.at) >= since && saysNoOn(e, channels, WITHDRAWALS));
}

/**
 * The items a confirmation makes count now. A box reaching an address typed beside the one the person holds
 * (`add`) counts once both requests of the submission are confirmed: by the person found (the record is theirs)
 * and at the added address (it is theirs: BGH I ZR 164/09), whichever comes last; and not at all when another
 * record took that address meanwhile (its consent would then reach whatever address the person gets next). With
 * them, the person they are added to (`person`: the record the request's was merged into, if it was).
 */
async function countingNow(
  tx: Store,
  request: ConsentRequest,
): Promise<{ items: PendingItem[]; person?: string | undefined }> {
  const items = request.items as PendingItem[];
  if (!items.some((i) => i.add !== undefined)) return { items };
  const others = (await tx.consentRequestsOf([request.contactId])).filter(
    (r) =>
      r.id !== request.id &&
      r.formId === request.formId &&
      r.requestedAt === request.requestedAt &&
      (r.items as PendingItem[]).some((i) => i.add !== undefined),
  );
  const both = others.length > 0 && others.every((r) => r.status === 'confirmed');
  const person = both ? (await tx.findContact({ id: request.contactId }))?.id : undefined; // merged since: the survivor
  const free = new Map<string, boolean>();
  for (const i of items) {
    if (i.add === undefined || free.has(i.add.value)) continue;
    const owner = both ? await tx.findContact(i.add) : null;
    free.set(i.add.value, both && (owner === null || owner.id === person));
  }
  return { items: items.filter((i) => i.add === undefined || free.get(i.add.value) === true), person };
}

export interface SweepSettings {
  /** A reminder goes this long after the last message; 0: no reminders. */
  remindMs: number;
  maxReminders: number;
}

/**
 * Processes due reminders and expiries at `deps.now()`: called by the server's timer and by tests with their own
 * clock. An expired request stays in the ledger as an unconfirmed `consent.requested`, which is no consent.
 */
export async function processDueRequests(
  deps: Pick<FormDeps, 'store' | 'signer' | 'notify' | 'now'>,
  settings: SweepSettings,
): Promise<{ reminded: number; sent: number; expired: number; failed: number; stopped: number; held: number }> {
  const nowMs = deps.now().getTime();
  const out = { reminded: 0, sent: 0, expired: 0, failed: 0, stopped: 0, held: 0 };
  const due = await deps.store.dueConsentRequests({
    nowMs,
    sentBeforeMs: settings.remindMs > 0 ? nowMs - settings.remindMs : -1,
    maxReminders: settings.maxReminders,
    limit: 500,
  });
  for (const request of due) {
    if (request.expiresMs <= nowMs) {
      if (await deps.store.settleConsentRequest(request.id, 'expired', new Date(nowMs).toISOString())) out.expired++;
      continue;
    }
    // The person said no since they asked (an unsubscribe, a STOP, "withdraw everything"): no reminder to confirm
    // what they now refuse (GDPR art. 21(3)). The request ends, unconfirmed; they may sign up again.
    if (await objectedSince(deps.store, request)) {
      if (await deps.store.settleConsentRequest(request.id, 'expired', new Date(nowMs).toISOString())) out.stopped++;
      continue;
    }
    // A first message that could not be sent goes out as a first message, not as a reminder of it.
    const first = request.lastSentMs === 0;
    // An address of the suppression list (its owner objected or was erased) gets the one confirmation that lets
    // them come back, not reminders on the word of whoever typed it: counted as reminded, never sent.
    const to = addressOf(request);
    if (!first && (await isSuppressed(deps.store, to.kind, to.value))) {
      await deps.store.recordConsentReminder(request.id, nowMs, false);
      out.held++;
      continue;
    }
    if (await sendConfirmation(deps, request, first ? 'confirm' : 'reminder')) {
      await deps.store.recordConsentReminder(request.id, nowMs, first);
      if (first) out.sent++;
      else out.reminded++;
    } else {
      out.failed++;
    }
  }
  return out;
}
