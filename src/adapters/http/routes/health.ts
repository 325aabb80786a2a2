// Liveness and readiness probes: public, cheap, rate-limited like every route.
import type { FastifyInstance } from 'fastify';
import type { RouteContext } from '../app.js';
import { HttpProblem } from '../problems.js';
import { errorResponses } from '../schemas/common.js';

const status = {
  type: 'object',
  properties: { status: { type: 'string' } },
} as const;

export async function healthRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get(
    '/healthz',
    {
      config: { scope: 'public', rateLimited: false },
      schema: { tags: ['operations'], summary: 'The process is alive', response: { 200: status, ...errorResponses } },
    },
    async () => ({ status: 'ok' }),
  );
  app.get(
    '/readyz',
    {
      config: { scope: 'public', rateLimited: false },
      schema: {
        tags: ['operations'],
        summary: 'The store answers (503 problem otherwise)',
        response: { 200: status, ...errorResponses },
      },
    },
    async (request) => {
      try {
        // A primary-key lookup that finds nothing: the cheapest round trip the Store interface offers.
        await ctx.store.getConsentText('readyz');
      } catch (error) {
        request.log.warn({ err: error }, 'store not ready');
        throw new HttpProblem('UNAVAILABLE', 'the store does not answer');
      }
      return { status: 'ready' };
    },
  );
}
