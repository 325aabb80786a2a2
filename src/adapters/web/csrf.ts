// CSRF protection of the recipient pages' POSTs (the consent form, the preference center), without cookies (a cookie
// in a cross-site iframe needs SameSite=None; Secure, which plain-HTTP deployments and privacy settings break). OWASP
// CSRF Cheat Sheet: a page carries a signed, dated token that its POST must return, bound by its scope to one form or
// one link; the consent form, which other sites may embed, also checks the Origin (else Referer).
import { randomBytes } from 'node:crypto';
import type { TokenSigner } from '../../services/tokens.js';

/** How long a served page can be posted (a person may take a while; a leaked page stops working). */
export const PAGE_TOKEN_TTL_MS = 2 * 3_600_000;
/** A token issued this far ahead of this server's clock is still taken (servers behind one address differ a little). */
const CLOCK_SKEW_MS = 60_000;

/**
 * `<issuedMs>.<nonce>.<fields…>.<hmac>`, the HMAC over `<scope>|` and the rest: the scope (`form|<id>`,
 * `csrf|<link token>`) binds it to the page's form or link; the nonce names the submission (the preference center
 * spends it in the store: one post of a page is recorded, a second refused); `fields` (no `.` in them) are what the
 * page showed that the POST must be checked against.
 */
export function pageToken(signer: TokenSigner, scope: string, fields: readonly string[], now: Date): string {
  const body = [now.getTime(), randomBytes(12).toString('base64url'), ...fields].join('.');
  return `${body}.${signer.mac(`${scope}|${body}`)}`;
}

/**
 * The nonce and fields of a token {@link pageToken} made for `scope` with `count` fields, under two hours old; else
 * null. `expiresMs`: when no server (clocks up to a minute apart) takes it any more, as long as a spent nonce is kept.
 */
export function checkPageToken(
  signer: TokenSigner,
  scope: string,
  token: unknown,
  count: number,
  now: Date,
): { nonce: string; fields: string[]; expiresMs: number } | null {
  if (typeof token !== 'string' || token.length > 200) return null;
  const parts = token.split('.');
  if (parts.length !== count + 3) return null;
  const [issued = '', nonce = '', ...rest] = parts;
  const mac = rest.pop() ?? '';
  if (!/^\d{1,15}$/.test(issued) || nonce === '' || !signer.checkMac(`${scope}|${parts.slice(0, -1).join('.')}`, mac)) {
    return null;
  }
  const age = now.getTime() - Number(issued);
  if (age < -CLOCK_SKEW_MS || age > PAGE_TOKEN_TTL_MS) return null;
  return { nonce, fields: rest, expiresMs: Number(issued) + PAGE_TOKEN_TTL_MS + CLOCK_SKEW_MS };
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
