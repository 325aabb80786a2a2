import { domainToASCII, domainToUnicode } from 'node:url';
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { formatCharacterIn } from './format-characters.js';
import { departmentOfPrefix, numberingPlans } from './overseas.js';
import type { AddressKind, ContactType } from './request.js';

/**
 * The jurisdiction assumed when neither the row, the request nor the command names one: national phone numbers are
 * read in it and its lists are required. Assent was specified for France first.
 */
export const DEFAULT_JURISDICTION = 'FR';

/** How a contact can be found: every identifier is unique across contacts (after normalisation). */
export const IDENTIFIER_KINDS = ['email', 'phone', 'external', 'postal'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/**
 * The fields of a decision request's `contact` that name a stored contact, each with the identifier it is read as
 * (`id` is the contact's own): a request naming one, without a history, is decided on that contact's ledger.
 */
export const CONTACT_LOOKUPS: readonly (readonly [string, IdentifierKind | 'id'])[] = [
  ['id', 'id'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['externalId', 'external'],
];

/** A stored contact. Relationship facts (account, purchases, contracts) live in its ledger, not here. */
export interface Contact {
  id: string;
  type: ContactType;
  /** Professional address kind; null for individuals. */
  address: AddressKind | null;
  /** Whether `address` was detected from the email or set by a person (a setting wins over detection). */
  addressSource: 'detected' | 'set' | null;
  jurisdiction: string;
  timeZone: string | null;
  region: string | null;
  identifiers: Identifier[];
  /** Contacts merged into this one: their ledgers are part of its history. */
  merged: string[];
  createdAt: string;
  updatedAt: string;
  /** Present once the person's data was erased (GDPR art. 17): no identifiers left, the ledger kept as proof. */
  erasedAt?: string;
}

/** A normalisation failure: `field` names the input. */
export class IdentifierError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'IdentifierError';
  }
}

// RFC 5322 dot-atom local part (RFC 6531: letters of any script too), dot-separated DNS labels (RFC 1035: no empty
// label, no hyphen at either end), a top-level label with a letter. No quoted local parts, no IP literals: a
// mailbox for prospecting has neither.
const ATEXT = "[\\p{L}\\p{M}\\p{N}!#$%&'*+/=?^_`{|}~-]";
const LABEL = '[\\p{L}\\p{M}\\p{N}](?:[\\p{L}\\p{M}\\p{N}-]{0,61}[\\p{L}\\p{M}\\p{N}])?';
const EMAIL = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*@(?:${LABEL}\\.)+(?=[^.]*\\p{L})${LABEL}$`, 'u');
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

/**
 * Lower-cased, trimmed email, in one spelling per mailbox: composed (NFC: "é" typed as e + accent is "é") with its
 * domain in DNS's Unicode form (UTS #46: xn--exmple-cva.fr is exémple.fr); throws on something that is not an
 * address, saying why when it can. The same person written two ways would otherwise be two contacts, and an
 * objection recorded under one would not govern the other.
 */
export function normalizeEmail(raw: string): string {
  const email = canonicalEmail(raw.trim().toLowerCase());
  if (INVISIBLE.test(email)) {
    // Shown escaped: the character itself could hide or reorder the rest of the message (U+202E).
    const shown = raw.replace(/[\p{Cc}\p{Cf}]/gu, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`);
    throw new IdentifierError('email', `"${shown}" holds a control or invisible character: not an email address`);
  }
  const at = email.lastIndexOf('@');
  if (!EMAIL.test(email) || email.length > 254 || at > 64) {
    throw new IdentifierError('email', `"${raw}" is not an email address`);
  }
  return email;
}

/** NFC, and the domain as DNS reads it in Unicode; ASCII addresses without an IDN label are already so. */
export function canonicalEmail(email: string): string {
  if (/^[\x20-\x7e]*$/.test(email) && !email.includes('xn--')) return email;
  const composed = email.normalize('NFC');
  const at = composed.lastIndexOf('@');
  if (at < 0) return composed;
  const ascii = domainToASCII(composed.slice(at + 1));
  return ascii === '' ? composed : `${composed.slice(0, at + 1)}${domainToUnicode(ascii)}`;
}

/**
 * An ISO 3166-1 alpha-2 country code, upper-cased (the numbering plans' list of countries serves as the list of
 * codes, so national phone numbers can be read in it), or null (`notACountry` says why; UK is GB).
 */
export function countryCode(raw: string): string | null {
  const code = raw.trim().toUpperCase();
  return /^[A-Z]{2}$/.test(code) && isSupportedCountry(code) ? code : null;
}

/** Why `raw` is not a country code, for an error message. */
export function notACountry(raw: string): string {
  const hint = raw.trim().toUpperCase() === 'UK' ? ' (the United Kingdom is GB)' : ' such as FR';
  return `"${raw}" is not an ISO 3166-1 alpha-2 country code${hint}`;
}

/** E.164 phone number, the jurisdiction as default region; throws on a number that cannot exist. */
export function normalizePhone(raw: string, jurisdiction: string): string {
  // A number this function returned lately is valid E.164, which reads the same in any default region: a
  // screening normalises each audience number, then the stored decision looks it up again (profiled: ~10 %).
  if (recentE164.has(raw)) return raw;
  // The whole value must be the number: libphonenumber-js picks a number out of any text ("call 06… now", "+336…x")
  // and reads what follows `;` or "ext." as an extension, so "06…;06…" kept the first number and dropped the second
  // in silence: a Bloctel entry or an objection lost. Letters and the separators of a second number are refused.
  if (NOT_PHONE_CHARACTERS.test(raw)) {
    throw new IdentifierError(
      'phone',
      `"${raw}" is not a valid phone number: one number per value, digits and the signs it is written with, no letters, extension or second number`,
    );
  }
  const phone = parsePhoneNumberFromString(raw.trim(), jurisdiction.toUpperCase() as never);
  if (phone?.ext !== undefined) {
    throw new IdentifierError(
      'phone',
      `"${raw}" holds more than a phone number (read as ${phone.number} with extension "${phone.ext}"): give one number, without an extension`,
    );
  }
  if (phone === undefined || !phone.isValid()) {
    throw new IdentifierError('phone', `"${raw}" is not a valid phone number (default region ${jurisdiction})`);
  }
  if (recentE164.size >= 50_000) recentE164.clear();
  recentE164.add(phone.number);
  return phone.number;
}

/**
 * A contact's phone number, read in the numbering plans of where they live (src/domain/overseas.ts): the overseas
 * departments have plans of their own. A French contact in one (region FR-974) is read in the department's plan
 * first (0263 … is a Réunion landline that mainland France's plan also accepts), then mainland France's (a Réunion
 * resident may keep an 06 mobile); one of an overseas code (RE) likewise; a French contact without a region in
 * the plan of the department a national number's prefix belongs to (0596 … is Martinique's), else mainland
 * France's, then each department's. Throws the first plan's error.
 */
export function normalizePhoneOf(raw: string, jurisdiction: string, region?: string | null): string {
  // +33 followed by a department's prefix (+33 692 …) is the department's number, which mainland France's plan
  // refuses for most of them (+33 262, 590, 594, 692, 696…).
  const intl = /^\s*(?:\+|00)\s*33[\s.()-]*(\d[\d\s.()-]*)$/.exec(raw);
  const department = intl === null ? null : departmentNumber(`+33${(intl[1] as string).replace(/\D/g, '')}`);
  if (department !== null) return department;
  const plans = numberingPlans(jurisdiction.toUpperCase(), region, raw);
  let first: unknown = null;
  for (const plan of plans) {
    try {
      const e164 = normalizePhone(raw, plan);
      return departmentNumber(e164) ?? e164;
    } catch (error) {
      if (!(error instanceof IdentifierError)) throw error;
      first ??= error;
    }
  }
  throw first;
}

/**
 * The overseas department's E.164 form of a number written as mainland France's (+33 596 61 23 45, which
 * libphonenumber-js also accepts, is +596 596 61 23 45: the prefix 0596 is Martinique's), or null for any other
 * number or one the department's plan does not hold. Stores written before this reading hold the +33 form:
 * migration 0013 rewrites their identifiers and list entries, and `mainlandForm` finds their suppression hashes.
 */
export function departmentNumber(e164: string): string | null {
  if (!/^\+33\d{9}$/.test(e164)) return null;
  const national = `0${e164.slice(3)}`;
  const department = departmentOfPrefix(national.slice(0, 4));
  if (department === undefined) return null;
  const phone = parsePhoneNumberFromString(national, department as never);
  return phone?.isValid() ? phone.number : null;
}

/**
 * The ISO country of an E.164 number's network (+32… BE; an overseas department's +262 692… RE, not FR), or null when
 * it cannot be told: whose short numbers it can text (campaigns' STOP mention).
 */
export function countryOfNumber(e164: string): string | null {
  return parsePhoneNumberFromString(e164)?.country ?? null;
}

/** The national significant number of an E.164 number (+33612345678 → 612345678), or its digits if unparsable. */
export function nationalNumberOf(e164: string): string {
  return parsePhoneNumberFromString(e164)?.nationalNumber ?? e164.replace(/\D/g, '');
}

/** The +33 form a department's number (+596 596 …) had before `departmentNumber`, or null for any other number. */
export function mainlandForm(e164: string): string | null {
  const m = /^\+(262|590|594|596)(\d{9})$/.exec(e164);
  if (m === null) return null;
  const rest = m[2] as string;
  return departmentOfPrefix(`0${rest.slice(0, 3)}`) !== undefined ? `+33${rest}` : null;
}

/**
 * A sender's number as SMS gateways pass it: E.164, E.164 without its "+" (an MSISDN: 32470123456), or a national
 * number of `jurisdiction`. The international reading comes first when it is a valid number: a gateway's digits
 * read nationally would name someone else (32470123456 is no French number; 0470123456 read in France is).
 */
export function normalizeSender(raw: string, jurisdiction: string): string {
  const digits = raw.trim().replace(/[\s().-]/g, '');
  if (/^[1-9]\d{7,14}$/.test(digits)) {
    try {
      return normalizePhone(`+${digits}`, jurisdiction);
    } catch (error) {
      if (!(error instanceof IdentifierError)) throw error;
    }
  }
  return normalizePhoneOf(raw, jurisdiction);
}

/**
 * What a phone number may not hold: a letter (words, "ext", "x", "tel:"), or a separator of two numbers or of an
 * extension (; , # *). Anything else libphonenumber-js reads as it did: full-width digits, Unicode dashes, brackets.
 */
const NOT_PHONE_CHARACTERS = /[\p{L};,#*]/u;

/** Valid E.164 numbers normalizePhone returned lately (bounded: cleared when full). */
const recentE164 = new Set<string>();

/** Postal address folded to compare equal across spacing and case. */
export function normalizePostal(raw: string): string {
  const folded = raw.normalize('NFKC').replace(/\s+/g, ' ').trim().toUpperCase();
  if (folded === '') throw new IdentifierError('postal', 'the postal address is empty');
  checkText('postal', 'the postal address', folded, MAX_POSTAL);
  return folded;
}

export function normalizeExternal(raw: string): string {
  const id = raw.trim().normalize('NFC'); // "é" typed as e + accent is the same id
  if (id === '') throw new IdentifierError('externalId', 'the external id is empty');
  checkText('externalId', 'the external id', id, MAX_EXTERNAL_ID);
  return id;
}

/** The API's limits, for every way in (an import or the CLI too): an identifier is an index key on PostgreSQL. */
export const MAX_EXTERNAL_ID = 200;
export const MAX_POSTAL = 1000;
export const MAX_IDENTIFIER_BYTES = 2000;

function checkText(field: string, what: string, value: string, max: number): void {
  if (value.length > max) {
    throw new IdentifierError(field, `${what} is ${value.length} characters long: at most ${max}`);
  }
  // PostgreSQL's index entries are bounded in bytes (2,704): 1,000 characters of a non-Latin script are more.
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) {
    throw new IdentifierError(field, `${what} is ${bytes} bytes long in UTF-8: at most ${MAX_IDENTIFIER_BYTES}`);
  }
  // NUL and the other C0 controls but tab, and DEL: PostgreSQL refuses NUL in text; none belongs in an identifier.
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
      const code = `\\u${c.toString(16).padStart(4, '0')}`;
      throw new IdentifierError(field, `${what} holds a control character (${code}) at position ${i + 1}`);
    }
  }
  const format = formatCharacterIn(value);
  if (format !== null) {
    throw new IdentifierError(
      field,
      `${what} holds an invisible format character, ${format.character}, at position ${format.position}: it would show otherwise than it is stored`,
    );
  }
}

/** An identifier of any kind normalised as the store keeps it (phone numbers read in the jurisdiction). */
export function normalizeIdentifier(kind: IdentifierKind, value: string, jurisdiction: string): string {
  switch (kind) {
    case 'email':
      return normalizeEmail(value);
    case 'phone':
      return normalizePhoneOf(value, jurisdiction);
    case 'postal':
      return normalizePostal(value);
    default:
      return normalizeExternal(value);
  }
}

/**
 * Role mailboxes of a company rather than a person's (CNIL: generic addresses are a legal person's details).
 * The local part, before any +tag, is compared.
 */
const ROLE_MAILBOXES = new Set([
  'contact',
  'info',
  'infos',
  'information',
  'hello',
  'bonjour',
  'office',
  'admin',
  'administration',
  'accueil',
  'reception',
  'sales',
  'vente',
  'ventes',
  'commercial',
  'support',
  'service',
  'serviceclient',
  'service-client',
  'compta',
  'comptabilite',
  'accounting',
  'billing',
  'facturation',
  'invoices',
  'rh',
  'hr',
  'jobs',
  'recrutement',
  'careers',
  'marketing',
  'communication',
  'presse',
  'press',
  'team',
  'equipe',
  'direction',
  'secretariat',
  'mail',
  'email',
  'post',
  'kontakt',
  'anfrage',
  'buero',
  'büro',
  'verwaltung',
  'webmaster',
  'postmaster',
  'noreply',
  'no-reply',
  'orders',
  'commande',
  'commandes',
  'shop',
  'boutique',
]);

/** `generic` for a role mailbox (contact@, info@…), else `named`. */
export function detectAddressKind(email: string): AddressKind {
  const local = email.slice(0, email.indexOf('@')).split('+')[0] ?? '';
  return ROLE_MAILBOXES.has(local) ? 'generic' : 'named';
}

export interface ContactInit {
  type: ContactType;
  jurisdiction: string;
  address?: AddressKind;
  timeZone?: string;
  region?: string;
  email?: string;
  phone?: string;
  externalId?: string;
  postal?: string;
}

/** Normalised identifiers of a new or updated contact. */
export function identifiersOf(
  init: Pick<ContactInit, 'email' | 'phone' | 'externalId' | 'postal' | 'jurisdiction'> & { region?: string | null },
): Identifier[] {
  const ids: Identifier[] = [];
  if (init.email) ids.push({ kind: 'email', value: normalizeEmail(init.email) });
  if (init.phone) ids.push({ kind: 'phone', value: normalizePhoneOf(init.phone, init.jurisdiction, init.region) });
  if (init.externalId) ids.push({ kind: 'external', value: normalizeExternal(init.externalId) });
  if (init.postal) ids.push({ kind: 'postal', value: normalizePostal(init.postal) });
  return ids;
}
