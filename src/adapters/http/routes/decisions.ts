// POST /v1/decisions: decisions on stored contacts (their ledger is the history), one or a batch of 10,000.
import type { FastifyInstance } from 'fastify';
import { decideStoredBatch } from '../../../services/stored-decisions.js';
import type { RouteContext } from '../app.js';
import { errorResponses } from '../schemas/common.js';
import { batchBody, batchResponse } from '../schemas/decision.js';
import { answerOrProblem, sendAnswers } from './evaluate.js';

export async function decisionRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post<{ Body: unknown }>(
    '/v1/decisions',
    {
      config: { scope: 'decide' },
      bodyLimit: ctx.config.batchBodyLimit,
      schema: {
        tags: ['decisions'],
        summary: 'Decide for stored contacts, on their consent ledger',
        description:
          'Each request names a stored contact (`contact.id`, `email`, `phone` or `externalId`); its type, address, ' +
          'jurisdiction and ledger history come from the store, `at` defaults to now. One request gives one answer ' +
          '(404 problem for an unknown contact, 409 `PROCESSING_RESTRICTED` for one whose processing is restricted, ' +
          'GDPR art. 18); an array of up to 10,000 gives the answers in order, with `CONTACT_NOT_FOUND`, ' +
          '`PROCESSING_RESTRICTED` or `INVALID_REQUEST` errors in place for the requests that cannot be decided.',
        body: batchBody('StoredDecisionRequest', 'stored-contact requests, each checked on its own'),
        response: { 200: batchResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const batch = Array.isArray(body);
      const answers = await decideStoredBatch(batch ? body : [body], ctx.store, ctx.packs, ctx.now, ctx.decisionCache);
      ctx.metrics.countDecisions(answers);
      return sendAnswers(reply, batch ? answers : answerOrProblem(answers[0] as (typeof answers)[number]));
    },
  );
}
