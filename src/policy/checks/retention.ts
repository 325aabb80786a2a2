import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { localTime } from '../local-time.js';
import type { CheckParams } from '../rule-pack.js';

/**
 * Prospect and former-client data may be used this long after the last active contact from the person. Counted in
 * calendar days of the recipient's zone, as a time limit is (C. proc. civ. art. 641-642): the data is usable through
 * the anniversary day, and "more than 3 years" begins the day after.
 */
export function retention(ctx: DecisionContext, params: CheckParams['retention']): Verdict {
  const f = ctx.facts;
  if (f.contractInProgress) return pass('a contract is in progress: the relationship is current');
  // No dated active contact: the period runs from collection, which came no later than when the person was first
  // recorded, nor than the first event held about them (a call made, an email opened, an objection: none restarts
  // the clock, but each shows the details were held by then). Their data cannot be kept for ever because no event
  // is an active contact (art. 5(1)(e); CNIL: 3 years from collection or the last contact from the prospect).
  const fromRecord = f.lastActiveContact === Number.NEGATIVE_INFINITY;
  const last = fromRecord ? firstKnown(ctx) : f.lastActiveContact;
  if (last === Number.POSITIVE_INFINITY) return pass('no dated active contact in the history');
  const lastDay = localTime(last, ctx.timeZone).date;
  const lastUsable = `${String(Number(lastDay.slice(0, 4)) + params.years).padStart(4, '0')}${lastDay.slice(4)}`;
  const what = fromRecord ? 'no active contact recorded; first recorded' : 'last active contact';
  if (ctx.localTime.date <= lastUsable) return pass(`${what} ${lastDay}, usable through ${lastUsable}`);
  return fail(
    fromRecord
      ? `no active contact from the person since they were first recorded on ${lastDay}, more than ${params.years} years ago`
      : `last active contact from the person was on ${lastDay}, more than ${params.years} years ago`,
  );
}

/** When the details were first known to be held: the earlier of the first record and the first event (+Infinity: never). */
function firstKnown(ctx: DecisionContext): number {
  const since = ctx.req.contact.recordedSince ?? Number.POSITIVE_INFINITY;
  const first = ctx.facts.events[0]?.at ?? Number.POSITIVE_INFINITY; // events are in time order, cut at `at`
  return Math.min(since, first);
}
