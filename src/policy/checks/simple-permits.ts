import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { standingConsent } from '../facts.js';
import type { CheckParams } from '../rule-pack.js';

/** A contract in progress and an offer related to it. */
export function contractInProgress(ctx: DecisionContext): Verdict {
  if (ctx.req.message.sender === 'partner') {
    // Not the main story for a partner: the consent rule says what partner consent is missing.
    return fail('a partner is not a party to the contract in progress', 'NO_CONSENT');
  }
  if (!ctx.facts.contractInProgress) return fail('no contract in progress', 'NO_CONSENT');
  if (!ctx.req.message.offer.relatedToContract) {
    return fail('the offer is not related to the contract in progress', 'NO_CONSENT');
  }
  return pass('contract in progress and an offer related to it');
}

/** A named professional address and an offer related to the recipient's profession. */
export function b2bRelated(ctx: DecisionContext, params: CheckParams['b2b-related']): Verdict {
  if (!ctx.req.message.offer.relatedToProfession) {
    return fail('the offer is not related to the recipient’s profession', 'NOT_RELATED_TO_PROFESSION');
  }
  // The French professional opt-out presupposes the person was told at collection and could object (CNIL).
  if (params.requireInformed && ctx.facts.notInformed)
    return fail('the professional was not informed at collection that they could object', 'NO_CONSENT');
  return pass('named professional address and an offer related to the profession');
}

/** A generic (role) address belongs to a legal person, outside the consent rules. */
export function legalPerson(): Verdict {
  return pass('generic address of a legal person');
}

/** Channel open unless the person objected; objections are checked by their own rules. */
export function optOut(ctx: DecisionContext, params: CheckParams['opt-out']): Verdict {
  const { contact } = ctx.req;
  if (params.sectors !== undefined && !ctx.offerIn(params.sectors)) {
    return fail(`open without consent only to an offer of ${params.sectors.join(' or ')}`, 'NO_CONSENT');
  }
  const legalPerson = contact.type === 'professional' && contact.address === 'generic';
  // A consent to the channel since is informed by definition (RGPD art. 4(11)).
  if (params.requireInformed && ctx.facts.notInformed && !legalPerson && standingConsent(ctx.facts, false) < 0) {
    return fail('the person was not told at collection that their details could serve prospecting', 'NO_CONSENT');
  }
  if (params.directory === 'listed') {
    const status = ctx.req.contact.directory;
    // Only what the subscriber chose to publish is open to opt-out prospecting; unknown status fails closed.
    if (status !== 'listed') {
      return fail(
        status === null
          ? 'directory status not given: only a number listed in a public directory may be called without consent'
          : `the number is ${status} in the directory: calling it needs consent`,
        'NO_CONSENT',
      );
    }
    return pass('listed in a public directory, and open unless the person objected');
  }
  return pass('channel open unless the person objected');
}
