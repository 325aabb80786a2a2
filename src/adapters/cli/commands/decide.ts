import type { Command } from 'commander';
import { decide, invalidRequest } from '../../../policy/decide.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { decideStored, isStoredRequest } from '../../../services/stored-decisions.js';
import type { Store } from '../../../store/store.js';
import { answerJson } from '../../answer-json.js';
import { mapLines, tooLongMessage } from '../ndjson.js';
import { storeOpener } from '../store-option.js';

/**
 * `assent decide`: NDJSON requests on stdin, one NDJSON answer per request line on stdout, in order. A request
 * naming a stored contact (`{"contact": {"email": …}}`) is decided on its ledger; the store opens on first need.
 */
export function registerDecide(program: Command): void {
  program
    .command('decide')
    .description('decide NDJSON requests from stdin (decision contract, or stored contacts); one answer per line')
    .action(async (_opts, command: Command) => {
      const packs = buildRegistry();
      const open = storeOpener(command);
      let store: Promise<Store> | undefined;
      try {
        await mapLines(
          process.stdin,
          process.stdout,
          (line, lineNumber) => {
            let raw: unknown;
            try {
              raw = JSON.parse(line);
            } catch (error) {
              const why = error instanceof Error ? error.message : String(error);
              return JSON.stringify(invalidRequest(null, `line ${lineNumber} is not valid JSON: ${why}`, ''));
            }
            if (isStoredRequest(raw)) {
              store ??= open();
              return store.then(async (s) => JSON.stringify(await decideStored(raw, s, packs, () => new Date())));
            }
            return answerJson(decide(raw, packs));
          },
          { tooLong: (n, length, max) => JSON.stringify(invalidRequest(null, tooLongMessage(n, length, max), '')) },
        );
      } finally {
        if (store) await (await store).close();
      }
    });
}
