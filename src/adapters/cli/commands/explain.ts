import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidRequestError, parseDecisionRequest } from '../../../domain/parse-request.js';
import { evaluate, type TraceEntry } from '../../../policy/evaluate.js';
import { explainText } from '../../../policy/explain.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { CliError } from '../errors.js';

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/** `assent explain [file]`: one request, the decision told for a person, rule by rule, with references. */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('explain one decision request (JSON file or stdin): every rule considered, why, with references')
    .argument('[file]', 'a JSON request; stdin when absent or "-"')
    .option('--json', 'print the decision and the trace as JSON')
    .action(async (file: string | undefined, opts: { json?: boolean }) => {
      const source = file === undefined || file === '-' ? 'stdin' : file;
      const text = source === 'stdin' ? await readStdin() : await readFile(source, 'utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw new CliError('VALIDATION', `${source} is not one JSON request: ${(error as Error).message}`);
      }
      let req: ReturnType<typeof parseDecisionRequest>;
      try {
        req = parseDecisionRequest(raw);
      } catch (error) {
        if (error instanceof InvalidRequestError) {
          throw new CliError('VALIDATION', `${source}: ${error.message} (at ${error.path || '/'})`);
        }
        throw error;
      }
      const packs = buildRegistry();
      const trace: TraceEntry[] = [];
      const decision = evaluate(req, packs, { trace });
      if (opts.json) {
        const rules = trace.map((t) => ({ rule: t.rule.id, outcome: t.outcome, message: t.message, ref: t.rule.ref }));
        process.stdout.write(`${JSON.stringify({ ...decision, trace: rules }, null, 2)}\n`);
      } else {
        process.stdout.write(explainText(req, decision, trace, packs));
      }
    });
}
