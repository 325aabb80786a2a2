// Answering a person's rights request (GDPR art. 12(3): within a month). Most answers are only recorded: the work
// itself is another command (contacts access, set, erase). An objection is different: answering it `done` is what
// carries it out, so the objection is recorded in the ledger in the same transaction (docs/rights.md).
import type { RightsRequest } from '../store/recipient-tokens.js';
import type { Store } from '../store/store.js';
import { recordObjection } from './unsubscribe.js';

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
    const person = settled.kind === 'objection' ? await tx.findContact({ id: settled.contactId }) : null;
    if (person !== null && person.erasedAt === undefined && s.status === 'done') {
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
