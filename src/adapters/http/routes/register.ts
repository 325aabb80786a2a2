// GET /v1/register: the register of processing activities (GDPR art. 30), as JSON or Markdown.
import type { FastifyInstance } from 'fastify';
import {
  buildRegister,
  type RegisterProfile,
  RegisterProfileError,
  readRegisterProfile,
  registerMarkdown,
} from '../../../services/register.js';
import type { RouteContext } from '../app.js';
import { HttpProblem } from '../problems.js';
import { errorResponses } from '../schemas/common.js';

/**
 * The configured register profile (ASSENT_REGISTER_PROFILE), read at each call. A file that cannot be used is the
 * operator's problem, not the caller's: 503 saying what to fix, never a report that says nothing is declared.
 */
export async function serverRegisterProfile(ctx: Pick<RouteContext, 'config'>): Promise<RegisterProfile> {
  try {
    return await readRegisterProfile(ctx.config.registerProfile);
  } catch (error) {
    if (error instanceof RegisterProfileError) {
      throw new HttpProblem('UNAVAILABLE', `ASSENT_REGISTER_PROFILE ${error.message}`);
    }
    throw error;
  }
}

export async function registerRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.get<{ Querystring: { format?: 'json' | 'markdown' } }>(
    '/v1/register',
    {
      // It counts the whole database: few calls, like the ledger verification.
      config: { scope: 'admin', rateLimitMax: 6, rateLimitBucket: 'register' },
      schema: {
        tags: ['rights'],
        summary: 'The register of processing activities (GDPR art. 30)',
        description:
          'The controller, DPO, processors, transfers and security measures come from the file named by ' +
          '`ASSENT_REGISTER_PROFILE` (read at each call); purposes, categories of people and data, sources, recipients ' +
          'and retention periods from the database and the rule packs. `missing` lists what the profile does not give ' +
          'yet. `?format=markdown` answers the same as a document. At most 6 calls a minute per key.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { format: { enum: ['json', 'markdown'], default: 'json' } },
        },
        response: {
          200: {
            description: 'the register: JSON, or a Markdown document with `?format=markdown`',
            content: {
              'application/json': { schema: { type: 'object', additionalProperties: true } },
              'text/markdown': { schema: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const profile = await serverRegisterProfile(ctx);
      const register = await buildRegister(ctx.store, ctx.packs, profile, ctx.now());
      if (request.query.format === 'markdown') {
        return reply
          .type('text/markdown; charset=utf-8')
          .serializer((s: unknown) => String(s))
          .send(registerMarkdown(register));
      }
      return register;
    },
  );
}
