import type { DecisionContext, Verdict } from '../context.js';
import type { CheckName, CheckParams } from '../rule-pack.js';
import { callFrequency, callingHours, callRefusalCooldown } from './calls.js';
import { clientException } from './client-exception.js';
import { consent } from './consent.js';
import { directoryNotice, oppositionList } from './lists.js';
import { objection, refusal } from './objection.js';
import { retention } from './retention.js';
import { sectorBan } from './sector-ban.js';
import { b2bRelated, contractInProgress, legalPerson, optOut } from './simple-permits.js';

type CheckFn<K extends CheckName> = (ctx: DecisionContext, params: CheckParams[K]) => Verdict;

/** Each check kind a rule row may name, with the sentence the rules reference prints for it. */
export const CHECKS: { [K in CheckName]: { run: CheckFn<K>; describe: (p: CheckParams[K]) => string } } = {
  consent: {
    run: consent,
    describe: (p) => (p.proof ? 'consent, proven by double opt-in (or written / recorded)' : 'prior consent'),
  },
  'client-exception': {
    run: clientException,
    describe: (p) =>
      `existing client${p.withinMonths ? ` (relation live or ended < ${p.withinMonths} months ago)` : ''}${p.inquiryWithinMonths === undefined ? '' : ` or an inquiry${p.inquiryWithinMonths === Number.POSITIVE_INFINITY ? '' : ` < ${p.inquiryWithinMonths} months ago`}`}, ${p.anyOffer ? 'own offers' : 'own similar products'}${p.sectors?.length ? ` (${p.sectors.join('/')} only)` : ''}, no refusal${p.excludedByLists?.length ? `, not on ${p.excludedByLists.join('/')}` : ''}`,
  },
  'contract-in-progress': { run: contractInProgress, describe: () => 'contract in progress, offer related to it' },
  'b2b-related': {
    run: b2bRelated,
    describe: (p) =>
      `offer related to the recipient’s profession${p.requireInformed ? ', informed at collection' : ''}`,
  },
  'legal-person': { run: legalPerson, describe: () => 'generic address of a legal person' },
  'opt-out': {
    run: optOut,
    describe: (p) =>
      `${p.sectors ? `an offer of ${p.sectors.join('/')}, ` : ''}${p.directory === 'listed' ? 'number listed in a public directory, no objection' : 'no objection'}${p.requireInformed ? ' (told at collection)' : ''}`,
  },
  objection: {
    run: objection,
    describe: (p) =>
      `objection or withdrawal${p.callRefusalObjects ? ' (a “no” during a call objects to calls)' : ''}${p.channelWideWithdrawal ? ` (withdrawing ${p.channelWideWithdrawal.purposes.join('/')} closes ${p.channelWideWithdrawal.channels.join('/')})` : ''}${p.linked?.length ? ` (one objection covers ${p.linked.map((g) => g.join('/')).join('; ')})` : ''}`,
  },
  refusal: { run: refusal, describe: () => 'refused when asked' },
  'opposition-list': {
    run: oppositionList,
    describe: (p) =>
      `${p.senders ? `${p.senders.join('/')} sender, ` : ''}on ${p.lists.join(' / ')}${p.graceDays ? ` for ${p.graceDays} days` : ''}${p.mustConsult ? ' (checked before prospecting, by law)' : ''}${listExceptions(p)}`,
  },
  'directory-notice': {
    run: directoryNotice,
    describe: (p) =>
      `directory entry starred${p.unlistedCounts ? ' or number unlisted' : ''}, unless client or consent`,
  },
  retention: { run: retention, describe: (p) => `no active contact for ${p.years} years` },
  'sector-ban': {
    run: sectorBan,
    describe: (p) =>
      `offer in ${p.sectors.join(', ')} (except ${[p.unlessContract ? 'contract in progress' : '', p.unlessClient ? 'existing client' : '', p.unlessConsent ? 'consent' : ''].filter((x) => x !== '').join(', ') || 'nothing'})`,
  },
  'calling-hours': {
    run: callingHours,
    describe: (p) =>
      `outside ${p.weekdays.map((d) => ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d]).join('/')} ${p.windows.map(([a, b]) => `${a}–${b}`).join(', ')} local time, or a public holiday${hoursLifted(p)}`,
  },
  'call-frequency': { run: callFrequency, describe: (p) => `${p.max} calls or attempts within ${p.days} days` },
  'call-refusal-cooldown': { run: callRefusalCooldown, describe: (p) => `refused during a call < ${p.days} days ago` },
};

function hoursLifted(p: CheckParams['calling-hours']): string {
  const by: string[] = [];
  if (p.liftedByConsent) by.push('a consent to the message');
  if (p.liftedByPhoneConsent) by.push('a consent to phone calls');
  if (p.liftedByConsentPurpose) by.push(`a consent for "${p.liftedByConsentPurpose}"`);
  return by.length > 0 ? ` (unless ${by.join(' or ')})` : '';
}

function listExceptions(p: CheckParams['opposition-list']): string {
  const out: string[] = [];
  if (p.exceptContract === 'related') out.push('offer related to a contract in progress');
  if (p.exceptContract === 'contract') out.push('contract in progress');
  if (p.exceptContract === 'client') {
    const within = p.clientWithinMonths
      ? ` within ${p.clientWithinMonths} months`
      : p.clientWithinDays
        ? ` within ${p.clientWithinDays} days`
        : '';
    out.push(
      `${p.clientNeedsConsent ? 'consenting client' : 'existing client'}${within}${p.clientSimilarOnly ? ', similar products' : ''}`,
    );
    if (p.inquiryWithinMonths) out.push(`an inquiry within ${p.inquiryWithinMonths} months`);
  }
  if (p.exceptSectors?.length) out.push(`an offer of ${p.exceptSectors.join('/')}`);
  if (p.exceptConsent === 'any') out.push('consent');
  if (p.exceptConsent === 'after-listing') out.push('consent given after registering');
  return out.length > 0 ? ` (except ${out.join(', ')})` : '';
}

/** Runs a rule's check with its own parameters. */
export function runCheck(name: CheckName, ctx: DecisionContext, params: unknown): Verdict {
  return (CHECKS[name].run as CheckFn<CheckName>)(ctx, params as never);
}

export function describeCheck(name: CheckName, params: unknown): string {
  return (CHECKS[name].describe as (p: unknown) => string)(params);
}
