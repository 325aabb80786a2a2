// Recording and answering a person's rights request (GDPR art. 12(3): within a month). Most answers are only
// recorded: the work itself is another command (contacts access, set, erase). An objection is different: it is
// carried out when received, recorded in the ledger with the request (docs/rights.md).
import type { RightsRequest } from '../store/recipient-tokens.js';
import type { Store } from '../store/store.js';
import { recordObjection } from './unsubscribe.js';

/**
 * Records a request received by letter, phone or email (CLI `rights add`, POST /v1/rights-requests). An objection to
 * direct marketing takes effect when it is received, not when it is answered (GDPR art. 21(3): no period to verify
 * it; CPCE L34-5): it is recorded in the ledger at once, dated when received, in the same transaction, as an
 * unsubscribe is; answering it `done` later records nothing more.
 */
export async function recordRightsRequest(
  store: Store,
  init: Parameters<Store['createRightsRequest']>[0] & { at: Date; recordedBy: string },
): Promise<{ request: RightsRequest; created: boolean }> {
  const { recordedBy, ...request } = init;
  return store.transaction(async (tx) => {
    const made = await tx.createRightsRequest(request);
    const person =
      made.created && (init.kind === 'objection' || init.kind === 'restriction')
        ? await tx.findContact({ id: init.contactId })
        : null;
    if (person !== null && person.erasedAt === undefined && init.kind === 'restriction') {
      // Restricted from receipt (art. 18(1)(a), (d)): said in the ledger, and to subscribers (art. 19).
      await tx.appendEvents([
        {
          contactId: person.id,
          type: 'contact.restricted',
          at: made.request.requestedAt,
          data: { request: made.request.id },
          recordedBy,
        },
      ]);
    } else if (person !== null && person.erasedAt === undefined) {
      await recordObjection(tx, {
        contactId: person.id,
        channel: null,
        at: init.at,
        evidence: { method: 'rights-request', request: made.request.id, receivedAt: made.request.requestedAt },
        recordedBy,
      });
    }
    return made;
  });
}

/**
 * Records the answer to request `id`. An objection answered `done` records an `objection` event on every channel and
 * purpose, as an unsubscribe does (art. 21(2)-(3): objection to direct marketing is absolute and covers it all; the
 * person may consent again to a channel later); one already recorded is not repeated.
 */
export async function answerRightsRequest(
  store: Store,
  id: string,
  s: { status: 'done' | 'refused'; by: string; at: Date; answer: string | null },
): Promise<RightsRequest> {
  return store.transaction(async (tx) => {
    const settled = await tx.settleRightsRequest(id, {
      status: s.status,
      by: s.by,
      at: s.at.toISOString(),
      answer: s.answer,
    });
    // The person as they are now (a record merged since answers its survivor); an erased one is on the suppression
    // list already, and their ledger takes no new event.
    const person =
      settled.kind === 'objection' || settled.kind === 'restriction'
        ? await tx.findContact({ id: settled.contactId })
        : null;
    if (person !== null && person.erasedAt === undefined && settled.kind === 'restriction') {
      // A refusal ends the restriction begun at receipt; a grant (done) continues it until lifted.
      if (s.status === 'refused') await unrestricted(tx, person.id, settled.id, s.at, s.by, { ended: 'refused' });
    } else if (person !== null && person.erasedAt === undefined && s.status === 'done') {
      await recordObjection(tx, {
        contactId: person.id,
        channel: null,
        at: s.at,
        evidence: { method: 'rights-request', request: settled.id, receivedAt: settled.requestedAt },
        recordedBy: s.by,
      });
    }
    return settled;
  });
}

/**
 * Extends request `id`'s period by the two further months of GDPR art. 12(3), within its first month, with the reasons
 * the person is given.
 */
export async function extendRightsRequest(
  store: Store,
  id: string,
  e: { by: string; at: Date; reason: string },
): Promise<RightsRequest> {
  return store.extendRightsRequest(id, { by: e.by, at: e.at.toISOString(), reason: e.reason });
}

/**
 * Lifts a granted restriction of processing (GDPR art. 18): decisions on the person come back from `at`. The person
 * must have been told before (art. 18(3)): `informedAt` is required, and recorded with who lifted it.
 */
export async function liftRestriction(
  store: Store,
  id: string,
  l: { by: string; at: Date; informedAt: Date },
): Promise<RightsRequest> {
  return store.transaction(async (tx) => {
    const lifted = await tx.liftRestriction(id, {
      by: l.by,
      at: l.at.toISOString(),
      informedAt: l.informedAt.toISOString(),
    });
    const person = await tx.findContact({ id: lifted.contactId });
    if (person !== null && person.erasedAt === undefined) {
      await unrestricted(tx, person.id, lifted.id, l.at, l.by, {
        ended: 'lifted',
        informedAt: lifted.informedAt,
      });
    }
    return lifted;
  });
}

/** The end of a restriction in the ledger (art. 5(2)), passed on to webhook subscribers (art. 19). */
async function unrestricted(
  tx: Store,
  contactId: string,
  request: string,
  at: Date,
  recordedBy: string,
  how: { ended: 'refused' | 'lifted'; informedAt?: string | null },
): Promise<void> {
  await tx.appendEvents([
    { contactId, type: 'contact.unrestricted', at: at.toISOString(), data: { request, ...how }, recordedBy },
  ]);
}
