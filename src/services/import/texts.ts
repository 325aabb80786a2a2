// Consent texts in an import file: the `{"consentText": {…}}` lines `assent export` writes before the contacts, so
// that events citing a wording (evidence.textId, textSha256) arrive with it.
import { parseInstant } from '../../domain/iso-time.js';
import { sha256 } from '../../domain/ledger.js';
import type { Suppression } from '../../store/lists.js';
import { type Store, StoreError } from '../../store/store.js';
import { SUPPRESSION_REASONS } from '../lists/suppression.js';
import type { RowContext } from './rows.js';

/** Whether an NDJSON value is a consent-text line (its one field is `consentText`). */
export function isConsentTextLine(value: unknown): value is { consentText: unknown } {
  return onlyField(value, 'consentText');
}

/** Whether an NDJSON value is a suppression-list line (its one field is `suppression`). */
export function isSuppressionLine(value: unknown): value is { suppression: unknown } {
  return onlyField(value, 'suppression');
}

/** Whether an NDJSON value is a suppression-list lift line (its one field is `suppressionLift`). */
export function isSuppressionLiftLine(value: unknown): value is { suppressionLift: unknown } {
  return onlyField(value, 'suppressionLift');
}

function onlyField(value: unknown, field: string): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).join() === field;
}

/**
 * Puts an exported suppression-list entry on this database's list (kept as it is if there already: idempotent, a
 * resumed import meets it again unharmed). Only the hash travels: nobody can read the address back from it.
 */
export async function importSuppression(
  store: Store,
  line: { suppression: unknown },
): Promise<{ reason: string } | null> {
  const o = suppressionFields(line.suppression, 'suppression', ['at']);
  if (typeof o === 'string') return { reason: o };
  const entry: Suppression = { hash: o.hash as string, reason: o.reason as Suppression['reason'], at: o.at as string };
  await store.addSuppressions([entry]);
  return null;
}

/**
 * An exported suppression entry's or lift's fields once its hash, reason and instants are checked, or why not (the
 * line's field named: `suppression.at must be …`).
 */
function suppressionFields(
  value: unknown,
  name: string,
  instants: readonly string[],
): Record<string, unknown> | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `${name} must be an object`;
  const o = value as Record<string, unknown>;
  if (typeof o.hash !== 'string' || !/^[0-9a-f]{64}$/.test(o.hash)) {
    return `${name}.hash must be a SHA-256 in lower-case hex (64 characters)`;
  }
  if (typeof o.reason !== 'string' || !(SUPPRESSION_REASONS as readonly string[]).includes(o.reason)) {
    return `${name}.reason must be ${SUPPRESSION_REASONS.join(' or ')}; got ${JSON.stringify(o.reason)}`;
  }
  const out: Record<string, unknown> = { ...o };
  for (const f of instants) {
    const v = o[f];
    const ms = typeof v === 'string' ? parseInstant(v) : null;
    if (typeof ms !== 'number') return `${name}.${f} must be an ISO 8601 instant; got ${JSON.stringify(v)}`;
    // Stored as the store writes its own (UTC, milliseconds): the list's dates are compared and sorted as text, and a
    // lift already kept is found by its instant.
    out[f] = new Date(ms).toISOString();
  }
  return out;
}

/**
 * Keeps the record of a lift made on the exporting database (why a person who had objected or been erased became
 * reachable again there). Only the record: this database's list is left as it is (fail closed: its entry may be
 * newer than the lift). Idempotent: a lift kept already is not kept twice.
 */
export async function importSuppressionLift(
  store: Store,
  line: { suppressionLift: unknown },
): Promise<{ reason: string } | null> {
  const o = suppressionFields(line.suppressionLift, 'suppressionLift', ['suppressedAt', 'at']);
  if (typeof o === 'string') return { reason: o };
  // Any text the exporting database kept: `--by ""` or a long name is stored there, and its record must not be lost
  // in the move (a line missing the field is refused).
  for (const f of ['via', 'by'] as const) {
    const v = o[f];
    if (typeof v !== 'string') return { reason: `suppressionLift.${f} must be a text; got ${JSON.stringify(v)}` };
  }
  await store.addSuppressionLifts([
    {
      hash: o.hash as string,
      reason: o.reason as string,
      suppressedAt: o.suppressedAt as string,
      at: o.at as string,
      via: o.via as string,
      by: o.by as string,
    },
  ]);
  return null;
}

/**
 * Stores the text with its first publication date, or finds it stored already with the same wording (a resumed or repeated import), and makes it
 * citable by the rows after it. Its id and SHA-256 follow from key, version, language and body, as on the source
 * database. A body that does not match the line's own `sha256`, or a stored text of the same id with other
 * wording, is refused: nothing is written then.
 */
export async function importConsentText(
  store: Store,
  line: { consentText: unknown },
  ctx: RowContext,
): Promise<{ reason: string } | { id: string }> {
  const t = line.consentText;
  if (typeof t !== 'object' || t === null || Array.isArray(t)) return { reason: 'consentText must be an object' };
  const o = t as Record<string, unknown>;
  for (const f of ['key', 'version', 'language', 'body'] as const) {
    if (typeof o[f] !== 'string' || (o[f] as string).trim() === '') return { reason: `consentText.${f} is required` };
  }
  const text = {
    key: o.key as string,
    version: o.version as string,
    language: o.language as string,
    body: o.body as string,
  };
  if (o.createdAt !== undefined && (typeof o.createdAt !== 'string' || typeof parseInstant(o.createdAt) !== 'number')) {
    return { reason: `consentText.createdAt must be an ISO 8601 instant; got ${JSON.stringify(o.createdAt)}` };
  }
  if (o.sha256 !== undefined && o.sha256 !== sha256(text.body)) {
    return { reason: 'consentText.sha256 does not match its body: the wording was altered after it was exported' };
  }
  try {
    const stored = await store.putConsentText({
      ...text,
      ...(typeof o.createdAt === 'string' ? { createdAt: o.createdAt } : {}),
    });
    if (o.id !== undefined && o.id !== stored.id) {
      return {
        reason: `consentText.id "${String(o.id)}" is not the id its key, version and language give ("${stored.id}")`,
      };
    }
    ctx.texts.set(stored.id, stored.sha256);
    return { id: stored.id };
  } catch (error) {
    if (error instanceof StoreError) return { reason: error.message };
    throw error;
  }
}
