// CSRF protection of the form POST, without cookies (a cookie in a cross-site iframe needs SameSite=None; Secure,
// which plain-HTTP deployments and privacy settings break). Two checks (OWASP CSRF Cheat Sheet):
// 1. the Origin (else Referer) must be this server or an origin the form lists: a page elsewhere cannot post;
// 2. a POST from this server's own page must carry the signed, dated token of the page it was shown in.
import { randomBytes } from 'node:crypto';
import type { TokenSigner } from '../../../services/tokens.js';

const TOKEN_TTL_MS = 2 * 3_600_000;

/**
 * `<issuedMs>.<nonce>.<revision>.<texts>.<hmac>`: the nonce also names the submission (a double click records once);
 * the revision and the digest of the wordings shown are the form's as the page showed it (a form or a wording changed
 * meanwhile must not record wording the visitor never saw).
 */
export function formToken(
  signer: TokenSigner,
  form: { id: string; revision: number; texts: string },
  now: Date,
): string {
  const body = `${now.getTime()}.${randomBytes(12).toString('base64url')}.${form.revision}.${form.texts}`;
  return `${body}.${signer.mac(`form|${form.id}|${body}`)}`;
}

/** The token's nonce, revision and texts when it is genuine, for this form, and under two hours old; else null. */
export function checkFormToken(
  signer: TokenSigner,
  formId: string,
  token: unknown,
  now: Date,
): { nonce: string; revision: number; texts: string } | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const [issued, nonce, revision, texts, mac, extra] = token.split('.');
  if (issued === undefined || nonce === undefined || revision === undefined || texts === undefined) return null;
  if (mac === undefined || extra !== undefined || !/^[1-9]\d{0,9}$/.test(revision)) return null;
  if (!signer.checkMac(`form|${formId}|${issued}.${nonce}.${revision}.${texts}`, mac)) return null;
  const age = now.getTime() - Number(issued);
  return age >= 0 && age <= TOKEN_TTL_MS ? { nonce, revision: Number(revision), texts } : null;
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
