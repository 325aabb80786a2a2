// Who a campaign row is, where the message goes, and how their details were obtained (for the source mention).
import type { Channel } from '../../domain/channels.js';
import type { Contact } from '../../domain/contact.js';
import { DEFAULT_JURISDICTION } from '../../domain/contact.js';
import type { DecisionEvent } from '../../domain/ledger.js';
import { isIndirectSource } from '../../domain/request.js';
import type { Store } from '../../store/store.js';
import type { PreparedRow } from '../screening/rows.js';
import type { RenderContext } from './templates.js';

export async function findContact(store: Store, p: PreparedRow): Promise<Contact | null> {
  const { field, value } = p.lookup;
  if (field === 'id') return store.findContact({ id: value });
  return store.findContact({
    kind: field === 'externalId' ? 'external' : field,
    value,
    jurisdiction: p.jurisdiction ?? DEFAULT_JURISDICTION,
  });
}

/** The row's address for the channel, else the stored contact's. */
export function addressOf(channel: Channel, p: PreparedRow, contact: Contact): string | null {
  const kind = channel === 'email' ? 'email' : 'phone';
  const own = kind === 'email' ? p.email : p.phone;
  return own ?? contact.identifiers.find((i) => i.kind === kind)?.value ?? null;
}

/**
 * Acts of the person's own by which they gave us their details themselves. Not a click or a visit: those prove we
 * had the address, not who gave it.
 */
const OWN_ACTS = new Set([
  'consent.given',
  'consent.requested',
  'consent.confirmed',
  'consent.refused',
  'purchase',
  'contract.started',
  'account.created',
]);
const GIVING_INTERACTIONS = new Set(['request', 'reply']);

/**
 * How the details were obtained: directly when the ledger has a `data.collected` of ours (the person gave them to
 * us, even if a list bought later held them too: as the engine's DISCLOSE_DATA_SOURCE reads it), else its latest
 * `data.collected`; without one, from the person when they acted themselves (a consent, a purchase…), else unknown —
 * "collected directly from you" would then be a guess.
 */
export function sourceOf(history: readonly DecisionEvent[]): RenderContext['source'] {
  const own = (e: DecisionEvent) => e.type === 'data.collected' && !isIndirectSource(e.data.source);
  if (history.some(own)) return { kind: 'direct', provider: null };
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i] as DecisionEvent;
    if (e.type !== 'data.collected') continue;
    const source = e.data.source;
    const provider = typeof e.data.provider === 'string' && e.data.provider !== '' ? e.data.provider : null;
    if (isIndirectSource(source)) return { kind: source, provider };
    return { kind: 'direct', provider: null };
  }
  const gave = history.some(
    (e) =>
      OWN_ACTS.has(e.type) ||
      (e.type === 'interaction' && typeof e.data.kind === 'string' && GIVING_INTERACTIONS.has(e.data.kind)),
  );
  return { kind: gave ? 'direct' : 'unknown', provider: null };
}
