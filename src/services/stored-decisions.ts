import { identifierKindOf, isChannel } from '../domain/channels.js';
import type { Contact, Identifier, IdentifierKind } from '../domain/contact.js';
import { CONTACT_LOOKUPS, DEFAULT_JURISDICTION, IdentifierError, normalizeIdentifier } from '../domain/contact.js';
import type { Decision, DecisionError } from '../domain/decision.js';
import { type DecisionEvent, historyEventOf, isRecordType } from '../domain/ledger.js';
import {
  InvalidRequestError,
  parseDecisionRequest,
  parseHistory,
  requestId,
  unknownFields,
} from '../domain/parse-request.js';
import type { DecisionRequest, HistoryEvent } from '../domain/request.js';
import { type DecisionOrError, decideOnHistory, invalidRequest, withWarnings } from '../policy/decide.js';
import { evaluate, type PackRegistry, type TraceEntry } from '../policy/evaluate.js';
import { type Restriction, restrictionAt } from '../store/recipient-tokens.js';
import type { ContactFields, Store } from '../store/store.js';
import type { DecisionCache, DecisionInputs } from './decision-cache.js';
import { turn } from './event-loop.js';
import { suppressedKeysOf, suppressionHashes } from './lists/suppression.js';

/** What a stored decision's `contact` may carry: who (CONTACT_LOOKUPS), and the lists and directory status it adds. */
const REQUEST_FIELDS: ReadonlySet<string> = new Set([...CONTACT_LOOKUPS.map(([f]) => f), 'lists', 'directory']);
/** The contact's fields the store answers for (engineContact). */
const STORED_FIELDS: ReadonlySet<string> = new Set([
  'type',
  'address',
  'timeZone',
  'region',
  'recordedSince',
  'jurisdiction',
]);

type StoredRequest = { contact: Record<string, unknown> } & Record<string, unknown>;
/** What a decision needs of a stored contact. */
type DecidingFields = Pick<ContactFields, 'type' | 'address' | 'jurisdiction' | 'timeZone' | 'region' | 'createdAt'>;

/** A request naming a stored contact (`{"contact": {"email": …}}`) rather than carrying its history. */
function namesStoredContact(raw: unknown): raw is { contact: Record<string, unknown> } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  const c = r.contact;
  return r.history === undefined && typeof c === 'object' && c !== null && CONTACT_LOOKUPS.some(([k]) => k in c);
}

/** The contact's fields of the decision contract itself: a request giving one describes its contact. */
const CONTRACT_CONTACT_FIELDS: ReadonlySet<string> = new Set(['type', 'address']);

/**
 * For a command that takes both kinds (`assent decide`, `explain`): a request naming a stored contact. One that
 * gives the contact's `type` or `address` (the contract's own fields) is a request of the decision contract with an
 * identifier added, decided as the contract says (an omitted history is empty), never on a ledger: a contract
 * client's line must not get another answer, or CONTACT_NOT_FOUND, from `assent decide` than from POST /v1/evaluate;
 * its answer's warnings say the identifier and the ledger were not read. Assent's own additions (`timeZone`, …)
 * beside an identifier stay a stored request, refused as misplaced, as POST /v1/decisions refuses them.
 */
export function isStoredRequest(raw: unknown): raw is { contact: Record<string, unknown> } {
  return namesStoredContact(raw) && !Object.keys(raw.contact).some((k) => CONTRACT_CONTACT_FIELDS.has(k));
}

/** The contract's history, from a contact's ledger (merge, erasure and rectification records are not history). */
export function historyFromLedger(events: readonly DecisionEvent[]): Record<string, unknown>[] {
  return events.filter((e) => !isRecordType(e.type)).map((e) => historyEventOf(e.type, e.at, e.data));
}

interface Lookup {
  field: string;
  kind: IdentifierKind | 'id';
  value: string;
}

/**
 * The identifiers a stored request names, the one decided on first: the address the channel reaches when given (the
 * message goes there, so its owner is the person decided on), else the first of id, email, phone, externalId. Or
 * the error answer.
 */
function lookupsOf(raw: StoredRequest, id: string | number | null): Lookup[] | DecisionError {
  // A field the store answers for, given anyway, was ignored: a timeZone sent for the calling hours would not have
  // counted. Said, with where to change it; an unknown one is named as such.
  for (const field of Object.keys(raw.contact)) {
    if (REQUEST_FIELDS.has(field)) continue;
    const detail = STORED_FIELDS.has(field)
      ? `contact.${field} comes from the stored contact, not the request: change it with PATCH /v1/contacts/{id}, or decide without the store (POST /v1/evaluate)`
      : `contact.${field} is not a field of a stored contact's request (id, email, phone, externalId, lists, directory)`;
    return invalidRequest(id, detail, `/contact/${field}`);
  }
  const out: Lookup[] = [];
  for (const [field, kind] of CONTACT_LOOKUPS) {
    if (!(field in raw.contact)) continue;
    const value = raw.contact[field];
    if (typeof value !== 'string' || value.trim() === '') {
      return invalidRequest(id, `contact.${field} must be a non-empty string`, `/contact/${field}`);
    }
    out.push({ field, kind, value });
  }
  if (out.length > 1) {
    const channel = (raw.message as { channel?: unknown } | undefined)?.channel;
    const reach = isChannel(channel) ? identifierKindOf(channel) : null;
    const first = out.findIndex((l) => l.kind === reach);
    if (first > 0) out.unshift(...out.splice(first, 1));
  }
  return out;
}

const notFound = (id: string | number | null, l: Lookup, suppressed = false): DecisionError => ({
  id,
  error: {
    code: 'CONTACT_NOT_FOUND',
    message: suppressed
      ? `no stored contact with ${l.field} ${l.value}: it is on the company suppression list (its person was erased or objected), so it must not be contacted`
      : `no stored contact with ${l.field} ${l.value}`,
    path: `/contact/${l.field}`,
  },
});

/**
 * The answer for a person whose processing is restricted (GDPR art. 18): from the receipt of their request until it
 * is refused or, granted, lifted, their data may only be stored (art. 18(2)), so no decision is made on it. An error
 * answer, as CONTACT_NOT_FOUND is: the decision contract's reason codes are fixed, and none says "restricted".
 */
const restricted = (id: string | number | null, l: Lookup, r: Restriction): DecisionError => ({
  id,
  error: {
    code: 'PROCESSING_RESTRICTED',
    message:
      `the processing of this contact's data is restricted since ${r.since} (GDPR art. 18(2)): rights request ` +
      `${r.request}; it may be stored, not used for prospecting, until the restriction is refused or lifted`,
    path: `/contact/${l.field}`,
  },
});

/**
 * A stored history parsed once for every decision on it; an event the engine cannot read (the ledger refuses
 * them on append, so only a database edited by hand has one) is kept as the error its decisions answer.
 */
export function parsedHistory(events: readonly DecisionEvent[]): DecisionInputs['history'] {
  try {
    return parseHistory(historyFromLedger(events));
  } catch (error) {
    if (error instanceof InvalidRequestError) return { message: `stored ${error.message}`, path: error.path };
    throw error;
  }
}

/** The engine fed with the contact's type, address, jurisdiction and history; the request's own fields kept. */
function decideOn(raw: StoredRequest, inputs: DecisionInputs, packs: PackRegistry, at: () => string): DecisionOrError {
  const { contact, history } = inputs;
  if (!Array.isArray(history)) {
    const bad = history as { message: string; path: string };
    return invalidRequest(requestId(raw), bad.message, bad.path);
  }
  const answer = decideOnHistory(
    engineRequest(raw, contact, raw.at ?? at()),
    history as readonly HistoryEvent[],
    packs,
  );
  return 'error' in answer ? answer : withWarnings(answer, unknownFields(raw, true));
}

/**
 * The request the engine decides a stored contact on (`decide` and `explain` alike): the request's own id, instant
 * and message, the stored person's own country (docs/http.md; the request's jurisdiction only read its numbers) and
 * contact fields. Only what parseDecisionRequest reads: a spread copy of the request was the most expensive line of
 * a 10,000-request batch.
 */
function engineRequest(raw: StoredRequest, contact: DecidingFields, at: unknown): Record<string, unknown> {
  return {
    id: raw.id,
    jurisdiction: contact.jurisdiction,
    at,
    message: raw.message,
    contact: engineContact(contact, raw.contact),
  };
}

/**
 * A stored contact as the request's `contact` the engine reads: its type, address kind, zone, region and the day it
 * was stored (`recordedSince`), with the lists and directory status a request may add. Every reading of a stored
 * contact by the engine goes through it (decisions, screening, the purge, the access report's retention).
 */
export function engineContact(
  contact: DecidingFields,
  given: { lists?: unknown; directory?: unknown } = {},
): Record<string, unknown> {
  return {
    type: contact.type,
    ...(contact.address ? { address: contact.address } : {}),
    ...(contact.timeZone ? { timeZone: contact.timeZone } : {}),
    ...(contact.region ? { region: contact.region } : {}),
    recordedSince: contact.createdAt,
    ...(given.lists !== undefined ? { lists: given.lists } : {}),
    ...(given.directory !== undefined ? { directory: given.directory } : {}),
  };
}

/**
 * Decides for a stored contact: the engine is fed the contact's type, address, jurisdiction and ledger history.
 * The request's own `jurisdiction`, `lists` and `directory` are kept; `at` defaults to now.
 */
export async function decideStored(
  raw: StoredRequest,
  store: Store,
  packs: PackRegistry,
  now: () => Date,
): Promise<DecisionOrError> {
  // The batch path with one request: the same answer, in four reads of only what the engine needs (looking the
  // contact up whole and reading its full ledger took seven, evidence and hashes included).
  return (await decideStoredBatch([raw], store, packs, now))[0] as DecisionOrError;
}

/**
 * A stored contact's decision told rule by rule (`assent explain`): the request the engine is fed (the contact's
 * type, address, jurisdiction and ledger history, as `decideStored` feeds it), its decision and the trace. The
 * same answer as `decideStored` at the same `at` (default now); its error answer when it has one (not found, on
 * the suppression list, another person's identifiers…).
 */
export async function explainStored(
  raw: StoredRequest,
  store: Store,
  packs: PackRegistry,
  now: () => Date,
): Promise<{ request: DecisionRequest; decision: Decision; trace: TraceEntry[] } | DecisionError> {
  // One instant for the check and the explanation: "now" twice could straddle a rule's start date.
  const fixed: StoredRequest = raw.at === undefined ? { ...raw, at: now().toISOString() } : raw;
  const answer = await decideStored(fixed, store, packs, now);
  if ('error' in answer) return answer;
  const lookup = (lookupsOf(fixed, requestId(fixed)) as Lookup[])[0] as Lookup;
  const jurisdiction = String(fixed.jurisdiction ?? DEFAULT_JURISDICTION);
  const contact = await store.findContact(
    lookup.kind === 'id' ? { id: lookup.value } : { kind: lookup.kind, value: lookup.value, jurisdiction },
  );
  if (contact === null) return notFound(requestId(fixed), lookup); // erased or merged away since the check
  const events = (await store.decisionHistoriesOf([contact.id])).get(contact.id) ?? [];
  const history = parsedHistory(events);
  if (!Array.isArray(history)) {
    const bad = history as { message: string; path: string };
    return invalidRequest(requestId(fixed), bad.message, bad.path);
  }
  const request = parseDecisionRequest(engineRequest(fixed, contact, fixed.at));
  request.history = history;
  const trace: TraceEntry[] = [];
  const decision = evaluate(request, packs, { trace });
  return { request, decision: withWarnings(decision, unknownFields(fixed, true)) as Decision, trace };
}

const NO_RESTRICTIONS: readonly Restriction[] = [];

/** Contacts per historiesOf call: bounded IN lists (parameter limits; 10,000 at once was 30 % slower on SQLite). */
const HISTORY_CHUNK = 1_000;

/**
 * `decideStored` for many requests, with the same answers, in order; one bad request gets its error answer and
 * never fails the others. Contacts are looked up by identifier in bulk and histories read a chunk of contacts at
 * a time, instead of two round trips per request. Requests without `at` are all decided at one `now()`.
 */
export async function decideStoredBatch(
  raws: readonly unknown[],
  store: Store,
  packs: PackRegistry,
  now: () => Date,
  cache?: DecisionCache,
  /** Contacts the caller holds already, by id: named by id, they are not looked up again (the retention purge). */
  loaded?: ReadonlyMap<string, Contact>,
  /**
   * Whether a contact not found is looked for on the suppression list, to say so (suppressedKeys). Screening passes
   * false: it has checked every row's email and phone against that list already, and looks a not-found CRM id up
   * itself, to report the row SUPPRESSED.
   */
  sayIfSuppressed = true,
  /**
   * Whether a restricted person (GDPR art. 18) gets PROCESSING_RESTRICTED rather than a decision. Only the retention
   * purge passes false: it asks when the data expires (storage, which a restriction keeps), and holds the person.
   */
  honourRestrictions = true,
): Promise<DecisionOrError[]> {
  const token = cache ? await store.changeToken() : null;
  cache?.sync(token);
  const out: DecisionOrError[] = new Array(raws.length);
  let nowIso: string | undefined;
  const at = () => (nowIso ??= now().toISOString());
  const pending: Pending[] = [];
  const wanted: Identifier[] = [];
  for (let i = 0; i < raws.length; i++) {
    const raw = raws[i];
    const id = requestId(raw);
    if (!namesStoredContact(raw)) {
      out[i] = notStored(raw, id);
      continue;
    }
    const lookups = lookupsOf(raw as StoredRequest, id);
    if ('error' in lookups) {
      out[i] = lookups;
      continue;
    }
    // Each identifier as a lookup key: the first is decided on; the others must name the same person.
    const keys: string[] = [];
    let bad: DecisionError | null = null;
    for (const lookup of lookups) {
      if (lookup.kind === 'id') {
        keys.push(`id:${lookup.value}`);
        continue;
      }
      try {
        const value = normalizeIdentifier(
          lookup.kind,
          lookup.value,
          String((raw as StoredRequest).jurisdiction ?? DEFAULT_JURISDICTION),
        );
        const key = `${lookup.kind}:${value}`;
        keys.push(key);
        if (cache?.get(key) === undefined) wanted.push({ kind: lookup.kind, value });
      } catch (error) {
        if (!(error instanceof IdentifierError)) throw error;
        bad = invalidRequest(id, `contact.${lookup.field}: ${error.message}`, `/contact/${lookup.field}`);
        break;
      }
    }
    if (bad !== null) {
      out[i] = bad;
      continue;
    }
    const key = keys[0] as string;
    pending.push({
      i,
      raw: raw as StoredRequest,
      lookup: lookups[0] as Lookup,
      key,
      cached: cache?.get(key),
      ...(lookups.length > 1
        ? { others: lookups.slice(1).map((l, n) => ({ lookup: l, key: keys[n + 1] as string })) }
        : {}),
    });
  }
  const inputs = new Map<string, DecisionInputs>();
  const contacts = new Map<string, DecidingFields & { id: string }>(
    wanted.length > 0 ? await store.contactsByIdentifiers(wanted) : [],
  );
  // By id: the caller's contacts, else one bulk lookup (an erased person is no longer a contact to decide on).
  const byId: string[] = [];
  const byIdWanted = (lookup: Lookup, key: string, cached: DecisionInputs | undefined): void => {
    if (lookup.kind !== 'id' || cached !== undefined || contacts.has(key)) return;
    const c = loaded?.get(lookup.value);
    if (c === undefined) byId.push(lookup.value);
    else if (c.erasedAt === undefined) contacts.set(key, c);
  };
  for (const p of pending) {
    const cached = p.cached;
    if (cached !== undefined) inputs.set(p.key, cached);
    byIdWanted(p.lookup, p.key, cached);
    for (const o of p.others ?? []) byIdWanted(o.lookup, o.key, cache?.get(o.key));
  }
  if (byId.length > 0) {
    for (const [id, c] of await store.contactsByIds(byId)) contacts.set(`id:${id}`, c);
  }
  const ids = [...new Set([...contacts.values()].map((c) => c.id))];
  const histories = new Map<string, DecisionInputs['history']>();
  // Read with the histories, a chunk at a time, and cached with them: a warm cache reads nothing more.
  const restrictions = new Map<string, Restriction[]>();
  for (let i = 0; i < ids.length; i += HISTORY_CHUNK) {
    if (i > 0) await turn();
    const chunk = ids.slice(i, i + HISTORY_CHUNK);
    const [events, restricted] = await Promise.all([
      store.decisionHistoriesOf(chunk),
      honourRestrictions ? store.restrictionsOf(chunk) : new Map<string, Restriction[]>(),
    ]);
    for (const [id, e] of events) histories.set(id, parsedHistory(e));
    for (const [id, r] of restricted) restrictions.set(id, r);
  }
  for (const [key, contact] of contacts) {
    const read: DecisionInputs = {
      contact,
      history: histories.get(contact.id) ?? [],
      restrictions: restrictions.get(contact.id) ?? NO_RESTRICTIONS,
    };
    inputs.set(key, read);
    if (honourRestrictions) cache?.put(token, key, read);
  }
  const missing: Pending[] = [];
  for (let k = 0; k < pending.length; k++) {
    if (k > 0 && k % TURN_EVERY === 0) await turn();
    const p = pending[k] as Pending;
    const found = inputs.get(p.key);
    if (found === undefined) {
      missing.push(p);
      continue;
    }
    const clash =
      p.others === undefined
        ? null
        : otherPerson(p, found.contact.id, (key) => contacts.get(key)?.id ?? cache?.get(key)?.contact.id);
    const restriction =
      honourRestrictions && found.restrictions.length > 0
        ? restrictionAt(found.restrictions, Date.parse(String(p.raw.at ?? at())))
        : undefined;
    out[p.i] =
      clash ??
      (restriction !== undefined
        ? restricted(requestId(p.raw), p.lookup, restriction)
        : decideOn(p.raw, found, packs, at));
  }
  if (missing.length > 0) {
    const suppressed = sayIfSuppressed ? await suppressedKeys(store, missing) : new Set<string>();
    for (const p of missing) out[p.i] = notFound(requestId(p.raw), p.lookup, suppressed.has(p.key));
  }
  return out;
}

/**
 * Which lookup keys of contacts not found are on the company suppression list: an erased or objecting person's
 * address is no contact any more, and "not found" alone reads as "a new prospect" to a caller that then decides
 * without the store (POST /v1/evaluate) and mails them again (GDPR art. 17, 21(3)).
 */
async function suppressedKeys(
  store: Pick<Store, 'suppressedAmong'>,
  missing: readonly Pending[],
): Promise<Set<string>> {
  const hashesOf = new Map<string, string[]>();
  for (const p of missing) {
    if (p.lookup.kind === 'id' || hashesOf.has(p.key)) continue;
    const value = p.key.slice(p.lookup.kind.length + 1); // `${kind}:${normalised value}`
    hashesOf.set(p.key, suppressionHashes(p.lookup.kind, value));
  }
  return suppressedKeysOf(store, hashesOf);
}

/**
 * The error answer when another identifier of the request belongs to another stored person than the one decided
 * on (a CRM sending a person's email with someone else's number): deciding on one and sending to the other would
 * text a number that sent STOP. An identifier nobody stored names no one, and is not a clash.
 */
function otherPerson(p: Pending, decidedOn: string, owner: (key: string) => string | undefined): DecisionError | null {
  for (const o of p.others ?? []) {
    const other = owner(o.key);
    if (other !== undefined && other !== decidedOn) {
      return invalidRequest(
        requestId(p.raw),
        `contact.${o.lookup.field} names contact ${other}, while contact.${p.lookup.field} names contact ${decidedOn}`,
        `/contact/${o.lookup.field}`,
      );
    }
  }
  return null;
}

/** Decisions between two turns of the event loop in a large batch (~10 ms of work here). */
const TURN_EVERY = 1_000;

interface Pending {
  i: number;
  raw: StoredRequest;
  lookup: Lookup;
  key: string;
  /** The inputs the cache held for `key` when the request was read. */
  cached: DecisionInputs | undefined;
  /** The request's other identifiers: they must name the same person, or none. */
  others?: { lookup: Lookup; key: string }[];
}

function notStored(raw: unknown, id: string | number | null): DecisionError {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'history' in raw) {
    return invalidRequest(id, 'a stored-contact request takes its history from the ledger: drop history', '/history');
  }
  return invalidRequest(id, 'contact must name a stored contact by id, email, phone or externalId', '/contact');
}
