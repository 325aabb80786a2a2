// GET /v1/ledger/verify: walks the hash chain and names the first broken link.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import { errorResponses } from '../schemas/common.js';

export async function ledgerRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get(
    '/v1/ledger/verify',
    {
      // It reads the whole ledger: a tighter limit than the other routes keeps it from being used to load the store.
      config: { scope: 'read', rateLimitMax: 6, rateLimitBucket: 'ledger-verify' },
      schema: {
        tags: ['ledger'],
        summary: 'Verify the ledger: no event altered, removed or reordered',
        description:
          '`intact: false` and `broken` name the first broken link. At most 6 calls per rate-limit window (a minute) per key.',
        response: {
          200: {
            type: 'object',
            properties: {
              intact: { type: 'boolean' },
              events: { type: 'integer', description: 'events verified (before the broken link, if any)' },
              head: { type: 'string', description: 'hash of the last good event' },
              broken: {
                type: ['object', 'null'],
                properties: { seq: { type: 'integer' }, id: { type: ['string', 'null'] }, problem: { type: 'string' } },
              },
              evidenceRemoved: {
                type: 'object',
                description:
                  'events whose evidence is gone while its SHA-256 is still chained (Assent never removes it)',
                properties: { events: { type: 'integer' }, firstSeq: { type: ['integer', 'null'] } },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async () => {
      const check = await ctx.store.verifyLedger();
      return { intact: check.broken === null, ...check };
    },
  );
}
