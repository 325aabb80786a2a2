import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { day } from '../format.js';
import type { CheckParams } from '../rule-pack.js';

/** Prospect and former-client data may be used this long after the last active contact from the person. */
export function retention(ctx: DecisionContext, params: CheckParams['retention']): Verdict {
  const { facts: f, req } = ctx;
  if (f.contractInProgress) return pass('a contract is in progress: the relationship is current');
  const last = f.lastActiveContact;
  if (last === Number.NEGATIVE_INFINITY) return pass('no dated active contact in the history');
  const end = new Date(last);
  end.setUTCFullYear(end.getUTCFullYear() + params.years);
  if (req.at < end.getTime()) return pass(`last active contact ${day(last)}, usable until ${day(end.getTime())}`);
  return fail(`last active contact from the person was on ${day(last)}, more than ${params.years} years ago`);
}
