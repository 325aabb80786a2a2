import {
  countryCode,
  DEFAULT_JURISDICTION,
  IDENTIFIER_KINDS,
  type Identifier,
  IdentifierError,
  type IdentifierKind,
  normalizeIdentifier,
  normalizePhoneOf,
  notACountry,
} from '../../domain/contact.js';
import { parseInstant, pastInstant } from '../../domain/iso-time.js';
import {
  type Evidence,
  eventHash,
  evidenceHash,
  isRecordType,
  type LedgerEvent,
  type NewLedgerEvent,
} from '../../domain/ledger.js';
import { isTimeZone } from '../../domain/parse-request.js';
import { CONSENT_METHODS, DATA_SOURCES, INTERACTION_KINDS } from '../../domain/request.js';
import { checkLedgerEvent } from '../../store/ledger-rows.js';
import { type ContactPatch, type NewContact, StoreError } from '../../store/store.js';
import { MOVED_FROM_IS_ASSENTS, outOfRangeAt, RECORDED_BY } from '../record-events.js';
import {
  CONSENT_COLUMNS,
  type CsvColumn,
  DATED_ACT_COLUMNS,
  EXPORT_ONLY_FIELDS,
  IDENTIFIER_COLUMNS,
  NDJSON_FIELDS,
  OBJECTION_COLUMNS,
} from './columns.js';
import type { SourceRecord } from './reader.js';

export interface ImportEvent {
  type: NewLedgerEvent['type'];
  at: string;
  data: Record<string, unknown>;
  evidence: Evidence | null;
  /** An exported event's record in its source database: kept in the evidence of the event the import appends. */
  origin?: EventOrigin;
}

/** When and by whom the source database recorded an exported event, and its hash in that database's chain. */
export interface EventOrigin {
  recordedAt: string;
  recordedBy: string;
  hash: string;
  /** Its place in that chain: the source finds its own event by it when the line comes back (event-origins.ts). */
  seq: number;
}

/** A valid row, normalised: what the batch writer needs and nothing it must check again. */
export interface ImportRow {
  line: number;
  endLine: number;
  raw: string;
  /** `kind:value` of the row's first identifier (external id, else email, phone, postal): keys its events. */
  key: string;
  identifiers: Identifier[];
  /** The contact to create when no identifier matches. */
  contact: Omit<NewContact, 'identifiers'>;
  /** Only what the row states (not defaults): applied to a contact that exists. */
  set: Omit<ContactPatch, 'add'>;
  events: ImportEvent[];
  /**
   * An erased contact of an export (its `erasedAt`, and its id in the source database): created erased, with its
   * ledger and no identifier. Its `key` is `erased:<id>`.
   */
  erased?: { at: string; id: string };
  /**
   * A phone number written without its country code in a row that names no jurisdiction: read in the default
   * (`--jurisdiction`), which is right only if the contact it reaches is of that country (checked by the writer).
   */
  nationalPhone?: { written: string; readIn: string; value: string };
  /**
   * Restrictions of processing (GDPR art. 18) in force in the source database, read from an export's records
   * (`contact.restricted` with no `contact.unrestricted` of the same request after it): the source request's id and
   * its receipt. The writer files each again as an open restriction, so the person is not processed here either.
   */
  restrictions?: { request: string; since: string }[];
}

export interface RowContext {
  /** `--jurisdiction`: for rows that give none. */
  jurisdiction: string | null;
  /** Stored consent texts, id → SHA-256: a row citing another text is rejected (as recordEvents would refuse it). */
  texts: Map<string, string>;
}

export type Mapped = { row: ImportRow } | { reason: string };
type Field = readonly [name: string, value: unknown];

const KEY_ORDER = IDENTIFIER_COLUMNS.map(([, kind]) => kind);

/** A CSV row, by the header's columns (see `resolveHeader`); every problem of the row is named. */
export function csvRow(
  rec: SourceRecord & { format: 'csv' },
  columns: readonly (CsvColumn | null)[],
  ctx: RowContext,
): Mapped {
  // Separators only (`,,,`, what spreadsheets leave after the data): said, not dropped, so that every line of the
  // file is either imported or in the rejects file.
  if (rec.cells.every((c) => c === '')) return { reason: 'has only empty cells: delete the row, or fill it' };
  if (rec.cells.length !== columns.length) {
    return { reason: `has ${rec.cells.length} cells; the header has ${columns.length}` };
  }
  const v: Cells = {};
  columns.forEach((c, i) => {
    const cell = rec.cells[i];
    if (c !== null && cell !== undefined && cell !== '') v[c] = cell;
  });
  const problems: string[] = [];
  const contact = contactPart(
    {
      identifiers: IDENTIFIER_COLUMNS.map(([c, kind]) => [c, kind, v[c]] as const),
      type: ['type', v.type?.toLowerCase()],
      address: ['address', v.address?.toLowerCase()],
      jurisdiction: ['jurisdiction', v.jurisdiction],
      timeZone: ['time_zone', v.time_zone],
      region: ['region', v.region],
    },
    ctx,
    problems,
  );
  const events: ImportEvent[] = [];
  requires(v, ['collected_at'], ['source', 'provider', 'informed'], problems);
  if (v.collected_at !== undefined && date('collected_at', v.collected_at, problems)) {
    const informed = choice(['informed', v.informed?.toLowerCase()], ['true', 'false'], problems);
    events.push({
      type: 'data.collected',
      at: v.collected_at,
      data: {
        source: choice(['source', v.source?.toLowerCase()], DATA_SOURCES, problems),
        provider: v.provider,
        informed: informed === undefined ? undefined : informed === 'true',
      },
      evidence: null,
    });
  }
  const answered = setColumns(v, CONSENT_COLUMNS);
  if (answered.length > 0) {
    const at = v.consent_at;
    requires(v, ['consent_at'], answered, problems);
    const method = choice(['consent_method', v.consent_method?.toLowerCase()], CONSENT_METHODS, problems);
    const evidence: Evidence | null = v.consent_text_id === undefined ? null : { textId: v.consent_text_id };
    checkText(evidence, 'consent_text_id', ctx, problems);
    const answers = answered.map((c) => [c, choice([c, v[c]?.toLowerCase()], ['yes', 'no'], problems)] as const);
    if (at !== undefined && date('consent_at', at, problems)) {
      for (const [c, answer] of answers) {
        if (answer === undefined) continue;
        const given = answer === 'yes';
        events.push({
          type: given ? 'consent.given' : 'consent.refused',
          at,
          data: { channel: CONSENT_COLUMNS[c], method: given ? method : undefined, purpose: v.consent_purpose },
          evidence,
        });
      }
    }
  }
  events.push(...objections(v, problems), ...datedActs(v, problems));
  for (const [i, e] of events.entries()) checkEvent(e, i, problems);
  return result(rec, contact, events, problems);
}

type Cells = Partial<Record<CsvColumn, string>>;

/** The columns of a per-channel table (`consent_email`…) that the row sets. */
function setColumns<C extends CsvColumn>(v: Cells, table: Readonly<Record<C, string>>): C[] {
  return (Object.keys(table) as C[]).filter((c) => v[c] !== undefined);
}

/** One of `needed` is required when one of `by` is set: said once, naming the columns. */
function requires(v: Cells, needed: readonly CsvColumn[], by: readonly CsvColumn[], problems: string[]): void {
  const set = by.filter((c) => v[c] !== undefined);
  if (set.length === 0 || needed.some((c) => v[c] !== undefined)) return;
  problems.push(`${needed.join(' or ')} is required when ${set.join(', ')} ${set.length > 1 ? 'are' : 'is'} set`);
}

/**
 * `objection_<channel>` `yes`: an objection on that channel at `objection_at` (GDPR art. 21(2)-(3)), for
 * `objection_purpose` (default: every purpose). `no` records nothing (a CRM's "not unsubscribed"): it never undoes
 * an objection; only a new consent with its proof does (docs/import.md). A date or purpose without a `yes` says of
 * no objection, and is refused rather than guessed.
 */
function objections(v: Cells, problems: string[]): ImportEvent[] {
  const before = problems.length;
  const yes = setColumns(v, OBJECTION_COLUMNS).filter(
    (c) => choice([c, v[c]?.toLowerCase()], ['yes', 'no'], problems) === 'yes',
  );
  requires(v, ['objection_at'], yes, problems);
  const orphans = (['objection_at', 'objection_purpose'] as const).filter((c) => v[c] !== undefined);
  if (yes.length === 0 && problems.length === before && orphans.length > 0) {
    problems.push(
      `${orphans.join(', ')} ${orphans.length > 1 ? 'are' : 'is'} set, but no objection_<channel> column says yes: say on which channel the person objected`,
    );
  }
  const at = v.objection_at;
  if (yes.length === 0 || at === undefined || !date('objection_at', at, problems)) return [];
  return yes.map((c) => ({
    type: 'objection',
    at,
    data: { channel: OBJECTION_COLUMNS[c], purpose: v.objection_purpose },
    evidence: null,
  }));
}

/**
 * The acts of DATED_ACT_COLUMNS (a purchase, a contract started or ended, the last contact), each at its date column
 * with its data columns; `last_contact_kind` is required with `last_contact_at`: a `request` (an inquiry) opens the
 * GB soft opt-in and the US established business relationship, so no kind is assumed.
 */
function datedActs(v: Cells, problems: string[]): ImportEvent[] {
  const users = new Map<CsvColumn, CsvColumn[]>();
  for (const act of DATED_ACT_COLUMNS) {
    for (const c of Object.values(act.data)) users.set(c, [...(users.get(c) ?? []), act.at]);
  }
  for (const [column, dates] of users) requires(v, dates, [column], problems);
  requires(v, ['last_contact_kind'], ['last_contact_at'], problems);
  const kind = choice(['last_contact_kind', v.last_contact_kind?.toLowerCase()], INTERACTION_KINDS, problems);
  const events: ImportEvent[] = [];
  for (const act of DATED_ACT_COLUMNS) {
    const at = v[act.at];
    if (at === undefined || !date(act.at, at, problems)) continue;
    const data = Object.fromEntries(Object.entries(act.data).map(([field, c]) => [field, v[c]]));
    if (act.type === 'interaction') {
      if (kind === undefined) continue; // said above: missing or not a kind
      data.kind = kind;
    }
    events.push({ type: act.type, at, data, evidence: null });
  }
  return events;
}

/**
 * An NDJSON row: `{externalId?, email?, phone?, postal?, identifiers?, type?, address?, jurisdiction?, timeZone?,
 * region?, events?}`, events in the contract's form (`{type, at, channel…, evidence?}`) or as `assent export` writes
 * them (`{type, at, data, evidence, seq…}`: the stored fields are ignored, merge records skipped). An export's line
 * with `erasedAt` is an erased contact: no identifiers, its ledger as exported, its record of the erasure included.
 */
export function ndjsonRow(
  rec: SourceRecord & { format: 'ndjson' },
  map: ReadonlyMap<string, string>,
  ctx: RowContext,
): Mapped {
  if (rec.error !== null) return { reason: rec.error };
  if (!isObject(rec.value)) return { reason: 'must be a JSON object' };
  // No prototype: a "__proto__" field is then a field (an unknown one), not the object's prototype with its contents.
  const o: Record<string, unknown> = Object.create(null);
  for (const [k, value] of Object.entries(rec.value)) o[map.get(k) ?? k] = value;
  const problems: string[] = [];
  const known = new Set<string>([...NDJSON_FIELDS, ...EXPORT_ONLY_FIELDS]);
  for (const k of Object.keys(o)) if (!known.has(k)) problems.push(`unknown field "${k}"`);
  const identifiers: [string, IdentifierKind, unknown][] = [
    ['externalId', 'external', o.externalId],
    ['email', 'email', o.email],
    ['phone', 'phone', o.phone],
    ['postal', 'postal', o.postal],
  ];
  if (o.identifiers !== undefined && o.identifiers !== null) {
    if (!Array.isArray(o.identifiers)) problems.push('identifiers must be a list of {"kind", "value"}');
    else
      o.identifiers.forEach((i: unknown, n) => {
        const kind = isObject(i) ? i.kind : undefined;
        if (!(IDENTIFIER_KINDS as readonly unknown[]).includes(kind)) {
          problems.push(`identifiers.${n}.kind must be one of ${IDENTIFIER_KINDS.join(', ')}`);
        } else identifiers.push([`identifiers.${n}.value`, kind as IdentifierKind, (i as { value?: unknown }).value]);
      });
  }
  const erasedLine = o.erasedAt !== undefined && o.erasedAt !== null;
  const erased = erasedLine ? erasedPart(o, identifiers, problems) : null;
  const contact = contactPart(
    {
      identifiers: erasedLine ? [] : identifiers,
      erased: erasedLine ? (erased?.id ?? '') : undefined,
      type: ['type', o.type],
      address: ['address', o.address],
      jurisdiction: ['jurisdiction', o.jurisdiction],
      timeZone: ['timeZone', o.timeZone],
      region: ['region', o.region],
    },
    ctx,
    problems,
  );
  // An export's first-record date is kept for the contact it creates: the retention clock of a contact with no
  // dated active contact runs from it, and must not restart on the day of a move to another database.
  if (o.createdAt !== undefined && o.createdAt !== null) {
    const ms = pastInstant(o.createdAt, Date.now());
    if (typeof ms === 'string') problems.push(`createdAt ${ms}`);
    else if (contact !== null) contact.contact.createdAt = new Date(ms).toISOString();
  }
  const events: ImportEvent[] = [];
  /** Restriction request id → its receipt, while no later record of the export ended it. */
  const restricted = new Map<string, string>();
  if (o.events !== undefined && o.events !== null && !Array.isArray(o.events)) problems.push('events must be a list');
  const list: unknown[] = Array.isArray(o.events) ? o.events : [];
  for (const [i, raw] of list.entries()) {
    if (!isObject(raw)) {
      problems.push(`events.${i} must be an object`);
      continue;
    }
    const exported = isObject(raw.data);
    if (erasedLine && !exported) {
      problems.push(`events.${i}: an erased contact's ledger is imported as the export wrote it (data, seq, hashes)`);
      continue;
    }
    if (raw.type === 'contact.erased' && exported && !erasedLine) {
      // Its line's erasedAt taken away (identifiers added), the erased person would come back with their proof.
      problems.push(
        `events.${i} records the contact's erasure: the line is an erased contact's, changed after the export`,
      );
      continue;
    }
    // A restriction in force in the source database moves with the person (art. 18(2)): its record says which.
    if (exported && !erasedLine && (raw.type === 'contact.restricted' || raw.type === 'contact.unrestricted')) {
      const request = (raw.data as Record<string, unknown>).request;
      const since = typeof raw.at === 'string' ? pastInstant(raw.at, Date.now()) : 'is required';
      if (typeof request !== 'string' || request === '' || request.length > 200) {
        problems.push(`events.${i}.data.request must name the restriction's rights request (1 to 200 characters)`);
      } else if (typeof since === 'string') problems.push(`events.${i}.at ${since}`);
      else if (raw.type === 'contact.restricted') restricted.set(request, new Date(since).toISOString());
      else restricted.delete(request);
      continue;
    }
    // An erased contact's record of its erasure comes along: it is what keeps the contact erased (ledger verify).
    if (typeof raw.type === 'string' && isRecordType(raw.type) && !(erasedLine && raw.type === 'contact.erased')) {
      // An export carries the source database's records of merges and rectifications: what was done there, not
      // acts of the person; they are left out. Anywhere else such a record is refused.
      if (!exported)
        problems.push(
          `events.${i}.type ${raw.type} is not imported: Assent records it when it happens (${RECORDED_BY[raw.type]})`,
        );
      continue;
    }
    const { type, at, evidence, ...rest } = raw;
    if (evidence !== undefined && evidence !== null && !isObject(evidence)) {
      problems.push(`events.${i}.evidence must be an object`);
      continue;
    }
    const e: ImportEvent = {
      type: type as ImportEvent['type'],
      at: at as string,
      data: exported ? (raw.data as Record<string, unknown>) : rest,
      evidence: (evidence as Evidence | undefined) ?? null,
    };
    if (exported) {
      const origin = eventOrigin(raw, `events.${i}`, problems);
      if (origin === null) continue;
      e.origin = origin;
    } else if (isObject(evidence) && evidence.movedFrom !== undefined) {
      problems.push(`events.${i}.evidence.movedFrom ${MOVED_FROM_IS_ASSENTS}`);
      continue;
    }
    checkText(e.evidence, `events.${i}.evidence.textId`, ctx, problems);
    if (checkEvent(e, i, problems)) events.push(e);
  }
  if (erased === null) {
    const mapped = result(rec, contact, events, problems);
    if ('row' in mapped && restricted.size > 0) {
      mapped.row.restrictions = [...restricted].map(([request, since]) => ({ request, since }));
    }
    return mapped;
  }
  const records = events.filter((e) => e.type === 'contact.erased');
  if (records.length !== 1 || Date.parse((records[0] as ImportEvent).at) !== Date.parse(erased.at)) {
    problems.push(
      "an erased contact's events hold the record of its erasure (contact.erased) once, dated erasedAt: the line was changed after the export",
    );
  }
  const mapped = result(rec, contact, events, problems);
  if ('row' in mapped) mapped.row.erased = erased;
  return mapped;
}

/**
 * An exported erased contact's `erasedAt` and `id` (the id keys its events, so that importing the export again adds
 * nothing), or null with the problems: a line with identifiers is not what the export wrote (they were erased).
 */
function erasedPart(
  o: Record<string, unknown>,
  identifiers: readonly (readonly [string, IdentifierKind, unknown])[],
  problems: string[],
): { at: string; id: string } | null {
  const before = problems.length;
  const at = pastInstant(o.erasedAt, Date.now());
  if (typeof at === 'string') problems.push(`erasedAt ${at}`);
  const id = o.id;
  if (typeof id !== 'string' || id === '' || id.length > 200 || id.includes('\0')) {
    problems.push('id must be the contact id the export wrote (1 to 200 characters, no NUL)');
  }
  const named = identifiers.filter(([, , v]) => v !== undefined && v !== null && v !== '').map(([name]) => name);
  if (named.length > 0 || (Array.isArray(o.identifiers) && o.identifiers.length > 0)) {
    problems.push(
      `an erased contact has no identifiers (${named.length > 0 ? named.join(', ') : 'identifiers'}): the line was changed after the export`,
    );
  }
  return problems.length > before ? null : { at: new Date(at as number).toISOString(), id: id as string };
}

/**
 * An exported event's `recordedAt`, `recordedBy` and `hash`, which say when and by whom the source database recorded
 * the act: the proof an auditor asks for. All three, valid, or a problem naming the field (an export is never
 * without them; a line edited by hand may be).
 */
function eventOrigin(raw: Record<string, unknown>, where: string, problems: string[]): EventOrigin | null {
  const before = problems.length;
  const recordedAt = pastInstant(raw.recordedAt, Date.now());
  if (typeof recordedAt === 'string') problems.push(`${where}.recordedAt ${recordedAt}`);
  const by = raw.recordedBy;
  if (typeof by !== 'string' || by === '' || by.length > 200 || by.includes('\0')) {
    problems.push(`${where}.recordedBy must be the text the export wrote (1 to 200 characters, no NUL)`);
  }
  if (typeof raw.hash !== 'string' || !/^[0-9a-f]{64}$/.test(raw.hash)) {
    problems.push(`${where}.hash must be the SHA-256 (64 hex digits) the export wrote`);
  }
  const moved = isObject(raw.evidence) ? raw.evidence.movedFrom : undefined;
  if (moved !== undefined && !Array.isArray(moved)) {
    problems.push(`${where}.evidence.movedFrom must be the list of earlier moves the export wrote`);
  }
  if (problems.length === before) {
    const broken = exportedHashProblem(raw);
    if (broken !== null) problems.push(`${where}.${broken}`);
  }
  if (problems.length > before) {
    // Said once: an event with `data` is read as an `assent export` line, which a hand-written one may not mean.
    problems[before] += ` (an event with "data" is read as written by assent export)`;
    return null;
  }
  return {
    recordedAt: new Date(recordedAt as number).toISOString(),
    recordedBy: by as string,
    hash: raw.hash as string,
    seq: raw.seq as number,
  };
}

/**
 * Whether an exported event is as its source database chained it: its evidence hash and its hash are computed again
 * from the line's own fields. A line edited after the export (a refusal turned into a consent, evidence invented)
 * would otherwise be stored as proof, its `movedFrom` vouching for an act the source never recorded (RGPD art. 7(1)).
 */
function exportedHashProblem(raw: Record<string, unknown>): string | null {
  const evidence = isObject(raw.evidence) ? (raw.evidence as Evidence) : null;
  const stated = raw.evidenceHash ?? null;
  if (stated !== evidenceHash(evidence)) {
    return 'evidenceHash does not match the evidence: the line was changed after the export, and is not its proof';
  }
  const { seq, id, contactId, prevHash } = raw;
  if (
    !Number.isSafeInteger(seq) ||
    (seq as number) < 1 ||
    typeof id !== 'string' ||
    typeof contactId !== 'string' ||
    typeof prevHash !== 'string' ||
    typeof raw.type !== 'string' ||
    typeof raw.at !== 'string'
  ) {
    return 'hash cannot be checked: an exported event has seq (a whole number from 1), id, contactId, type, at and prevHash';
  }
  const computed = eventHash({
    seq: seq as number,
    id,
    contactId,
    type: raw.type as LedgerEvent['type'],
    at: raw.at,
    data: raw.data as LedgerEvent['data'],
    evidenceHash: stated as string | null,
    recordedAt: raw.recordedAt as string,
    recordedBy: raw.recordedBy as string,
    idempotencyKey: (raw.idempotencyKey as string | null | undefined) ?? null,
    prevHash,
  });
  return computed === raw.hash
    ? null
    : 'hash does not match the event: the line was changed after the export, and is not its proof';
}

function result(rec: SourceRecord, contact: ContactPart | null, events: ImportEvent[], problems: string[]): Mapped {
  if (problems.length > 0 || contact === null) return { reason: problems.join('; ') };
  return { row: { line: rec.line, endLine: rec.endLine, raw: rec.raw, ...contact, events } };
}

type ContactPart = Pick<ImportRow, 'key' | 'identifiers' | 'contact' | 'set' | 'nationalPhone'>;

function contactPart(
  f: {
    identifiers: readonly (readonly [string, IdentifierKind, unknown])[];
    /** An erased contact's id in its source database: it has no identifiers, and this keys it. */
    erased?: string | undefined;
    type: Field;
    address: Field;
    jurisdiction: Field;
    timeZone: Field;
    region: Field;
  },
  ctx: RowContext,
  problems: string[],
): ContactPart | null {
  const type = choice(f.type, ['individual', 'professional'] as const, problems);
  const address = choice(f.address, ['named', 'generic'] as const, problems);
  let jurisdiction = text(f.jurisdiction, problems);
  if (jurisdiction !== undefined && countryCode(jurisdiction) === null) {
    problems.push(`${f.jurisdiction[0]}: ${notACountry(jurisdiction)}`);
    jurisdiction = undefined;
  }
  jurisdiction = jurisdiction?.toUpperCase();
  const country = jurisdiction ?? ctx.jurisdiction;
  if (country === null) problems.push(`${f.jurisdiction[0]} is required (or give a default with --jurisdiction XX)`);
  const timeZone = text(f.timeZone, problems);
  if (timeZone !== undefined && !isTimeZone(timeZone)) {
    problems.push(`${f.timeZone[0]} "${timeZone}" is not an IANA time zone`);
  }
  const region = text(f.region, problems)?.toUpperCase();
  if (region !== undefined && !/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(region)) {
    problems.push(`${f.region[0]} must be an ISO 3166-2 code such as FR-974; got "${region}"`);
  }
  const identifiers: Identifier[] = [];
  let nationalPhone: ImportRow['nationalPhone'];
  const before = problems.length;
  for (const [name, kind, raw] of f.identifiers) {
    const value = text([name, raw], problems);
    if (value === undefined) continue;
    try {
      const where = country ?? DEFAULT_JURISDICTION;
      const normalized =
        kind === 'phone' ? normalizePhoneOf(value, where, region) : normalizeIdentifier(kind, value, where);
      identifiers.push({ kind, value: normalized });
      // "(+49) 30 …" and "0049 …" carry their country; "030 …" is read in the default (checked by the writer).
      if (kind === 'phone' && jurisdiction === undefined && !/^[\s(]*(\+|00)/.test(value)) {
        nationalPhone = { written: value, readIn: where, value: normalized };
      }
    } catch (error) {
      if (!(error instanceof IdentifierError)) throw error;
      problems.push(`${name}: ${error.message}`);
    }
  }
  if (identifiers.length === 0 && problems.length === before && f.erased === undefined) {
    const names = f.identifiers.slice(0, IDENTIFIER_COLUMNS.length).map(([name]) => name);
    problems.push(`the row has none of ${names.join(', ')}: it could not be matched to a contact`);
  }
  if (problems.length > 0 || country === null) return null;
  const first = [...identifiers].sort((a, b) => KEY_ORDER.indexOf(a.kind) - KEY_ORDER.indexOf(b.kind))[0];
  const set = { type, address, jurisdiction, timeZone, region };
  return {
    key: first === undefined ? `erased:${f.erased}` : `${first.kind}:${first.value}`,
    identifiers,
    contact: { type: type ?? 'individual', address, jurisdiction: country, timeZone, region },
    set,
    ...(nationalPhone !== undefined ? { nationalPhone } : {}),
  };
}

/** The contract's event validation, as appendEvents runs it (the reason names the event and its field). */
function checkEvent(e: ImportEvent, index: number, problems: string[]): boolean {
  try {
    checkLedgerEvent({ contactId: '(import)', recordedBy: 'import', ...e }, index);
    // As `events add` refuses it: an act is recorded when it happens (an objection dated 2062 would wait till then).
    const outside = outOfRangeAt(e.at, new Date());
    if (outside !== null) {
      problems.push(`events.${index}.at ${outside}`);
      return false;
    }
    return true;
  } catch (error) {
    if (!(error instanceof StoreError)) throw error;
    problems.push(error.message);
    return false;
  }
}

function checkText(evidence: Evidence | null, name: string, ctx: RowContext, problems: string[]): void {
  const id = evidence?.textId;
  if (id === undefined) return;
  const sha = typeof id === 'string' ? ctx.texts.get(id) : undefined;
  if (sha === undefined) problems.push(`${name} "${String(id)}" is not a stored consent text (assent texts add)`);
  else if (evidence?.textSha256 !== undefined && evidence.textSha256 !== sha) {
    problems.push(`${name}: textSha256 does not match the stored text "${id}"`);
  }
}

function text([name, v]: Field, problems: string[]): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') {
    problems.push(`${name} must be a string; got ${JSON.stringify(v)}`);
    return undefined;
  }
  return v.trim() === '' ? undefined : v.trim();
}

function choice<T extends string>(field: Field, allowed: readonly T[], problems: string[]): T | undefined {
  const v = text(field, problems);
  if (v === undefined || (allowed as readonly string[]).includes(v)) return v as T | undefined;
  problems.push(`${field[0]} must be one of ${allowed.join(', ')}; got "${v}"`);
  return undefined;
}

/** A CSV date cell: an instant, not in the future nor before 1970 (said under the column's name, as the row's reader knows it). */
function date(name: string, value: string, problems: string[]): boolean {
  const t = parseInstant(value);
  if (typeof t !== 'number') {
    problems.push(`${name} ${t}; got "${value}"`);
    return false;
  }
  const outside = outOfRangeAt(value, new Date());
  if (outside !== null) {
    problems.push(`${name} ${outside}`);
    return false;
  }
  return true;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
