// What a contact's fields and identifiers must be before they are stored.
import type { Kysely, Transaction } from 'kysely';
import { type ContactInit, countryCode, type Identifier, notACountry } from '../domain/contact.js';
import { pastInstant } from '../domain/iso-time.js';
import { isTimeZone } from '../domain/parse-request.js';
import { regionProblem } from '../domain/regions.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A contact's jurisdiction must name a country (a typo would leave it decided UNSUPPORTED_JURISDICTION forever). */
function checkCountry(jurisdiction: string): void {
  if (countryCode(jurisdiction) === null) {
    throw new StoreError('INVALID', `jurisdiction: ${notACountry(jurisdiction)}`, '/jurisdiction');
  }
}

/**
 * The fields a decision reads, checked before they are stored: a contact stored with a type, zone or region the
 * engine cannot read would answer INVALID_REQUEST to every decision, and never expire (whatever path stores it).
 */
export function checkFields(
  f: Partial<Pick<ContactInit, 'type' | 'address' | 'jurisdiction'>> & {
    timeZone?: string | null;
    region?: string | null;
  },
): void {
  if (f.jurisdiction !== undefined) checkCountry(f.jurisdiction);
  const bad = (field: string, message: string): never => {
    throw new StoreError('INVALID', `${field} ${message}`, `/${field}`);
  };
  if (f.type !== undefined && f.type !== 'individual' && f.type !== 'professional') {
    bad('type', `must be individual or professional; got "${f.type}"`);
  }
  if (f.address !== undefined && f.address !== null && f.address !== 'named' && f.address !== 'generic') {
    bad('address', `must be named or generic; got "${f.address}"`);
  }
  if (f.timeZone !== undefined && f.timeZone !== null && !isTimeZone(f.timeZone)) {
    bad('timeZone', `is not an IANA time zone (Europe/Paris, America/New_York…); got "${f.timeZone}"`);
  }
  // A change of region alone is checked by updateContact, against the jurisdiction stored.
  if (f.jurisdiction !== undefined) checkRegion(f.jurisdiction, f.region);
}

/** A region of the contact's jurisdiction, which its rule pack knows (domain/regions.ts). */
export function checkRegion(jurisdiction: string, region: string | null | undefined): void {
  if (region === undefined || region === null) return;
  const problem = regionProblem(jurisdiction, region);
  if (problem !== null) throw new StoreError('INVALID', `region ${problem}`, '/region');
}

/** A carried-over contact's first-record instant as stored (UTC, milliseconds); refused when not a past instant. */
export function recordedAt(given: string): string {
  const ms = pastInstant(given, Date.now());
  if (typeof ms === 'string') throw new StoreError('INVALID', `createdAt ${ms}; got "${given}"`, '/createdAt');
  return new Date(ms).toISOString();
}

/** Refuses identifiers that already belong to another contact, naming both. */
export async function assertFree(db: Db, identifiers: readonly Identifier[], owner: string | null): Promise<void> {
  for (const i of identifiers) {
    const hit = await db
      .selectFrom('identifiers')
      .select('contact_id')
      .where('kind', '=', i.kind)
      .where('value', '=', i.value)
      .executeTakeFirst();
    if (hit !== undefined && hit.contact_id !== owner) {
      throw new StoreError('CONFLICT', `${i.kind} ${i.value} already belongs to contact ${hit.contact_id}`);
    }
  }
}
