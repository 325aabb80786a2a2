// Shared pieces of the recipient pages (issue #5): form bodies, the token check and its error page, evidence.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Contact } from '../../../domain/contact.js';
import type { Evidence } from '../../../domain/ledger.js';
import type { TokenCheck, TokenPayload, TokenPurpose, TokenSigner } from '../../../services/tokens.js';
import type { Store } from '../../../store/store.js';
import { type Translator, translatorFor } from '../i18n.js';
import { html, limitPageBodies, PAGE_BODY_LIMIT, page, sendPage } from '../layout.js';

export type FormBody = Record<string, string | string[]>;

/** Public pages are limited per client IP (the auth hook's limiter with this route's bucket). */
export const PUBLIC_RATE_MAX = 60;

/**
 * Form bodies, scoped to this plugin: `application/x-www-form-urlencoded` (repeated names become lists). Any other
 * type is read as text and ignored: RFC 8058 senders may post multipart, and the token alone decides.
 */
export function registerFormParsers(app: FastifyInstance): void {
  limitPageBodies(app);
  const opts = { parseAs: 'string' as const, bodyLimit: PAGE_BODY_LIMIT };
  app.addContentTypeParser('application/x-www-form-urlencoded', opts, (_req, body, done) => {
    const out: FormBody = {};
    for (const [k, v] of new URLSearchParams(String(body as unknown))) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, out);
  });
  // Any other body is none: a one-click POST is the token alone (RFC 8058), whatever a client sends with it (a JSON
  // body that does not parse answered 400, and the objection was lost).
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', opts, (_req, _body, done) => done(null, {}));
}

export const field = (body: unknown, name: string): string | undefined => {
  const v = (body as FormBody | null)?.[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
};
export const fields = (body: unknown, name: string): string[] => {
  const v = (body as FormBody | null)?.[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
};

/** How the act was captured: method, IP, user agent (CNIL: keep the proof of an opt-out as of a consent). */
export function evidenceOf(request: FastifyRequest, method: string): Evidence {
  const ua = request.headers['user-agent'];
  return { method, ip: request.ip, ...(typeof ua === 'string' ? { userAgent: ua.slice(0, 512) } : {}) };
}

/** A clear page for a link that cannot be used: 410 when expired or its person is gone, else 400. Nothing changes. */
export function sendTokenProblem(
  reply: FastifyReply,
  t: Translator,
  reason: Exclude<TokenCheck, { ok: true }>['reason'] | 'gone' | 'erased' | 'csrf',
): FastifyReply {
  const [title, body, status] =
    reason === 'expired'
      ? [t.t('token.expired.title'), t.t('token.expired.body'), 410]
      : reason === 'gone'
        ? [t.t('token.invalid.title'), t.t('token.gone.body'), 410]
        : reason === 'erased'
          ? [t.t('token.erased.title'), t.t('token.erased.body'), 410]
          : reason === 'csrf'
            ? [t.t('csrf.title'), t.t('csrf.body'), 400]
            : [t.t('token.invalid.title'), t.t('token.invalid.body'), 400];
  const content = html`<h1>${title}</h1><p class="error" role="alert">${body}</p>`;
  return sendPage(reply, page({ lang: t.lang, title, body: content }), { status });
}

/** Checks a link token and finds its contact; on failure sends the error page and returns null. */
export async function checkLink(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: { signer: TokenSigner; store: Store },
  purpose: TokenPurpose,
): Promise<{ payload: TokenPayload; contact: Contact; t: Translator; expired: boolean } | null> {
  const t = translatorFor(request, 'prefs');
  const token = tokenOf(request);
  // An unsubscribe link is honoured at any age: its signature proves it was ours, sent to this person, and refusing
  // it would lose an objection (RGPD art. 21(3)); an old link only opens no preference center (below).
  const check = deps.signer.verify(token, purpose, { acceptExpired: purpose === 'unsubscribe' });
  if (!check.ok) {
    request.log.info({ reason: check.reason, purpose }, 'recipient link refused');
    sendTokenProblem(reply, t, check.reason);
    return null;
  }
  const contact = await deps.store.findContact({ id: check.payload.c });
  // An erased person's links change nothing and show nothing (the proof stays in the ledger, the pages do not),
  // but say why: an unsubscribe that reads as failed would worry them. Only what holds for every erasure: no request
  // claimed (a retention purge or the DPO may have erased them), and no promise of no marketing at all, as a purge
  // suppresses only the addresses the person objected on (retention.ts): the page says how to object instead.
  if (contact === null || contact.erasedAt !== undefined) {
    sendTokenProblem(reply, t, contact === null ? 'gone' : 'erased');
    return null;
  }
  return { payload: check.payload, contact, t, expired: check.expired === true };
}

/**
 * The token of `/u/*` and `/p/*`: a wildcard, as a token (~200 characters) is longer than Fastify's limit on a
 * `:param` (100), which the app keeps for the API.
 */
export const tokenOf = (request: FastifyRequest): string => (request.params as { '*'?: string })['*'] ?? '';

/** `?lang=xx` to keep the page language across a POST and its redirect. */
export const langQuery = (t: Translator): string => `lang=${encodeURIComponent(t.lang)}`;

export function formatDate(lang: string, iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? iso
    : new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
}
