import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { latestConsent, standingConsent } from '../facts.js';
import { day } from '../format.js';
import { localDayNumber } from '../local-time.js';
import type { CheckParams } from '../rule-pack.js';

/** An opposition list the address or number is on (registered by the decision instant). */
export function oppositionList(ctx: DecisionContext, params: CheckParams['opposition-list']): Verdict {
  const { req, facts } = ctx;
  if (params.senders !== undefined && !params.senders.includes(req.message.sender)) {
    return pass(`${params.lists.join(' / ')} does not bind a ${req.message.sender} sender`);
  }
  // A registration of unknown date binds at once (the stricter reading); a known one after the list's grace period,
  // counted in calendar days of the recipient's time zone ("28 days preceding the date of the call", PECR reg. 21(3)):
  // a call at 00:30 in London on day 28 is bound, although UTC still reads day 27.
  const graceDays = params.graceDays ?? 0;
  const today = graceDays > 0 ? localDayNumber(req.at, ctx.timeZone) : 0;
  const binds = (since: number | null): boolean =>
    since === null || (graceDays > 0 ? today - Math.floor(since / 86_400_000) >= graceDays : since <= req.at);
  const entry = req.contact.lists.find((l) => params.lists.includes(l.name) && binds(l.since));
  if (entry === undefined) {
    const pending = graceDays > 0 && req.contact.lists.some((l) => params.lists.includes(l.name));
    return pass(
      pending
        ? `registered on ${params.lists.join(' / ')} less than ${params.graceDays} days ago`
        : `not on ${params.lists.join(' / ')}`,
    );
  }
  const since =
    entry.since !== null ? ` since ${day(entry.since)}` : entry.asOf !== null ? ` (list of ${day(entry.asOf)})` : '';
  if (params.exceptSectors !== undefined && ctx.offerIn(params.exceptSectors)) {
    return pass(
      `on ${entry.name}${since}, but the list does not bind an offer of the ${req.message.offer.sector} sector`,
    );
  }
  if (params.exceptContract === 'related' && ctx.relatedContract) {
    return pass(`on ${entry.name}${since}, but the offer relates to a contract in progress`);
  }
  if (params.exceptContract === 'contract' && ctx.ownSender && facts.contractInProgress) {
    return pass(`on ${entry.name}${since}, but a contract is in progress`);
  }
  const standing = standingConsent(facts, false);
  const consented = standing >= 0;
  // A consent the exception keeps is one given within the contractual relationship: one given as a prospect, before
  // it, was revoked by the registration (IT l. 5/2018 art. 1 co. 5), and becoming a client later does not revive it.
  const consentedAsClient = consented && (facts.events[standing]?.at ?? Number.NEGATIVE_INFINITY) >= facts.clientSince;
  if (
    params.exceptContract === 'client' &&
    ctx.clientWithin(params.clientWithinMonths, params.clientWithinDays) &&
    (!params.clientSimilarOnly || req.message.offer.similarToPurchases) &&
    (!params.clientNeedsConsent || consentedAsClient)
  ) {
    return pass(`on ${entry.name}${since}, but a contractual relationship already exists`);
  }
  if (
    params.exceptContract === 'client' &&
    params.inquiryWithinMonths !== undefined &&
    ctx.inquiryWithin(params.inquiryWithinMonths)
  ) {
    return pass(`on ${entry.name}${since}, but the person inquired less than ${params.inquiryWithinMonths} months ago`);
  }
  if (params.exceptConsent !== undefined) {
    if (consented) {
      const at = facts.events[standing]?.at ?? Number.NEGATIVE_INFINITY;
      if (params.exceptConsent === 'any') return pass(`on ${entry.name}${since}, but consented on ${day(at)}`);
      const listedBy = entry.since ?? entry.asOf;
      if (listedBy !== null && at > listedBy) {
        return pass(`on ${entry.name}${since}, but consented after registering, on ${day(at)}`);
      }
    }
  }
  return fail(`on the ${entry.name} opposition list${since}`);
}

/**
 * A phone-directory notice that the subscriber wants no advertising (CH: the star). Existing customers and people
 * who consented are not "third parties" to whom the notice speaks.
 */
export function directoryNotice(ctx: DecisionContext, params: CheckParams['directory-notice']): Verdict {
  const { req, facts } = ctx;
  const status = req.contact.directory;
  const refuses = status === 'starred' || (status === 'unlisted' && params.unlistedCounts);
  if (!refuses) return pass(status === null ? 'directory status not given' : `directory status: ${status}`);
  if (ctx.ownClient) return pass(`${status} in the directory, but an existing customer`);
  if (latestConsent(facts, false) >= 0) return pass(`${status} in the directory, but consented`);
  return fail(
    status === 'starred'
      ? 'the directory entry carries the star: no advertising calls'
      : 'not in the directory: treated as refusing advertising calls',
  );
}
