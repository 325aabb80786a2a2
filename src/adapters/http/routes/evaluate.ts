// POST /v1/evaluate: the stateless decision contract, one request or an array of them.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type DecisionOrError, decide } from '../../../policy/decide.js';
import type { RouteContext } from '../app.js';
import { HttpProblem } from '../problems.js';
import { errorResponses } from '../schemas/common.js';
import { AnswerSchema, answerList, batchBody, batchResponse } from '../schemas/decision.js';

const singleAnswer = { $ref: `${AnswerSchema.$id}#` };

/**
 * Sends one answer or a batch with the serialiser of the matching schema: the response schema's `anyOf` would
 * make the serialiser validate a 10,000-answer array against each branch first.
 */
export function sendAnswers(reply: FastifyReply, answers: DecisionOrError | DecisionOrError[]): FastifyReply {
  // The same schema objects every time: Fastify keeps compiled serialisers by object, so a new one per request
  // would be compiled again per request (it was: 1 ms each).
  const schema = Array.isArray(answers) ? answerList : singleAnswer;
  return reply
    .type('application/json; charset=utf-8')
    .serializer(reply.compileSerializationSchema(schema))
    .send(answers);
}

/** A single request the contract refuses is a 400 (404 for an unknown stored contact), naming the field. */
export function answerOrProblem(answer: DecisionOrError): DecisionOrError {
  if (!('error' in answer)) return answer;
  const { code, message, path } = answer.error;
  throw new HttpProblem(code === 'CONTACT_NOT_FOUND' ? code : 'VALIDATION', message, [
    { in: 'body', pointer: path, detail: message },
  ]);
}

export async function evaluateRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post<{ Body: unknown }>(
    '/v1/evaluate',
    {
      config: { scope: 'decide' },
      bodyLimit: ctx.config.batchBodyLimit,
      schema: {
        tags: ['decisions'],
        summary: 'Decide requests of the decision contract (history given in the request)',
        description:
          'One request gives one answer; an array (up to 10,000) gives an array of answers in the same order, where ' +
          'a malformed request gets `{"id", "error": {"code": "INVALID_REQUEST", "path"}}` in its place (the ' +
          'answers `assent decide` prints). A single malformed request is a 400 problem naming the field.',
        body: batchBody('DecisionRequest', 'requests of the decision contract, each checked on its own'),
        response: { 200: batchResponse, ...errorResponses },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (Array.isArray(body)) {
        const answers = body.map((raw) => decide(raw, ctx.packs));
        ctx.metrics.countDecisions(answers);
        return sendAnswers(reply, answers);
      }
      const answer = decide(body, ctx.packs);
      ctx.metrics.countDecisions([answer]);
      return sendAnswers(reply, answerOrProblem(answer));
    },
  );
}
