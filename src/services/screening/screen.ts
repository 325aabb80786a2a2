import { type Channel, identifierKindOf, isChannel } from '../../domain/channels.js';
import {
  DEFAULT_JURISDICTION,
  type Identifier,
  IdentifierError,
  type IdentifierKind,
  normalizeIdentifier,
} from '../../domain/contact.js';
import { disclosedSource } from '../../domain/decision.js';
import { lawOf } from '../../domain/overseas.js';
import type { DecisionOrError } from '../../policy/decide.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import { knownSectors } from '../../policy/packs/index.js';
import type { ContactFields, Store } from '../../store/store.js';
import { turn } from '../event-loop.js';
import { POSTAL_KEY, suppressedKeysOf, suppressionHashes } from '../lists/suppression.js';
import { decideStoredBatch } from '../stored-decisions.js';
import type { ListMatch, ScreeningLists } from './lists.js';
import { LIST_BOUND_CHANNELS, type ListProblem, listProblems } from './required-lists.js';
import { type AudienceRow, type PreparedRow, prepareRow } from './rows.js';
import { emptySummary, type RowOutcome, type ScreeningSummary, tally } from './summary.js';

export interface ScreenOptions {
  channel: Channel;
  purpose: string;
  /** The instant the messages would go out: every row is decided at it, and the lists are read as of it. */
  at: Date;
  /** Where national numbers are read (null: FR) and whose lists must be current; never a stored contact's law. */
  jurisdiction: string | null;
  /** Screen even when a required list is stale or missing (the summary still says so). */
  dryRun: boolean;
  /** Rows per engine batch (memory is bounded by one chunk). */
  chunkSize?: number;
  /**
   * The decision contract's `message.offer` for every row: what the message is about (similar to purchases,
   * related to the recipient's profession or contract, sector). Absent flags are false, as the contract says.
   */
  offer?: MessageOffer;
}

export interface MessageOffer {
  similarToPurchases?: boolean;
  relatedToProfession?: boolean;
  relatedToContract?: boolean;
  sector?: string;
}

/** The decision contract's `message.offer` flags. */
export const OFFER_FLAGS = ['similarToPurchases', 'relatedToProfession', 'relatedToContract'] as const;

/**
 * An offer from comma-separated flags and a sector (the CLI's `--offer`/`--sector`, the API's query); undefined when
 * neither is given. Throws a RangeError naming an unknown flag.
 */
export function parseOffer(flags: string | undefined, sector: string | undefined): MessageOffer | undefined {
  if (flags === undefined && sector === undefined) return undefined;
  const offer: MessageOffer = {};
  for (const flag of (flags ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '')) {
    if (!(OFFER_FLAGS as readonly string[]).includes(flag)) {
      throw new RangeError(`takes ${OFFER_FLAGS.join(', ')} (comma-separated); got ${flag}`);
    }
    offer[flag as (typeof OFFER_FLAGS)[number]] = true;
  }
  if (sector !== undefined) {
    const known = knownSectors();
    if (!known.includes(sector)) {
      throw new RangeError(
        `sector ${sector}: no rule names it (known: ${known.join(', ')}); leave it out for an offer no sector rule concerns`,
      );
    }
    offer.sector = sector;
  }
  return offer;
}

export interface ScreenDeps {
  store: Store;
  packs: PackRegistry;
  lists: ScreeningLists;
  /**
   * Screens the chunks on worker threads, several at once, instead of on this thread (src/services/screening/
   * screen-pool.ts). Outcomes still reach the sink in input order.
   */
  pool?: ChunkPool;
}

/** Rows in, their outcomes out, in order. */
export type ChunkScreener = (rows: readonly AudienceRow[]) => Promise<RowOutcome[]>;

/** Chunk screeners that run beside each other (worker threads); `size` of them. */
export interface ChunkPool {
  readonly size: number;
  screen: ChunkScreener;
}

/** Where each row's outcome goes, in input order; `progress` after each chunk. */
export interface ScreenSink<T> {
  row(source: T, row: AudienceRow, outcome: RowOutcome): void | Promise<void>;
  progress?(summary: Readonly<ScreeningSummary>): void;
}

export const DEFAULT_CHUNK = 2_000;

/**
 * Streams an audience through the engine on the stored histories and the opposition lists, a chunk at a time
 * (constant memory whatever the audience size). When a list the law requires for the channel is stale or missing
 * the screening is refused before any row is read (`summary.refused`), unless `dryRun`.
 */
export async function screenAudience<T>(
  rows: AsyncIterable<{ row: AudienceRow; source: T }>,
  options: ScreenOptions,
  deps: ScreenDeps,
  sink: ScreenSink<T>,
): Promise<ScreeningSummary> {
  const started = Date.now();
  const status = deps.lists.status();
  const problemsFor = problemCache(deps, options, status);
  // Without a jurisdiction, rows are read as French (the default jurisdiction of identifiers): France's lists are
  // required up front, and a row whose stored contact belongs elsewhere is checked against that country's lists
  // once decided (below) — a French audience is not refused for want of the British TPS.
  const upfront = upfrontProblems(options, problemsFor);
  const summary = emptySummary(options, status, upfront);
  if (summary.refused) return finish(summary, started);
  const size = options.chunkSize ?? DEFAULT_CHUNK;
  const screen = deps.pool?.screen ?? chunkScreener(options, deps, problemsFor);
  // Chunks in flight: one in this thread; with a pool, two per worker so none waits for the next chunk to be read.
  const depth = deps.pool ? deps.pool.size * 2 : 1;
  const queue: { chunk: { row: AudienceRow; source: T }[]; outcomes: Promise<RowOutcome[]> }[] = [];
  const emit = async (): Promise<void> => {
    const { chunk, outcomes } = queue.shift() as (typeof queue)[number];
    const decided = await outcomes;
    for (let i = 0; i < chunk.length; i++) {
      const { row, source } = chunk[i] as { row: AudienceRow; source: T };
      const outcome = decided[i] as RowOutcome;
      tally(summary, rowChannel(row, options.channel), outcome);
      await sink.row(source, row, outcome);
    }
    sink.progress?.(summary);
    await turn(); // between chunks: a server screening 100,000 rows still answers its other requests
  };
  const submit = async (chunk: { row: AudienceRow; source: T }[]): Promise<void> => {
    const outcomes = screen(chunk.map((c) => c.row));
    outcomes.catch(() => {}); // awaited in order by emit; a failure there stops the screening
    queue.push({ chunk, outcomes });
    while (queue.length >= depth) await emit();
  };
  let chunk: { row: AudienceRow; source: T }[] = [];
  for await (const item of rows) {
    chunk.push(item);
    if (chunk.length >= size) {
      await submit(chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) await submit(chunk);
  while (queue.length > 0) await emit();
  return finish(summary, started);
}

/**
 * The lists the law requires for this screening's channel and jurisdiction that are stale or missing: unless it is
 * a dry run, a screening with any is refused before a row is read (what `summary.refused` reports).
 */
export function screeningProblems(options: ScreenOptions, deps: Pick<ScreenDeps, 'packs' | 'lists'>): ListProblem[] {
  return upfrontProblems(options, problemCache(deps, options, deps.lists.status()));
}

/**
 * What a screening refuses up front: without a jurisdiction, France's lists (rows of other countries are held to
 * theirs one by one). Every pack's lists here refused a French audience over the HTTP API for want of the TPS.
 */
function upfrontProblems(options: ScreenOptions, problemsFor: ProblemsFor): ListProblem[] {
  if (!LIST_BOUND_CHANNELS.includes(options.channel)) return [];
  return problemsFor(options.channel, options.jurisdiction ?? DEFAULT_JURISDICTION);
}

/**
 * The screening of one chunk on this thread: its rows' outcomes, in order. A worker of the pool runs the same
 * function over its own connection to the store.
 */
export function chunkScreener(
  options: ScreenOptions,
  deps: Omit<ScreenDeps, 'pool'>,
  problemsFor: ProblemsFor = problemCache(deps, options, deps.lists.status()),
): ChunkScreener {
  return (rows) => screenChunk(rows, options, deps, problemsFor);
}

function finish(summary: ScreeningSummary, started: number): ScreeningSummary {
  summary.durationMs = Date.now() - started;
  summary.finishedAt = new Date().toISOString();
  return summary;
}

type ProblemsFor = (channel: Channel, jurisdiction: string | null) => ListProblem[];

/** Required-list problems per channel and jurisdiction, computed once each (rows may name their own channel). */
function problemCache(
  deps: Pick<ScreenDeps, 'packs'>,
  options: ScreenOptions,
  status: ReturnType<ScreeningLists['status']>,
) {
  const cache = new Map<string, ListProblem[]>();
  return (channel: Channel, jurisdiction: string | null): ListProblem[] => {
    const key = `${channel}|${jurisdiction ?? '*'}`;
    let found = cache.get(key);
    if (found === undefined) {
      const where = jurisdiction !== null ? [jurisdiction] : [...deps.packs.keys()];
      found = listProblems(deps.packs, where, [channel], options.at, status);
      cache.set(key, found);
    }
    return found;
  };
}

type Pending = { prepared: PreparedRow; ids: string[]; lists: ListMatch[] };
type Slot = Pending | { outcome: RowOutcome };

async function screenChunk(
  chunk: readonly AudienceRow[],
  options: ScreenOptions,
  deps: Omit<ScreenDeps, 'pool'>,
  problemsFor: ProblemsFor,
): Promise<RowOutcome[]> {
  const defaults = { channel: options.channel, purpose: options.purpose, jurisdiction: options.jurisdiction };
  const slots: Slot[] = [];
  const wanted = new Set<string>();
  const stored: PreparedRow[] = [];
  for (const row of chunk) {
    const prepared = prepareRow(row, defaults);
    if (!('lookup' in prepared)) {
      slots.push({ outcome: { status: 'excluded', code: 'INVALID_ROW', message: prepared.message, lists: [] } });
      continue;
    }
    const problems =
      prepared.jurisdiction === null || !LIST_BOUND_CHANNELS.includes(prepared.channel)
        ? []
        : problemsFor(prepared.channel, prepared.jurisdiction);
    if (problems.length > 0 && !options.dryRun) {
      slots.push({ outcome: listOutcome(problems[0] as ListProblem, []) });
      continue;
    }
    if (needsStored(prepared)) stored.push(prepared);
    slots.push({ prepared, ids: [], lists: [] });
  }
  const storedIds = await storedIdentifiers(stored, deps.store);
  for (const slot of slots) {
    if ('outcome' in slot) continue;
    slot.ids = identifiersOf(slot.prepared, storedIds.get(slot.prepared) ?? []);
    for (const id of slot.ids) wanted.add(id);
  }
  const all = [...wanted];
  const [suppressed, matches] = await Promise.all([deps.lists.suppressed(all), deps.lists.matches(all)]);
  const requests: unknown[] = [];
  const decided: number[] = [];
  const at = options.at.toISOString();
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i] as Slot;
    if ('outcome' in slot) continue;
    if (slot.ids.some((id) => suppressed.has(id))) {
      slots[i] = { outcome: suppressedOutcome() };
      continue;
    }
    slot.lists = listsOf(slot.ids, matches);
    const p = slot.prepared;
    requests.push({
      id: i,
      ...(p.jurisdiction !== null ? { jurisdiction: p.jurisdiction } : {}),
      at,
      message: { channel: p.channel, purpose: p.purpose, ...(options.offer ? { offer: options.offer } : {}) },
      contact: { [p.lookup.field]: p.lookup.value, lists: slot.lists },
    });
    decided.push(i);
  }
  const answers =
    // Suppressed rows are out already (above): a contact not found needs no second look at the suppression list.
    requests.length > 0 ? await decideRows(requests, options, deps) : [];
  const erased = await suppressedCrmIds(decided, answers, slots as Pending[], deps.store);
  await foreignListsLifted(decided, answers, requests, slots as Pending[], options, deps);
  const unsure = await decidedByMissingLists(
    decided,
    answers,
    requests,
    slots as Pending[],
    options,
    deps,
    problemsFor,
  );
  for (let k = 0; k < decided.length; k++) {
    const i = decided[k] as number;
    const slot = slots[i] as Pending;
    const answer = answers[k];
    if (erased.has(k)) {
      slots[i] = { outcome: suppressedOutcome() };
      continue;
    }
    const lists = slot.lists.map((l) => l.name);
    let outcome: RowOutcome;
    // A row without a jurisdiction of its own is checked against the lists its stored contact's jurisdiction needs.
    const missing =
      answer === undefined || 'error' in answer
        ? null
        : LIST_BOUND_CHANNELS.includes(slot.prepared.channel)
          ? (rowProblems(slot.prepared, answer.rules, problemsFor)[0] ?? null)
          : (unsure.get(k) ?? null);
    if (answer === undefined) {
      outcome = { status: 'excluded', code: 'INVALID_ROW', message: 'no answer', lists };
    } else if ('error' in answer) {
      outcome = { status: 'excluded', code: answer.error.code, message: answer.error.message, lists };
    } else if (missing !== null && !options.dryRun) {
      outcome = listOutcome(missing, lists);
    } else if (answer.decision === 'allow') {
      outcome = {
        status: 'allowed',
        basis: answer.basis ?? '',
        obligations: [...new Set(answer.obligations.map((o) => o.code))],
        lists,
        source: disclosedSource(answer.obligations) ?? null,
      };
    } else {
      const main = answer.reasons[0];
      outcome = { status: 'excluded', code: main?.code ?? 'DENIED', message: main?.message ?? 'denied', lists };
    }
    // A dry run decides the row all the same, and says which list a real run would have wanted.
    if (options.dryRun && missing !== null) outcome.listProblem = missing;
    slots[i] = { outcome };
  }
  return slots.map((slot) => (slot as { outcome: RowOutcome }).outcome);
}

function suppressedOutcome(): RowOutcome {
  return { status: 'excluded', code: 'SUPPRESSED', message: 'on the company suppression list', lists: [] };
}

/**
 * Which decided rows (their index in `decided`) were looked up by a CRM id that names no stored contact because its
 * person was erased: the erasure put the id's hash on the suppression list (GDPR art. 17), and the row says so
 * rather than "not found", which reads as a new prospect. Email and phone rows were checked before deciding.
 */
async function suppressedCrmIds(
  decided: readonly number[],
  answers: readonly (DecisionOrError | undefined)[],
  slots: readonly Pending[],
  store: Pick<Store, 'suppressedAmong'>,
): Promise<Set<number>> {
  const hashesOf = new Map<number, string[]>();
  for (let k = 0; k < decided.length; k++) {
    const answer = answers[k];
    const { lookup } = (slots[decided[k] as number] as Pending).prepared;
    if (lookup.field !== 'externalId' || answer === undefined || !('error' in answer)) continue;
    if (answer.error.code === 'CONTACT_NOT_FOUND') hashesOf.set(k, suppressionHashes('external', lookup.value));
  }
  return suppressedKeysOf(store, hashesOf);
}

/**
 * Rows refused on an opposition list of which only another country's version holds the person: each country keeps
 * its Robinson list under the one name, and a Spanish rule binds Spain's list, not Germany's. Decided again without
 * those matches (in place in `answers`; the row's lists too). Only rows refused with OPPOSITION_LIST are looked at.
 */
async function foreignListsLifted(
  decided: readonly number[],
  answers: (DecisionOrError | undefined)[],
  requests: unknown[],
  slots: readonly Pending[],
  options: ScreenOptions,
  deps: Omit<ScreenDeps, 'pool'>,
): Promise<void> {
  const asked: number[] = [];
  const again: unknown[] = [];
  for (let k = 0; k < decided.length; k++) {
    const answer = answers[k];
    if (answer === undefined || 'error' in answer || answer.decision !== 'deny' || answer.rules === null) continue;
    if (!answer.reasons.some((r) => r.code === 'OPPOSITION_LIST')) continue;
    const law = lawOf(decidingJurisdiction(answer.rules));
    const slot = slots[decided[k] as number] as Pending;
    const own = slot.lists.filter((m) => m.country === undefined || lawOf(m.country) === law);
    if (own.length === slot.lists.length) continue;
    slot.lists = own;
    const request = requests[k] as { contact: Record<string, unknown> };
    asked.push(k);
    requests[k] = { ...request, contact: { ...request.contact, lists: own } };
    again.push(requests[k]);
  }
  if (again.length === 0) return;
  const answersAgain = await decideRows(again, options, deps);
  for (let n = 0; n < asked.length; n++) answers[asked[n] as number] = answersAgain[n];
}

/**
 * Off the call and fax channels, the allowed rows (their index in `decided`) that a required list, stale or missing,
 * would have decided otherwise: each is decided again as if the person were on every such list since an unknown
 * date (the check's strictest reading), and is kept only if still allowed. An email to a Spanish consumer who
 * consented needs no Robinson list (LOPDGDD art. 23.4 al. 2); a soft opt-in one does (al. 1).
 */
async function decidedByMissingLists(
  decided: readonly number[],
  answers: readonly (DecisionOrError | undefined)[],
  requests: readonly unknown[],
  slots: readonly Slot[],
  options: ScreenOptions,
  deps: Omit<ScreenDeps, 'pool'>,
  problemsFor: ProblemsFor,
): Promise<Map<number, ListProblem>> {
  const asked: number[] = [];
  const problems: ListProblem[] = [];
  const again: unknown[] = [];
  for (let k = 0; k < decided.length; k++) {
    const answer = answers[k];
    const { prepared } = slots[decided[k] as number] as Pending;
    if (answer === undefined || 'error' in answer || answer.decision !== 'allow') continue;
    if (LIST_BOUND_CHANNELS.includes(prepared.channel)) continue;
    const found = rowProblems(prepared, answer.rules, problemsFor);
    if (found.length === 0) continue;
    const request = requests[k] as { contact: { lists: (ListMatch | string)[] } };
    asked.push(k);
    problems.push(found[0] as ListProblem);
    again.push({
      ...request,
      contact: { ...request.contact, lists: [...request.contact.lists, ...found.map((p) => p.name)] },
    });
  }
  const out = new Map<number, ListProblem>();
  if (again.length === 0) return out;
  const answersAgain = await decideRows(again, options, deps);
  for (let n = 0; n < asked.length; n++) {
    const answer = answersAgain[n];
    if (answer === undefined || 'error' in answer || answer.decision !== 'allow') {
      out.set(asked[n] as number, problems[n] as ListProblem);
    }
  }
  return out;
}

/** A row excluded for a required list not current: the summary names the list (`listProblems`), the CLI too. */
function listOutcome(p: ListProblem, lists: string[]): RowOutcome {
  const code = p.problem === 'stale' ? 'LIST_STALE' : 'LIST_MISSING';
  return { status: 'excluded', code, message: p.message, lists, listProblem: p };
}

/**
 * The required lists stale or missing for a decided row: the deciding pack's first, then its own jurisdiction cell's.
 * None when no pack decided (`rules` null: an unsupported jurisdiction, refused anyway).
 */
function rowProblems(p: PreparedRow, rules: string | null, problemsFor: ProblemsFor): ListProblem[] {
  if (rules === null) return [];
  // The cached lists as they are when one is empty (every row of a screening whose lists are current).
  const deciding = problemsFor(p.channel, decidingJurisdiction(rules));
  if (p.jurisdiction === null) return deciding;
  const own = problemsFor(p.channel, p.jurisdiction);
  return own.length === 0 ? deciding : deciding.length === 0 ? own : [...deciding, ...own];
}

/** The jurisdiction of the pack that decided: `ES` of `ES@2023-06-29`. */
function decidingJurisdiction(rules: string): string {
  return rules.slice(0, rules.indexOf('@'));
}

/** The engine over stored histories at the screening's instant (no suppression-list look: the screening's own). */
function decideRows(
  requests: readonly unknown[],
  options: ScreenOptions,
  deps: Omit<ScreenDeps, 'pool'>,
): Promise<DecisionOrError[]> {
  return decideStoredBatch(requests, deps.store, deps.packs, () => options.at, undefined, undefined, false);
}

/**
 * The channel the row is counted under in the summary: its own, else the screening's. A row naming no channel
 * there is (an INVALID_ROW, counted by reason) counts under the screening's: a cell's text is not a summary key.
 */
function rowChannel(row: AudienceRow, fallback: Channel): Channel {
  const own = row.channel?.trim().toLowerCase();
  return own !== undefined && isChannel(own) ? own : fallback;
}

/**
 * The normalised email and phone to check against the lists: the row's own, and the stored contact's when the
 * row lacks the one the channel reaches (a phone campaign over an audience of customer ids calls the stored
 * number, and that number is what Bloctel must be checked for). A letter goes to the stored postal address, which
 * no audience row gives: it is checked too (`postal:` key), against the suppression list and the postal opposition
 * lists (Robinson, Mailing Preference Service…).
 */
function identifiersOf(p: PreparedRow, stored: readonly Identifier[]): string[] {
  const ids: string[] = [];
  if (p.email !== null) ids.push(p.email);
  if (p.phone !== null) ids.push(p.phone);
  const postal = p.channel === 'postal';
  for (const i of stored) {
    const id =
      i.kind === 'email' || i.kind === 'phone' ? i.value : i.kind === 'postal' && postal ? POSTAL_KEY + i.value : null;
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Whether a row's stored contact must be read for its identifiers: a letter, or a channel the row has no address for. */
function needsStored(p: PreparedRow): boolean {
  const kind = identifierKindOf(p.channel);
  return p.channel === 'postal' || (kind !== null && (kind === 'email' ? p.email : p.phone) === null);
}

/**
 * The stored identifiers of these rows' contacts, read for the whole chunk at once (three queries, not one a row):
 * each row's contact by its lookup (an id follows merges; a value the store cannot read names no one), then their
 * identifiers.
 */
async function storedIdentifiers(
  rows: readonly PreparedRow[],
  store: Pick<Store, 'contactsByIds' | 'contactsByIdentifiers' | 'identifiersOfContacts'>,
): Promise<Map<PreparedRow, Identifier[]>> {
  if (rows.length === 0) return new Map();
  const keyOf = new Map<PreparedRow, string>();
  const byId: string[] = [];
  const byValue: Identifier[] = [];
  for (const p of rows) {
    const { field, value } = p.lookup;
    if (field === 'id') {
      byId.push(value);
      keyOf.set(p, `id:${value}`);
      continue;
    }
    const kind: IdentifierKind = field === 'externalId' ? 'external' : field;
    try {
      const normalised = normalizeIdentifier(kind, value, p.jurisdiction ?? DEFAULT_JURISDICTION);
      byValue.push({ kind, value: normalised });
      keyOf.set(p, `${kind}:${normalised}`);
    } catch (error) {
      if (!(error instanceof IdentifierError)) throw error;
    }
  }
  const [ids, values] = await Promise.all([
    byId.length > 0 ? store.contactsByIds(byId) : new Map<string, ContactFields>(),
    byValue.length > 0 ? store.contactsByIdentifiers(byValue) : new Map<string, ContactFields>(),
  ]);
  const contactOf = (key: string) => (key.startsWith('id:') ? ids.get(key.slice(3)) : values.get(key))?.id;
  const contacts = new Map<PreparedRow, string>();
  for (const [p, key] of keyOf) {
    const id = contactOf(key);
    if (id !== undefined) contacts.set(p, id);
  }
  const identifiers = await store.identifiersOfContacts([...new Set(contacts.values())]);
  return new Map([...contacts].map(([p, id]) => [p, identifiers.get(id) ?? []]));
}

/** The contract's `contact.lists`: every list any of the identifiers is on, once, with its earliest `asOf`. */
function listsOf(ids: readonly string[], matches: ReadonlyMap<string, ListMatch[]>): ListMatch[] {
  // Per list and country: the German and the Spanish Robinson lists are two lists (foreignListsLifted).
  const byName = new Map<string, ListMatch>();
  for (const id of ids) {
    for (const m of matches.get(id) ?? []) {
      const key = m.country === undefined ? m.name : `${m.name}|${m.country}`;
      const seen = byName.get(key);
      if (seen === undefined || m.asOf < seen.asOf) byName.set(key, m);
    }
  }
  return [...byName.values()];
}
