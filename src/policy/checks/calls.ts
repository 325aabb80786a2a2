import { CHANNEL_BIT } from '../../domain/channels.js';
import { messageScope } from '../../domain/request.js';
import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { standingConsent } from '../facts.js';
import { day, hhmm } from '../format.js';
import { holidaysOf } from '../holidays.js';
import { localDayNumber, localTime, zoneAtOffset } from '../local-time.js';
import type { CheckParams } from '../rule-pack.js';

const WEEKDAY = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** Calendar day number (days since 1970-01-01) of an instant in the recipient's time zone. */
function localDay(ctx: DecisionContext, ms: number): number {
  return localDayNumber(ms, ctx.timeZone);
}

/**
 * Whether a consent to calls for exactly `purpose` (calls outside the usual hours) stands for this message: given to
 * its sender (our own consent for our calls, one naming the partner for a partner's: D223-9 al. 2 lifts the hours
 * for "le professionnel" who obtained it), given or confirmed by double opt-in, and not taken back since.
 */
function purposeConsentStands(ctx: DecisionContext, purpose: string): boolean {
  const { message } = ctx.req;
  const scope = messageScope(message);
  let standing = false;
  let asked = false; // a request or consent this confirmation can confirm
  let askedAnywhere = false; // a confirmation with nothing asked before it is a confirmed consent in one event
  for (const e of ctx.facts.events) {
    const positive = e.type === 'consent.given' || e.type === 'consent.requested' || e.type === 'consent.confirmed';
    if (positive && e.type !== 'consent.confirmed') askedAnywhere = true;
    // For this channel: a consent to prerecorded calls at night does not open the evenings to live calls (a
    // consent is specific, RGPD art. 4(11)).
    if ((e.channels & CHANNEL_BIT[message.channel]) === 0) continue;
    if (e.type === 'objection') {
      standing = asked = false;
    } else if (e.type === 'consent.withdrawn' || e.type === 'consent.refused') {
      if (e.scope === scope && (e.purpose === null || e.purpose === purpose)) standing = asked = false;
    } else if (positive && e.scope === scope && e.purpose === purpose) {
      const named = scope === 'own' || (message.partner !== null && (e.partners?.includes(message.partner) ?? false));
      if (e.type === 'consent.confirmed') {
        if (asked || (!askedAnywhere && named)) standing = true;
      } else if (named) {
        if (e.type === 'consent.requested') asked = true;
        else if (e.method !== 'bundled') standing = asked = true;
      }
    }
  }
  return standing;
}

/** Calls only on the allowed weekdays and hours of the recipient's time zone, never on a public holiday. */
export function callingHours(ctx: DecisionContext, params: CheckParams['calling-hours']): Verdict {
  const { req, facts } = ctx;
  const lift = params.liftedByConsentPurpose;
  if (lift !== undefined && purposeConsentStands(ctx, lift)) {
    return pass('the person expressly agreed to calls outside the usual days and hours');
  }
  // The consent that lifts the hours is the one the decision's own consent rules read: for this channel and purpose,
  // given to this sender (a partner's consent does not let us call at night, nor ours a partner), double opt-in
  // confirmations included, nothing taken back since.
  const consented = standingConsent(facts, false) >= 0;
  if (params.liftedByPhoneConsent === true && req.message.channel === 'phone' && consented) {
    return pass('the person gave express prior consent to be called: the days and hours do not bind');
  }
  if (params.liftedByConsent === true && consented) {
    return pass('the person consented to these calls: the calling hours do not bind');
  }
  let verdict = pass('within calling hours');
  for (const zone of zonesOf(ctx)) {
    verdict = inHours(ctx, params, zone);
    if (!verdict.pass) return verdict;
  }
  return verdict;
}

/**
 * Where the recipient may be: their own zone, else every zone of their region, else every zone of the pack when
 * nothing is known (fail closed in a country that spans several).
 */
function zonesOf(ctx: DecisionContext): readonly string[] {
  const { req, pack } = ctx;
  if (req.contact.timeZone !== null) return [req.contact.timeZone];
  const region = req.contact.region !== null ? pack.regions?.[req.contact.region] : undefined;
  if (region !== undefined) return region.zones ?? [region.timeZone ?? pack.timeZone];
  if (pack.zonesWhenUnknown === undefined) return [ctx.timeZone]; // the main zone, or the region `at` points to
  // The offset `at` was written with, when it is one the country uses at that instant, says where the recipient is
  // (the zones sharing it show the same local time); otherwise nothing does: every zone.
  const offset = req.atOffset;
  const matching = offset === null ? undefined : zoneAtOffset(pack.zonesWhenUnknown, req.at, offset);
  return matching !== undefined ? [matching] : pack.zonesWhenUnknown;
}

function inHours(ctx: DecisionContext, params: CheckParams['calling-hours'], zone: string): Verdict {
  const { pack, req } = ctx;
  const t = zone === ctx.timeZone ? ctx.localTime : localTime(req.at, zone);
  const when = `${WEEKDAY[t.weekday]} ${t.date} ${hhmm(t.minutes)} (${zone})`;
  if (!params.weekdays.includes(t.weekday)) return fail(`${when}: no calls on this day of the week`);
  const region = req.contact.region !== null ? pack.regions?.[req.contact.region] : undefined;
  const holiday =
    holidaysOf(t.year, pack.holidays, pack.jurisdiction).get(t.date) ??
    (region?.holidays
      ? holidaysOf(t.year, region.holidays, `${pack.jurisdiction}|${req.contact.region}`).get(t.date)
      : undefined);
  if (holiday !== undefined) return fail(`${when}: public holiday (${holiday})`);
  // `at` is whole milliseconds of UTC; every zone's offset is whole minutes, so the second is the local one too.
  const onTheMinute = req.at % 60_000 === 0;
  const inWindow = params.windows.some(
    ([a, b]) =>
      t.minutes >= minutes(a) &&
      (t.minutes < minutes(b) || (params.endInclusive === true && t.minutes === minutes(b) && onTheMinute)),
  );
  if (!inWindow) return fail(`${when}: outside ${params.windows.map(([a, b]) => `${a}–${b}`).join(' and ')}`);
  return pass(`${when}: within calling hours`);
}

/**
 * At most `max` calls within `days` calendar days (the day of the call and the days before it, in the recipient's
 * time zone). Attempts count as much as answered calls ("démarcher ou tenter de démarcher").
 */
export function callFrequency(ctx: DecisionContext, params: CheckParams['call-frequency']): Verdict {
  const { facts, req } = ctx;
  const first = localDay(ctx, req.at) - (params.days - 1);
  let count = 0;
  for (const e of facts.events) if (e.type === 'call' && localDay(ctx, e.at) >= first) count++;
  const plural = count === 1 ? 'call or attempt' : 'calls or attempts';
  if (count >= params.max) {
    return fail(`${count} ${plural} within the last ${params.days} calendar days (at most ${params.max})`);
  }
  return pass(`${count} ${plural} within the last ${params.days} calendar days`);
}

/** After a "no" during a call, no call before `days` full calendar days have passed ("jours calendaires révolus"). */
export function callRefusalCooldown(ctx: DecisionContext, params: CheckParams['call-refusal-cooldown']): Verdict {
  const { facts, req } = ctx;
  const today = localDay(ctx, req.at);
  const events = facts.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e === undefined || e.type !== 'call' || e.outcome !== 'refused') continue;
    const refusedOn = localDay(ctx, e.at);
    if (today - refusedOn > params.days) break;
    const until = day((refusedOn + params.days) * 86_400_000);
    return fail(`refused during a call on ${day(e.at)}: no new call until ${until} included`);
  }
  return pass(`no refusal during a call in the last ${params.days} full days`);
}
