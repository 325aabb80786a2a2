import { type DecisionContext, fail, pass, type Verdict } from '../context.js';
import { latestConsent, latestNegative, standingConsent } from '../facts.js';
import { day } from '../format.js';
import type { CheckParams } from '../rule-pack.js';

/** A valid consent for this channel, purpose, scope and partner, not taken back since. */
export function consent(ctx: DecisionContext, params: CheckParams['consent']): Verdict {
  const { facts: f, req } = ctx;
  const { channel, purpose, sender, partner } = req.message;
  const proof = params.proof === 'double_opt_in';
  const best = latestConsent(f, proof);
  const what = `${channel} for "${purpose}"${sender === 'partner' ? ` from partner "${partner}"` : ''}`;
  const standing = standingConsent(f, proof);
  if (standing >= 0) {
    const at = f.events[standing]?.at ?? Number.NEGATIVE_INFINITY;
    return pass(`consent to ${what} given on ${day(at)}`);
  }
  // Here no consent stands (none, or taken back): a request or an unproven consent made since is pending.
  if (f.requested >= 0 || (proof && f.given >= 0)) {
    const pending = Math.max(f.requested, proof ? f.given : -1);
    if (pending > latestNegative(f)) {
      return fail(
        proof
          ? `consent to ${what} of ${day(f.events[pending]?.at)} is not confirmed by double opt-in`
          : `consent to ${what} requested on ${day(f.events[pending]?.at)} awaits confirmation`,
        'CONFIRMATION_PENDING',
      );
    }
  }
  if (best < 0 && f.bundled >= 0) {
    return fail(`accepting terms and conditions (${day(f.events[f.bundled]?.at)}) is not consent`, 'CONSENT_INVALID');
  }
  // Named but unconfirmed or bundled is said above; here no partner consent names this partner at all.
  if (sender === 'partner' && best < 0) {
    if (partner === null) {
      return fail(
        'the message does not name its partner, and only a consent naming a partner covers one',
        'PARTNER_CONSENT_REQUIRED',
      );
    }
    return f.partnerNotNamed >= 0
      ? fail(
          `the partner consent of ${day(f.events[f.partnerNotNamed]?.at)} does not name "${partner}"`,
          'PARTNER_CONSENT_REQUIRED',
        )
      : fail(`no consent to messages from partners naming "${partner}" on ${channel}`, 'PARTNER_CONSENT_REQUIRED');
  }
  if (best < 0 && f.otherPurpose >= 0) {
    return fail(`consent on ${channel} covers "${f.events[f.otherPurpose]?.purpose}", not "${purpose}"`, 'NO_CONSENT');
  }
  return fail(best < 0 ? `no consent to ${what}` : `consent to ${what} was taken back`, 'NO_CONSENT');
}
