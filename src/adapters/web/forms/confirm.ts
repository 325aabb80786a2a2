// The double opt-in link: GET shows what will be confirmed and a button; only the button's POST confirms, so a mail
// scanner that prefetches the link confirms nothing. Forged, expired and used tokens get a page and change nothing.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { FormDeps, PendingItem } from '../../../services/forms/collect.js';
import { checkConfirmToken, confirmConsent, type TokenProblem } from '../../../services/forms/double-opt-in.js';
import type { RouteContext } from '../../http/app.js';
import { purposeLabel, type Translator, translator, translatorFor } from '../i18n.js';
import { html, langAttr, type SafeHtml, sendPage } from '../layout.js';
import { confirmPage, messagePage } from './pages.js';

export const CONFIRM_PATH = '/confirm';

const MAX = 30; // per client IP and minute

function problemPage(reply: FastifyReply, t: Translator, problem: TokenProblem): FastifyReply {
  const status = problem === 'invalid' ? 400 : 410;
  return sendPage(reply, messagePage(t, t.t('confirm.title'), t.t(`problem.${problem}`), 'error'), { status });
}

/** The request's language, unless the visitor asks for another (`?lang=`, Accept-Language does not override it). */
function pageTranslator(query: unknown, headers: Record<string, string | string[] | undefined>, lang?: string) {
  const asked = (query as Record<string, unknown>).lang;
  if (typeof asked === 'string' || lang === undefined) return translatorFor({ query, headers }, 'forms');
  return translator(lang, 'forms');
}

export function confirmationRoutes(app: FastifyInstance, ctx: RouteContext, deps: FormDeps): void {
  app.get(
    CONFIRM_PATH,
    { config: { scope: 'public', rateLimitMax: MAX }, schema: { hide: true } },
    async (request, reply) => {
      // In the query, not the path: tokens are longer than Fastify's path-parameter limit.
      const given = (request.query as Record<string, unknown>).token;
      const token = typeof given === 'string' ? given : '';
      const state = await checkConfirmToken(deps, token);
      if (!state.ok) {
        return problemPage(reply, pageTranslator(request.query, request.headers, state.language), state.problem);
      }
      const t = pageTranslator(request.query, request.headers, state.request.language);
      const items: SafeHtml[] = [];
      for (const i of state.request.items as PendingItem[]) {
        const text = await deps.store.getConsentText(i.textId);
        items.push(describe(t, i, text === null ? null : { body: text.body, lang: text.language }));
      }
      return sendPage(reply, confirmPage(t, token, `${CONFIRM_PATH}?lang=${t.lang}`, items));
    },
  );

  app.post(
    CONFIRM_PATH,
    { config: { scope: 'public', rateLimitMax: MAX }, schema: { hide: true } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, string>;
      const t = pageTranslator(request.query, request.headers);
      const ua = request.headers['user-agent'];
      const result = await confirmConsent(
        { ...deps, recordedBy: 'double-opt-in' },
        typeof body.token === 'string' ? body.token : '',
        { ip: request.ip, userAgent: (typeof ua === 'string' ? ua : '').slice(0, 512) },
      );
      if (!result.ok) {
        return problemPage(reply, pageTranslator(request.query, request.headers, result.language), result.problem);
      }
      return sendPage(reply, messagePage(t, t.t('confirmed.title'), t.t('confirmed.body')));
    },
  );
  void ctx;
}

/**
 * One thing to confirm: its channels and purpose, the wording the person agreed to (what the confirmation is of),
 * and the address the form took that their record will gain (collect.ts, PendingItem.add). The purpose in words of
 * the page's language, else said by the wording below it: never the form's internal id ("E-Mail: newsletter").
 * The wording is the one the person was shown, in its language: marked when not the page's (WCAG 3.1.2).
 */
function describe(t: Translator, i: PendingItem, wording: { body: string; lang: string } | null): SafeHtml {
  const channels = [i.channel].flat().map((c) => t.t(`channel.${c}`));
  const purpose = purposeLabel(t.lang, i.purpose, wording !== null);
  const who = i.partners === undefined ? '' : ` (${t.t('partners.legend')})`;
  const quoted = wording === null ? '' : html`<br><q${langAttr(wording.lang, t.lang)}>${wording.body}</q>`;
  return html`<li>${channels.join(', ')}${purpose === null ? '' : `: ${purpose}`}${who}${quoted}${
    i.add === undefined ? '' : html`<br>${t.t('confirm.adds', { value: i.add.value })}`
  }</li>`;
}
