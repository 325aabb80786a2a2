import type { Channel } from './channels.js';

/** Who receives the message: an individual (B2C) or a professional at a professional address (B2B). */
export type ContactType = 'individual' | 'professional';
/** A professional address: a named person's (jane.doe@) or a generic role (contact@, info@). */
export type AddressKind = 'named' | 'generic';
export type DirectoryStatus = 'listed' | 'starred' | 'unlisted';
export type Scope = 'own' | 'partners';
export type Sender = 'own' | 'partner';

/** The acts about prospecting on a channel: each names its channel, and a purpose (none: every purpose). */
const CHANNEL_EVENTS = [
  'consent.given',
  'consent.requested',
  'consent.confirmed',
  'consent.refused',
  'consent.withdrawn',
  'objection',
] as const;

export const EVENT_TYPES = [
  'data.collected',
  ...CHANNEL_EVENTS,
  'account.created',
  'purchase',
  'contract.started',
  'contract.ended',
  'interaction',
  'message.opened',
  'call',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const CHANNEL_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>(CHANNEL_EVENTS);

/**
 * The acts of the person's relationship with us: a sale, a contract, an account, a contact from them. The client
 * exception and the retention clock read them; an access report lists them as a category of data.
 */
export const RELATIONSHIP_EVENT_TYPES: ReadonlySet<EventType> = new Set<EventType>([
  'purchase',
  'contract.started',
  'contract.ended',
  'account.created',
  'interaction',
]);

/** The fields a history event may carry besides `type` and `at` (decision contract, "History events"). */
export const HISTORY_EVENT_FIELDS = [
  'channel',
  'purpose',
  'scope',
  'partners',
  'method',
  'source',
  'provider',
  'informed',
  'kind',
  'outcome',
  'contract',
  'category',
] as const;

export const CONSENT_METHODS = ['checkbox', 'double_opt_in', 'written', 'recorded_call', 'bundled'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];
export const DATA_SOURCES = ['direct', 'acquired', 'public'] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/**
 * Whether a `data.collected` came from a third party or a public source (a rule's `when.source: 'indirect'`). Any
 * other, `direct` or none said, is our own collection from the person: the stricter reading, since it needs the
 * person informed at collection. Small enough for the engine's hot path to inline.
 */
export function isIndirectSource(source: unknown): source is 'acquired' | 'public' {
  return source === 'acquired' || source === 'public';
}
export const INTERACTION_KINDS = ['click', 'reply', 'request', 'visit'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];
export const CALL_OUTCOMES = ['answered', 'no_answer', 'refused'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * A history event's purpose as written: absent, null or "*" (the channels' word for "all") cover every purpose.
 * Returns the one purpose it names, or null for every purpose.
 */
export function eventPurpose(recorded: unknown): string | null {
  return typeof recorded === 'string' && recorded !== '*' ? recorded : null;
}

/** The scope of the consent a message needs: a partner's message needs a consent to partners. */
export function messageScope(message: Pick<MessageInput, 'sender'>): Scope {
  return message.sender === 'partner' ? 'partners' : 'own';
}

/**
 * A history event's scope as written: `partners` when it says so, or when it names partners without saying (a
 * consent that lists partners is a consent to partners); `own` otherwise.
 */
export function eventScope(recorded: unknown, partners: unknown): Scope {
  if (recorded === 'partners' || recorded === 'own') return recorded;
  return Array.isArray(partners) && partners.length > 0 ? 'partners' : 'own';
}

/** A history event after validation: times in epoch ms, channels as a bit mask (0 for events without one). */
export interface HistoryEvent {
  at: number;
  type: EventType;
  channels: number;
  /** null: every purpose. */
  purpose: string | null;
  scope: Scope;
  partners: readonly string[] | null;
  method: ConsentMethod | null;
  source: DataSource | null;
  provider: string | null;
  informed: boolean | null;
  kind: InteractionKind | null;
  outcome: CallOutcome | null;
  contract: string | null;
  category: string | null;
}

export interface Offer {
  similarToPurchases: boolean;
  relatedToProfession: boolean;
  relatedToContract: boolean;
  sector: string | null;
}

export interface MessageInput {
  channel: Channel;
  purpose: string;
  sender: Sender;
  partner: string | null;
  offer: Offer;
}

export interface ListEntry {
  /** Lower-case list name: bloctel, robinson, ecg, tps… */
  name: string;
  /** When the address or number was put on the list, epoch ms; null if unknown (the list then binds at once). */
  since: number | null;
  /**
   * The date of the list file that holds it, epoch ms, when the registration date is unknown (screening against an
   * imported list): the registration is no later, so a consent after it came after the registration. Never a
   * registration date: a grace period for new registrations does not run from it.
   */
  asOf: number | null;
}

export interface ContactInput {
  type: ContactType;
  /** Only for professionals; defaults to named, the stricter reading. */
  address: AddressKind;
  lists: readonly ListEntry[];
  directory: DirectoryStatus | null;
  /** IANA time zone of the recipient (Assent addition); the jurisdiction's default when absent. */
  timeZone: string | null;
  /** ISO 3166-2 subdivision (Assent addition), for regional public holidays: FR-57, FR-974… */
  region: string | null;
  /**
   * When the controller first recorded the person, epoch ms (Assent addition; stored contacts: when they were
   * stored): where the history holds no dated active contact, the retention period runs from it.
   */
  recordedSince: number | null;
}

/** A validated decision request. History is sorted by time (ties: negative events last). */
export interface DecisionRequest {
  id: string | number | null;
  jurisdiction: string;
  at: number;
  /**
   * The UTC offset `at` was written with, in minutes east of UTC (Assent addition); null for `Z` or a date. Calling
   * hours read it as the recipient's local time when nothing else says where they are and it is one of the
   * country's own offsets at that instant.
   */
  atOffset: number | null;
  message: MessageInput;
  contact: ContactInput;
  history: readonly HistoryEvent[];
}
