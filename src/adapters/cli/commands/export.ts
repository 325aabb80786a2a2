import { once } from 'node:events';
import { open } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { exportContacts } from '../../../services/import/export.js';
import { PRIVATE_FILE } from '../../../services/private-file.js';
import { CliError } from '../errors.js';
import { notTheInput } from '../options.js';
import { counted } from '../output.js';
import { existingStore, withStore } from '../store-option.js';

/** `assent export`: the consent texts, then every contact with its identifiers and full ledger, as NDJSON (docs/import.md). */
export function registerExport(program: Command): void {
  program
    .command('export')
    .description(
      'write the consent texts, every contact with its identifiers and full ledger (evidence, seq, hashes), and the suppression list, as NDJSON',
    )
    .option('-o, --out <file>', 'write to this file (default: stdout)')
    .action(async (o: { out?: string }, command: Command) => {
      const cannot = (error: NodeJS.ErrnoException): CliError =>
        new CliError('NO_INPUT', `cannot write ${o.out}: ${error.code ?? error.message}`);
      // The database first (a mistyped --db must not empty an existing --out file), and never written over; then
      // the output, so a folder, a missing folder or no permission is a one-line error before anything is read.
      // `export --out --help` took "--help" as the file and wrote the whole export to it: an option is no file name
      // (a file that really starts with "-" is written ./-name).
      if (o.out?.startsWith('-')) {
        throw new CliError('USAGE', `--out needs a file name, got the option ${o.out} (a file named so: ./${o.out})`);
      }
      const db = existingStore(command);
      if (db !== null && o.out !== undefined) notTheInput(db, o.out, `--out ${o.out}`);
      const handle =
        o.out === undefined
          ? null
          : await open(o.out, 'w', PRIVATE_FILE).catch((error) => Promise.reject(cannot(error)));
      const out = handle === null ? process.stdout : handle.createWriteStream();
      let failed: NodeJS.ErrnoException | null = null;
      out.on('error', (error: NodeJS.ErrnoException) => {
        failed = error; // a full disk (ENOSPC) mid-way: reported as the export's failure, not a crash
      });
      const count = await withStore(
        command,
        (store) =>
          exportContacts(store, async (text) => {
            if (failed !== null) throw cannot(failed);
            if (!out.write(text)) await once(out, 'drain').catch((error) => Promise.reject(cannot(error)));
          }),
        { existing: true },
      );
      if (o.out !== undefined) {
        out.end();
        await finished(out).catch((error) => Promise.reject(cannot(error)));
        process.stderr.write(
          `exported ${counted(count.contacts, 'contact')} (${count.erased} of them erased: their ledgers only), ${counted(count.texts, 'consent text')} and ${counted(count.suppressions, 'suppression-list entry', 'suppression-list entries')}${count.lifts > 0 ? ` (and ${counted(count.lifts, 'lift')} off it)` : ''} to ${o.out}\n`,
        );
      }
    });
}
