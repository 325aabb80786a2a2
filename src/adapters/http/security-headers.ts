// Security headers on every answer, worked out once at start-up.
//
// Pages (the /docs reference, recipient pages, errors) get helmet's full set. JSON answers of the API get the set
// the OWASP REST Security Cheat Sheet names for APIs: each header costs time on every decision, and the others
// (COOP, CORP, Origin-Agent-Cluster, X-DNS-Prefetch-Control, …) only mean something to a page in a browser.
// @fastify/helmet built a fresh helmet middleware for every request (re-parsing the CSP directives each time),
// about a fifth of a stored decision's time: here helmet runs once against a recording response. Pages that need
// another policy (the embeddable consent form) still replace CSP or drop X-Frame-Options per reply
// (src/adapters/web/layout.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/** The headers helmet sets for `options`, as a plain name → value map (names lower-cased). */
export function helmetHeaders(options: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure !== undefined) throw failure;
  return Object.freeze(headers);
}

/** What a JSON answer of the API carries (OWASP REST Security Cheat Sheet, "Security headers"). */
export const API_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store', // decisions and contacts are personal data: no cache keeps them
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
});

/** Routes answering JSON (or Prometheus text) rather than a page. */
const API_ROUTES = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json']);
const isApiRoute = (url: string | undefined): boolean =>
  url !== undefined && (url.startsWith('/v1/') || API_ROUTES.has(url));

/**
 * Adds the security headers to every answer of `app`: API_HEADERS on API routes, helmet's headers for `options`
 * everywhere else (unknown URLs included). Registered before the routes and the auth hook.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: Readonly<HelmetOptions>): void {
  const pageHeaders = helmetHeaders(options);
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isApiRoute(request.routeOptions.url) ? API_HEADERS : pageHeaders);
    done();
  });
}
