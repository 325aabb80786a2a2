import { ALL_CHANNELS_MASK, CHANNEL_BIT, CHANNELS, type Channel, isChannel } from './channels.js';
import { CONTACT_LOOKUPS } from './contact.js';
import type { FieldWarning } from './decision.js';
import { parseInstant, utcOffsetMinutes } from './iso-time.js';
import { listId } from './list-names.js';
import { lawOf, TERRITORIES } from './overseas.js';
import {
  CALL_OUTCOMES,
  CHANNEL_EVENT_TYPES,
  CONSENT_METHODS,
  type ContactInput,
  DATA_SOURCES,
  type DecisionRequest,
  EVENT_TYPES,
  type EventType,
  eventPurpose,
  eventScope,
  HISTORY_EVENT_FIELDS,
  type HistoryEvent,
  INTERACTION_KINDS,
  type ListEntry,
  type MessageInput,
} from './request.js';

/** A request that breaks the contract: `path` is a JSON Pointer to the offending field. */
export class InvalidRequestError extends Error {
  readonly code = 'INVALID_REQUEST';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path === '' ? 'the request' : path.slice(1).replaceAll('/', '.')} ${reason}`);
    this.name = 'InvalidRequestError';
  }
}

type Obj = Record<string, unknown>;

function fail(path: string, reason: string): never {
  throw new InvalidRequestError(path, reason);
}

function show(value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // Thousands of nested arrays overflow the stack: the answer still names the field, without its value.
    return Array.isArray(value) ? 'a list nested too deeply to show' : 'a value too deeply nested to show';
  }
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Paths are built only when a field fails: `base` is the parent's JSON Pointer, `field` the member's name.
const at = (base: string, field?: string): string => (field === undefined ? base : `${base}/${field}`);

function object(v: unknown, base: string, field?: string): Obj {
  if (!isObject(v)) fail(at(base, field), `must be an object; got ${show(v)}`);
  return v;
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], base: string, field?: string): T {
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
  return fail(at(base, field), `must be one of ${allowed.join(', ')}; got ${show(v)}`);
}

function optOneOf<T extends string>(v: unknown, allowed: readonly T[], base: string, field?: string): T | null {
  return v === undefined || v === null ? null : oneOf(v, allowed, base, field);
}

function text(v: unknown, base: string, field?: string): string {
  if (typeof v !== 'string' || v.trim() === '') fail(at(base, field), `must be a non-empty string; got ${show(v)}`);
  return v;
}

function optText(v: unknown, base: string, field?: string): string | null {
  return v === undefined || v === null ? null : text(v, base, field);
}

function flag(v: unknown, base: string, field?: string): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') fail(at(base, field), `must be true or false; got ${show(v)}`);
  return v;
}

function instant(v: unknown, base: string, field?: string, localAsUtc = false): number {
  if (typeof v !== 'string') fail(at(base, field), `must be an ISO 8601 date or date-time string; got ${show(v)}`);
  let t = parseInstant(v);
  // A past event's time without an offset is read as UTC, as the contract reads a bare date. The decision instant
  // stays strict: calling hours depend on it.
  if (localAsUtc && typeof t === 'string' && t.startsWith('has no UTC offset')) t = parseInstant(`${v}Z`);
  if (typeof t === 'string') fail(at(base, field), `${t}; got ${show(v)}`);
  return t;
}

const knownZones = new Map<string, boolean>(); // few zones recur; Intl costs tens of µs per check
/** Whether the runtime's Intl knows this IANA zone. */
export function isTimeZone(zone: string): boolean {
  let ok = knownZones.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    knownZones.set(zone, ok);
  }
  return ok;
}

function timeZone(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  const zone = text(v, path);
  const ok = isTimeZone(zone);
  if (!ok) fail(path, `is not an IANA time zone known to this runtime; got ${show(v)}`);
  return zone;
}

/** A channel field of a history event: one channel, a list of channels, or "*". */
function channelMask(v: unknown, base: string, field: string): number {
  if (v === '*') return ALL_CHANNELS_MASK;
  if (isChannel(v)) return CHANNEL_BIT[v];
  if (Array.isArray(v) && v.length > 0) {
    let mask = 0;
    for (let i = 0; i < v.length; i++) {
      const c = v[i];
      if (c === '*') return ALL_CHANNELS_MASK;
      if (!isChannel(c)) fail(`${base}/${field}/${i}`, `must be one of ${CHANNELS.join(', ')}; got ${show(c)}`);
      mask |= CHANNEL_BIT[c];
    }
    return mask;
  }
  return fail(
    at(base, field),
    `must be a channel (${CHANNELS.join(', ')}), a non-empty list of channels, or "*"; got ${show(v)}`,
  );
}

/** Same-instant events: facts first, positive acts next, negative acts last (a tie never lets a message out). */
const TIE_RANK: Readonly<Record<EventType, number>> = {
  'data.collected': 0,
  'account.created': 1,
  purchase: 1,
  'contract.started': 1,
  interaction: 1,
  'message.opened': 1,
  call: 1,
  'consent.requested': 2,
  'consent.given': 3,
  'consent.confirmed': 4,
  'contract.ended': 5,
  'consent.refused': 6,
  'consent.withdrawn': 7,
  objection: 8,
};

/**
 * One history event of the contract, validated (errors name the field under `path`). `localAsUtc` reads a time
 * without an offset as UTC (decision requests); the ledger records only times that say their offset.
 */
export function parseEvent(raw: unknown, path: string, localAsUtc = false): HistoryEvent {
  const e = object(raw, path);
  if (e.at === undefined) fail(`${path}/at`, 'is required');
  const at = instant(e.at, path, 'at', localAsUtc);
  const type = oneOf(e.type, EVENT_TYPES, path, 'type');
  let channels = 0;
  if (e.channel !== undefined && e.channel !== null) channels = channelMask(e.channel, path, 'channel');
  else if (CHANNEL_EVENT_TYPES.has(type))
    fail(`${path}/channel`, `is required for ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} event`);
  else if (type === 'call') channels = CHANNEL_BIT.phone;
  let partners: string[] | null = null;
  if (e.partners !== undefined && e.partners !== null) {
    if (!Array.isArray(e.partners)) fail(`${path}/partners`, `must be a list of partner ids; got ${show(e.partners)}`);
    partners = e.partners.map((p, i) => text(p, `${path}/partners/${i}`));
  }
  const informed = e.informed;
  if (informed !== undefined && informed !== null && typeof informed !== 'boolean') {
    fail(`${path}/informed`, `must be true or false; got ${show(informed)}`);
  }
  return {
    at,
    type,
    channels,
    purpose: eventPurpose(optText(e.purpose, path, 'purpose')),
    scope: eventScope(optOneOf(e.scope, ['own', 'partners'] as const, path, 'scope'), partners),
    partners,
    method: optOneOf(e.method, CONSENT_METHODS, path, 'method'),
    source: optOneOf(e.source, DATA_SOURCES, path, 'source'),
    provider: optText(e.provider, path, 'provider'),
    informed: typeof informed === 'boolean' ? informed : null,
    kind: optOneOf(e.kind, INTERACTION_KINDS, path, 'kind'),
    outcome: optOneOf(e.outcome, CALL_OUTCOMES, path, 'outcome'),
    contract: optText(e.contract, path, 'contract'),
    category: optText(e.category, path, 'category'),
  };
}

function parseMessage(raw: unknown): MessageInput {
  const m = object(raw, '/message');
  if (m.channel === undefined) fail('/message/channel', 'is required');
  const channel: Channel = oneOf(m.channel, CHANNELS, '/message/channel');
  const sender = optOneOf(m.sender, ['own', 'partner'] as const, '/message/sender') ?? 'own';
  const partner = optText(m.partner, '/message/partner');
  // A partner message that does not name the partner is decided, not refused: no partner consent can cover a
  // partner nobody named, so it is denied PARTNER_CONSENT_REQUIRED where the channel needs consent.
  let offer: Obj = {};
  if (m.offer !== undefined && m.offer !== null) offer = object(m.offer, '/message/offer');
  return {
    channel,
    purpose: optText(m.purpose, '/message/purpose') ?? 'marketing',
    sender,
    partner: sender === 'partner' ? partner : null,
    offer: {
      similarToPurchases: flag(offer.similarToPurchases, '/message/offer', 'similarToPurchases'),
      relatedToProfession: flag(offer.relatedToProfession, '/message/offer', 'relatedToProfession'),
      relatedToContract: flag(offer.relatedToContract, '/message/offer', 'relatedToContract'),
      sector: sectorId(optText(offer.sector, '/message/offer', 'sector')),
    },
  };
}

/**
 * A sector as the rules name it: `Energy-Renovation` and `énergy renovation` are energy_renovation (lower case,
 * accents folded, other characters runs of `_`), so that a spelling does not slip past a sector ban.
 */
export function sectorId(sector: string | null): string | null {
  if (sector === null) return null;
  const id = sector
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return id === '' ? sector : id;
}

function parseLists(raw: unknown): ListEntry[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) fail('/contact/lists', `must be a list of {"name", "since"} entries; got ${show(raw)}`);
  return raw.map((entry, i) => {
    const path = `/contact/lists/${i}`;
    if (typeof entry === 'string') return { name: listId(text(entry, path)), since: null, asOf: null };
    const l = object(entry, path);
    const since = l.since === undefined || l.since === null ? null : instant(l.since, path, 'since', true);
    const asOf = l.asOf === undefined || l.asOf === null ? null : instant(l.asOf, path, 'asOf', true);
    return { name: listId(text(l.name, path, 'name')), since, asOf };
  });
}

function parseContact(raw: unknown): ContactInput {
  // A missing contact or type is read as an individual: the strictest audience, so the default fails closed.
  const c = raw === undefined || raw === null ? {} : object(raw, '/contact');
  const type = optOneOf(c.type, ['individual', 'professional'] as const, '/contact/type') ?? 'individual';
  const address = optOneOf(c.address, ['named', 'generic'] as const, '/contact/address') ?? 'named';
  return {
    type,
    address: type === 'professional' ? address : 'named',
    lists: parseLists(c.lists),
    directory: optOneOf(c.directory, ['listed', 'starred', 'unlisted'] as const, '/contact/directory'),
    timeZone: timeZone(c.timeZone, '/contact/timeZone'),
    region: optText(c.region, '/contact/region')?.toUpperCase() ?? null,
    recordedSince:
      c.recordedSince === undefined || c.recordedSince === null
        ? null
        : instant(c.recordedSince, '/contact', 'recordedSince', true),
  };
}

/** The id to echo back, even from a request that is otherwise invalid. */
export function requestId(raw: unknown): string | number | null {
  if (!isObject(raw)) return null;
  const id = raw.id;
  return typeof id === 'string' || typeof id === 'number' ? id : null;
}

/**
 * Validates a decision request (decision contract, "Request") and normalises it for the engine.
 * Throws {@link InvalidRequestError} naming the first offending field. Unknown fields are not read (the contract
 * lets clients add their own): `unknownFields` names them for the answer's `warnings`.
 */
export function parseDecisionRequest(raw: unknown): DecisionRequest {
  const r = object(raw, '');
  if (r.id !== undefined && r.id !== null && typeof r.id !== 'string' && typeof r.id !== 'number') {
    fail('/id', `must be a string or a number; got ${show(r.id)}`);
  }
  if (r.jurisdiction === undefined) fail('/jurisdiction', 'is required');
  if (typeof r.jurisdiction !== 'string' || !/^[A-Za-z]{2}$/.test(r.jurisdiction)) {
    fail('/jurisdiction', `must be an ISO 3166-1 alpha-2 country code such as "FR"; got ${show(r.jurisdiction)}`);
  }
  if (r.at === undefined) fail('/at', 'is required');
  const at = instant(r.at, '/at');
  if (r.message === undefined) fail('/message', 'is required');
  const message = parseMessage(r.message);
  const contact = parseContact(r.contact);
  let history: HistoryEvent[] = [];
  if (r.history !== undefined && r.history !== null) {
    if (!Array.isArray(r.history)) fail('/history', `must be a list of events; got ${show(r.history)}`);
    history = parseHistory(r.history);
  }
  const atOffset = typeof r.at === 'string' ? utcOffsetMinutes(r.at) : null;
  const code = r.jurisdiction.toUpperCase();
  // The French overseas departments and the US territories have ISO codes of their own, but French or US law
  // applies there (domain/overseas.ts): decided under it, in the place's time zone unless the contact says otherwise.
  const territory = TERRITORIES[code];
  if (territory !== undefined) contact.region ??= territory;
  return { id: requestId(r), jurisdiction: lawOf(code), at, atOffset, message, contact, history };
}

export const KNOWN_FIELDS = {
  request: ['id', 'jurisdiction', 'at', 'message', 'contact', 'history'],
  stored: ['id', 'jurisdiction', 'at', 'message', 'contact'],
  message: ['channel', 'purpose', 'sender', 'partner', 'offer'],
  offer: ['similarToPurchases', 'relatedToProfession', 'relatedToContract', 'sector'],
  contact: ['type', 'address', 'lists', 'directory', 'timeZone', 'region', 'recordedSince'],
  list: ['name', 'since', 'asOf'],
  event: ['at', 'type', ...HISTORY_EVENT_FIELDS],
} as const;
const KNOWN = Object.fromEntries(Object.entries(KNOWN_FIELDS).map(([k, v]) => [k, new Set<string>(v)])) as Record<
  keyof typeof KNOWN_FIELDS,
  Set<string>
>;

/** The `contact` fields naming a stored contact. */
const STORED_LOOKUPS: ReadonlySet<string> = new Set(CONTACT_LOOKUPS.map(([field]) => field));

/**
 * The fields of a request (valid already) that the contract does not name, each with its place, or null when there
 * are none. The contract lets clients add fields, so they are not refused; but a misspelt one (`list` for `lists`,
 * `histroy`) would change the decision in silence, so each is said beside the answer. `stored`: a request on a
 * stored contact, whose `contact` names identifiers (checked by its own reader) and which carries no history.
 */
export function unknownFields(raw: unknown, stored = false): FieldWarning[] | null {
  let out: FieldWarning[] | null = null;
  const check = (value: unknown, known: Set<string>, path: string): void => {
    if (!isObject(value)) return;
    for (const key in value) {
      if (known.has(key)) continue;
      const near = [...known].find((k) => closeTo(key, k));
      out ??= [];
      out.push({
        path: `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`, // a JSON Pointer token (RFC 6901)
        message:
          path === '/contact' && STORED_LOOKUPS.has(key)
            ? // The CLI decides a contact named alone on its ledger; given with its type or address, the request is
              // the contract's, decided on the history it carries: that it was not the ledger must be said.
              `contact.${key} was not read: a request giving the contact's type or address is decided on the history it carries (none is an empty one), not on a stored contact's ledger; name the contact alone ({"contact": {"${key}": …}}) to decide on its ledger`
            : `${path.slice(1).replaceAll('/', '.') || 'the request'} has no field "${key}"${near === undefined ? '' : ` (did you mean "${near}"?)`}: it was not read, the decision was made without it`,
      });
    }
  };
  if (!isObject(raw)) return null;
  check(raw, stored ? KNOWN.stored : KNOWN.request, '');
  check(raw.message, KNOWN.message, '/message');
  if (isObject(raw.message)) check(raw.message.offer, KNOWN.offer, '/message/offer');
  if (!stored) {
    check(raw.contact, KNOWN.contact, '/contact');
    const lists = isObject(raw.contact) ? raw.contact.lists : undefined;
    if (Array.isArray(lists)) for (const [i, l] of lists.entries()) check(l, KNOWN.list, `/contact/lists/${i}`);
    if (Array.isArray(raw.history)) for (const [i, e] of raw.history.entries()) check(e, KNOWN.event, `/history/${i}`);
  }
  return out;
}

/** Whether two field names are one slip apart: case, one letter added, dropped or changed, or two swapped. */
function closeTo(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return true;
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const rest = (s: string, n: number) => s.slice(i + n);
  return (
    rest(x, 1) === rest(y, 1) ||
    rest(x, 1) === rest(y, 0) ||
    rest(x, 0) === rest(y, 1) ||
    (x[i] === y[i + 1] && x[i + 1] === y[i] && rest(x, 2) === rest(y, 2))
  );
}

/** A request's `history` list, validated and in time order (stored contacts' histories are parsed once this way). */
export function parseHistory(events: readonly unknown[]): HistoryEvent[] {
  const history = events.map((e, i) => parseEvent(e, `/history/${i}`, true));
  return history.length > 1 ? sortHistory(history) : history;
}

/**
 * Time order; at the same instant, negative acts come last. Insertion sort, stable: histories are short and mostly
 * in order already, where it beats Array.prototype.sort and its comparator calls.
 */
export function sortHistory(history: HistoryEvent[]): HistoryEvent[] {
  for (let i = 1; i < history.length; i++) {
    const e = history[i] as HistoryEvent;
    let j = i - 1;
    while (j >= 0 && after(history[j] as HistoryEvent, e)) {
      history[j + 1] = history[j] as HistoryEvent;
      j--;
    }
    history[j + 1] = e;
  }
  return history;
}

function after(a: HistoryEvent, b: HistoryEvent): boolean {
  return a.at > b.at || (a.at === b.at && tieRank(a) > tieRank(b));
}

/**
 * Where an event goes among those of the same instant (the engine's order, which every view of a history must
 * share). A "no" during a call ranks with the refusals: a tie with a consent never lets a message out. A type outside
 * the contract (the ledger's own records) ranks with the facts.
 */
export function tieRank(e: { type: string; outcome?: unknown }): number {
  if (e.type === 'call' && e.outcome === 'refused') return TIE_RANK['consent.refused'];
  return TIE_RANK[e.type as EventType] ?? 0;
}
