import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { countryCode, notACountry } from '../../../domain/contact.js';
import { csvColumnsSummary } from '../../../services/import/columns.js';
import type { ImportFormat } from '../../../services/import/reader.js';
import { ImportInputError } from '../../../services/import/reader.js';
import { type ImportProgress, importFile } from '../../../services/import/run-import.js';
import { CliError } from '../errors.js';
import { inputFile, rejectsPathFor } from '../options.js';
import { counted } from '../output.js';
import { withStore } from '../store-option.js';

interface ImportFlags {
  format?: string;
  map: string[];
  jurisdiction?: string;
  batch: string;
  rejects?: string;
  by?: string;
  delimiter: string;
  progress?: boolean;
  again?: boolean;
  acquisition?: string;
}

const FORMATS: Record<string, ImportFormat> = { '.csv': 'csv', '.ndjson': 'ndjson', '.jsonl': 'ndjson' };

/**
 * `assent import <file>`: contacts and their consent history from CSV or NDJSON (docs/import.md). Exit 0 when every
 * row was accepted, 1 when some were rejected (listed in the rejects file), 2 when the file cannot be used.
 */
export function registerImport(program: Command): void {
  program
    .command('import')
    .description('import contacts and their consent history from CSV or NDJSON: resumable, idempotent')
    .argument('<file>', 'a .csv file with a header line, or .ndjson (one contact per line)')
    .option('--format <format>', 'csv | ndjson (default: from the file extension)')
    .option('--map <source=column>', 'read a column under another name (repeatable); source=- ignores it', collect, [])
    .option('-j, --jurisdiction <code>', 'jurisdiction of rows that give none')
    .option('--batch <rows>', 'rows per transaction', '1000')
    .option('--rejects <path>', 'where rejected rows go (default: <file name>.rejects.csv in the current folder)')
    .option('--by <who>', 'who records the events (default: import:<file name>)')
    .option('--delimiter <char>', 'CSV cell separator (\\t for tab)', ',')
    .option('--progress', 'one line per committed batch on stderr (a terminal gets a progress bar anyway)')
    .option('--again', 'import a file that was imported already (only what is new is added)')
    .option('--acquisition <id>', 'the bought or rented list this file is (assent acquisitions add): its provenance')
    .addHelpText(
      'after',
      `\nCSV columns (docs/import.md; --map names a file's column as one of them):\n${wrap(csvColumnsSummary(), 80, '  ')}`,
    )
    .action(async (file: string, o: ImportFlags, command: Command) => {
      const options = await importOptions(file, o);
      const report = reporter(o.progress === true ? 'lines' : process.stderr.isTTY ? 'bar' : 'none');
      const outcome = await withStore(command, (store) =>
        importFile(store, options, {
          onStart: (p) => {
            if (p.resumedAfter !== null) {
              say(
                `resuming ${file} after line ${p.resumedAfter} (${p.run.accepted} accepted, ${p.run.rejected} rejected so far)`,
              );
            }
          },
          onBatch: report,
        }),
      ).catch((error: unknown) => {
        if (error instanceof ImportInputError) {
          // The reader names the file itself in some reasons ("x.csv is empty", "x.csv: line 3 is not UTF-8"): once.
          const named = error.message.startsWith(`${file}:`) || error.message.startsWith(`${file} `);
          throw new CliError('VALIDATION', named ? error.message : `${file}: ${error.message}`);
        }
        throw error;
      });
      report.end();
      const { run } = outcome;
      if (outcome.status === 'already-imported') {
        say(
          `${file} was imported already (run ${run.id}, ${run.updatedAt}: ${run.accepted} accepted, ${run.rejected} rejected); --again imports it again`,
        );
        return;
      }
      say(
        `imported ${file}: ${run.accepted} accepted, ${run.rejected} rejected` +
          ` (this run: ${counted(outcome.created, 'contact')} created, ${outcome.updated} updated, ${counted(outcome.events, 'event')} recorded` +
          `${outcome.stored > 0 ? `, ${outcome.stored} already stored` : ''}` +
          // Stored now or found stored with the same wording: --again on an unchanged store counts them too.
          `${outcome.texts > 0 ? `, ${outcome.texts} consent text${outcome.texts === 1 ? '' : 's'} in place (stored or already there)` : ''}` +
          `${outcome.suppressions > 0 ? `, ${counted(outcome.suppressions, 'suppression-list entry', 'suppression-list entries')}` : ''}` +
          `${outcome.lifts > 0 ? `, ${outcome.lifts} suppression-list lift${outcome.lifts === 1 ? '' : 's'} on record` : ''}` +
          `${outcome.regimeChanges.length > 0 ? `, ${counted(outcome.regimeChanges.length, 'type or jurisdiction change')}` : ''})`,
      );
      const moved = outcome.regimeChanges;
      if (moved.length > 0) {
        // Allowed (the update a CRM re-sync makes), but B2C/B2B and the country decide the law: said, never silent.
        const shown = moved
          .slice(0, 20)
          .map((c) => `line ${c.line}: contact ${c.contactId} ${c.field} ${c.from} → ${c.to}`);
        say(
          `${moved.length} change${moved.length === 1 ? '' : 's'} of type or jurisdiction of stored contacts (the law that applies to them changes):\n  ${shown.join('\n  ')}` +
            (moved.length > shown.length ? `\n  … and ${moved.length - shown.length} more` : ''),
        );
      }
      if (outcome.rejectsFile !== null) {
        say(`rejected rows, with their line and reason: ${outcome.rejectsFile}`);
        process.exitCode = 1;
      }
    });
}

async function importOptions(file: string, o: ImportFlags): Promise<Parameters<typeof importFile>[1]> {
  if (o.format !== undefined && o.format !== 'csv' && o.format !== 'ndjson') {
    throw new CliError('USAGE', `--format must be csv or ndjson; got ${o.format}`);
  }
  const format = (o.format as ImportFormat | undefined) ?? FORMATS[extname(file).toLowerCase()];
  if (format !== 'csv' && format !== 'ndjson') {
    throw new CliError(
      'USAGE',
      `cannot tell the format of ${file}: name it .csv or .ndjson, or give --format csv|ndjson`,
    );
  }
  const batchSize = Number(o.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 100_000) {
    throw new CliError('USAGE', `--batch must be a whole number from 1 to 100000; got ${o.batch}`);
  }
  if (o.jurisdiction !== undefined && countryCode(o.jurisdiction) === null) {
    throw new CliError('USAGE', `--jurisdiction: ${notACountry(o.jurisdiction)}`);
  }
  const delimiter = o.delimiter === '\\t' ? '\t' : o.delimiter;
  if (delimiter.length !== 1) throw new CliError('USAGE', `--delimiter must be one character; got ${o.delimiter}`);
  const map = new Map<string, string>();
  for (const m of o.map) {
    const eq = m.indexOf('=');
    // An empty source names a header cell without a name (a trailing comma in an Excel export): --map "=-".
    if (eq < 0 || eq === m.length - 1) throw new CliError('USAGE', `--map takes source=column; got ${m}`);
    map.set(m.slice(0, eq), m.slice(eq + 1));
  }
  // A file that is not there or not a file is the machine's problem, exit 66 as for every command (README).
  await inputFile(file);
  return {
    file,
    format,
    map,
    jurisdiction: o.jurisdiction?.toUpperCase() ?? null,
    batchSize,
    rejectsPath: rejectsPathFor(file, o.rejects),
    recordedBy: o.by ?? `import:${basename(file)}`,
    again: o.again === true,
    delimiter,
    acquisition: o.acquisition ?? null,
  };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Progress on stderr: a bar redrawn in place on a terminal, or one plain line per committed batch. */
function reporter(mode: 'bar' | 'lines' | 'none'): ((p: ImportProgress) => void) & { end: () => void } {
  let drawn = false;
  const report = (p: ImportProgress): void => {
    const counts = `${p.run.accepted} accepted, ${p.run.rejected} rejected`;
    if (mode === 'lines') {
      say(`progress: committed through line ${p.run.linesDone}, ${p.rows}/${p.totalRows} rows, ${counts}`);
    } else if (mode === 'bar') {
      const share = p.totalRows === 0 ? 1 : p.rows / p.totalRows;
      const filled = Math.round(share * 30);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(30 - filled)}`;
      process.stderr.write(`\r${bar} ${Math.floor(share * 100)}% ${p.rows}/${p.totalRows} rows · ${counts}`);
      drawn = true;
    }
  };
  return Object.assign(report, {
    end: () => {
      if (drawn) process.stderr.write('\n');
    },
  });
}

/** `text` cut into lines of at most `width` characters at spaces, each behind `indent`. */
function wrap(text: string, width: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  return [...lines, indent + line].join('\n');
}
