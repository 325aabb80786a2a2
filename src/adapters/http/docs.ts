// The OpenAPI 3.1 document, generated from the route schemas, and a reference page that works offline.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifySchema } from 'fastify';

const INTRO =
  'Decides, before a marketing message leaves, whether it may be sent to this person now, on what legal basis and ' +
  'with what obligations; keeps contacts and the hash-chained consent ledger. Authenticate with ' +
  '`Authorization: Bearer <key>` (or `X-API-Key`); keys are made with `assent keys create`. Errors are RFC 9457 ' +
  'problem+json. Guide: docs/http.md.';

/** Registers @fastify/swagger: must come before the routes, which it collects as they are added. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Assent API', version, description: INTRO },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'an API key: ak_…' },
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          smsSignature: {
            type: 'apiKey',
            in: 'header',
            name: 'X-Assent-Signature',
            description: 't=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>"> with ASSENT_SMS_WEBHOOK_SECRET',
          },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
      tags: [
        { name: 'decisions', description: 'scope decide' },
        { name: 'contacts', description: 'scope read (GET) or write' },
        { name: 'ledger', description: 'events (write), history and verification (read)' },
        { name: 'consent texts', description: 'scope read (GET) or write' },
        { name: 'operations', description: 'health, readiness, metrics' },
        { name: 'rights', description: "people's requests, erasure's kin: the retention purge (scope admin)" },
      ],
    },
    // Shared schemas keep their $id as their component name.
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
    // The scope each route declares in its config is what the document says it needs.
    transform: ({ schema, url, route }) => {
      const scope = route.config?.scope ?? 'admin';
      if (schema === undefined || schema === null) return { schema: schema as FastifySchema, url };
      const raw = route.config?.rawBody;
      const s = (
        raw === undefined
          ? schema
          : { ...schema, body: { type: 'string', description: raw.description }, consumes: [raw.contentType] }
      ) as FastifySchema & { security?: unknown; description?: string };
      const described =
        s.security !== undefined // a route that checks its own credentials says which
          ? s
          : scope === 'public'
            ? { ...s, security: [] }
            : { ...s, description: `${s.description ? `${s.description}\n\n` : ''}Scope: \`${scope}\` (or admin).` };
      return { schema: described, url };
    },
  });
}

/** `/openapi.json` and the Swagger UI page at `/docs`, its assets served from node_modules (no CDN). */
export async function registerDocsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/openapi.json', { config: { scope: 'public' }, schema: { hide: true } }, async () => app.swagger());
  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, scope: 'public' };
    });
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { deepLinking: true, persistAuthorization: false, defaultModelsExpandDepth: 0 },
      theme: { title: 'Assent API' },
    });
  });
}
