// Erasure (GDPR art. 17): the person's identifiers go, their hashes join the company suppression list so that a
// re-imported or bought file never brings them back, and the ledger keeps the record of each consent and opt-out
// (art. 17(3)(e): proof for legal claims; CNIL: keep the proof of consent and of objection), plus the erasure itself.
import type { Store } from '../store/store.js';
import { StoreError } from '../store/store.js';
import { type SuppressionReason, suppressionHash } from './lists/suppression.js';

export interface Erasure {
  contactId: string;
  erasedAt: string;
  /** False when the contact was erased before: nothing more was done. */
  erasedNow: boolean;
  identifiersRemoved: number;
  /** Emails and phone numbers added to the suppression list (the other identifiers are not contact channels). */
  suppressed: number;
}

export async function eraseContact(
  store: Store,
  contactId: string,
  o: {
    at: Date;
    recordedBy: string;
    reason?: string;
    /** Why the emails and phones join the suppression list (default `erased`); null: they do not (a retention purge). */
    suppress?: SuppressionReason | null;
  },
): Promise<Erasure> {
  return store.transaction(async (tx) => {
    const contact = await tx.findContact({ id: contactId });
    if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${contactId}`);
    if (contact.erasedAt !== undefined) {
      return {
        contactId: contact.id,
        erasedAt: contact.erasedAt,
        erasedNow: false,
        identifiersRemoved: 0,
        suppressed: 0,
      };
    }
    const at = o.at.toISOString();
    const removed = await tx.eraseContact(contact.id, at);
    const reason = o.suppress === undefined ? 'erased' : o.suppress;
    const hashes = removed.flatMap((i) =>
      reason !== null && (i.kind === 'email' || i.kind === 'phone')
        ? [{ hash: suppressionHash(i.kind, i.value), reason, at }]
        : [],
    );
    if (hashes.length > 0) await tx.addSuppressions(hashes);
    await tx.appendEvents([
      {
        contactId: contact.id,
        type: 'contact.erased',
        at,
        data: { identifiers: removed.length, suppressed: hashes.length, ...(o.reason ? { reason: o.reason } : {}) },
        recordedBy: o.recordedBy,
      },
    ]);
    return {
      contactId: contact.id,
      erasedAt: at,
      erasedNow: true,
      identifiersRemoved: removed.length,
      suppressed: hashes.length,
    };
  });
}
