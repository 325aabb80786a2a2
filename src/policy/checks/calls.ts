import { CHANNEL_BIT } from '../../domain/channels.js';
import { DAY_MS } from '../../domain/iso-time.js';

const CALLS = CHANNEL_BIT.phone | CHANNEL_BIT.automated_call;

import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { holidaysOf } from '../holidays.js';
import type { CheckParams } from '../rule-pack.js';
import { day } from './consent.js';

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

const WEEKDAY = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** Calls only on the allowed weekdays and hours of the recipient's time zone, never on a public holiday. */
export function callingHours(ctx: DecisionContext, params: CheckParams['calling-hours']): Verdict {
  const { pack, req, facts } = ctx;
  if (params.liftedByConsentPurpose !== undefined) {
    const lifted = facts.events.some(
      (e) => e.type === 'consent.given' && e.purpose === params.liftedByConsentPurpose && (e.channels & CALLS) !== 0,
    );
    if (lifted) return pass('the person expressly agreed to calls outside the usual days and hours');
  }
  const t = ctx.localTime;
  const zone = ctx.timeZone;
  const hhmm = `${String(Math.floor(t.minutes / 60)).padStart(2, '0')}:${String(t.minutes % 60).padStart(2, '0')}`;
  const when = `${WEEKDAY[t.weekday]} ${t.date} ${hhmm} (${zone})`;
  if (!params.weekdays.includes(t.weekday)) return fail(`${when}: no calls on this day of the week`);
  const region = req.contact.region !== null ? pack.regions?.[req.contact.region] : undefined;
  const holiday =
    holidaysOf(t.year, pack.holidays, pack.jurisdiction).get(t.date) ??
    (region?.holidays
      ? holidaysOf(t.year, region.holidays, `${pack.jurisdiction}|${req.contact.region}`).get(t.date)
      : undefined);
  if (holiday !== undefined) return fail(`${when}: public holiday (${holiday})`);
  const inWindow = params.windows.some(([a, b]) => t.minutes >= minutes(a) && t.minutes < minutes(b));
  if (!inWindow) return fail(`${when}: outside ${params.windows.map(([a, b]) => `${a}–${b}`).join(' and ')}`);
  return pass(`${when}: within calling hours`);
}

/** Attempts count as much as answered calls ("démarcher ou tenter de démarcher"). */
export function callFrequency(ctx: DecisionContext, params: CheckParams['call-frequency']): Verdict {
  const { facts, req } = ctx;
  const windowStart = req.at - params.days * DAY_MS;
  let count = 0;
  for (const e of facts.events) if (e.type === 'call' && e.at > windowStart) count++;
  if (count >= params.max)
    return fail(`${count} calls or attempts in the last ${params.days} days (at most ${params.max})`);
  return pass(`${count} calls or attempts in the last ${params.days} days`);
}

/** After a "no" during a call, no new call for a while, unless the person has since asked for calls. */
export function callRefusalCooldown(ctx: DecisionContext, params: CheckParams['call-refusal-cooldown']): Verdict {
  const { facts, req } = ctx;
  const events = facts.events;
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    if (e === undefined || e.type !== 'call' || e.outcome !== 'refused') continue;
    if (req.at - e.at >= params.days * DAY_MS) break;
    const later = events.slice(i + 1).some((x) => x.type === 'consent.given' && (x.channels & CALLS) !== 0);
    if (later) return pass(`refused a call on ${day(e.at)}, then consented to calls`);
    return fail(`refused during a call on ${day(e.at)}: no new call for ${params.days} days`);
  }
  return pass(`no refusal during a call in the last ${params.days} days`);
}
