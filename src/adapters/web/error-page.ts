import type { FastifyReply, FastifyRequest } from 'fastify';
import { translatorFor } from './i18n.js';
import { html, page, sendPage } from './layout.js';

/** Paths of the pages a person opens (consent form, confirmation, unsubscribe, preferences); not the embed script. */
const PAGE_PATH = /^\/(?:f\/[^/?]+(?:\?|$)|u\/|p\/|confirm(?:\?|$))/;

/**
 * Whether an error on this request is answered with a page rather than problem+json: a browser (Accept names
 * text/html) on a recipient-facing path. Mail clients' one-click POSTs and servers posting forms get the JSON.
 */
export function wantsErrorPage(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html') && PAGE_PATH.test(request.url);
}

/** A localised page for an error status (429: wait a minute; 404: no such page; anything else: try again later). */
export function sendErrorPage(request: FastifyRequest, reply: FastifyReply, status: number): FastifyReply {
  const t = translatorFor(request, 'common');
  const title = t.t('error.title');
  const message =
    status === 429
      ? t.t('error.tooMany')
      : status === 404
        ? t.t('error.notFound')
        : status === 413
          ? t.t('error.tooLarge')
          : t.t('error.tryLater');
  const body = html`<h1>${title}</h1><p class="error" role="alert">${message}</p>`;
  return sendPage(reply, page({ lang: t.lang, title, body }), { status });
}
