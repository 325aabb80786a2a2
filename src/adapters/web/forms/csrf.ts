// CSRF protection of the form POST, without cookies (a cookie in a cross-site iframe needs SameSite=None; Secure,
// which plain-HTTP deployments and privacy settings break). Two checks (OWASP CSRF Cheat Sheet):
// 1. the Origin (else Referer) must be this server or an origin the form lists: a page elsewhere cannot post;
// 2. a POST from this server's own page must carry the signed, dated token of the page it was shown in.
import { randomBytes } from 'node:crypto';
import type { TokenSigner } from '../../../services/tokens.js';

const TOKEN_TTL_MS = 2 * 3_600_000;

/** `<issuedMs>.<nonce>.<hmac>`; the nonce also names the submission (a double click records once). */
export function formToken(signer: TokenSigner, formId: string, now: Date): string {
  const body = `${now.getTime()}.${randomBytes(12).toString('base64url')}`;
  return `${body}.${signer.mac(`form|${formId}|${body}`)}`;
}

/** The token's nonce when it is genuine, for this form, and under two hours old; null otherwise. */
export function checkFormToken(signer: TokenSigner, formId: string, token: unknown, now: Date): string | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [issued, nonce, mac, extra] = token.split('.');
  if (issued === undefined || nonce === undefined || mac === undefined || extra !== undefined) return null;
  if (!signer.checkMac(`form|${formId}|${issued}.${nonce}`, mac)) return null;
  const age = now.getTime() - Number(issued);
  return age >= 0 && age <= TOKEN_TTL_MS ? nonce : null;
}

/** The origin that sent a browser POST: the Origin header, else the Referer's origin; null when neither. */
export function postOrigin(headers: Record<string, string | string[] | undefined>): string | null {
  const origin = headers.origin;
  if (typeof origin === 'string' && origin !== 'null') return origin;
  const referer = headers.referer;
  if (typeof referer !== 'string') return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
