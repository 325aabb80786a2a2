import type { Command } from 'commander';
import { decide, invalidRequest } from '../../../policy/decide.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { mapLines } from '../ndjson.js';
import { answerJson } from '../serialize.js';

/** `assent decide`: NDJSON requests on stdin, one NDJSON answer per request line on stdout, in order. */
export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('decide NDJSON requests from stdin (decision contract); one answer per line on stdout')
    .action(async () => {
      const packs = buildRegistry();
      await mapLines(process.stdin, process.stdout, (line, lineNumber) => {
        let raw: unknown;
        try {
          raw = JSON.parse(line);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          return JSON.stringify(invalidRequest(null, `line ${lineNumber} is not valid JSON: ${why}`, ''));
        }
        return answerJson(decide(raw, packs));
      });
    });
}
