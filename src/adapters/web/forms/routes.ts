// Public consent-form pages: the form (GET, embeddable), its POST, the embed loader, and the double opt-in
// confirmation (GET shows a button, only the POST confirms). Rate limited per client IP; docs/forms.md.
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { IdentifierError } from '../../../domain/contact.js';
import { sha256 } from '../../../domain/ledger.js';
import {
  collectConsent,
  type FormDeps,
  FormInputError,
  SubmissionReusedError,
  textIdFor,
} from '../../../services/forms/collect.js';
import { type FormSettings, textsOf } from '../../../services/forms/settings.js';
import type { ConsentForm } from '../../../store/consent-requests.js';
import type { RouteContext } from '../../http/app.js';
import { presentsApiKey, requireKey } from '../../http/auth.js';
import { HttpProblem, invalidField, sendProblem } from '../../http/problems.js';
import { checkPageToken, pageToken, postOrigin } from '../csrf.js';
import { availableLanguages, type Translator, translator, translatorFor } from '../i18n.js';
import { limitPageBodies, PAGE_BODY_LIMIT, sendPage } from '../layout.js';
import { confirmationRoutes } from './confirm.js';
import { formPage, messagePage, type ShownBox } from './pages.js';

type Body = Record<string, string>;
const GET_MAX = 120; // per client IP and minute
const POST_MAX = 20;
/** A form revision as a page or a poster gives it. */
const REVISION = /^[1-9]\d{0,9}$/;

/** A problem naming one field of a form's POST, its detail said once for the whole and for the field. */
const bodyProblem = (code: 'VALIDATION' | 'CONFLICT', pointer: string, detail: string): HttpProblem =>
  new HttpProblem(code, detail, [{ in: 'body', pointer, detail }]);

export function formRoutes(app: FastifyInstance, ctx: RouteContext, deps: FormDeps): void {
  const publicOrigin = new URL(ctx.config.publicUrl).origin;
  limitPageBodies(app);
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: PAGE_BODY_LIMIT },
    (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
  );

  const loadForm = async (request: FastifyRequest, reply: FastifyReply): Promise<ConsentForm | null> => {
    const { formId } = request.params as { formId: string };
    const form = /^[A-Za-z0-9_-]{1,64}$/.test(formId) ? await ctx.store.getConsentForm(formId) : null;
    if (form === null || form.retiredAt !== null) {
      const t = translatorFor(request, 'common');
      const [status, text] = form === null ? [404, 'error.notFound'] : [410, 'error.retired'];
      // A server posting with its API key reads problem+json, as the API's other answers (RFC 9457).
      if (request.method === 'POST' && presentsApiKey(request)) {
        sendProblem(request, reply, new HttpProblem(form === null ? 'NOT_FOUND' : 'GONE', t.t(text)));
      } else sendPage(reply, messagePage(t, t.t('error.title'), t.t(text), 'error'), { status });
      return null;
    }
    return form;
  };
  const ancestors = (s: FormSettings) => ["'self'", ...s.origins];
  /**
   * Which wordings a page in `lang` shows (the language's, else English), as a short digest: a text added or a
   * language gained between the page and its POST would otherwise record a wording the visitor never saw.
   */
  const digestOf = (ids: readonly string[]) => sha256(ids.join('\n')).slice(0, 16);
  const shownTexts = async (s: FormSettings, lang: string): Promise<string> =>
    digestOf(await Promise.all(textsOf(s).map((x) => textIdFor(ctx.store, x, lang))));

  const render = async (
    reply: FastifyReply,
    t: Translator,
    form: ConsentForm,
    extra: {
      pageUrl: string | null;
      values?: Body;
      error?: string;
      status?: number;
      /** An input error (400): the field to mark, and the visitor's ticks kept so they need not tick again. */
      invalid?: 'email' | 'phone';
    },
  ) => {
    const s = form.settings as FormSettings;
    const shown = async (name: string, key: string, version: string): Promise<ShownBox> => {
      const own = await ctx.store.getConsentText(`${key}:${version}:${t.lang}`);
      const text = own ?? (await ctx.store.getConsentText(`${key}:${version}:en`));
      return { name, body: text?.body ?? '', lang: own === null ? 'en' : t.lang };
    };
    // The wordings this page shows, as textIdFor names them at submission (the same digest, read once here).
    const idsShown = (shownBoxes: readonly ShownBox[]) =>
      textsOf(s).map((x, i) => `${x.key}:${x.version}:${shownBoxes[i]?.lang}`);
    const boxes = await Promise.all(s.boxes.map((b) => shown(`box_${b.id}`, b.text.key, b.text.version)));
    const partners =
      s.partners === undefined
        ? null
        : {
            box: await shown('partners', s.partners.text.key, s.partners.text.version),
            names: s.partners.partners.map((p) => p.name),
            listUrl: s.partners.listUrl,
          };
    const body = formPage(t, {
      formId: form.id,
      // The language in the URL too: an answer made before the body is read (429, 413) is a page in the query's
      // language, not the browser's (a visitor who chose ?lang=de on an English browser got an English error).
      action: `/f/${form.id}?lang=${encodeURIComponent(t.lang)}`,
      // The revision and the digest of the wordings shown: a form or a wording changed meanwhile must not record
      // wording the visitor never saw (docs/forms.md §4).
      csrf: pageToken(
        await deps.signer(),
        `form|${form.id}`,
        [String(form.revision), digestOf(idsShown([...boxes, ...(partners ? [partners.box] : [])]))],
        ctx.now(),
      ),
      pageUrl: extra.pageUrl,
      boxes,
      partners,
      privacyPolicyUrl: s.privacyPolicyUrl,
      controller: s.controller ?? null,
      fields: s.fields,
      values: { email: extra.values?.email, phone: extra.values?.phone },
      error: extra.error ?? null,
      invalid: extra.invalid ?? null,
      ticked: new Set(
        extra.invalid === undefined
          ? []
          : Object.entries(extra.values ?? {})
              .filter(([k, v]) => v === 'on' && (k === 'partners' || k.startsWith('box_')))
              .map(([k]) => k),
      ),
    });
    return sendPage(reply, body, { status: extra.status ?? 200, frameAncestors: ancestors(s) });
  };

  app.get(
    '/f/:formId',
    { config: { scope: 'public', rateLimitMax: GET_MAX }, schema: { hide: true } },
    async (request, reply) => {
      const form = await loadForm(request, reply);
      if (form === null) return reply;
      const page = (request.query as Record<string, unknown>).page;
      return render(reply, translatorFor(request, 'forms'), form, { pageUrl: pageUrlOf(page) });
    },
  );

  app.post(
    '/f/:formId',
    { config: { scope: 'public', rateLimitMax: POST_MAX }, schema: { hide: true } },
    async (request, reply) => {
      const form = await loadForm(request, reply);
      if (form === null) return reply;
      const s = form.settings as FormSettings;
      const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Body;
      // The body's `lang`, else the URL's (the page itself posts to `/f/{id}?lang=xx`, and a server may too): without
      // it a server's POST, which sends no Accept-Language, would record the English wording for a French page.
      const asked = (request.query as Record<string, unknown>).lang;
      const t = translator(
        translatorFor({ query: { lang: body.lang ?? asked }, headers: request.headers }, 'forms').lang,
        'forms',
      );
      // A server-side POST carries an API key with `write`: no browser, no CSRF; it names the visitor's details. A key
      // that is unknown, revoked or cannot write is told so (401/403), not shown the browser's "page expired". A
      // browser's Basic credentials for a proxy in front are no key: its POST is a visitor's.
      const server = presentsApiKey(request);
      if (server) requireKey(request, 'write');
      let submissionId: string | null;
      // The form's revision the submitted page showed: the token's on this server's page; else `form_revision` when
      // the poster gives it (its own HTML form, a server), which it should.
      let shownRevision: number | null = null;
      if (server) {
        submissionId = body.submission_id || crypto.randomUUID();
      } else {
        const origin = postOrigin(request.headers);
        if (origin === null || (origin !== publicOrigin && !s.origins.includes(origin))) submissionId = null;
        else if (origin === publicOrigin) {
          const token = checkPageToken(await deps.signer(), `form|${form.id}`, body._csrf, 2, ctx.now());
          const [revision = '', texts] = token?.fields ?? [];
          submissionId = REVISION.test(revision) ? (token?.nonce ?? null) : null;
          // Another wording now than the page showed is a change of the form, for the visitor.
          shownRevision = submissionId === null ? null : texts === (await shownTexts(s, t.lang)) ? Number(revision) : 0;
        } else submissionId = crypto.randomUUID(); // the company's own plain-HTML form, from a listed origin
      }
      const pageUrl = pageUrlOf(body.page_url) ?? (server ? null : refererOf(request));
      if (submissionId === null) {
        return render(reply, t, form, { pageUrl, values: body, error: t.t('error.expired'), status: 403 });
      }
      // A box the form does not have (misspelt, or removed since the poster's page was written) would be ignored and
      // every real box recorded as refused: refused, nothing recorded. A server is told which field (docs/http.md:
      // unknown fields are refused); a browser is shown the form as it is now. Other fields a browser posts (a submit
      // button's name, the site's own hidden fields) are not ours to judge.
      const unknown = unknownField(s, body, server);
      if (unknown !== null) {
        if (server) return sendProblem(request, reply, invalidField(`/${unknown.name}`, unknown.detail));
        return render(reply, t, form, { pageUrl, values: {}, error: t.t('error.changed'), status: 400 });
      }
      if (shownRevision === null && body.form_revision !== undefined && body.form_revision !== '') {
        shownRevision = REVISION.test(body.form_revision) ? Number(body.form_revision) : 0;
      }
      if (shownRevision !== null && shownRevision !== form.revision) {
        const detail = `the form is at revision ${form.revision}; the submitted page showed ${body.form_revision ?? shownRevision}: nothing was recorded`;
        if (server) return sendProblem(request, reply, bodyProblem('CONFLICT', '/form_revision', detail));
        return render(reply, t, form, { pageUrl, values: body, error: t.t('error.changed'), status: 409 });
      }
      // The visitor's address is part of the proof of consent: one that is not an address would be stored as such.
      const givenIp: unknown = body.visitor_ip;
      if (server && givenIp !== undefined && givenIp !== '' && (typeof givenIp !== 'string' || isIP(givenIp) === 0)) {
        return sendProblem(
          request,
          reply,
          invalidField(
            '/visitor_ip',
            `must be the visitor's IPv4 or IPv6 address; got ${JSON.stringify(String(givenIp).slice(0, 64))}`,
          ),
        );
      }
      const isTicked = (v: unknown): boolean => (server ? v === 'on' : typeof v === 'string' && v !== '');
      const ticked = new Set(s.boxes.filter((b) => isTicked(body[`box_${b.id}`])).map((b) => b.id));
      const ua = server ? body.visitor_user_agent : request.headers['user-agent'];
      const visitor = {
        ip: server ? body.visitor_ip || request.ip : request.ip,
        userAgent: (typeof ua === 'string' ? ua : '').slice(0, 512),
        pageUrl,
        language: t.lang,
      };
      const recordedBy = server ? `api-key:${request.apiKey?.id}/form:${form.id}` : `form:${form.id}`;
      try {
        const result = await collectConsent(
          { ...deps, recordedBy },
          form,
          { email: body.email, phone: body.phone, ticked, partners: isTicked(body.partners), submissionId },
          visitor,
        );
        if (server) {
          const ids = result.status === 'pending' ? result.requests.map((r) => r.request.id) : [];
          return reply
            .code(201)
            .send({ status: result.status, contactId: result.contactId, requestId: ids[0] ?? null, requestIds: ids });
        }
        // A submission that must be confirmed although the form does not ask for it (collect.ts, mustConfirm) gets
        // the same page as any other: a different one would tell whoever typed an address that its owner is known.
        if (result.status === 'recorded' || result.returning) {
          return sendPage(reply, messagePage(t, t.t('recorded.title'), t.t('recorded.body')), {
            frameAncestors: ancestors(s),
          });
        }
        // Where a confirmation went (an email, a number, or both); none sent: say so.
        const sent = result.requests.filter((r) => r.sent).map((r) => r.request.destination);
        const text = sent.length > 0 ? t.t('pending.body', { destination: sent.join(', ') }) : t.t('pending.failed');
        return sendPage(reply, messagePage(t, t.t('pending.title'), text), { frameAncestors: ancestors(s) });
      } catch (error) {
        if (error instanceof SubmissionReusedError) {
          if (server) return sendProblem(request, reply, bodyProblem('CONFLICT', '/submission_id', error.message));
          return render(reply, t, form, { pageUrl, values: body, error: t.t('error.sent'), status: 409 });
        }
        if (!(error instanceof FormInputError || error instanceof IdentifierError)) throw error;
        const invalid = /phone/.test(error.field) ? 'phone' : 'email';
        const message =
          error instanceof FormInputError
            ? t.t(`error.${error.problem}`, { field: t.t(`field.${invalid}`) })
            : t.t('error.invalid', { field: t.t(`field.${invalid}`) });
        if (server) return sendProblem(request, reply, bodyProblem('VALIDATION', `/${invalid}`, message));
        return render(reply, t, form, { pageUrl, values: body, error: message, status: 400, invalid });
      }
    },
  );

  app.get(
    '/f/:formId/embed.js',
    { config: { scope: 'public', rateLimitMax: GET_MAX }, schema: { hide: true } },
    async (request, reply) => {
      const { formId } = request.params as { formId: string };
      const form = /^[A-Za-z0-9_-]{1,64}$/.test(formId) ? await ctx.store.getConsentForm(formId) : null;
      // A loader for a form that is not (or no longer) there would frame a 404 or 410 page on the site: the site's
      // developer sees the status in the console instead, and the page shows nothing.
      if (form === null || form.retiredAt !== null) {
        const why = form === null ? 'no such consent form' : 'this consent form was retired';
        return reply
          .code(form === null ? 404 : 410)
          .type('text/javascript; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('cross-origin-resource-policy', 'cross-origin')
          .send(`/* Assent: ${why} (${formId.replace(/[^A-Za-z0-9_-]/g, '')}) */\n`);
      }
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=300')
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(embedScript(`${ctx.config.publicUrl.replace(/\/$/, '')}/f/${formId}`, frameTitles()));
    },
  );

  confirmationRoutes(app, ctx, deps);
}

/** The frame's default title in each shipped language (`frame.title`), read once. */
let titles: Readonly<Record<string, string>> | undefined;
function frameTitles(): Readonly<Record<string, string>> {
  titles ??= Object.fromEntries(availableLanguages().map((l) => [l, translator(l, 'forms').t('frame.title')]));
  return titles;
}

/**
 * The loader: an iframe after the script tag, passing the page URL (evidence) and the language of the page. Its
 * title, when the site gives none (`data-title`), is in that language: an English "Consent form" on a German page is
 * what a screen reader announced on entering the frame, read with German rules (WCAG 3.1.2, 4.1.2).
 */
function embedScript(formUrl: string, frameTitle: Readonly<Record<string, string>>): string {
  return `(function(){var s=document.currentScript;var f=document.createElement('iframe');
var l=(s&&s.getAttribute('data-lang'))||document.documentElement.lang||'';
var T=${JSON.stringify(frameTitle)};var k=l.toLowerCase();
f.src=${JSON.stringify(formUrl)}+'?page='+encodeURIComponent(location.href)+(l?'&lang='+encodeURIComponent(l):'');
f.title=(s&&s.getAttribute('data-title'))||T[k]||T[k.split('-')[0]]||T.en;f.style.width='100%';f.style.border='0';
f.style.minHeight=((s&&s.getAttribute('data-height'))||'640')+'px';f.loading='lazy';
s&&s.parentNode?s.parentNode.insertBefore(f,s.nextSibling):document.body.appendChild(f);})();
`;
}

/** The fields a POST may carry besides the boxes: a browser's page, a plain HTML form, a server (docs/forms.md §3). */
const POST_FIELDS: ReadonlySet<string> = new Set([
  'email',
  'phone',
  'lang',
  'page_url',
  'form_revision',
  'submission_id',
  'visitor_ip',
  'visitor_user_agent',
  '_csrf',
]);

/**
 * The first field of a POST that is no box of the form, or a box not posted as ticked (`on`): anything else would
 * be read as unticked, a refusal the visitor did not give. For a browser, only box-like fields are judged.
 */
export function unknownField(s: FormSettings, body: Body, server: boolean): { name: string; detail: string } | null {
  const boxes = new Set([...s.boxes.map((b) => `box_${b.id}`), ...(s.partners === undefined ? [] : ['partners'])]);
  for (const [name, value] of Object.entries(body)) {
    if (boxes.has(name)) {
      // A browser sends a ticked checkbox's `value` ("on" unless the page's HTML sets one, value="yes"): any value
      // is ticked there. A server says "on", as documented.
      if (server && value !== 'on') {
        return {
          name,
          detail: `is ${JSON.stringify(value.slice(0, 32))}: a ticked box is "on", an unticked one is left out; nothing was recorded`,
        };
      }
    } else if (server ? !POST_FIELDS.has(name) : name.startsWith('box_') || name === 'partners') {
      const known = [...boxes].join(', ') || 'none';
      return { name, detail: `is not a field of this form (its boxes: ${known}); nothing was recorded` };
    }
  }
  return null;
}

function pageUrlOf(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}

function refererOf(request: FastifyRequest): string | null {
  return pageUrlOf(request.headers.referer);
}
