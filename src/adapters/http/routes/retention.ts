// POST /v1/retention/purge: erases the contacts whose data decisions already refuse to use (RETENTION_EXPIRED).
import type { FastifyInstance } from 'fastify';
import { parseInstant } from '../../../domain/iso-time.js';
import { PurgeError, purgeExpired } from '../../../services/retention.js';
import type { RouteContext } from '../app.js';
import { recordedBy } from '../auth.js';
import { invalidField } from '../problems.js';
import { errorResponses } from '../schemas/common.js';

interface PurgeBody {
  at?: string;
  dryRun: boolean;
  by?: string;
}

export async function retentionRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post<{ Body: PurgeBody }>(
    '/v1/retention/purge',
    {
      // It reads every contact: few calls, like the ledger verification.
      config: { scope: 'admin', rateLimitMax: 6, rateLimitBucket: 'retention-purge' },
      schema: {
        tags: ['rights'],
        summary: 'Erase the contacts whose retention period is over (GDPR art. 5(1)(e)); the ledger is kept as proof',
        description:
          'A contact is expired when a prospecting email to it on the day judged would be denied for RETENTION_EXPIRED ' +
          '(FR: 3 years after the last active contact from the person; a contract in progress keeps it current). ' +
          'Each is erased as `DELETE /v1/contacts/{id}` does, with reason `retention`, except that its emails and ' +
          'phones join the suppression list only if the person refused or objected. `dryRun` (required) true lists, false erases; ' +
          'only a dry run takes `at` (an erasure judges today). Packs without a retention rule purge nothing. At most 6 calls a minute per key.',
        body: {
          type: 'object',
          additionalProperties: false,
          // Never a purge by default: the caller says which (a careless empty call would erase people).
          required: ['dryRun'],
          properties: {
            at: { type: 'string', description: 'with dryRun: the ISO 8601 instant judged (default: now)' },
            dryRun: { type: 'boolean', description: 'true: list only; false: erase' },
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who ran it (kept in the ledger)' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              asOf: { type: 'string' },
              dryRun: { type: 'boolean' },
              examined: { type: 'integer', description: 'live contacts judged' },
              erased: { type: 'integer' },
              held: { type: 'integer', description: 'expired contacts kept while a request of theirs is open' },
              expired: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    contactId: { type: 'string' },
                    why: { type: 'string' },
                    rule: { type: ['string', 'null'] },
                    suppressed: { type: 'integer' },
                    heldFor: {
                      type: ['string', 'null'],
                      description: 'the open access or rectification request that keeps the contact until answered',
                    },
                  },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const body = request.body;
      let asOf: Date | undefined;
      if (body.at !== undefined) {
        const ms = parseInstant(body.at);
        if (typeof ms === 'string') throw invalidField('/at', ms);
        asOf = new Date(ms);
      }
      try {
        return await purgeExpired(ctx.store, ctx.packs, {
          ...(asOf ? { asOf } : {}),
          dryRun: body.dryRun === true,
          recordedBy: recordedBy(request, body.by),
          now: ctx.now,
        });
      } catch (error) {
        if (error instanceof PurgeError) throw invalidField('/at', error.message);
        throw error;
      }
    },
  );
}
