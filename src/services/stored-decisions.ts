import type { Contact, Identifier, IdentifierKind } from '../domain/contact.js';
import { DEFAULT_JURISDICTION, IdentifierError, normalizeIdentifier } from '../domain/contact.js';
import type { DecisionError } from '../domain/decision.js';
import { type DecisionEvent, historyEventOf, isRecordType } from '../domain/ledger.js';
import { InvalidRequestError, parseHistory, requestId } from '../domain/parse-request.js';
import type { HistoryEvent } from '../domain/request.js';
import { type DecisionOrError, decideOnHistory, invalidRequest } from '../policy/decide.js';
import type { PackRegistry } from '../policy/evaluate.js';
import type { ContactFields, Store } from '../store/store.js';
import type { DecisionCache, DecisionInputs } from './decision-cache.js';
import { turn } from './event-loop.js';

const LOOKUPS: readonly [string, IdentifierKind | 'id'][] = [
  ['id', 'id'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['externalId', 'external'],
];

type StoredRequest = { contact: Record<string, unknown> } & Record<string, unknown>;
/** What a decision needs of a stored contact. */
type DecidingFields = Pick<ContactFields, 'type' | 'address' | 'jurisdiction' | 'timeZone' | 'region' | 'createdAt'>;

/** A request naming a stored contact (`{"contact": {"email": …}}`) rather than carrying its history. */
export function isStoredRequest(raw: unknown): raw is { contact: Record<string, unknown> } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  const c = r.contact;
  return r.history === undefined && typeof c === 'object' && c !== null && LOOKUPS.some(([k]) => k in c);
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

/** The identifier a stored request names (the first of id, email, phone, externalId), or the error answer. */
function lookupOf(raw: StoredRequest, id: string | number | null): Lookup | DecisionError {
  const [field, kind] = LOOKUPS.find(([k]) => k in raw.contact) as [string, IdentifierKind | 'id'];
  const value = raw.contact[field];
  if (typeof value !== 'string' || value.trim() === '') {
    return invalidRequest(id, `contact.${field} must be a non-empty string`, `/contact/${field}`);
  }
  return { field, kind, value };
}

const notFound = (id: string | number | null, l: Lookup): DecisionError => ({
  id,
  error: {
    code: 'CONTACT_NOT_FOUND',
    message: `no stored contact with ${l.field} ${l.value}`,
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
  // Only what parseDecisionRequest reads (a stored request has no history): copying the whole request with a
  // spread was the most expensive line of a 10,000-request batch.
  return decideOnHistory(
    {
      id: raw.id,
      jurisdiction: raw.jurisdiction ?? contact.jurisdiction,
      at: raw.at ?? at(),
      message: raw.message,
      contact: engineContact(contact, raw.contact),
    },
    history as readonly HistoryEvent[],
    packs,
  );
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
    if (!isStoredRequest(raw)) {
      out[i] = notStored(raw, id);
      continue;
    }
    const lookup = lookupOf(raw as StoredRequest, id);
    if ('error' in lookup) {
      out[i] = lookup;
      continue;
    }
    if (lookup.kind === 'id') {
      const key = `id:${lookup.value}`;
      pending.push({ i, raw: raw as StoredRequest, lookup, key, cached: cache?.get(key) });
      continue;
    }
    try {
      const value = normalizeIdentifier(
        lookup.kind,
        lookup.value,
        String((raw as StoredRequest).jurisdiction ?? DEFAULT_JURISDICTION),
      );
      const key = `${lookup.kind}:${value}`;
      const cached = cache?.get(key);
      if (cached === undefined) wanted.push({ kind: lookup.kind, value });
      pending.push({ i, raw: raw as StoredRequest, lookup, key, cached });
    } catch (error) {
      if (!(error instanceof IdentifierError)) throw error;
      out[i] = invalidRequest(id, `contact.${lookup.field}: ${error.message}`, `/contact/${lookup.field}`);
    }
  }
  const inputs = new Map<string, DecisionInputs>();
  const contacts = new Map<string, DecidingFields & { id: string }>(
    wanted.length > 0 ? await store.contactsByIdentifiers(wanted) : [],
  );
  // By id: the caller's contacts, else one bulk lookup (an erased person is no longer a contact to decide on).
  const byId: string[] = [];
  for (const p of pending) {
    const cached = p.cached;
    if (cached !== undefined) inputs.set(p.key, cached);
    if (p.lookup.kind !== 'id' || cached !== undefined || contacts.has(p.key)) continue;
    const c = loaded?.get(p.lookup.value);
    if (c === undefined) byId.push(p.lookup.value);
    else if (c.erasedAt === undefined) contacts.set(p.key, c);
  }
  if (byId.length > 0) {
    for (const [id, c] of await store.contactsByIds(byId)) contacts.set(`id:${id}`, c);
  }
  const ids = [...new Set([...contacts.values()].map((c) => c.id))];
  const histories = new Map<string, DecisionInputs['history']>();
  for (let i = 0; i < ids.length; i += HISTORY_CHUNK) {
    if (i > 0) await turn();
    for (const [id, events] of await store.decisionHistoriesOf(ids.slice(i, i + HISTORY_CHUNK))) {
      histories.set(id, parsedHistory(events));
    }
  }
  for (const [key, contact] of contacts) {
    const read: DecisionInputs = { contact, history: histories.get(contact.id) ?? [] };
    inputs.set(key, read);
    cache?.put(token, key, read);
  }
  for (let k = 0; k < pending.length; k++) {
    if (k > 0 && k % TURN_EVERY === 0) await turn();
    const p = pending[k] as Pending;
    const found = inputs.get(p.key);
    out[p.i] = found === undefined ? notFound(requestId(p.raw), p.lookup) : decideOn(p.raw, found, packs, at);
  }
  return out;
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
}

function notStored(raw: unknown, id: string | number | null): DecisionError {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && 'history' in raw) {
    return invalidRequest(id, 'a stored-contact request takes its history from the ledger: drop history', '/history');
  }
  return invalidRequest(id, 'contact must name a stored contact by id, email, phone or externalId', '/contact');
}
