// The answer to an access request (GDPR art. 15): everything Assent holds on one person, in one document.
import type { Contact } from '../domain/contact.js';
import type { LedgerEvent } from '../domain/ledger.js';
import { CHANNEL_EVENT_TYPES, type EventType } from '../domain/request.js';
import { decideOnHistory } from '../policy/decide.js';
import type { PackRegistry, TraceEntry } from '../policy/evaluate.js';
import type { RightsRequest } from '../store/recipient-tokens.js';
import type { SendRecord } from '../store/sends.js';
import { type ConsentText, type Store, StoreError } from '../store/store.js';
import { suppressionHashes } from './lists/suppression.js';
import { engineContact, parsedHistory } from './stored-decisions.js';

export interface AccessReport {
  generatedAt: string;
  /** The person's data: identifiers, type, jurisdiction, zone (art. 15(3): a copy of the personal data). */
  contact: Contact;
  /** Where the data came from (art. 15(1)(g)): each collection with its source and provider. */
  sources: { at: string; source: unknown; provider: unknown }[];
  /** Partners the person agreed their data may go to (art. 15(1)(c): recipients). */
  partners: string[];
  /** Purposes named by their consents, refusals and objections (art. 15(1)(a)); `*`: one of them covers all. */
  purposes: string[];
  /** Every act recorded, with its evidence and hashes: consents, refusals, objections, purchases… */
  events: LedgerEvent[];
  /** The exact wording of each consent text an event cites. */
  consentTexts: ConsentText[];
  /** Every campaign message sent (or attempted) to the person. */
  messages: SendRecord[];
  /** The person's own access and erasure requests. */
  rightsRequests: RightsRequest[];
  /** How long the data is used (art. 15(1)(d)): the rule of the person's jurisdiction, judged on their ledger today. */
  retention: string;
  /** Double opt-in confirmations asked for (where sent, when, and what became of them); no token. */
  consentRequests: {
    via: string;
    destination: string;
    status: string;
    requestedAt: string;
    expiresAt: string;
    settledAt: string | null;
  }[];
  /** The person's identifiers that are on the company suppression list (never contacted again). */
  suppressed: { kind: string; value: string }[];
}

/** Everything held on the contact `id` (a merged record's id gives its survivor). */
export async function accessReport(store: Store, packs: PackRegistry, id: string, now: Date): Promise<AccessReport> {
  const contact = await store.findContact({ id });
  if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${id}`);
  const events = await store.historyOf(contact.id);
  const textIds = new Set<string>();
  const partners = new Set<string>();
  const purposes = new Set<string>();
  const sources: AccessReport['sources'] = [];
  for (const e of events) {
    const textId = e.evidence?.textId;
    if (typeof textId === 'string') textIds.add(textId);
    if (e.type === 'data.collected')
      sources.push({ at: e.at, source: e.data.source, provider: e.data.provider ?? null });
    // Recipients (art. 15(1)(c)): the partners the person agreed to; one they refused never got the data.
    const agreed = e.type === 'consent.given' || e.type === 'consent.confirmed';
    if (agreed && Array.isArray(e.data.partners))
      for (const p of e.data.partners) if (typeof p === 'string') partners.add(p);
    if (typeof e.data.purpose === 'string') purposes.add(e.data.purpose);
    // A consent, refusal or objection that names no purpose covers them all: the person is told so (art. 15(1)(a)).
    else if (CHANNEL_EVENT_TYPES.has(e.type as EventType)) purposes.add('*');
  }
  const consentTexts: ConsentText[] = [];
  for (const t of [...textIds].sort()) {
    const text = await store.getConsentText(t);
    if (text !== null) consentTexts.push(text);
  }
  const ids = [contact.id, ...contact.merged];
  const messages: SendRecord[] = [];
  const rightsRequests: RightsRequest[] = [];
  for (const contactId of ids) {
    messages.push(...(await store.listSends({ contactId, limit: 100_000 })));
    rightsRequests.push(...(await store.listRightsRequests({ contactId, limit: 1_000 })));
  }
  messages.sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
  const consentRequests = (await store.consentRequestsOf(ids)).map((r) => ({
    via: r.via,
    destination: r.destination,
    status: r.status,
    requestedAt: r.requestedAt,
    expiresAt: new Date(r.expiresMs).toISOString(),
    settledAt: r.settledAt,
  }));
  const onList = await store.suppressedAmong(contact.identifiers.flatMap((i) => suppressionHashes(i.kind, i.value)));
  const suppressed = contact.identifiers.filter((i) => suppressionHashes(i.kind, i.value).some((h) => onList.has(h)));
  return {
    generatedAt: now.toISOString(),
    contact,
    sources,
    partners: [...partners].sort(),
    purposes: [...purposes].sort(),
    events,
    consentTexts,
    messages,
    rightsRequests,
    retention: retentionOf(contact, events, packs, now),
    consentRequests,
    suppressed,
  };
}

const PROOF_KEPT =
  'The record of each consent and objection is kept as proof after the rest is erased (GDPR art. 17(3)(e)).';

/**
 * The retention rule of the person's pack as a prospecting email today would meet it (FR: 3 years after the last
 * active contact), with this person's dates: the same reading as the decisions and the retention purge.
 */
function retentionOf(contact: Contact, events: readonly LedgerEvent[], packs: PackRegistry, now: Date): string {
  // Erased: nothing is used any more, whatever the ledger's dates would allow.
  if (contact.erasedAt !== undefined) {
    return `Erased on ${contact.erasedAt.slice(0, 10)}: no longer used for prospecting. ${PROOF_KEPT}`;
  }
  const trace: TraceEntry[] = [];
  const history = parsedHistory(events);
  if (Array.isArray(history)) {
    const request = { jurisdiction: contact.jurisdiction, at: now.toISOString(), message: { channel: 'email' } };
    decideOnHistory({ ...request, contact: engineContact(contact) }, history, packs, { trace });
  }
  const entry = trace.find((t) => t.rule.check === 'retention');
  if (entry === undefined) {
    const why = !Array.isArray(history)
      ? `Your history could not be read (${(history as { message: string }).message}): ask our data-protection officer how long your data is kept.`
      : contact.type === 'professional' && contact.address === 'generic'
        ? 'This is a generic business address (not a person’s): no retention period applies to it.'
        : `No fixed period in the rules applied to ${contact.jurisdiction}: the data is used while the prospecting lasts, and erased on request.`;
    return `${why} ${PROOF_KEPT}`;
  }
  const { years } = entry.rule.params as { years: number };
  return `Used for prospecting for ${years} years after your last active contact with us (a purchase, a consent, a reply), then no longer used and erased: ${entry.message}. ${PROOF_KEPT} (${entry.rule.ref})`;
}
