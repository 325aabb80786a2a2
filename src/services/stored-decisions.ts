import type { Contact, IdentifierKind } from '../domain/contact.js';
import { IdentifierError } from '../domain/contact.js';
import type { LedgerEvent } from '../domain/ledger.js';
import { type DecisionOrError, decide, invalidRequest } from '../policy/decide.js';
import type { PackRegistry } from '../policy/evaluate.js';
import type { Store } from '../store/store.js';

const LOOKUPS: readonly [string, IdentifierKind | 'id'][] = [
  ['id', 'id'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['externalId', 'external'],
];

/** A request naming a stored contact (`{"contact": {"email": …}}`) rather than carrying its history. */
export function isStoredRequest(raw: unknown): raw is { contact: Record<string, unknown> } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as Record<string, unknown>;
  const c = r.contact;
  return r.history === undefined && typeof c === 'object' && c !== null && LOOKUPS.some(([k]) => k in c);
}

/** The contract's history, from a contact's ledger (merge records are bookkeeping, not history). */
export function historyFromLedger(events: readonly LedgerEvent[]): Record<string, unknown>[] {
  return events.filter((e) => e.type !== 'contact.merged').map((e) => ({ ...e.data, at: e.at, type: e.type }));
}

/**
 * Decides for a stored contact: the engine is fed the contact's type, address, jurisdiction and ledger history.
 * The request's own `jurisdiction`, `lists` and `directory` are kept; `at` defaults to now.
 */
export async function decideStored(
  raw: { contact: Record<string, unknown> } & Record<string, unknown>,
  store: Store,
  packs: PackRegistry,
  now: () => Date,
): Promise<DecisionOrError> {
  const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? raw.id : null;
  const [field, kind] = LOOKUPS.find(([k]) => k in raw.contact) as [string, IdentifierKind | 'id'];
  const value = raw.contact[field];
  if (typeof value !== 'string' || value.trim() === '') {
    return invalidRequest(id, `contact.${field} must be a non-empty string`, `/contact/${field}`);
  }
  let contact: Contact | null;
  try {
    contact = await store.findContact(
      kind === 'id' ? { id: value } : { kind, value, jurisdiction: String(raw.jurisdiction ?? 'FR') },
    );
  } catch (error) {
    if (error instanceof IdentifierError)
      return invalidRequest(id, `contact.${field}: ${error.message}`, `/contact/${field}`);
    throw error;
  }
  if (contact === null) {
    return {
      id,
      error: {
        code: 'CONTACT_NOT_FOUND',
        message: `no stored contact with ${field} ${value}`,
        path: `/contact/${field}`,
      },
    };
  }
  const history = historyFromLedger(await store.historyOf(contact.id));
  return decide(
    {
      ...raw,
      jurisdiction: raw.jurisdiction ?? contact.jurisdiction,
      at: raw.at ?? now().toISOString(),
      contact: {
        type: contact.type,
        ...(contact.address ? { address: contact.address } : {}),
        ...(contact.timeZone ? { timeZone: contact.timeZone } : {}),
        ...(contact.region ? { region: contact.region } : {}),
        ...(raw.contact.lists !== undefined ? { lists: raw.contact.lists } : {}),
        ...(raw.contact.directory !== undefined ? { directory: raw.contact.directory } : {}),
      },
      history,
    },
    packs,
  );
}
