// API-key authentication and scopes: one onRequest hook, before any body is read.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type ApiKey, type ApiScope, hashApiKey } from '../../store/api-keys.js';
import type { Store } from '../../store/store.js';
import { HttpProblem } from './problems.js';

/** A route's scope; `public` routes (health, docs) take no key. */
export type RouteScope = ApiScope | 'public';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route: enforced by the auth hook (fail closed: a route without one needs `admin`). */
    scope?: RouteScope;
    /**
     * A tighter rate limit than the server's: requests per window, counted in one bucket shared by every route of the
     * same limit (the public pages share theirs), unless `rateLimitBucket` names one of the route's own.
     */
    rateLimitMax?: number;
    /**
     * A budget of its own for a costly route (with `rateLimitMax`), counted once the request is valid
     * (src/adapters/http/route-budget.ts): one heavy route does not eat another's, and a 400 costs nothing.
     */
    rateLimitBucket?: string;
    /** false: no rate limit (liveness and readiness probes: junk traffic from one address must not fail them). */
    rateLimited?: boolean;
    /**
     * A body the route reads itself, as a stream (a CSV audience): described in the OpenAPI document only, never
     * validated as a schema would be (docs.ts).
     */
    rawBody?: { contentType: string; description: string };
  }
  interface FastifyRequest {
    /** The key presented, when it is known (possibly revoked); null otherwise. */
    apiKey: ApiKey | null;
  }
}

const KEY_FORMAT = /^ak_[A-Za-z0-9_-]{43}$/;
const TOUCH_EVERY_MS = 60_000; // last-used is for people reading `keys list`: a minute's precision is plenty

/** The credential of `Authorization: Bearer …`, else of `X-API-Key`; null when neither is sent. */
export function presentedKey(request: FastifyRequest): string | null {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && auth.trim() !== '') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m?.[1] ?? auth;
  }
  const header = request.headers['x-api-key'];
  return typeof header === 'string' && header !== '' ? header : null;
}

/**
 * Whether the request presents a credential that may be an API key: `Bearer`, `X-API-Key`, or a bare token. The
 * credentials of another HTTP authentication scheme (`Basic`, `Digest`…) are not one: a browser sends them with every
 * request to a site behind a proxy asking for them, and its POST to a public page is a visitor's.
 */
export function presentsApiKey(request: FastifyRequest): boolean {
  const auth = request.headers.authorization;
  if (typeof auth === 'string' && /^\s*(?!bearer\s)[A-Za-z][\w!#$%&'*+.^`|~-]*\s+\S/i.test(auth)) return false;
  return presentedKey(request) !== null;
}

/**
 * Looks keys up by the SHA-256 of the secret. Known keys are kept for `cacheMs` (a revocation bites within that
 * delay), by the secret as presented, so a cached key costs no hashing; unknown ones are never cached, so a key
 * created while the server runs works at once.
 */
export function keyResolver(store: Store, cacheMs: number, now: () => Date, onTouchError: (e: unknown) => void) {
  const cache = new Map<string, { key: ApiKey; until: number }>();
  const touched = new Map<string, number>();
  return {
    async resolve(secret: string): Promise<ApiKey | null> {
      const t = Date.now();
      const hit = cache.get(secret);
      if (hit !== undefined && hit.until > t) return hit.key;
      if (!KEY_FORMAT.test(secret)) return null;
      const key = await store.findApiKeyByHash(hashApiKey(secret));
      if (key !== null && cacheMs > 0) {
        if (cache.size >= 10_000) cache.clear();
        cache.set(secret, { key, until: t + cacheMs });
      }
      return key;
    },
    touch(key: ApiKey): void {
      const t = Date.now();
      if ((touched.get(key.id) ?? 0) + TOUCH_EVERY_MS > t) return;
      touched.set(key.id, t);
      store.touchApiKey(key.id, now()).catch(onTouchError);
    },
  };
}

export function allows(scopes: readonly ApiScope[], needed: ApiScope): boolean {
  return scopes.includes('admin') || scopes.includes(needed);
}

/**
 * The one hook that guards every route, in this order: who is calling (the key, if any), the rate limit (per key,
 * per IP before a key is known), then the route's scope. 401 for a missing, unknown or revoked key; 403 when the
 * key lacks the scope. Unknown routes fall through to the 404 answer.
 */
export function registerAuth(
  app: FastifyInstance,
  opts: {
    store: Store;
    cacheMs: number;
    now: () => Date;
    limit: (request: FastifyRequest, reply: unknown) => Promise<void>;
    closing: () => boolean;
  },
): void {
  const keys = keyResolver(opts.store, opts.cacheMs, opts.now, (e) => app.log.warn({ err: e }, 'last-used update'));
  app.decorateRequest('apiKey', null);
  app.addHook('onRequest', async (request, reply) => {
    if (opts.closing()) {
      reply.header('connection', 'close');
      throw new HttpProblem('UNAVAILABLE', 'the server is shutting down; retry on another instance or later');
    }
    const secret = presentedKey(request);
    request.apiKey = secret === null ? null : await keys.resolve(secret);
    if (request.routeOptions.config.rateLimited !== false) await opts.limit(request, reply);
    const scope = request.routeOptions.config.scope ?? 'admin';
    if (request.is404 || scope === 'public') return;
    keys.touch(requireKey(request, scope, secret !== null));
  });
}

/**
 * The request's live API key with `scope`, or the 401/403 problem saying why not. The routes themselves call it where
 * a key is optional (a consent form's POST: a browser's has none, a server's must be able to write).
 */
export function requireKey(
  request: FastifyRequest,
  scope: ApiScope,
  // Whether a credential was sent: the hook read it already, for every request.
  presented = presentedKey(request) !== null,
): ApiKey {
  const key = request.apiKey;
  if (!presented) {
    throw new HttpProblem(
      'UNAUTHORIZED',
      'send an API key: "Authorization: Bearer <key>" (or X-API-Key); create one with `assent keys create`',
    );
  }
  if (key === null) throw new HttpProblem('UNAUTHORIZED', 'this API key is not known');
  if (key.revokedAt !== null) throw new HttpProblem('UNAUTHORIZED', 'this API key was revoked');
  if (!allows(key.scopes, scope)) {
    const needs = scope === 'admin' ? 'the "admin" scope' : `the "${scope}" scope (or admin)`;
    throw new HttpProblem('FORBIDDEN', `this route needs ${needs}; the key has ${key.scopes}`);
  }
  return key;
}

/** Rate-limit bucket: the key's id once it is known and live, else the client's IP. */
export const rateLimitKey = (request: FastifyRequest): string =>
  request.apiKey !== null && request.apiKey.revokedAt === null ? `key:${request.apiKey.id}` : `ip:${request.ip}`;

/** Who recorded a ledger entry made over HTTP: the key's id, and the person or system the caller names. */
export function recordedBy(request: FastifyRequest, given?: string): string {
  const key = `api-key:${request.apiKey?.id ?? 'none'}`;
  return given === undefined ? key : `${key}/${given}`;
}
