// Unsubscribe links (issue #5). RFC 8058: `POST /u/{token}` with `List-Unsubscribe=One-Click` unsubscribes at once,
// with no login, no confirmation and no CSRF token (the signed token is the authority), and the objection is in the
// ledger before the answer leaves. `GET /u/{token}` only shows a page whose button POSTs: mail scanners prefetch
// links, and a GET must never unsubscribe. CPCE art. L34-5 al. 4 and RGPD art. 21(3): the objection is free and final.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { expiresIn, type TokenSigner } from '../../../services/tokens.js';
import { PREFERENCES_TTL_DAYS, recordObjection } from '../../../services/unsubscribe.js';
import type { RouteContext } from '../../http/app.js';
import { html, page, sendPage } from '../layout.js';
import { checkLink, evidenceOf, field, langQuery, PUBLIC_RATE_MAX, tokenOf } from './shared.js';

/** One-click unsubscribes allowed per client IP and minute (the server-wide limit applies on arrival too). */
export const ONE_CLICK_RATE_MAX = 3_000;

export function unsubscribeRoutes(app: FastifyInstance, ctx: RouteContext, signer: TokenSigner): void {
  const config = { scope: 'public' as const, rateLimitMax: PUBLIC_RATE_MAX };
  // No length limit here: a token too long is refused by the signer, with the page a forged link gets (not JSON).
  const schema = { hide: true, params: { type: 'object', properties: { '*': { type: 'string' } } } };

  app.get('/u/*', { config, schema }, async (request, reply) => {
    const link = await checkLink(request, reply, { signer, store: ctx.store }, 'unsubscribe');
    if (link === null) return reply;
    const { t, payload } = link;
    const token = tokenOf(request);
    const channel = payload.ch ? t.t(`channel.${payload.ch}`) : null;
    // A link past its date still unsubscribes, but opens no preference center: it may have travelled far (forwarded).
    const prefs = link.expired ? null : preferencesHref(signer, payload.c, ctx.now());
    const body = html`<h1>${t.t('unsub.title')}</h1>
<p>${channel ? t.t('unsub.introChannel', { channel }) : t.t('unsub.intro')}</p>
<form method="post" action="/u/${token}?${langQuery(t)}">
<input type="hidden" name="confirm" value="landing-page">
<button type="submit">${t.t('unsub.confirm')}</button>
</form>
${prefs === null ? '' : html`<p><a href="${prefs}?${langQuery(t)}">${t.t('unsub.prefs')}</a></p>`}`;
    return sendPage(reply, page({ lang: t.lang, title: t.t('unsub.title'), body }));
  });

  // One-click POSTs come from mailbox providers' servers, a few addresses for millions of recipients: at the pages'
  // 60 a minute, a campaign's unsubscribes would be turned away with a 429 that RFC 8058 does not ask them to retry,
  // and each would be an objection lost (RGPD art. 21(3)). A budget of their own, counted once the request is valid;
  // a forged token costs one HMAC and changes nothing.
  app.post(
    '/u/*',
    { config: { scope: 'public', rateLimitMax: ONE_CLICK_RATE_MAX, rateLimitBucket: 'one-click' }, schema },
    async (request, reply) => unsubscribe(request, reply),
  );

  async function unsubscribe(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const link = await checkLink(request, reply, { signer, store: ctx.store }, 'unsubscribe');
    if (link === null) return reply;
    const { t, payload, contact } = link;
    // The landing page's button says so; anything else (the RFC 8058 body, or none) is a one-click POST.
    const method = field(request.body, 'confirm') === 'landing-page' ? 'landing-page' : 'one-click';
    await recordObjection(ctx.store, {
      contactId: contact.id,
      channel: payload.ch ?? null,
      at: ctx.now(),
      evidence: { ...evidenceOf(request, method), token: payload.k },
      recordedBy: `recipient:${method}`,
    });
    const channel = payload.ch ? t.t(`channel.${payload.ch}`) : null;
    const prefs = link.expired ? null : preferencesHref(signer, contact.id, ctx.now());
    const body = html`<h1>${t.t('unsub.done.title')}</h1>
<p class="notice" role="status">${channel ? t.t('unsub.done.bodyChannel', { channel }) : t.t('unsub.done.body')}</p>
${prefs === null ? '' : html`<p><a href="${prefs}?${langQuery(t)}">${t.t('unsub.prefs')}</a></p>`}`;
    return sendPage(reply, page({ lang: t.lang, title: t.t('unsub.done.title'), body }));
  }
}

/** A fresh preference-center link for a person who just proved they hold a valid link. */
export function preferencesHref(signer: TokenSigner, contactId: string, now: Date): string {
  return `/p/${signer.sign({ p: 'preferences', c: contactId, exp: expiresIn(now, PREFERENCES_TTL_DAYS) })}`;
}
