// POST /v1/evaluate: the stateless decision contract, one request or an array of them.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { type DecisionOrError, decide } from '../../../policy/decide.js';
import { answerJson } from '../../answer-json.js';
import type { RouteContext } from '../app.js';
import { HttpProblem } from '../problems.js';
import { errorResponses } from '../schemas/common.js';
import { batchBody, batchResponse } from '../schemas/decision.js';

/**
 * Sends one answer or a batch as the JSON the CLI prints (src/adapters/answer-json.ts: obligation lists' text is
 * reused), which is what the Answer schema describes. The schema-compiled serialiser was a third of a batch's time:
 * the request id's type union made it run a validator per answer to pick a branch.
 */
export function sendAnswers(reply: FastifyReply, answers: DecisionOrError | DecisionOrError[]): FastifyReply {
  return reply.type('application/json; charset=utf-8').serializer(answersText).send(answers);
}

function answersText(answers: DecisionOrError | DecisionOrError[]): string {
  if (!Array.isArray(answers)) return answerJson(answers);
  let text = '[';
  for (let i = 0; i < answers.length; i++) text += (i === 0 ? '' : ',') + answerJson(answers[i] as DecisionOrError);
  return `${text}]`;
}

/**
 * A single request the contract refuses is a 400 (404 for an unknown stored contact, 409 for one whose processing is
 * restricted), naming the field.
 */
export function answerOrProblem(answer: DecisionOrError): DecisionOrError {
  if (!('error' in answer)) return answer;
  const { code, message, path } = answer.error;
  throw new HttpProblem(code === 'INVALID_REQUEST' ? 'VALIDATION' : code, message, [
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
