import { type Channel, identifierKindOf, isChannel } from '../../domain/channels.js';
import {
  countryCode,
  DEFAULT_JURISDICTION,
  IdentifierError,
  normalizeEmail,
  normalizeExternal,
  normalizePhoneOf,
  notACountry,
} from '../../domain/contact.js';

/** One audience row as read: identifier columns and optional per-row channel, purpose and jurisdiction. */
export interface AudienceRow {
  /** Line in the source file (CSV) or 1-based index (API). */
  line: number;
  email?: string | undefined;
  phone?: string | undefined;
  externalId?: string | undefined;
  contactId?: string | undefined;
  channel?: string | undefined;
  purpose?: string | undefined;
  jurisdiction?: string | undefined;
  /** What is wrong with the row's shape as read (a CSV line with more or fewer cells than the header). */
  malformed?: string | undefined;
  /** Every cell of the line is empty (`,,`): excluded as such, not skipped, so every row is accounted for. */
  blank?: boolean | undefined;
}

/** A row ready for the engine: its lookup, normalised identifiers and message. */
export interface PreparedRow {
  channel: Channel;
  purpose: string;
  /** The row's own `jurisdiction` cell, or null: its lists are then those of the stored contact's country. */
  jurisdiction: string | null;
  /** The stored-contact reference for `decideStoredBatch`: one of id, email, phone, externalId. */
  lookup: { field: 'id' | 'email' | 'phone' | 'externalId'; value: string };
  email: string | null;
  phone: string | null;
}

/** A row that cannot be screened, with every reason found (`INVALID_ROW` in the excluded file). */
export interface RowProblem {
  message: string;
}

const present = (v: string | undefined): v is string => v !== undefined && v.trim() !== '';

/** Validates and normalises a row (email lower-cased, phone to E.164 in the row's or default jurisdiction). */
export function prepareRow(
  row: AudienceRow,
  defaults: { channel: Channel; purpose: string; jurisdiction: string | null },
): PreparedRow | RowProblem {
  if (row.blank === true) return { message: 'the row is empty: every cell is blank' };
  const problems: string[] = row.malformed === undefined ? [] : [row.malformed];
  const channel = present(row.channel) ? row.channel.trim().toLowerCase() : defaults.channel;
  if (!isChannel(channel)) problems.push(`channel: "${row.channel}" is not a channel`);
  const purpose = present(row.purpose) ? row.purpose.trim() : defaults.purpose;
  // The row's own jurisdiction, else the screening's (-j), reads its national numbers and names the lists it needs;
  // neither is the law it is decided under: a stored contact's own country's is (stored-decisions.ts).
  let jurisdiction: string | null = null;
  if (present(row.jurisdiction)) {
    const code = countryCode(row.jurisdiction);
    if (code !== null) jurisdiction = code;
    else problems.push(`jurisdiction: ${notACountry(row.jurisdiction)}`);
  }
  const readIn = jurisdiction ?? defaults.jurisdiction ?? DEFAULT_JURISDICTION;
  const email = attempt(problems, () => (present(row.email) ? normalizeEmail(row.email) : null));
  const phone = attempt(problems, () => (present(row.phone) ? normalizePhoneOf(row.phone, readIn) : null));
  const externalId = attempt(problems, () => (present(row.externalId) ? normalizeExternal(row.externalId) : null));
  const contactId = present(row.contactId) ? row.contactId.trim() : null;
  if (problems.length === 0 && email === null && phone === null && externalId === null && contactId === null) {
    problems.push('no identifier: the row needs an email, a phone, an external id or a contact id');
  }
  if (problems.length > 0 || !isChannel(channel)) return { message: problems.join('; ') };
  // The message goes to the row's address for the channel, so the decision is about that address's owner: deciding
  // on the contact a contact_id names and mailing another person's address in the same row would send them a
  // message nobody checked (and the first person's unsubscribe link). Otherwise the order decideStoredBatch reads
  // a stored request in: id, email, phone, externalId.
  const reach = identifierKindOf(channel);
  const lookup =
    reach === 'email' && email !== null
      ? ({ field: 'email', value: email } as const)
      : reach === 'phone' && phone !== null
        ? ({ field: 'phone', value: phone } as const)
        : contactId !== null
          ? ({ field: 'id', value: contactId } as const)
          : email !== null
            ? ({ field: 'email', value: email } as const)
            : phone !== null
              ? ({ field: 'phone', value: phone } as const)
              : ({ field: 'externalId', value: externalId as string } as const);
  return { channel, purpose, jurisdiction, lookup, email, phone };
}

function attempt(problems: string[], fn: () => string | null): string | null {
  try {
    return fn();
  } catch (error) {
    if (!(error instanceof IdentifierError)) throw error;
    problems.push(`${error.field}: ${error.message}`);
    return null;
  }
}
