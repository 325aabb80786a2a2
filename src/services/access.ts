// The answer to an access request (GDPR art. 15): everything Assent holds on one person, in one document.
import type { Contact } from '../domain/contact.js';
import type { LedgerEvent } from '../domain/ledger.js';
import type { RightsRequest } from '../store/recipient-tokens.js';
import type { SendRecord } from '../store/sends.js';
import { type ConsentText, type Store, StoreError } from '../store/store.js';

export interface AccessReport {
  generatedAt: string;
  /** The person's data: identifiers, type, jurisdiction, zone (art. 15(3): a copy of the personal data). */
  contact: Contact;
  /** Where the data came from (art. 15(1)(g)): each collection with its source and provider. */
  sources: { at: string; source: unknown; provider: unknown }[];
  /** Partners the person agreed their data may go to (art. 15(1)(c): recipients). */
  partners: string[];
  /** Purposes named by their consents, refusals and objections (art. 15(1)(a)). */
  purposes: string[];
  /** Every act recorded, with its evidence and hashes: consents, refusals, objections, purchases… */
  events: LedgerEvent[];
  /** The exact wording of each consent text an event cites. */
  consentTexts: ConsentText[];
  /** Every campaign message sent (or attempted) to the person. */
  messages: SendRecord[];
  /** The person's own access and erasure requests. */
  rightsRequests: RightsRequest[];
  /** How long the data is used (art. 15(1)(d)). */
  retention: string;
}

/** Everything held on the contact `id` (a merged record's id gives its survivor). */
export async function accessReport(store: Store, id: string, now: Date): Promise<AccessReport> {
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
    if (Array.isArray(e.data.partners)) for (const p of e.data.partners) if (typeof p === 'string') partners.add(p);
    if (typeof e.data.purpose === 'string') purposes.add(e.data.purpose);
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
    retention:
      'Used for prospecting for 3 years after your last active contact with us (a purchase, a consent, a click, a reply), ' +
      'then no longer; the record of each consent and objection is kept as proof (CNIL, référentiel gestion commerciale).',
  };
}
