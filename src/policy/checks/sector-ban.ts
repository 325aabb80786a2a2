import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { standingConsent } from '../facts.js';
import type { CheckParams } from '../rule-pack.js';

/** Offers of some sectors may not be prospected on some channels, but for the exceptions each rule names. */
export function sectorBan(ctx: DecisionContext, params: CheckParams['sector-ban']): Verdict {
  const sector = ctx.req.message.offer.sector;
  if (sector === null || !params.sectors.includes(sector)) return pass(`sector ${sector ?? 'not given'} is not banned`);
  if (params.unlessContract && ctx.relatedContract) return pass(`${sector}: within a contract in progress`);
  if (params.unlessClient && ctx.ownClient && !ctx.facts.notInformed) {
    return pass(`${sector}: an existing client relationship`);
  }
  if (params.unlessConsent && standingConsent(ctx.facts, false) >= 0) {
    return pass(`${sector}: the person consented to such calls`);
  }
  return fail(`prospecting for ${sector.replaceAll('_', ' ')} is banned on ${ctx.req.message.channel}`);
}
