import type { Obligation } from '../domain/decision.js';
import type { DecisionOrError } from '../policy/decide.js';

const obligationsJson = new WeakMap<readonly Obligation[], string>();

/**
 * JSON of an answer, the same text JSON.stringify gives, but reusing the text of the shared, frozen obligation
 * lists the engine returns: they are most of an allow, and the same for every allow of a kind.
 */
export function answerJson(answer: DecisionOrError): string {
  if ('error' in answer || !Object.isFrozen(answer.obligations)) return JSON.stringify(answer);
  let obligations = obligationsJson.get(answer.obligations);
  if (obligations === undefined) {
    obligations = JSON.stringify(answer.obligations);
    obligationsJson.set(answer.obligations, obligations);
  }
  const { id, decision, basis, reasons, rules, warnings } = answer;
  const said = warnings === undefined ? '' : `,"warnings":${JSON.stringify(warnings)}`;
  return `{"id":${JSON.stringify(id ?? null)},"decision":"${decision}","basis":${JSON.stringify(basis)},"reasons":${JSON.stringify(reasons)},"obligations":${obligations},"rules":${JSON.stringify(rules)}${said}}`;
}
