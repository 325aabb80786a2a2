import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { exportContacts } from '../../../services/import/export.js';
import { withStore } from '../store-option.js';

/** `assent export`: the consent texts, then every contact with its identifiers and full ledger, as NDJSON (docs/import.md). */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write the consent texts, every contact with its identifiers and full ledger (evidence, seq, hashes), and the suppression list, as NDJSON',
    )
    .option('-o, --out <file>', 'write to this file (default: stdout)')
    .action(async (o: { out?: string }, command: Command) => {
      const out = o.out === undefined ? process.stdout : createWriteStream(o.out);
      const count = await withStore(
        command,
        (store) =>
          exportContacts(store, async (text) => {
            if (!out.write(text)) await once(out, 'drain');
          }),
        { existing: true },
      );
      if (o.out !== undefined) {
        out.end();
        await finished(out);
        process.stderr.write(
          `exported ${count.contacts} contacts, ${count.texts} consent texts and ${count.suppressions} suppression-list entries to ${o.out}\n`,
        );
      }
    });
}
