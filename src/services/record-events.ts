import type { Identifier } from '../domain/contact.js';
import { quotes } from '../domain/identifier-quotes.js';
import { parseInstant } from '../domain/iso-time.js';
import {
  canonicalJson,
  isRecordType,
  type LedgerEvent,
  type NewLedgerEvent,
  type RecordType,
} from '../domain/ledger.js';
import { type Store, StoreError } from '../store/store.js';

/** The command that records each of the ledger's own records, for an error refusing one sent in to say where. */
export const RECORDED_BY: Readonly<Record<RecordType, string>> = {
  'contact.merged': 'assent contacts merge',
  'contact.rectified': 'assent contacts set',
  'contact.erased': 'assent contacts erase',
  'contact.restricted': 'assent rights add --kind restriction',
  'contact.unrestricted': 'assent rights answer --status refused, or assent rights lift',
};

/** How far ahead of the clock an act may be dated (clock skew, a wrong offset) before it is refused. */
export const FUTURE_TOLERANCE_MS = 86_400_000;

/** The earliest date an act may carry: before it, a date is a placeholder or a typo (0001-01-01), not an act. */
export const EARLIEST_AT = '1970-01-01T00:00:00Z';

/**
 * Why an act dated `at` cannot be recorded at `now`, or null. Acts are recorded when they happen: an objection
 * dated 2062 would be stored and ignored by every decision until then (the engine reads history up to `at`); a
 * consent dated 0001-01-01 would be proof of nothing.
 */
export function outOfRangeAt(at: string, now: Date): string | null {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return null;
  if (t < Date.parse(EARLIEST_AT)) return `is before 1970 (${at}): give the date the act happened`;
  if (t <= now.getTime() + FUTURE_TOLERANCE_MS) return null;
  return `is in the future (${at}, now ${now.toISOString()}): record an act when it happens`;
}

/**
 * A consent text's first publication date as given (`publishedAt`, `--published`): an ISO 8601 date or instant, not
 * in the future nor before 1970, as ISO; or why not. Stored wordings are dated by it, so a consent cited with a
 * wording published after it is told apart (proof statements): backfilled histories give the date shown then.
 */
export function publishedAtOf(raw: string, now: Date): { at: string } | { problem: string } {
  const ms = parseInstant(raw);
  if (typeof ms === 'string') return { problem: `${ms}; got "${raw}"` };
  if (ms > now.getTime()) return { problem: `is in the future (${raw}): give the date the wording was first shown` };
  const early = outOfRangeAt(raw, now);
  return early === null ? { at: new Date(ms).toISOString() } : { problem: early };
}

/**
 * The first event whose idempotency key was recorded before for another act (another contact, type, time or
 * fields), with why, or null. A retry with the same key is skipped as a duplicate, so a reused key would drop the
 * new event (an objection among them) without a word: callers refuse it instead (409, CONFLICT).
 */
export async function reusedKey(
  store: Store,
  events: readonly NewLedgerEvent[],
): Promise<{ index: number; detail: string } | null> {
  const keyed = events.flatMap((e, i) => (typeof e.idempotencyKey === 'string' ? [[i, e] as const] : []));
  if (keyed.length === 0) return null;
  const same = (a: Pick<NewLedgerEvent, 'contactId' | 'type' | 'at' | 'data'>, b: NewLedgerEvent) =>
    a.contactId === b.contactId &&
    a.type === b.type &&
    Date.parse(a.at) === Date.parse(b.at) &&
    canonicalJson(a.data ?? {}) === canonicalJson(b.data ?? {});
  // Within the request too: the store skips a key's second event, which would drop it (an objection) in silence.
  const first = new Map<string, number>();
  for (const [index, e] of keyed) {
    const key = e.idempotencyKey as string;
    const at = first.get(key);
    if (at === undefined) first.set(key, index);
    else if (!same(events[at] as NewLedgerEvent, e)) {
      return {
        index,
        detail: `idempotency key "${key}" is also the key of event ${at} of this request, another event: give each event its own key`,
      };
    }
  }
  const before = await store.eventsByIdempotencyKeys(keyed.map(([, e]) => e.idempotencyKey as string));
  for (const [index, e] of keyed) {
    const was = before.get(e.idempotencyKey as string);
    if (was === undefined) continue;
    if (!same(was, e)) {
      return {
        index,
        detail: `idempotency key "${e.idempotencyKey}" was used for another event (seq ${was.seq}, ${was.type} of ${was.at}): use a new key for a new event`,
      };
    }
  }
  return null;
}

/**
 * Why an event may not bring its own `evidence.movedFrom`: an import writes it from an exported line's checked hash,
 * and later imports recognise the acts stored here by it (event-origins.ts); a forged one could pass a line off as
 * stored already.
 */
export const MOVED_FROM_IS_ASSENTS =
  'is written by Assent when it moves an exported event (assent export, then import), not sent with an event';

/**
 * Appends events after tying their evidence to the stored consent wording: an `evidence.textId` must name a stored
 * text, and its SHA-256 is recorded with the event (a given `textSha256` must match), so the proof says exactly
 * which words the person saw.
 */
export async function recordEvents(
  store: Store,
  events: readonly NewLedgerEvent[],
  /** The import's batch writer, moving exported events: it writes their `evidence.movedFrom` itself. */
  moving = false,
): Promise<LedgerEvent[]> {
  const texts = new Map<string, string | null>();
  const proven: NewLedgerEvent[] = [];
  for (const [i, e] of events.entries()) {
    if (!moving && e.evidence?.movedFrom !== undefined) {
      throw new StoreError(
        'INVALID',
        `event ${i}: evidence.movedFrom ${MOVED_FROM_IS_ASSENTS}`,
        `/events/${i}/evidence/movedFrom`,
      );
    }
    // Merges, erasures and rectifications are recorded by the operations that make them, never sent in: a forged
    // one could claim what was not done, or carry the values a rectification record must not keep.
    if (isRecordType(e.type)) {
      throw new StoreError(
        'INVALID',
        `event ${i}: ${e.type} is recorded by Assent itself when it happens (${RECORDED_BY[e.type]}), not sent as an event`,
        `/events/${i}/type`,
      );
    }
    const textId = e.evidence?.textId;
    if (textId === undefined) {
      proven.push(e);
      continue;
    }
    if (!texts.has(textId)) texts.set(textId, (await store.getConsentText(textId))?.sha256 ?? null);
    const sha = texts.get(textId);
    if (sha === null || sha === undefined) {
      throw new StoreError(
        'INVALID',
        `event ${i}: evidence.textId "${textId}" is not a stored consent text (assent texts add)`,
        `/events/${i}/evidence/textId`,
      );
    }
    if (e.evidence?.textSha256 !== undefined && e.evidence.textSha256 !== sha) {
      throw new StoreError(
        'INVALID',
        `event ${i}: evidence.textSha256 does not match the stored text "${textId}"`,
        `/events/${i}/evidence/textSha256`,
      );
    }
    proven.push({ ...e, evidence: { ...e.evidence, textSha256: sha } });
  }
  return store.appendEvents(proven);
}

/**
 * The field of an event (`recordedBy`, `idempotencyKey`) that quotes one of the person's identifiers, with which, or
 * null. Both enter the ledger's chain as they are: kept for good, erasure included, they must not hold what an
 * erasure removes (GDPR art. 5(1)(c), 17(1)); the evidence, chained by its hash, is the place for how the act came.
 */
export function quotedInEvent(
  e: Pick<NewLedgerEvent, 'recordedBy' | 'idempotencyKey'>,
  identifiers: readonly Identifier[],
): { field: 'recordedBy' | 'idempotencyKey'; detail: string } | null {
  for (const field of ['recordedBy', 'idempotencyKey'] as const) {
    const text = e[field];
    const quoted = typeof text === 'string' ? identifiers.find((i) => quotes(text, i)) : undefined;
    if (quoted !== undefined) {
      return {
        field,
        detail: `quotes the contact's ${quoted.kind}: it is chained in the ledger and kept for good, erasure included (GDPR art. 5(1)(c), 17(1)); use an id or a description`,
      };
    }
  }
  return null;
}
