// Erasure (GDPR art. 17): the person's identifiers go, their hashes join the company suppression list so that a
// re-imported or bought file never brings them back, and the ledger keeps the record of each consent and opt-out
// (art. 17(3)(e): proof for legal claims; CNIL: keep the proof of consent and of objection), plus the erasure itself.
import type { Identifier } from '../domain/contact.js';
import { type RightsRequest, restrictionAt } from '../store/recipient-tokens.js';
import type { Store } from '../store/store.js';
import { StoreError } from '../store/store.js';
import { refusePersonalData, refuseQuoted } from './identifier-quotes.js';
import { type SuppressionReason, suppressionHash } from './lists/suppression.js';

export interface Erasure {
  contactId: string;
  erasedAt: string;
  /** False when the contact was erased before: nothing more was done. */
  erasedNow: boolean;
  identifiersRemoved: number;
  /** Identifiers added to the suppression list (hashes of emails, numbers, postal addresses, CRM ids). */
  suppressed: number;
  /** The person's erasure request this erasure answered (`done`), when one was named. */
  request?: RightsRequest;
  /** Every open erasure request of the person, named or not, answered `done` by this erasure. */
  requestsAnswered: number;
}

export async function eraseContact(
  store: Store,
  contactId: string,
  o: {
    at: Date;
    recordedBy: string;
    reason?: string;
    /** The engine's explanation and rule behind a purge's erasure (the last active contact's date): kept with the
     * record, as the purge's answer is not (GDPR art. 5(1)(e), 5(2)). */
    why?: { message: string; rule: string | null };
    /**
     * Why the emails and phones join the suppression list (default `erased`); null: they do not; or a choice per
     * identifier (a retention purge keeps only the addresses the person objected on).
     */
    suppress?: SuppressionReason | null | ((i: Identifier) => SuppressionReason | null);
    /** The person's open erasure request this answers: settled `done` in the same transaction (GDPR art. 12(3)). */
    request?: string;
  },
): Promise<Erasure> {
  return store.transaction(async (tx) => {
    const contact = await tx.findContact({ id: contactId });
    if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${contactId}`);
    // The person's requests: theirs and those filed under records merged into them.
    const contactIds = [contact.id, ...contact.merged];
    const request = o.request === undefined ? null : await erasureRequest(tx, contactIds, o.request);
    // Erasing the person answers every erasure request they left open (GDPR art. 12(3)): a request left open would
    // be reported overdue although it was carried out.
    const answered = async (erasedAt: string) => {
      let named: RightsRequest | undefined;
      let count = 0;
      for (const r of await tx.listRightsRequests({ contactIds, status: 'open', limit: 1_000 })) {
        if (r.kind !== 'erasure') continue;
        const done = await tx.settleRightsRequest(r.id, {
          status: 'done',
          by: o.recordedBy,
          at: o.at.toISOString(),
          answer: `erased on ${erasedAt.slice(0, 10)}; the record of each consent and objection is kept as proof`,
          ownWords: true,
        });
        if (r.id === request?.id) named = done;
        count++;
      }
      return { ...(named ? { request: named } : {}), requestsAnswered: count };
    };
    if (contact.erasedAt !== undefined) {
      return {
        contactId: contact.id,
        erasedAt: contact.erasedAt,
        erasedNow: false,
        identifiersRemoved: 0,
        suppressed: 0,
        ...(await answered(contact.erasedAt)),
      };
    }
    // GDPR art. 18(2): a restricted person's data may only be stored, and erasing it is processing (art. 4(2)): it
    // needs the person's say-so, an erasure request of theirs received since the restriction began, or the
    // restriction lifted first (art. 18(3): the person told). Art. 18(1)(b)-(c) restrict instead of erasing.
    const restriction = restrictionAt((await tx.restrictionsOf([contact.id])).get(contact.id) ?? [], o.at.getTime());
    if (
      restriction !== undefined &&
      !(request !== null && Date.parse(request.requestedAt) >= Date.parse(restriction.since))
    ) {
      // A restriction not answered yet cannot be lifted (liftRestriction): it ends by being answered refused.
      const open = (await tx.listRightsRequests({ contactIds, status: 'open', limit: 1_000 })).some(
        (r) => r.id === restriction.request,
      );
      const end = open
        ? `or end it first: the request is not answered yet, and answered refused it ends (assent rights answer ${restriction.request} --status refused --answer …; ` +
          `PATCH /v1/rights-requests/${restriction.request})`
        : `or lift the restriction first, telling the person (art. 18(3): assent rights lift ${restriction.request} --informed …; ` +
          `POST /v1/rights-requests/${restriction.request}/lift)`;
      throw new StoreError(
        'CONFLICT',
        `contact ${contact.id}'s processing is restricted since ${restriction.since} (rights request ${restriction.request}, GDPR art. 18(2)): ` +
          `erase it under an erasure request the person made since (--request; ?request= over HTTP), ${end}`,
      );
    }
    // The reason and who erased are kept in the ledger for good: neither may hold what is being erased.
    refusePersonalData(o.reason, 'reason', contact.identifiers);
    refuseQuoted(o.recordedBy, 'by', contact.identifiers);
    const at = o.at.toISOString();
    const removed = await tx.eraseContact(contact.id, at);
    const reasonFor =
      typeof o.suppress === 'function' ? o.suppress : () => (o.suppress === undefined ? 'erased' : o.suppress);
    // Every identifier: an email or number, and a postal address or CRM id a bought list or a re-sync would bring back.
    const hashes = removed.flatMap((i) => {
      const reason = reasonFor(i) as SuppressionReason | null;
      return reason !== null ? [{ kind: i.kind, hash: suppressionHash(i.kind, i.value), reason, at }] : [];
    });
    if (hashes.length > 0) await tx.addSuppressions(hashes.map(({ kind: _, ...entry }) => entry));
    await tx.appendEvents([
      {
        contactId: contact.id,
        type: 'contact.erased',
        at,
        data: {
          identifiers: removed.length,
          suppressed: hashes.length,
          // Which hashes (and of which kind of identifier): once the identifiers are gone, the only way to show the
          // person which of theirs are on the list (GDPR art. 15) or to trace an entry back to this erasure. The
          // list holds the same hashes already; they say nothing without the identifier.
          suppressedHashes: hashes.map(({ kind, hash, reason }) => ({ kind, hash, reason })),
          ...(o.reason ? { reason: o.reason } : {}),
          ...(o.why ? { why: o.why.message, ...(o.why.rule ? { rule: o.why.rule } : {}) } : {}),
          ...(request ? { request: request.id } : {}),
        },
        recordedBy: o.recordedBy,
      },
    ]);
    return {
      contactId: contact.id,
      erasedAt: at,
      erasedNow: true,
      identifiersRemoved: removed.length,
      suppressed: hashes.length,
      ...(await answered(at)),
    };
  });
}

/** The open erasure request `id` of the person (or of a record merged into them); else an error saying why not. */
async function erasureRequest(store: Store, contactIds: string[], id: string): Promise<RightsRequest> {
  const found = (await store.listRightsRequests({ contactIds, limit: 1_000 })).find((r) => r.id === id);
  if (found === undefined) throw new StoreError('NOT_FOUND', `no rights request ${id} from contact ${contactIds[0]}`);
  if (found.kind !== 'erasure') {
    throw new StoreError(
      'INVALID',
      `rights request ${id} asks for ${found.kind}, not erasure: answer it as a rights request (PATCH /v1/rights-requests/${id}; assent rights answer ${id})`,
    );
  }
  if (found.status !== 'open') {
    throw new StoreError(
      'CONFLICT',
      `rights request ${id} was answered already (${found.status} on ${found.settledAt})`,
    );
  }
  return found;
}
