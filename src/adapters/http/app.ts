// The HTTP API: buildApp(deps) returns the Fastify app without listening (tests use app.inject; server.ts listens).

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ServerConfig } from '../../config.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import { DecisionCache } from '../../services/decision-cache.js';
import type { StoreConfig } from '../../store/open-store.js';
import type { Store } from '../../store/store.js';
import { sendErrorPage, wantsErrorPage } from '../web/error-page.js';
import { registerConsentForms } from '../web/forms/index.js';
import { recipientPreferenceRoutes } from '../web/preferences/index.js';
import { rateLimitKey, registerAuth } from './auth.js';
import { registerDocsRoutes, registerOpenApi } from './docs.js';
import { loggerOptions, OneLinePerRequest } from './logging.js';
import { createMetrics, type Metrics, registerMetrics } from './metrics.js';
import {
  clientErrorResponse,
  HttpProblem,
  jsonProblem,
  PROBLEMS,
  sendProblem,
  tooLargeProblem,
  toProblem,
} from './problems.js';
import { registerRouteBudgets } from './route-budget.js';
import { consentTextRoutes } from './routes/consent-texts.js';
import { contactRoutes } from './routes/contacts.js';
import { decisionRoutes } from './routes/decisions.js';
import { evaluateRoutes } from './routes/evaluate.js';
import { eventRoutes } from './routes/events.js';
import { healthRoutes } from './routes/health.js';
import { ledgerRoutes } from './routes/ledger.js';
import { registerRoutes } from './routes/register.js';
import { retentionRoutes } from './routes/retention.js';
import { screeningRoutes, screeningStreamRoutes } from './routes/screenings.js';
import { registerWebhookRoutes } from './routes/webhooks.js';
import { errorResponses, ProblemSchema } from './schemas/common.js';
import { AnswerSchema, DecisionRequestSchema, StoredDecisionRequestSchema } from './schemas/decision.js';
import { RESOURCE_SCHEMAS } from './schemas/resources.js';
import { registerSecurityHeaders } from './security-headers.js';

export interface AppDeps {
  store: Store;
  packs: PackRegistry;
  config: ServerConfig;
  /** The clock: `at` of stored decisions when not given, key last-used times. */
  now?: () => Date;
  /** Fastify/pino logging: false (default), true (at config.logLevel), or pino options. */
  logger?: boolean | object;
  /**
   * Where `store` lives, for work that opens connections of its own (a large streamed screening runs on worker
   * threads); absent, everything runs on the server's thread.
   */
  storeConfig?: StoreConfig;
}

/** What every route plugin receives as options. */
export interface RouteContext {
  store: Store;
  packs: PackRegistry;
  config: ServerConfig;
  now: () => Date;
  metrics: Metrics;
  /** Stored contacts' decision inputs between requests, checked against the store's change token each time. */
  decisionCache: DecisionCache;
  /** AppDeps.storeConfig, or null. */
  storeConfig: StoreConfig | null;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
/** The query of an API route that takes no parameters: any one is refused, by name (400 VALIDATION). */
const NO_QUERY = { type: 'object', additionalProperties: false, properties: {} } as const;

/** A route's URL as a regular expression over request paths: `:name` is one segment, `*` the rest. */
export function pathPattern(url: string): RegExp {
  const parts = url.split('/').map((segment) => {
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  });
  return new RegExp(`^${parts.join('/')}$`);
}

/**
 * ServerConfig.trustProxy as Fastify takes it. A hop count is a function: Fastify 5 reads a bare number as "trust
 * nobody". Hop i of X-Forwarded-For counts from the socket's address (0), so `hop < n` believes the n nearest proxies
 * and takes the entry the farthest of them wrote, never one the client put further left.
 */
function trustProxyOption(
  trust: ServerConfig['trustProxy'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const now = deps.now ?? (() => new Date());
  const app = Fastify({
    logger: deps.logger === undefined || deps.logger === false ? false : loggerOptions(deps.logger, config.logLevel),
    logController: new OneLinePerRequest(),
    bodyLimit: config.bodyLimit,
    trustProxy: trustProxyOption(config.trustProxy),
    // A caller's X-Request-Id is kept when it is sane, so logs on both sides line up.
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // The auth hook answers 503 problem+json itself while closing (Fastify's own 503 is not problem+json).
    return503OnClosing: false,
    // Bodies are checked as sent: no type coercion (the CLI would refuse "true" for true), no defaults added.
    ajv: {
      customOptions: {
        coerceTypes: false,
        useDefaults: false,
        removeAdditional: false,
        allErrors: false, // one error is enough to name the field, and allErrors is a denial-of-service risk
        allowUnionTypes: true,
      },
    },
    clientErrorHandler: (error, socket) => {
      if (error.code === 'ECONNRESET' || !socket.writable) {
        socket.destroy();
        return;
      }
      socket.end(clientErrorResponse(error));
    },
    frameworkErrors: (error, request, reply) => {
      sendProblem(request, reply, new HttpProblem('BAD_REQUEST', error.message));
    },
  });
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.setErrorHandler((error, request, reply) => {
    const limit = request.routeOptions.bodyLimit;
    const configurable = limit === config.bodyLimit || limit === config.batchBodyLimit;
    const problem = tooLargeProblem(error, limit, configurable) ?? toProblem(error);
    if (problem.code === 'INTERNAL') request.log.error({ err: error }, 'unexpected error');
    // A person's browser on a recipient page gets a page, in their language, not problem+json.
    if (wantsErrorPage(request)) return sendErrorPage(request, reply, PROBLEMS[problem.code].status);
    return sendProblem(request, reply, problem);
  });
  // Every route's methods by path pattern, so that a known path asked with another method is a 405 naming the
  // methods it has (RFC 9110 §15.5.6), not a 404.
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    routes.push({ pattern: pathPattern(route.url), methods: [route.method].flat() });
    // An API route that takes no query parameters refuses them, as the routes that take some refuse unknown ones:
    // `?limit=5` on a route without paging would otherwise be ignored in silence.
    if (route.url.startsWith('/v1/') && route.schema?.querystring === undefined) {
      route.schema = { ...route.schema, querystring: NO_QUERY };
    }
    // Every API route documents its problem+json answers in the OpenAPI document, as most declare them.
    const response = route.schema?.response as Record<string, unknown> | undefined;
    if (route.url.startsWith('/v1/') && !(response && '4xx' in response)) {
      route.schema = { ...route.schema, response: { ...response, ...errorResponses } };
    }
  });
  app.setNotFoundHandler((request, reply) => {
    if (wantsErrorPage(request)) return sendErrorPage(request, reply, 404);
    const path = request.url.split('?')[0] ?? '/';
    const allowed = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    if (allowed.length > 0) {
      reply.header('allow', allowed.join(', '));
      return sendProblem(
        request,
        reply,
        new HttpProblem(
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${path}: use ${allowed.join(' or ')}`,
        ),
      );
    }
    return sendProblem(request, reply, new HttpProblem('NOT_FOUND', `no route ${request.method} ${path}`));
  });
  // JSON only: a text/plain body is a 415, not a string for the schemas to puzzle over.
  app.removeContentTypeParser('text/plain');
  // Fastify's own parser (the same speed, the same refusal of prototype keys), with a message saying what is wrong
  // where Fastify says only "not valid JSON": the parse error and its position, or the forbidden key.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) =>
    parseJson(request, body as string, (error, value) =>
      done(error === null ? null : jsonProblem(error, String(body)), value),
    ),
  );
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // An answer finished during shutdown closes its connection: a kept-alive one would hold close() open.
    if (closing) reply.header('connection', 'close');
    done(null, payload);
  });

  for (const schema of [ProblemSchema, DecisionRequestSchema, StoredDecisionRequestSchema, AnswerSchema])
    app.addSchema(schema);
  for (const schema of RESOURCE_SCHEMAS) app.addSchema(schema);

  registerSecurityHeaders(app, {
    // Fits the /docs page (its scripts and styles are served from here; Swagger UI sets inline styles) and makes
    // every JSON answer inert. No upgrade-insecure-requests: the server speaks plain HTTP on loopback by default.
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  });
  await app.register(rateLimit, {
    global: false,
    max: config.rateLimit.max,
    timeWindow: config.rateLimit.windowMs,
    keyGenerator: rateLimitKey,
    errorResponseBuilder: (_request, context) =>
      new HttpProblem('RATE_LIMITED', `at most ${context.max} requests per window; retry in ${context.after}`),
  });
  // One bucket per limit (each app.rateLimit counts apart).
  const limiters = new Map<string, (request: unknown, reply: unknown) => Promise<void>>();
  registerAuth(app, {
    store: deps.store,
    cacheMs: config.keyCacheMs,
    now,
    limit: (request, reply) => {
      // A route with a budget of its own counts in it once valid (route-budget.ts); on arrival, as any request, or
      // by its budget when that is the larger: one-click unsubscribes come from a mailbox provider's few addresses,
      // and an operator's lower ASSENT_RATE_LIMIT must not turn them away (RFC 8058 senders do not retry).
      const named = request.routeOptions.config?.rateLimitBucket !== undefined;
      const own = request.routeOptions.config?.rateLimitMax;
      const max = named ? (own !== undefined && own > config.rateLimit.max ? own : undefined) : own;
      const bucket = String(max);
      let limiter = limiters.get(bucket);
      if (limiter === undefined) {
        limiter = app.rateLimit(max === undefined ? undefined : { max }) as (r: unknown, s: unknown) => Promise<void>;
        limiters.set(bucket, limiter);
      }
      return limiter(request, reply);
    },
    closing: () => closing,
  });

  registerRouteBudgets(app, config.rateLimit.windowMs);

  // Before any route: @fastify/swagger collects routes as they are added.
  await registerOpenApi(app, packageVersion());
  await registerDocsRoutes(app);
  const metrics = createMetrics();
  registerMetrics(app, metrics);

  const ctx: RouteContext = {
    store: deps.store,
    packs: deps.packs,
    config,
    now,
    metrics,
    decisionCache: new DecisionCache(),
    storeConfig: deps.storeConfig ?? null,
  };
  await app.register(healthRoutes, ctx);
  await app.register(evaluateRoutes, ctx);
  await app.register(decisionRoutes, ctx);
  await app.register(contactRoutes, ctx);
  await app.register(eventRoutes, ctx);
  await app.register(consentTextRoutes, ctx);
  await app.register(ledgerRoutes, ctx);
  await app.register(retentionRoutes, ctx);
  await app.register(registerRoutes, ctx);
  await app.register(screeningRoutes, ctx);
  await app.register(screeningStreamRoutes, ctx);
  // Extension point: the webhook subscription routes (src/adapters/http/routes/webhooks.ts).
  await registerWebhookRoutes(app, deps);
  // --- recipient-facing pages (issue #5): consent forms and double opt-in (src/adapters/web/forms/) ---
  await registerConsentForms(app, ctx);
  // --- recipient-facing pages (issue #5): unsubscribe and preference center (src/adapters/web/preferences/) ---
  await app.register(recipientPreferenceRoutes, ctx);
  return app;
}

let version: string | undefined;
/** This package's version, for the OpenAPI document (found by walking up from this file: src/ or dist/src/). */
function packageVersion(): string {
  version ??= findPackageVersion();
  return version;
}

function findPackageVersion(): string {
  for (let dir = new URL('.', import.meta.url); dir.pathname !== '/'; dir = new URL('..', dir)) {
    try {
      const pkg = JSON.parse(readFileSync(new URL('package.json', dir), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'assent') return pkg.version ?? '0.0.0';
    } catch {
      // not here: one folder up
    }
  }
  return '0.0.0';
}
