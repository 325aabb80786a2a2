import { CHANNEL_BIT } from '../../domain/channels.js';
import { messageScope } from '../../domain/request.js';
import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { latestConsent } from '../facts.js';
import { day } from '../format.js';
import type { CheckParams } from '../rule-pack.js';

/**
 * An objection (unsubscribe, STOP, "do not call me") stops every prospecting message on its channel, whatever the
 * purpose; a withdrawal stops what the withdrawn consent covered (or, for a `channelWideWithdrawal` purpose, the
 * whole channel). Only a later consent re-opens the channel.
 */
export function objection(ctx: DecisionContext, params: CheckParams['objection']): Verdict {
  const f = ctx.facts;
  const negative = Math.max(
    f.objection,
    f.withdrawn,
    channelWide(ctx, params),
    linkedObjection(ctx, params),
    callRefusal(ctx, params),
  );
  if (negative < 0) return pass('no objection or withdrawal');
  if (latestConsent(f, false) > negative) return pass('objected, then consented again');
  const e = f.events[negative];
  const again = signedUpAgain(ctx, negative, e?.type === 'objection' ? 'objected' : 'withdrew consent');
  if (again !== null) return again;
  if (e?.type === 'call') {
    const what = ctx.req.message.channel === 'phone' ? 'calls' : 'the seller’s calls and messages';
    return fail(`said no during a prospecting call on ${day(e.at)}: an objection to ${what}`);
  }
  return fail(
    e?.type === 'objection'
      ? `objected to ${(e.channels & CHANNEL_BIT[ctx.req.message.channel]) !== 0 ? ctx.req.message.channel : 'a linked channel’s'} prospecting on ${day(e.at)}`
      : `withdrew consent on ${day(e?.at)}`,
  );
}

/**
 * The latest withdrawal of a channel-wide purpose (the newsletter) on the message's channel, or -1: our own closes
 * the channel to every prospecting message, partners' included ("stop sending them prospecting emails of any kind");
 * a withdrawal of the partners' newsletter closes it to partners' messages only.
 */
function channelWide(ctx: DecisionContext, params: CheckParams['objection']): number {
  const wide = params.channelWideWithdrawal;
  const { message } = ctx.req;
  if (wide === undefined || !wide.channels.includes(message.channel)) return -1;
  const bit = CHANNEL_BIT[message.channel];
  const scope = messageScope(message);
  return ctx.facts.events.findLastIndex(
    (e) =>
      e.type === 'consent.withdrawn' &&
      (e.channels & bit) !== 0 &&
      (e.scope === scope || e.scope === 'own') &&
      // A withdrawal of every purpose withdraws the newsletter too.
      (e.purpose === null || wide.purposes.includes(e.purpose)),
  );
}

/** The latest "no" during a call, when the pack reads it as an objection to calls (index into the events), or -1. */
function callRefusal(ctx: DecisionContext, params: CheckParams['objection']): number {
  const channel = ctx.req.message.channel;
  // Where the law links phone to other channels (US: a do-not-call request covers the seller's texts and
  // prerecorded calls, 47 CFR 64.1200(d)(3)), a "no" during a call objects to them too.
  const reaches =
    channel === 'phone' || (params.linked?.some((g) => g.includes('phone') && g.includes(channel)) ?? false);
  if (!params.callRefusalObjects || !reaches) return -1;
  return ctx.facts.events.findLastIndex((e) => e.type === 'call' && e.outcome === 'refused');
}

/** The latest objection on a channel linked by law to the message's channel (index into the events), or -1. */
function linkedObjection(ctx: DecisionContext, params: CheckParams['objection']): number {
  const channel = ctx.req.message.channel;
  const group = params.linked?.find((g) => g.includes(channel));
  if (group === undefined) return -1;
  let bits = 0;
  for (const c of group) bits |= CHANNEL_BIT[c];
  return ctx.facts.events.findLastIndex((e) => e.type === 'objection' && (e.channels & bits) !== 0);
}

/** A box left unticked, or a "no" when asked: blocks until the person says yes. */
export function refusal(ctx: DecisionContext): Verdict {
  const f = ctx.facts;
  if (f.refused < 0) return pass('no refusal');
  if (latestConsent(f, false) > f.refused) return pass('refused, then consented');
  const again = signedUpAgain(ctx, f.refused, 'refused');
  if (again !== null) return again;
  return fail(`refused ${ctx.req.message.channel} prospecting on ${day(f.events[f.refused]?.at)}`);
}

/**
 * The person said no, then asked again to receive these messages (the first step of a double opt-in, not yet
 * confirmed). The "no" still blocks until the confirmation, but it is no longer the person's last word: the main
 * reason is the missing confirmation (UWG §7 Abs. 2 Nr. 2 with BGH I ZR 164/09; TKG 2021 §174; CH UWG Art. 3 lit. o;
 * CPCE L34-5: consent is the person's current, proven will), as the consent rule says for the same history.
 */
function signedUpAgain(ctx: DecisionContext, negative: number, said: string): Verdict | null {
  const f = ctx.facts;
  if (f.requested <= negative) return null;
  return fail(
    `${said} on ${day(f.events[negative]?.at)}, then asked on ${day(f.events[f.requested]?.at)} to receive ${ctx.req.message.channel} messages again: awaiting confirmation`,
    'CONFIRMATION_PENDING',
  );
}
