import { hash } from 'node:crypto';
import type { EventType } from './request.js';

/**
 * How an event was recorded, kept as proof (CNIL: keep the record of each consent and each opt-out).
 * Stored beside the event and chained by its SHA-256 only, so it can be erased (GDPR art. 17) without
 * breaking the chain.
 */
export interface Evidence {
  /** How the act was captured: form, import, api, call, preference-center… */
  method?: string;
  /** Versioned wording shown to the person: consent text id and its SHA-256. */
  textId?: string;
  textSha256?: string;
  /** Where: page URL, import batch, call recording reference. */
  pageUrl?: string;
  importBatch?: string;
  recording?: string;
  ip?: string;
  userAgent?: string;
  [extra: string]: unknown;
}

/**
 * The ledger's own records (a merge, an erasure, a rectification, a restriction of processing and its end): kept as
 * proof of what was done to a person's data (GDPR art. 5(2)), and passed on to webhook subscribers (art. 19: each
 * recipient is told of a restriction), not the contract's history vocabulary, never read by decisions.
 */
export type RecordType =
  | 'contact.merged'
  | 'contact.erased'
  | 'contact.rectified'
  | 'contact.restricted'
  | 'contact.unrestricted';
const RECORD_TYPES: ReadonlySet<string> = new Set<RecordType>([
  'contact.merged',
  'contact.erased',
  'contact.rectified',
  'contact.restricted',
  'contact.unrestricted',
]);
export const isRecordType = (type: string): type is RecordType => RECORD_TYPES.has(type);

/**
 * An event to append: the contract's history vocabulary (type, at, channel, purpose…) plus who recorded it,
 * its evidence, and an optional idempotency key (the same key is never appended twice).
 */
export interface NewLedgerEvent {
  contactId: string;
  type: EventType | RecordType;
  /** ISO 8601 instant of the act. */
  at: string;
  /** The contract fields of the event: channel, purpose, scope, partners, method, source… */
  data: Record<string, unknown>;
  evidence?: Evidence | null;
  recordedBy: string;
  idempotencyKey?: string | null;
}

/** A stored event: its place in the chain and the hashes that prove it. */
export interface LedgerEvent extends NewLedgerEvent {
  seq: number;
  id: string;
  recordedAt: string;
  evidenceHash: string | null;
  prevHash: string;
  hash: string;
}

/** What a decision reads of a stored event. */
export type DecisionEvent = Pick<LedgerEvent, 'type' | 'at' | 'data'>;

/**
 * A stored event as the contract's history event: its data fields with `at` and `type`, which win over members of
 * the same name in data. Written `{at, type, ...data}`, then `at` and `type` set again, and never
 * `{...data, at, type}`: V8 gives every object built that way a hidden class of its own, and each later field read
 * of it misses the inline caches (parsing such an event took 7 µs instead of 0.7; bench/ingest, bench/screen).
 */
export function historyEventOf(
  type: string,
  at: string,
  data: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const e: Record<string, unknown> = { at, type, ...data };
  e.at = at;
  e.type = type;
  return e;
}

export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 of the UTF-8 text, as hex. The one-shot crypto.hash: half the cost of createHash for short texts. */
export function sha256(text: string): string {
  return hash('sha256', text, 'hex');
}

/** `"key":` of object keys met so far (a ledger uses a handful of keys, each quoted once). */
const quotedKeys = new Map<string, string>();
function quotedKey(key: string): string {
  let q = quotedKeys.get(key);
  if (q === undefined) {
    q = `${JSON.stringify(key)}:`;
    if (quotedKeys.size < 10_000) quotedKeys.set(key, q);
  }
  return q;
}

/** JSON with keys sorted at every depth: the same value always gives the same text, hence the same hash. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  // Default sort = UTF-16 code unit order, as `<` compares strings. Loops, not entries/map/join: this runs for
  // every event appended (bench/ingest).
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    const v = record[key];
    if (v === undefined) continue;
    out +=
      (out.length === 1 ? '' : ',') + quotedKey(key) + (typeof v === 'string' ? JSON.stringify(v) : canonicalJson(v));
  }
  return `${out}}`;
}

/**
 * The hash of an event: its predecessor's hash, then every field that makes the event, evidence by its hash.
 * The text is canonicalJson of those fields, written out with its keys already in sorted order (the same bytes;
 * test/domain/ledger.test.ts holds them equal).
 */
export function eventHash(e: Omit<LedgerEvent, 'hash' | 'evidence'>): string {
  return chainHash(e, canonicalJson(e.data));
}

/** eventHash for a caller that has the canonical JSON of `data` already (the store writes that very text). */
export function chainHash(e: Omit<LedgerEvent, 'hash' | 'evidence' | 'data'>, canonicalData: string): string {
  const j = JSON.stringify;
  return sha256(
    `${e.prevHash}\n{"at":${j(e.at)},"contactId":${j(e.contactId)},"data":${canonicalData},` +
      `"evidenceHash":${j(e.evidenceHash)},"id":${j(e.id)},"idempotencyKey":${j(e.idempotencyKey ?? null)},` +
      `"recordedAt":${j(e.recordedAt)},"recordedBy":${j(e.recordedBy)},"seq":${j(e.seq)},"type":${j(e.type)}}`,
  );
}

export function evidenceHash(evidence: Evidence | null | undefined): string | null {
  return evidence ? sha256(canonicalJson(evidence)) : null;
}
