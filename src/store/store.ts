import type { Contact, ContactInit, Identifier, IdentifierKind } from '../domain/contact.js';
import type { LedgerEvent, NewLedgerEvent } from '../domain/ledger.js';

/** A versioned consent wording, stored once and referenced by id and SHA-256. */
export interface ConsentText {
  id: string;
  key: string;
  version: string;
  language: string;
  body: string;
  sha256: string;
  createdAt: string;
}

export type ContactPatch = Partial<Pick<ContactInit, 'type' | 'address' | 'timeZone' | 'region' | 'jurisdiction'>> & {
  add?: Identifier[];
};

/** The first broken link of the ledger chain, or null when every event is where and what it was. */
export interface LedgerCheck {
  events: number;
  head: string;
  broken: null | { seq: number; id: string | null; problem: string };
}

/** Persistence behind one small interface, shaped around the domain (one implementation per SQL dialect). */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: everything it writes lands, or nothing does. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  createContact(init: ContactInit): Promise<Contact>;
  updateContact(id: string, patch: ContactPatch): Promise<Contact>;
  /** By id or any identifier (normalised first); merged contacts resolve to the one they were merged into. */
  findContact(
    by: { id: string } | { kind: IdentifierKind; value: string; jurisdiction?: string },
  ): Promise<Contact | null>;
  /** Merges `from` into `into`: identifiers move, both ledgers become `into`'s history, nothing is lost. */
  mergeContacts(into: string, from: string, recordedBy: string): Promise<Contact>;

  /** Appends events in order to the chained ledger; an event whose idempotency key exists is skipped. */
  appendEvents(events: readonly NewLedgerEvent[]): Promise<LedgerEvent[]>;
  /** A contact's events (and those of contacts merged into it), in ledger order. */
  historyOf(contactId: string): Promise<LedgerEvent[]>;
  historiesOf(contactIds: readonly string[]): Promise<Map<string, LedgerEvent[]>>;
  /** Walks the chain from the first event and names the first broken link. */
  verifyLedger(): Promise<LedgerCheck>;

  putConsentText(text: { key: string; version: string; language: string; body: string }): Promise<ConsentText>;
  getConsentText(id: string): Promise<ConsentText | null>;
  listConsentTexts(): Promise<ConsentText[]>;

  close(): Promise<void>;
}

/** Storage failures with a stable code (mapped to exit codes and HTTP statuses by the adapters). */
export class StoreError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT' | 'INVALID',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}
