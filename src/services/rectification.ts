// Rectification (GDPR art. 16): a contact's fields change, identifiers are added or removed (a wrong or former email,
// a number given back to the operator), and the ledger records that it happened — the kinds of identifier added and
// removed and the names of the fields changed, never their values: the record of a correction must not keep the data
// it corrected (art. 5(1)(d)), and it is the proof of who changed what when (art. 5(2)).
import type { Contact } from '../domain/contact.js';
import type { ContactPatch, Store } from '../store/store.js';
import { StoreError } from '../store/store.js';
import { refusePersonalData } from './identifier-quotes.js';
import { assertNotSuppressed } from './lists/suppression.js';

const FIELDS = ['type', 'address', 'jurisdiction', 'timeZone', 'region'] as const;

export interface Rectification {
  recordedBy: string;
  /** Why: the rights request id, "wrong address"… kept in the ledger. */
  reason?: string;
  /**
   * The person came back themselves: an added email or phone of the suppression list is stored anyway, and the lift
   * kept with `via` (`PATCH /v1/contacts/{id}?returning=true`, `contacts set --returning`) and `recordedBy`.
   */
  returning?: { via: string };
}

/**
 * Applies a patch in one transaction. Identifiers already held are not added twice; an added email or phone of the
 * suppression list is refused unless `returning`. A `contact.rectified` event is appended when anything changes.
 */
export async function rectifyContact(
  store: Store,
  contactId: string,
  patch: ContactPatch,
  o: Rectification,
): Promise<Contact> {
  return store.transaction(async (tx) => {
    const current = await tx.findContact({ id: contactId });
    if (current === null) throw new StoreError('NOT_FOUND', `no contact ${contactId}`);
    const owned = new Set(current.identifiers.map((i) => `${i.kind}:${i.value}`));
    const added = [...new Map((patch.add ?? []).map((i) => [`${i.kind}:${i.value}`, i])).values()].filter(
      (i) => !owned.has(`${i.kind}:${i.value}`),
    );
    const at = new Date().toISOString();
    await assertNotSuppressed(tx, added, o.returning ? { at, via: o.returning.via, by: o.recordedBy } : null);
    // Removed identifiers are among the current ones; any other address or number is refused too.
    refusePersonalData(
      o.reason,
      'reason',
      [...current.identifiers, ...added],
      'and must not keep the data it corrects',
    );
    const updated = await tx.updateContact(contactId, patch);
    const removed = patch.remove ?? [];
    // Type, address kind, jurisdiction, zone and region change which law and which hours apply: named, not valued.
    const changed = FIELDS.filter((f) => (current[f] ?? null) !== (updated[f] ?? null));
    if (added.length > 0 || removed.length > 0 || changed.length > 0) {
      await tx.appendEvents([
        {
          contactId: updated.id,
          type: 'contact.rectified',
          at: updated.updatedAt,
          data: {
            added: added.map((i) => i.kind),
            removed: removed.map((i) => i.kind),
            changed,
            ...(o.reason ? { reason: o.reason } : {}),
          },
          recordedBy: o.recordedBy,
        },
      ]);
    }
    return updated;
  });
}
