import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import type { CheckParams } from '../rule-pack.js';

/**
 * The existing-client exception: details collected from the person at a sale (a purchase or a contract is one, even
 * when a bought list held them before), an offer of our own similar products,
 * no refusal or objection, and the person told at collection they could object.
 */
export function clientException(ctx: DecisionContext, params: CheckParams['client-exception']): Verdict {
  const { facts: f, req } = ctx;
  if (req.message.sender === 'partner') {
    // Not the main story for a partner: the consent rule says what partner consent is missing.
    return fail('the client exception covers only our own offers, never a partner’s', 'NO_CONSENT');
  }
  if (params.sectors !== undefined && !ctx.offerIn(params.sectors)) {
    return fail(`the client relation is a basis here for ${params.sectors.join(', ')} offers only`, 'NO_CONSENT');
  }
  // An inquiry makes the relation where the pack says so (US EBR); a purchase or contract elsewhere.
  const inquiry = params.inquiryWithinMonths !== undefined && ctx.inquiryWithin(params.inquiryWithinMonths);
  if (!f.isClient && !inquiry) {
    return fail(
      params.inquiryWithinMonths === undefined
        ? 'not a client: no purchase or service (an account is not one)'
        : `not a client (no purchase or service) and no inquiry${inLast(params.inquiryWithinMonths)}`,
      'NO_CONSENT',
    );
  }
  if (f.ownNegativeAnyPurpose >= 0) {
    const e = f.events[f.ownNegativeAnyPurpose];
    return fail(
      `the client ${e?.type === 'consent.refused' ? 'refused' : 'objected to'} prospecting on ${req.message.channel}`,
      e?.type === 'consent.refused' ? 'REFUSED_AT_COLLECTION' : 'WITHDRAWN',
    );
  }
  if (!inquiry && !ctx.clientWithin(params.withinMonths)) {
    return fail(`the client relationship ended more than ${params.withinMonths} months ago`, 'NO_CONSENT');
  }
  if (!params.anyOffer && !req.message.offer.similarToPurchases) {
    return fail('the offer is not for products or services similar to what the client bought', 'NO_CONSENT');
  }
  if (f.notInformed && params.requireInformed !== false)
    return fail('the client was not offered a way to object when the details were collected', 'NO_CONSENT');
  // Any entry registered by now: a person may be on a list twice (a later re-registration beside the first).
  const listed = params.excludedByLists?.length
    ? req.contact.lists.find((l) => params.excludedByLists?.includes(l.name) && (l.since === null || l.since <= req.at))
    : undefined;
  if (listed !== undefined) {
    return fail(`the address is on the "${listed.name}" list, which rules out the client exception`, 'OPPOSITION_LIST');
  }
  if (inquiry && !(f.isClient && ctx.clientWithin(params.withinMonths))) {
    return pass(`an inquiry from the person${inLast(params.inquiryWithinMonths)}, no refusal or objection`);
  }
  return pass(`existing client, ${params.anyOffer ? 'own offer' : 'similar own products'}, no refusal or objection`);
}

const inLast = (months: number | undefined): string =>
  months === undefined || months === Number.POSITIVE_INFINITY ? '' : ` in the last ${months} months`;
