// Recipient-facing pages: escaping, the page shell and the one stylesheet. Pages work without JavaScript.
// Accessibility (WCAG 2.1 AA): lang attribute, a <main> landmark, labels on every control, visible focus,
// text contrast ≥ 4.5:1 (#1f2328 on #ffffff is 15.8:1; links #0b57d0 on white 6.3:1; muted #4a5160 on white 8.1:1).
import type { FastifyInstance, FastifyReply } from 'fastify';

/** What a recipient page or webhook is posted at most: a form, a few fields, a short text. */
export const PAGE_BODY_LIMIT = 16_384;

/**
 * Gives the routes of this plugin the pages' body limit: their parsers enforce it, and the route's own limit is
 * what an answer over it names (routeOptions.bodyLimit). Call before registering the routes.
 */
export function limitPageBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    route.bodyLimit ??= PAGE_BODY_LIMIT;
  });
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values for HTML: every markup character escaped. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/** A tagged template that escapes every interpolated value, except `SafeHtml` (already built markup). */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((v, i) => {
    out += renderValue(v) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * ` lang="…"` for a text in another language than the page's (a stored wording, an English fallback), so that a
 * screen reader reads it with that language's rules (WCAG 3.1.2); nothing when it is the page's.
 */
export function langAttr(lang: string, pageLang: string): SafeHtml | '' {
  return lang === pageLang ? '' : html` lang="${lang}"`;
}

function renderValue(v: unknown): string {
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(renderValue).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeHtml(v);
}

/** The stylesheet's path: served by `registerWebAssets` (the forms module registers it once for every page). */
export const STYLESHEET_PATH = '/web/assent.css';

/**
 * One small stylesheet served from this origin, so page CSPs need only `style-src 'self'` (no inline styles,
 * no nonces). Focus is always visible (WCAG 2.4.7); controls are at least 24px (WCAG 2.5.8). Nothing scrolls sideways
 * at 320 CSS px (WCAG 1.4.10, a 1280px screen at 400 %): a fieldset is min-content wide by default and a long word (a
 * partner's "…Versicherungsvermittlungsgesellschaft", "Kommunikationseinstellungen") widened the page to ~480px, so
 * fieldsets may shrink and words break where they must; a box's note sits under its label, not in a third column.
 */
export const STYLESHEET = `
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:100%;line-height:1.5;color:#1f2328;background:#fff;overflow-wrap:anywhere;hyphens:auto}
body{margin:0;padding:1rem}
main{max-width:40rem;margin:0 auto}
h1{font-size:1.5rem;margin:0 0 1rem}
a{color:#0b57d0;text-decoration:underline}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible{outline:3px solid #b3261e;outline-offset:2px}
fieldset{border:1px solid #6b7280;border-radius:6px;padding:.75rem 1rem;margin:0 0 1rem;min-width:0}
legend{font-weight:600;padding:0 .25rem}
.field{margin:0 0 .75rem}
.field label{display:block;font-weight:600;margin-bottom:.25rem}
input[type=email],input[type=tel],input[type=text],textarea{width:100%;padding:.5rem;font:inherit;border:1px solid #4a5160;border-radius:4px;color:#1f2328;background:#fff}
.check{display:flex;flex-wrap:wrap;gap:.5rem;align-items:flex-start;margin:0 0 .75rem}
.check input{width:1.5rem;height:1.5rem;margin:0;flex:none}
.check label{flex:1 1 0}
.check>.hint{flex:1 1 100%;padding-left:2rem}
.muted,.hint{color:#4a5160;font-size:.9rem}
button{font:inherit;font-weight:600;padding:.6rem 1.2rem;border-radius:4px;border:2px solid #0b57d0;background:#0b57d0;color:#fff;cursor:pointer;min-height:2.75rem}
button.secondary{background:#fff;color:#0b57d0}
.notice{border-left:4px solid #0b57d0;padding:.5rem 1rem;background:#eef3fd;margin:0 0 1rem}
.error{border-left:4px solid #b3261e;padding:.5rem 1rem;background:#fdecea;margin:0 0 1rem}
`.trim();

/** Serves the stylesheet (public, cacheable for a day). Call once per app. */
export function registerWebAssets(app: FastifyInstance): void {
  app.get(STYLESHEET_PATH, { config: { scope: 'public' }, schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(STYLESHEET),
  );
}

export interface PageOptions {
  /** BCP 47 language of the page (the `lang` attribute, WCAG 3.1.1). */
  lang: string;
  title: string;
  /** The page's content, inside <main>. */
  body: SafeHtml;
}

/** A full HTML document: doctype, lang, charset, viewport, title, the stylesheet, <main>. */
export function page(opts: PageOptions): string {
  return `<!doctype html>
<html lang="${escapeHtml(opts.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${escapeHtml(opts.title)}</title>
<link rel="stylesheet" href="${STYLESHEET_PATH}">
</head>
<body>
<main>
${opts.body.value}
</main>
</body>
</html>
`;
}

/**
 * The CSP of a page: nothing but this origin's stylesheet and forms posting back here. `frameAncestors` is
 * `'none'` except for pages meant to be embedded (the consent form: `*` or a company's origins).
 */
export function pageCsp(opts: { frameAncestors?: readonly string[]; scripts?: boolean } = {}): string {
  const ancestors = opts.frameAncestors?.length ? opts.frameAncestors.join(' ') : "'none'";
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self' data:",
    `script-src ${opts.scripts ? "'self'" : "'none'"}`,
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** Sends a page with its CSP (overriding the API's global one); no caching, as pages carry tokens. */
export function sendPage(
  reply: FastifyReply,
  body: string,
  opts: { status?: number; frameAncestors?: readonly string[] } = {},
): FastifyReply {
  const r = reply
    .code(opts.status ?? 200)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', pageCsp({ frameAncestors: opts.frameAncestors }))
    // Not helmet's no-referrer: with it browsers send `Origin: null` on form POSTs, which the CSRF check needs.
    // same-origin: nothing leaks to other sites (a token in a URL stays here).
    .header('referrer-policy', 'same-origin');
  // Helmet's X-Frame-Options would forbid the embeddable form in every browser that still honours it.
  if (opts.frameAncestors?.length) r.removeHeader('x-frame-options');
  return r.send(body);
}
