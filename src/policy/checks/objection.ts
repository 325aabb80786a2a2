import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { latestConsent } from '../facts.js';
import { day } from '../format.js';

/**
 * An objection (unsubscribe, STOP, "do not call me") stops every prospecting message on its channel, whatever the
 * purpose; a withdrawal stops what the withdrawn consent covered. Only a later consent re-opens the channel.
 */
export function objection(ctx: DecisionContext): Verdict {
  const f = ctx.facts;
  const negative = Math.max(f.objection, f.withdrawn);
  if (negative < 0) return pass('no objection or withdrawal');
  if (latestConsent(f, false) > negative) return pass('objected, then consented again');
  const e = f.events[negative];
  return fail(
    e?.type === 'objection'
      ? `objected to ${ctx.req.message.channel} prospecting on ${day(e.at)}`
      : `withdrew consent on ${day(e?.at)}`,
  );
}

/** A box left unticked, or a "no" when asked: blocks until the person says yes. */
export function refusal(ctx: DecisionContext): Verdict {
  const f = ctx.facts;
  if (f.refused < 0) return pass('no refusal');
  if (latestConsent(f, false) > f.refused) return pass('refused, then consented');
  return fail(`refused ${ctx.req.message.channel} prospecting on ${day(f.events[f.refused]?.at)}`);
}
