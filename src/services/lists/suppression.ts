// The company suppression list (issue #6; docs/lists.md). Only SHA-256 hashes of normalised identifiers are kept:
// a person who was erased (GDPR art. 17) or objected (GDPR art. 21) is no longer stored, yet a re-imported or bought
// list that brings their email or phone back is recognised and never contacted again (CNIL). A hash of a phone
// number is pseudonymous, not anonymous (the space of numbers is small enough to enumerate): it is personal data
// kept for the single purpose of honouring the objection.

import {
  type Contact,
  type ContactInit,
  canonicalEmail,
  IDENTIFIER_KINDS,
  IdentifierError,
  type IdentifierKind,
  identifiersOf,
  mainlandForm,
  normalizeEmail,
  normalizePhoneOf,
} from '../../domain/contact.js';
import { sha256 } from '../../domain/ledger.js';
import type { SuppressionLift } from '../../store/lists.js';
import { type Store, StoreError } from '../../store/store.js';

export const SUPPRESSION_REASONS = ['erased', 'objection'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];
export type SuppressibleKind = 'email' | 'phone';

/**
 * SHA-256 (hex) of `kind:value` in its suppression form (`suppressionForm`), the value already normalised (E.164
 * phone, lower-cased email, folded postal address, CRM id). An erasure suppresses every kind: a bought postal list or
 * a CRM re-sync by its id would otherwise bring the person back.
 */
export function suppressionHash(kind: IdentifierKind, normalisedValue: string): string {
  return sha256(`${kind}:${suppressionForm(kind, normalisedValue)}`);
}

/**
 * An identifier as the suppression list compares it, looser than the stored form: the same person written another
 * way must not come back (GDPR art. 17, 21(3)). An email compatibility-folded (NFKC: full-width or styled letters,
 * decomposed accents) with its domain read as DNS reads it (UTS #46: ｅxample.fr is example.fr, and xn--exmple-cua.fr
 * is exämple.fr); a postal address with its punctuation as spaces ("12 rue de la Paix, 75002 Paris" is "12 rue de la
 * Paix - 75002 Paris"); a CRM id composed (NFC). Phone numbers are E.164 already.
 */
export function suppressionForm(kind: IdentifierKind, value: string): string {
  switch (kind) {
    case 'email':
      // Compatibility-folded, then in the stored spelling's form (src/domain/contact.ts).
      return canonicalEmail(value.normalize('NFKC').toLowerCase());
    case 'postal':
      return value
        .normalize('NFKC')
        .toUpperCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
    case 'external':
      return value.normalize('NFC');
    default:
      return value;
  }
}

/**
 * The hashes under which an identifier may be on the suppression list: its suppression form's; that of the value as
 * stored, which entries made before the suppression form are under; and for an overseas department's number
 * (+596 596 …) also that of the +33 form stores used before (hashes cannot be rewritten: `mainlandForm`).
 */
export function suppressionHashes(kind: IdentifierKind, normalisedValue: string): string[] {
  const own = suppressionHash(kind, normalisedValue);
  const stored = sha256(`${kind}:${normalisedValue}`);
  const out = stored === own ? [own] : [own, stored];
  const before = kind === 'phone' ? mainlandForm(normalisedValue) : null;
  if (before !== null) out.push(suppressionHash(kind, before));
  return out;
}

/**
 * The key screening looks a stored postal address up under, in `matches` and `suppressed`: `postal:` and the address
 * as the contact store keeps it (normalizePostal), as stored identifiers are keyed elsewhere (`kind:value`).
 */
export const POSTAL_KEY = 'postal:';

/**
 * A postal address as an opposition list's entry: `postal:` and its suppression form (punctuation as spaces,
 * upper case), so "12 rue de la Paix, 75002 Paris" in a Robinson file matches "12 Rue de la Paix - 75002 PARIS"
 * stored on a contact. Never equal to a phone (E.164) or an email entry. The value already normalised.
 */
export function postalListEntry(normalisedPostal: string): string {
  return `${POSTAL_KEY}${suppressionForm('postal', normalisedPostal)}`;
}

/** The kind of an already normalised identifier: `+…` digits is a phone, anything with `@` an email. */
export function kindOfNormalised(value: string): SuppressibleKind | null {
  if (/^\+[1-9]\d{1,14}$/.test(value)) return 'phone';
  if (value.includes('@')) return 'email';
  return null;
}

/**
 * A raw identifier typed by a person or read from a file, normalised: an email if it has `@`, else a phone number
 * (national numbers read in `country`). Throws IdentifierError on anything else.
 */
export function readEmailOrPhone(raw: string, country: string): { kind: SuppressibleKind; value: string } {
  if (raw.includes('@')) return { kind: 'email', value: normalizeEmail(raw) };
  if (!/\d/.test(raw)) throw new IdentifierError('identifier', `"${raw}" is neither an email nor a phone number`);
  // A French list holds the overseas departments' numbers too (0692 … is a Réunion mobile): read as contacts are.
  return { kind: 'phone', value: normalizePhoneOf(raw, country) };
}

const isIdentifierKind = (kind: string): kind is IdentifierKind =>
  (IDENTIFIER_KINDS as readonly string[]).includes(kind);

/** Takes a person's own identifiers off the suppression list: they came back of their own accord. */
export async function readmit(
  store: Pick<Store, 'liftSuppressions'>,
  identifiers: readonly { kind: string; value: string }[],
  lift: SuppressionLift,
): Promise<void> {
  const hashes = identifiers.flatMap((i) => (isIdentifierKind(i.kind) ? suppressionHashes(i.kind, i.value) : []));
  if (hashes.length > 0) await store.liftSuppressions(hashes, lift);
}

/** Which keys are on the suppression list, each under any of its hashes (suppressionHashes): one query for all. */
export async function suppressedKeysOf<K>(
  store: Pick<Store, 'suppressedAmong'>,
  hashesOf: ReadonlyMap<K, readonly string[]>,
): Promise<Set<K>> {
  if (hashesOf.size === 0) return new Set();
  const on = await store.suppressedAmong([...hashesOf.values()].flat());
  return new Set([...hashesOf].filter(([, hashes]) => hashes.some((h) => on.has(h))).map(([key]) => key));
}

/** Whether an identifier (already normalised) is on the suppression list, under any of its hashes. */
export async function isSuppressed(
  store: Pick<Store, 'suppressedAmong'>,
  kind: IdentifierKind,
  normalisedValue: string,
): Promise<boolean> {
  return (await store.suppressedAmong(suppressionHashes(kind, normalisedValue))).size > 0;
}

/**
 * Refuses to store an email or phone number of the suppression list on a contact (a CRM re-sync re-creating an
 * erased person, an address added to another record), unless `returning`: the person came back of their own
 * accord (a new sign-up), which their new ledger events will prove. Their identifiers then leave the suppression
 * list, which would otherwise keep excluding them from every screening whatever they now agree to; the lift is
 * kept, with how and by whom (`returning`), for the DPO (`suppress check`). Identifiers already normalised. Run it
 * in the transaction that stores the identifiers: a contact that fails to be stored must not lift anything.
 */
export async function assertNotSuppressed(
  store: Pick<Store, 'suppressedAmong' | 'liftSuppressions'>,
  identifiers: readonly { kind: string; value: string }[],
  returning: SuppressionLift | null,
): Promise<void> {
  if (returning !== null) return readmit(store, identifiers, returning);
  const hashes = new Map<string, string>();
  for (const i of identifiers) {
    if (!isIdentifierKind(i.kind)) continue;
    for (const h of suppressionHashes(i.kind, i.value)) hashes.set(h, `${i.kind} ${i.value}`);
  }
  if (hashes.size === 0) return;
  const hit = [...(await store.suppressedAmong([...hashes.keys()]))].map((h) => hashes.get(h));
  if (hit.length > 0) {
    throw new StoreError(
      'CONFLICT',
      `${hit.join(' and ')} ${hit.length > 1 ? 'are' : 'is'} on the company suppression list (erased or objected): not stored; if the person came back themselves, say so (returning)`,
    );
  }
}

/**
 * Stores a new contact unless an identifier of it is on the suppression list, or, `returning`, lifting it (kept with
 * how and by whom): the check, the lift and the store are one transaction, so a contact refused (an identifier of
 * another contact) lifts nothing. The CLI's `contacts add` and the API's `POST /v1/contacts` alike.
 */
export function createContactUnlessSuppressed(
  store: Store,
  init: ContactInit,
  returning: Omit<SuppressionLift, 'at'> | null,
): Promise<Contact> {
  return store.transaction(async (tx) => {
    await assertNotSuppressed(tx, identifiersOf(init), returning && { ...returning, at: new Date().toISOString() });
    return tx.createContact(init);
  });
}
