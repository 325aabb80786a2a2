// Records what a person answered on a consent form: `consent.given` for ticked boxes, `consent.refused` for
// unticked ones (a refusal at collection stands: CNIL, a box left unticked is a no), or `consent.requested` when
// the submission must be confirmed by double opt-in. Every event carries its proof (RGPD art. 7(1): the controller
// must be able to demonstrate consent): wording id and SHA-256, page, IP, user agent, time, form.
import { createHash, randomBytes } from 'node:crypto';
import { type Channel, identifierKindOf } from '../../domain/channels.js';
import { type Contact, type Identifier, identifiersOf, normalizeIdentifier } from '../../domain/contact.js';
import { canonicalJson, type Evidence, type NewLedgerEvent } from '../../domain/ledger.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import type { ConsentForm, ConsentRequest, DeferredSignUp, NewConsentRequest } from '../../store/consent-requests.js';
import { type Store, StoreError } from '../../store/store.js';
import { isSuppressed, suppressionHashes } from '../lists/suppression.js';
import { recordEvents } from '../record-events.js';
import type { TokenSigner } from '../tokens.js';
import { type FormSettings, needsDoubleOptIn } from './settings.js';

/** Who submitted, as the server saw it. */
export interface Visitor {
  ip: string;
  userAgent: string;
  pageUrl: string | null;
  language: string;
}

export interface Submission {
  email?: string;
  phone?: string;
  /** Ids of the ticked boxes. */
  ticked: ReadonlySet<string>;
  partners: boolean;
  /** One id per displayed form (the CSRF token's nonce): a double click records once. */
  submissionId: string;
}

/** A box waiting for confirmation, as kept in the request row. */
export interface PendingItem {
  box: string;
  channel: Channel | Channel[];
  purpose: string;
  scope: 'own' | 'partners';
  partners?: string[];
  textId: string;
  /**
   * The typed address this box reaches, when the person found by the other one did not hold it: added to them,
   * with the box's consent, once both have confirmed (the person found, and the address itself), not at submission
   * (anyone may type a known email beside their own number, or their own email beside someone's number).
   */
  add?: Identifier;
}

/** Sends a confirmation (first or reminder) carrying the token: built by the web adapter (wording, link). */
export type Notify = (request: ConsentRequest, token: string, kind: 'confirm' | 'reminder') => Promise<void>;

export interface FormDeps {
  store: Store;
  packs: PackRegistry;
  now: () => Date;
  signer: () => Promise<TokenSigner>;
  notify: Notify;
  expireMs: number;
  /** Who records, for the ledger: `form:<id>` or `api-key:<id>/form:<id>`. */
  recordedBy: string;
}

export type CollectResult =
  /** contactId null: nothing recorded (a new person's address on the suppression list, nothing ticked). */
  | { status: 'recorded'; contactId: string | null }
  /**
   * One request per place a confirmation goes to (see `confirmations`), each with whether it could be sent.
   * `returning`: the form does not ask for double opt-in, but this submission must be confirmed (`mustConfirm`).
   */
  | {
      status: 'pending';
      contactId: string;
      requests: { request: ConsentRequest; sent: boolean }[];
      returning: boolean;
    };

/**
 * A submission id (the form token's nonce, or a server's `submission_id`) already used for other answers or another
 * person: recording them under it would be skipped as a duplicate, and the answers lost.
 */
export class SubmissionReusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SubmissionReusedError';
  }
}

/**
 * A field to fix: `required` (neither address given), `needed` (left empty while a ticked box's channel needs it:
 * an SMS box and no number) or `mismatch` (email and number of two people).
 */
export class FormInputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: 'required' | 'needed' | 'mismatch',
  ) {
    super(
      problem === 'required'
        ? `${field} is required`
        : problem === 'needed'
          ? `${field} is needed by a ticked box`
          : `the ${field} belongs to another person than the other identifier typed`,
    );
    this.name = 'FormInputError';
  }
}

export async function collectConsent(
  deps: FormDeps,
  form: ConsentForm,
  sub: Submission,
  visitor: Visitor,
): Promise<CollectResult> {
  const s = form.settings as FormSettings;
  // As stored, so the confirmation goes where a provider can route it (+33…, not "06 …") and the suppression list
  // is read and lifted under the hash of the identifier itself.
  const typedEmail = s.fields.includes('email') ? sub.email?.trim() || undefined : undefined;
  const typedPhone = s.fields.includes('phone') ? sub.phone?.trim() || undefined : undefined;
  if (typedEmail === undefined && typedPhone === undefined) {
    throw new FormInputError(s.fields[0] ?? 'email', 'required');
  }
  const email = typedEmail === undefined ? undefined : normalizeIdentifier('email', typedEmail, s.jurisdiction);
  const phone = typedPhone === undefined ? undefined : normalizeIdentifier('phone', typedPhone, s.jurisdiction);
  const at = deps.now();
  const keyOf = (box: string) => `form:${form.id}:${sub.submissionId}:${box}`;

  const items: Array<PendingItem & { ticked: boolean }> = [];
  for (const b of s.boxes) {
    const textId = await textIdFor(deps.store, b.text, visitor.language);
    items.push({
      box: b.id,
      channel: b.channel,
      purpose: b.purpose,
      scope: 'own',
      textId,
      ticked: sub.ticked.has(b.id),
    });
  }
  if (s.partners !== undefined) {
    const p = s.partners;
    const textId = await textIdFor(deps.store, p.text, visitor.language);
    const partners = p.partners.map((x) => x.id);
    items.push({
      box: 'partners',
      channel: p.channels,
      purpose: p.purpose,
      scope: 'partners',
      partners,
      textId,
      ticked: sub.partners,
    });
  }
  const tickedChannels = items.filter((i) => i.ticked).flatMap((i) => [i.channel].flat());
  // A consent is the typed address's: a box ticked for SMS with no number typed would give it to whatever number
  // the person's record holds (docs/forms.md).
  for (const c of tickedChannels) {
    const kind = identifierKindOf(c);
    if ((kind === 'email' && email === undefined) || (kind === 'phone' && phone === undefined)) {
      throw new FormInputError(kind, 'needed');
    }
  }
  const formDoi = tickedChannels.length > 0 && needsDoubleOptIn(s, deps.packs, tickedChannels);
  const keys = items.map((i) => keyOf(i.box));
  const eventsOf = (contactId: string, doi: boolean): NewLedgerEvent[] =>
    items.map((i) => {
      const type = !i.ticked ? 'consent.refused' : doi ? 'consent.requested' : 'consent.given';
      const data: Record<string, unknown> = { channel: i.channel, purpose: i.purpose, scope: i.scope };
      if (i.partners !== undefined) data.partners = i.partners;
      if (type === 'consent.given') data.method = 'checkbox';
      // What the page showed beside the wording, as forms change in place (a revision counter, not copies): the
      // revision, the privacy notice linked, the controller named and the partners named (CNIL: consent to transfer names its recipients).
      const evidence: Evidence = {
        method: 'form',
        formId: form.id,
        formRevision: form.revision,
        privacyPolicyUrl: s.privacyPolicyUrl,
        controller: s.controller, // who the page named as collecting (GDPR art. 13(1)(a)), when it did
        ...(i.scope === 'partners' ? { partnerNames: s.partners?.partners.map((x) => x.name) } : {}),
        textId: i.textId,
        pageUrl: visitor.pageUrl ?? undefined,
        ip: visitor.ip,
        userAgent: visitor.userAgent,
        language: visitor.language,
        submittedAt: at.toISOString(),
      };
      return {
        contactId,
        type,
        at: at.toISOString(),
        data,
        evidence,
        recordedBy: deps.recordedBy,
        idempotencyKey: keyOf(i.box),
      };
    });
  const pendingOf = (add: Identifier | null): PendingItem[] =>
    items
      .filter((i) => i.ticked)
      .map(({ ticked: _, ...rest }) =>
        add !== null && [rest.channel].flat().some((c) => identifierKindOf(c) === add.kind) ? { ...rest, add } : rest,
      );
  // The addresses a ticked box reaches: only those leave the suppression list when the person confirms or signs up.
  const reached = new Set(tickedChannels.map(identifierKindOf));
  const reachedIds = identifiersOf({
    jurisdiction: s.jurisdiction,
    email: reached.has('email') ? email : undefined,
    phone: reached.has('phone') ? phone : undefined,
  });

  // The id a person not stored yet gets if the sign-up is deferred (below): one per submission, so that the same
  // submission sent again finds its requests.
  const reserved = reservedContactId(form.id, sub.submissionId);
  const deferredOf = (held: readonly ConsentRequest[] | null): Outcome => {
    const events = eventsOf(reserved, true);
    const to = confirmations(pendingOf(null), email, phone, null);
    if (held === null) return { contactId: tickedChannels.length > 0 ? reserved : null, doi: true, events, to };
    const answers = (e: readonly unknown[]) =>
      canonicalJson((e as NewLedgerEvent[]).map((x) => [x.idempotencyKey, x.type, x.data]));
    const where = (x: readonly { via: string; destination: string }[]) =>
      canonicalJson(x.map((r) => `${r.via}:${r.destination}`).sort());
    const first = held[0]?.deferred;
    const same =
      first !== undefined &&
      first !== null &&
      held.every((r) => r.formId === form.id && r.status === 'pending') &&
      answers(first.events) === answers(events) &&
      where(held) === where(to);
    if (!same) throw reused(sub);
    return { contactId: reserved, doi: true, again: [...held] };
  };

  // In one write transaction (one writer at a time): a submission id seen before is checked, then the person is found
  // or created, then the answers are recorded. The same answers of the same person (a double click, two requests at
  // once) are answered as the first time; other answers, or another person (a replayed form token), are refused
  // before anything is stored, the person's contact included.
  const outcome = await deps.store.transaction(async (tx): Promise<Outcome> => {
    const earlier = await tx.eventsByIdempotencyKeys(keys);
    const held = earlier.size === 0 ? await tx.consentRequestsOf([reserved]) : [];
    if (held.length > 0) return deferredOf(held);
    const found =
      earlier.size === 0
        ? await findOrCreate(tx, s.jurisdiction, email, phone)
        : await findContactOf(tx, s.jurisdiction, email, phone);
    if (found === 'suppressed') {
      // A new person whose typed address is on the suppression list (erased, or objected with no record kept):
      // storing it on a contact now would bring them back on a stranger's say-so (GDPR art. 17, 21(3)). The
      // answers wait in the confirmation requests, recorded on a new contact when the address's owner confirms;
      // with nothing ticked there is nothing to confirm, and a refusal adds nothing to the list's exclusion.
      const d = deferredOf(null);
      if (d.contactId === null || d.to === undefined || d.events === undefined) return d;
      const deferred = { jurisdiction: s.jurisdiction, events: d.events.map(({ contactId: _, ...e }) => e) };
      const created: ConsentRequest[] = [];
      for (const c of d.to) created.push(await tx.createConsentRequest(requestOf(reserved, c, deferred)));
      return { contactId: reserved, doi: true, created };
    }
    if (found === null) throw reused(sub);
    const { contact, add } = found;
    // A submission sent again is answered as the first was, confirmed or not; one with boxes the first did not have
    // (the form changed under a server's reused submission id) is judged again, and a clash is refused below.
    const before = [...earlier.values()].some((e) => e.type === 'consent.requested');
    const doi =
      earlier.size === keys.length
        ? before
        : formDoi ||
          before ||
          (tickedChannels.length > 0 &&
            (await mustConfirm(tx, { contact, add, created: found.created }, keys, tickedChannels, reachedIds)));
    const events = eventsOf(contact.id, doi);
    const ids = new Set([contact.id, ...contact.merged]);
    for (const e of events) {
      const was = earlier.get(e.idempotencyKey as string);
      if (was === undefined) continue;
      if (!ids.has(was.contactId) || was.type !== e.type || canonicalJson(was.data) !== canonicalJson(e.data)) {
        throw reused(sub);
      }
    }
    if (earlier.size === events.length) return { contactId: contact.id, contact, doi, same: [...earlier.values()] };
    await recordEvents(tx, events);
    if (!doi) return { contactId: contact.id, doi };
    const created: ConsentRequest[] = [];
    for (const c of confirmations(pendingOf(add), email, phone, add)) {
      created.push(await tx.createConsentRequest(requestOf(contact.id, c)));
    }
    return { contactId: contact.id, doi, created };
  });
  const { contactId } = outcome;
  const returning = outcome.doi && !formDoi;
  if (outcome.same !== undefined && outcome.contact !== undefined) {
    return sameAsBefore(deps.store, form, outcome.contact, outcome.same, returning);
  }
  if (outcome.again !== undefined) {
    const requests = outcome.again.map((request) => ({ request, sent: returning || request.lastSentMs !== 0 }));
    return { status: 'pending', contactId: reserved, requests, returning };
  }
  if (!outcome.doi || contactId === null) return { status: 'recorded', contactId };
  const created = outcome.created ?? [];
  if (returning) {
    // Sent after the answer: waiting for the mail server would make the same page slower for a known address than
    // for a new one, telling whoever typed it. A send that fails leaves the request pending for the sweep.
    for (const request of created) void sendFirst(deps, request).catch(() => false);
    const requests = created.map((request) => ({ request, sent: true }));
    return { status: 'pending', contactId, requests, returning };
  }
  const requests: { request: ConsentRequest; sent: boolean }[] = [];
  for (const request of created) {
    requests.push({ request, sent: await sendFirst(deps, request) });
  }
  return { status: 'pending', contactId, requests, returning };

  function requestOf(
    contactId: string,
    c: { via: 'email' | 'sms'; destination: string; items: PendingItem[] },
    deferred?: DeferredSignUp,
  ): NewConsentRequest {
    return {
      formId: form.id,
      contactId,
      nonce: randomBytes(16).toString('base64url'),
      via: c.via,
      destination: c.destination,
      language: visitor.language,
      items: c.items,
      requestedAt: at.toISOString(),
      requestedMs: at.getTime(),
      expiresMs: at.getTime() + deps.expireMs,
      lastSentMs: at.getTime(),
      ...(deferred === undefined ? {} : { deferred }),
    };
  }
}

/** What the submission's transaction did (collectConsent). */
interface Outcome {
  /** The person's id (the one they will get, for a deferred sign-up); null when nothing was recorded. */
  contactId: string | null;
  doi: boolean;
  created?: ConsentRequest[];
  /** The same submission recorded before: its events, on this contact. */
  contact?: Contact;
  same?: { type: string; at: string }[];
  /** The same deferred sign-up sent before: its requests. */
  again?: ConsentRequest[];
  events?: NewLedgerEvent[];
  to?: { via: 'email' | 'sms'; destination: string; items: PendingItem[] }[];
}

/**
 * The id a person kept out of the contacts until they confirm gets then: derived from the form and submission, so
 * that the submission sent again finds its requests (formatted as a UUID, version 8: RFC 9562 §5.8).
 */
export function reservedContactId(formId: string, submissionId: string): string {
  const h = createHash('sha256').update(`deferred:${formId}:${submissionId}`).digest('hex');
  const variant = ((Number.parseInt(h.charAt(16), 16) & 3) | 8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A "no" to the channels it names: a box left unticked, a withdrawal (an objection counts on any channel). */
const REFUSALS: ReadonlySet<string> = new Set(['consent.refused', 'consent.withdrawn']);

/** Whether an event of these types names one of the channels (an event naming none, or `*`, names them all). */
export function saysNoOn(
  e: { type: string; data: Readonly<Record<string, unknown>> },
  channels: ReadonlySet<string>,
  types: ReadonlySet<string>,
): boolean {
  if (!types.has(e.type)) return false;
  const c = e.data.channel;
  return c === undefined || c === null || [c].flat().some((x) => x === '*' || channels.has(String(x)));
}

/**
 * Whether a submission of a form without double opt-in must still be confirmed by the person, because recording it
 * as given could be a stranger's doing that harms them: anyone can type anyone's address on a public form. So it
 * is when the answers would lift a standing "no" (the address is on the suppression list: an unsubscribe, an
 * erasure, a STOP; or the person's record refuses or withdrew on a ticked channel, objected on any, or said no
 * during a call, which a later consent would override), or add the typed address to a person found by the other
 * one. Consent must be the person's own and provable (GDPR art. 4(11), 7(1)); an objection is honoured until they
 * say otherwise (art. 21(3)).
 */
async function mustConfirm(
  tx: Store,
  found: { contact: Contact; add: Identifier | null; created: boolean },
  ownKeys: readonly string[],
  ticked: readonly Channel[],
  reached: readonly Identifier[],
): Promise<boolean> {
  if (found.add !== null) return true;
  const hashes = reached.flatMap((i) => suppressionHashes(i.kind, i.value));
  if (hashes.length > 0 && (await tx.suppressedAmong(hashes)).size > 0) return true;
  if (found.created) return false;
  const mine = new Set(ownKeys);
  const channels = new Set<string>(ticked);
  // An objection on any channel, or a "no" during a call, counts whatever was ticked: packs link channels (US: a
  // do-not-call request covers the seller's texts, 47 CFR 64.1200(d)(3)) and a call refusal objects to calls.
  const anywhere = (e: { type: string; data: Readonly<Record<string, unknown>> }) =>
    e.type === 'objection' || (e.type === 'call' && e.data.outcome === 'refused');
  return (await tx.historyOf(found.contact.id)).some(
    (e) => !mine.has(e.idempotencyKey ?? '') && (saysNoOn(e, channels, REFUSALS) || anywhere(e)),
  );
}

function reused(sub: Submission): SubmissionReusedError {
  return new SubmissionReusedError(
    `submission ${sub.submissionId} was already recorded with other answers or for another person: each submission needs an id of its own`,
  );
}

/** What the first of two identical submissions answered; nothing is recorded or sent again. */
async function sameAsBefore(
  store: Store,
  form: ConsentForm,
  contact: Contact,
  events: readonly { type: string; at: string }[],
  returning: boolean,
): Promise<CollectResult> {
  const first = events[0];
  if (first === undefined || !events.some((e) => e.type === 'consent.requested')) {
    return { status: 'recorded', contactId: contact.id };
  }
  const when = Date.parse(first.at);
  // As the first answer said: sent unless its message could not go out (a returning person's page says sent either
  // way, so that it does not tell whether the address is known).
  const requests = (await store.consentRequestsOf([contact.id, ...contact.merged]))
    .filter((r) => r.formId === form.id && Date.parse(r.requestedAt) === when)
    .map((request) => ({ request, sent: returning || request.lastSentMs !== 0 }));
  return { status: 'pending', contactId: contact.id, requests, returning };
}

/** Consent given for a number is proven on that number: SMS and MMS boxes are confirmed by a message to it. */
const ON_THE_NUMBER: ReadonlySet<Channel> = new Set<Channel>(['sms', 'mms']);

/**
 * Where the ticked boxes are confirmed: the email address, and the number for the SMS/MMS part of a box when the
 * form took both (an email link proves the address, not the number: BGH, 10.02.2011, I ZR 164/09). With one of
 * the two only, everything is confirmed there, as the form could do nothing else. With an address new to the
 * person found by the other (`add`), everything is confirmed by the address they hold (only its owner may add to
 * their record), and the boxes reaching the new address by it too (it proves itself, as above): those count once
 * both are confirmed (double-opt-in.ts).
 */
function confirmations(
  items: readonly PendingItem[],
  email: string | undefined,
  phone: string | undefined,
  add: Identifier | null,
): { via: 'email' | 'sms'; destination: string; items: PendingItem[] }[] {
  if (add !== null) {
    const adding = items.filter((i) => i.add !== undefined);
    const held = {
      via: add.kind === 'phone' ? 'email' : 'sms',
      destination: (add.kind === 'phone' ? email : phone) as string,
    } as const;
    const added = { via: add.kind === 'phone' ? 'sms' : 'email', destination: add.value } as const;
    return [{ ...held, items: [...items] }, ...(adding.length > 0 ? [{ ...added, items: adding }] : [])];
  }
  if (email === undefined) return [{ via: 'sms', destination: phone as string, items: [...items] }];
  if (phone === undefined) return [{ via: 'email', destination: email, items: [...items] }];
  const byEmail: PendingItem[] = [];
  const byNumber: PendingItem[] = [];
  const part = (i: PendingItem, channels: Channel[]): PendingItem => ({
    ...i,
    channel: channels.length === 1 ? (channels[0] as Channel) : channels,
  });
  for (const i of items) {
    const channels = [i.channel].flat();
    const number = channels.filter((c) => ON_THE_NUMBER.has(c));
    const other = channels.filter((c) => !ON_THE_NUMBER.has(c));
    if (other.length > 0) byEmail.push(number.length === 0 ? i : part(i, other));
    if (number.length > 0) byNumber.push(other.length === 0 ? i : part(i, number));
  }
  return [
    ...(byEmail.length > 0 ? [{ via: 'email' as const, destination: email, items: byEmail }] : []),
    ...(byNumber.length > 0 ? [{ via: 'sms' as const, destination: phone, items: byNumber }] : []),
  ];
}

/** Signs the request's token (expiring with the request, single use by its nonce) and sends it. */
/** A request's first message; one that could not be sent is marked so (`recordConsentSendFailed`). */
async function sendFirst(
  deps: Pick<FormDeps, 'signer' | 'notify' | 'store'>,
  request: ConsentRequest,
): Promise<boolean> {
  const sent = await sendConfirmation(deps, request, 'confirm');
  if (!sent) await deps.store.recordConsentSendFailed(request.id);
  return sent;
}

export async function sendConfirmation(
  deps: Pick<FormDeps, 'signer' | 'notify'>,
  request: ConsentRequest,
  kind: 'confirm' | 'reminder',
): Promise<boolean> {
  const token = (await deps.signer()).sign({
    p: 'confirm',
    c: request.contactId,
    ch: request.via,
    n: request.nonce,
    exp: Math.floor(request.expiresMs / 1000),
  });
  try {
    await deps.notify(request, token, kind);
    return true;
  } catch {
    return false; // stays pending: the reminder sweep sends again, and the drop-off report counts it
  }
}

/** The wording shown: the visitor's language when stored, else English (checked to exist when the form was saved). */
export async function textIdFor(
  store: Pick<Store, 'getConsentText'>,
  t: { key: string; version: string },
  lang: string,
): Promise<string> {
  const own = `${t.key}:${t.version}:${lang}`;
  return (await store.getConsentText(own)) !== null ? own : `${t.key}:${t.version}:en`;
}

/**
 * The person the typed email and number belong to, or null for a new one, with the typed identifier to add to them
 * when they had none of its kind (a client giving a number for the first time). The consents of the form are
 * recorded on the person found, so the two must not be two people's, nor the typed one differ from the one the
 * person has: the consent would cover an address the visitor did not type (Dora's stored number, when someone
 * typed Dora's email and another number).
 */
async function findContactOf(
  store: Store,
  jurisdiction: string,
  email?: string,
  phone?: string,
): Promise<{ contact: Contact; add: Identifier | null; created: false } | null> {
  const byEmail = email !== undefined ? await store.findContact({ kind: 'email', value: email }) : null;
  const byPhone = phone !== undefined ? await store.findContact({ kind: 'phone', value: phone, jurisdiction }) : null;
  const contact = byEmail ?? byPhone;
  if (contact === null) return null;
  if (byEmail !== null && byPhone !== null) {
    if (byEmail.id !== byPhone.id) throw new FormInputError('phone', 'mismatch');
    return { contact, add: null, created: false };
  }
  const other: Identifier | null =
    byEmail === null && email !== undefined
      ? { kind: 'email', value: email }
      : byPhone === null && phone !== undefined
        ? { kind: 'phone', value: phone }
        : null;
  if (other !== null && contact.identifiers.some((i) => i.kind === other.kind)) {
    throw new FormInputError('phone', 'mismatch');
  }
  return { contact, add: other, created: false };
}

/**
 * The person found (with the typed address they lack, added only when they confirm), or a new one; `suppressed`
 * when there is none and a typed address is on the suppression list: no contact is created for it then.
 */
async function findOrCreate(
  store: Store,
  jurisdiction: string,
  email?: string,
  phone?: string,
): Promise<{ contact: Contact; add: Identifier | null; created: boolean } | 'suppressed'> {
  const found = await findContactOf(store, jurisdiction, email, phone);
  if (found !== null) return found;
  for (const i of identifiersOf({ jurisdiction, email, phone })) {
    if (await isSuppressed(store, i.kind, i.value)) return 'suppressed';
  }
  try {
    const contact = await store.createContact({ type: 'individual', jurisdiction, email, phone });
    return { contact, add: null, created: true };
  } catch (error) {
    // Created meanwhile by a concurrent submission, or the phone belongs to another contact: take the existing one.
    if (error instanceof StoreError && error.code === 'CONFLICT') {
      const again = await findContactOf(store, jurisdiction, email, phone);
      if (again !== null) return again;
    }
    throw error;
  }
}
