import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidRequestError, parseDecisionRequest } from '../../../domain/parse-request.js';
import { evaluate, type TraceEntry } from '../../../policy/evaluate.js';
import { explainText } from '../../../policy/explain.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { explainStored, isStoredRequest } from '../../../services/stored-decisions.js';
import { CliError } from '../errors.js';
import { storeOpener } from '../store-option.js';

async function readStdin(): Promise<string> {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

/**
 * `assent explain [file]`: one request, the decision told for a person, rule by rule, with references; a request
 * naming a stored contact is explained on its ledger (the store opens only then).
 */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description(
      'explain one decision request (JSON file or stdin; or a stored contact, as decide takes it, on its ledger): every rule considered, why, with references',
    )
    .argument('[file]', 'a JSON request; stdin when absent or "-"')
    .option('--json', 'print the decision and the trace as JSON')
    .action(async (file: string | undefined, opts: { json?: boolean }, command: Command) => {
      const source = file === undefined || file === '-' ? 'stdin' : file;
      const text = source === 'stdin' ? await readStdin() : await readFile(source, 'utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw new CliError('VALIDATION', `${source} is not one JSON request: ${(error as Error).message}`);
      }
      const packs = buildRegistry();
      let req: ReturnType<typeof parseDecisionRequest>;
      let decision: ReturnType<typeof evaluate>;
      let trace: TraceEntry[] = [];
      if (isStoredRequest(raw)) {
        // A stored contact (`{"contact": {"email": …}}`), as `assent decide` takes it: explained on its ledger, so a
        // DPO can tell the person why they got (or did not get) a message (GDPR art. 15(1)(h), 22 spirit; art. 12).
        const store = await storeOpener(command)();
        let told: Awaited<ReturnType<typeof explainStored>>;
        try {
          told = await explainStored(raw, store, packs, () => new Date());
        } finally {
          await store.close();
        }
        if ('error' in told) {
          const { code, message, path } = told.error;
          const where = path ? ` (at ${path})` : '';
          throw new CliError(
            code === 'CONTACT_NOT_FOUND' ? 'NOT_FOUND' : code === 'PROCESSING_RESTRICTED' ? 'CONFLICT' : 'VALIDATION',
            `${source}: ${message}${where}`,
          );
        }
        ({ request: req, decision, trace } = told);
      } else {
        try {
          req = parseDecisionRequest(raw);
        } catch (error) {
          if (error instanceof InvalidRequestError) {
            throw new CliError('VALIDATION', `${source}: ${error.message} (at ${error.path || '/'})`);
          }
          throw error;
        }
        decision = evaluate(req, packs, { trace });
      }
      if (opts.json) {
        const rules = trace.map((t) => ({ rule: t.rule.id, outcome: t.outcome, message: t.message, ref: t.rule.ref }));
        process.stdout.write(`${JSON.stringify({ ...decision, trace: rules }, null, 2)}\n`);
      } else {
        process.stdout.write(explainText(req, decision, trace, packs));
      }
    });
}
