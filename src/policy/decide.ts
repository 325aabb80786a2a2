import type { Decision, DecisionError, FieldWarning } from '../domain/decision.js';
import { InvalidRequestError, parseDecisionRequest, requestId, unknownFields } from '../domain/parse-request.js';
import type { DecisionRequest, HistoryEvent } from '../domain/request.js';
import { type EvaluateOptions, evaluate, type PackRegistry } from './evaluate.js';
import { valueWarnings } from './value-warnings.js';

export type DecisionOrError = Decision | DecisionError;

/** The contract's answer to a line that is not a valid request. */
export function invalidRequest(id: string | number | null, message: string, path: string): DecisionError {
  return { id, error: { code: 'INVALID_REQUEST', message, path } };
}

/**
 * One request of the decision contract, as parsed JSON, to its answer: a decision, or an INVALID_REQUEST error
 * naming the field. Never throws for bad input.
 */
export function decide(raw: unknown, packs: PackRegistry, options?: EvaluateOptions): DecisionOrError {
  const req = parsedOrError(raw);
  if ('error' in req) return req;
  return withWarnings(withWarnings(evaluate(req, packs, options), unknownFields(raw)), valueWarnings(req, packs, raw));
}

/** The answer with the request's unread fields or unknown values said beside it (`warnings`), when there are any. */
export function withWarnings(answer: Decision, warnings: FieldWarning[] | null): Decision {
  if (warnings !== null) answer.warnings = answer.warnings === undefined ? warnings : [...answer.warnings, ...warnings];
  return answer;
}

/**
 * `decide` for a request without history, judged on a history parsed already (`parseHistory`): a stored contact's
 * history is parsed once and decided on many times. The engine only reads the history.
 */
export function decideOnHistory(
  raw: unknown,
  history: readonly HistoryEvent[],
  packs: PackRegistry,
  options?: EvaluateOptions,
): DecisionOrError {
  const req = parsedOrError(raw);
  if ('error' in req) return req;
  // The parsed request is this call's own: set in place (a spread copy would get a hidden class of its own in V8
  // and slow every read the engine makes of it; see historyEventOf).
  req.history = history;
  return withWarnings(evaluate(req, packs, options), valueWarnings(req, packs, raw));
}

/** The validated request, or the contract's INVALID_REQUEST answer naming the field. */
function parsedOrError(raw: unknown): DecisionRequest | DecisionError {
  try {
    return parseDecisionRequest(raw);
  } catch (error) {
    if (error instanceof InvalidRequestError) return invalidRequest(requestId(raw), error.message, error.path);
    throw error;
  }
}
