import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Command } from 'commander';
import { isChannel } from '../../../domain/channels.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { openListsScreen } from '../../../services/lists/lookup.js';
import { AudienceInputError } from '../../../services/screening/csv-files.js';
import { screeningProblems } from '../../../services/screening/screen.js';
import {
  OUTPUT_FILES,
  type ScreenFileProgress,
  ScreeningInterrupted,
  screenFile,
} from '../../../services/screening/screen-file.js';
import { openScreenPool, screenWorkerCount } from '../../../services/screening/screen-pool.js';
import { CliError } from '../errors.js';
import {
  AT_READING,
  atOption,
  inputFile,
  jurisdictionOption,
  notTheInput,
  offerOption,
  purposeOption,
} from '../options.js';
import { storeConfig, withStore } from '../store-option.js';

interface ScreenFlags {
  channel: string;
  purpose: string;
  offer?: string;
  sector?: string;
  at?: string;
  jurisdiction?: string;
  outDir?: string;
  dryRun?: boolean;
  delimiter: string;
  chunk: string;
  workers: string;
  progress?: boolean;
}

/**
 * `assent screen <audience.csv>`: which rows of an audience may be sent this message now (docs/screening.md).
 * Exit 0 when screened; 5 when a required opposition list is stale or missing (nothing screened; --dry-run
 * screens anyway); 2 when the file cannot be used; 64 on bad options.
 */
export function registerScreen(program: Command): void {
  program
    .command('screen')
    .description('screen an audience CSV: allowed.csv, excluded.csv (with reasons), summary.json, report.html')
    .argument('<audience>', 'a .csv file with a header: email, phone, external_id or contact_id (channel, purpose)')
    .requiredOption('--channel <channel>', 'email | sms | mms | automated_call | fax | phone | postal')
    .option('--purpose <purpose>', 'the message purpose (rows may give their own)', 'marketing')
    .option('--offer <flags>', 'what the message is about: similarToPurchases,relatedToProfession,relatedToContract')
    .option('--sector <sector>', "the offer's sector where the law bans some (energy_renovation…)")
    .option('--at <instant>', `when the messages go out, ${AT_READING} (default: now)`)
    .option(
      '-j, --jurisdiction <code>',
      'country national numbers are read in and whose lists must be current (FR); each stored contact is decided under its own',
    )
    .option('--out-dir <dir>', 'where the output files go (default: <audience>.screening next to the file)')
    .option('--dry-run', 'screen even when a required opposition list is stale or missing (the summary says so)')
    .option('--delimiter <char>', 'CSV cell separator (\\t for tab)', ',')
    .option('--chunk <rows>', 'rows per engine batch', '2000')
    .option(
      '-w, --workers <n>',
      'worker threads screening chunks side by side, or auto (the CPUs, at most 8; none under 1 MiB of audience)',
      'auto',
    )
    .option('--progress', 'one line per chunk on stderr (a terminal gets a progress bar anyway)')
    .action(async (file: string, o: ScreenFlags, command: Command) => {
      const options = await screenOptions(file, o);
      const report = reporter(o.progress === true ? 'lines' : process.stderr.isTTY ? 'bar' : 'none');
      const workers = workersOption(o.workers, (await stat(file)).size);
      // Ctrl-C stops between chunks: the partial files go, the earlier run's stay (as `lists import` undoes its version).
      const stop = new AbortController();
      const onSignal = (): void => stop.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const summary = await withStore(command, async (store) => {
        const lists = await openListsScreen(store, options.at);
        const packs = buildRegistry();
        // A refused screening reads no row: no worker is started for it.
        const refused = !options.dryRun && screeningProblems(options, { packs, lists }).length > 0;
        const pool = refused ? null : openScreenPool(workers, storeConfig(command), options, lists);
        try {
          return await screenFile(
            { ...options, signal: stop.signal, record: 'cli' },
            { store, packs, lists, ...(pool ? { pool } : {}) },
            report,
          );
        } finally {
          await pool?.close();
        }
      })
        .catch((error: unknown) => {
          if (error instanceof AudienceInputError) throw new CliError('VALIDATION', error.message);
          if (error instanceof ScreeningInterrupted) {
            report.end();
            throw new CliError('INTERRUPTED', error.message);
          }
          throw error;
        })
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        });
      report.end();
      if (summary.refused) {
        const why = summary.listProblems.map((p) => p.message).join('; ');
        throw new CliError(
          'CONFLICT',
          `screening refused: ${why} (--dry-run screens anyway); see ${options.outDir} (screening ${summary.id})`,
        );
      }
      for (const p of summary.listProblems) {
        say(`warning${summary.dryRun ? ' (dry run)' : ': rows it would decide were excluded'}: ${p.message}`);
      }
      const rate = summary.durationMs > 0 ? Math.round((summary.rows * 1000) / summary.durationMs) : summary.rows;
      say(
        `screened ${file}: ${summary.rows} rows, ${summary.allowed} allowed, ${summary.excluded} excluded` +
          ` (${rate} rows/s); results in ${options.outDir}; recorded as screening ${summary.id}`,
      );
    });
}

async function screenOptions(file: string, o: ScreenFlags): Promise<Parameters<typeof screenFile>[0]> {
  const channel = o.channel.toLowerCase();
  if (!isChannel(channel)) {
    throw new CliError(
      'USAGE',
      `--channel must be email, sms, mms, automated_call, fax, phone or postal; got ${o.channel}`,
    );
  }
  // Every row would be INVALID_REQUEST otherwise, and the run exit 0 (the API answers 400 for the same).
  purposeOption(o.purpose);
  const at = atOption(o.at);
  const jurisdiction = jurisdictionOption(o.jurisdiction) ?? null;
  const chunkSize = Number(o.chunk);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 100_000) {
    throw new CliError('USAGE', `--chunk must be a whole number from 1 to 100000; got ${o.chunk}`);
  }
  const delimiter = o.delimiter === '\\t' ? '\t' : o.delimiter;
  if (delimiter.length !== 1) throw new CliError('USAGE', `--delimiter must be one character; got ${o.delimiter}`);
  await inputFile(file);
  const outDir = o.outDir ?? join(dirname(file), `${basename(file, extname(file))}.screening`);
  // The files it writes, and the `.partial` files it writes them through first.
  for (const name of Object.values(OUTPUT_FILES).flatMap((n) => [n, `${n}.partial`]))
    notTheInput(file, join(outDir, name), `--out-dir ${outDir}:`);
  return {
    file,
    outDir,
    delimiter,
    channel,
    purpose: o.purpose,
    offer: offerOption(o.offer, o.sector),
    at,
    jurisdiction,
    dryRun: o.dryRun === true,
    chunkSize,
  };
}

function workersOption(given: string, bytes: number): number {
  try {
    return screenWorkerCount(given, bytes);
  } catch (error) {
    throw new CliError('USAGE', (error as Error).message);
  }
}

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** Progress on stderr: a bar redrawn in place on a terminal (share of the file's bytes), or one line per chunk. */
function reporter(mode: 'bar' | 'lines' | 'none'): ((p: ScreenFileProgress) => void) & { end: () => void } {
  let drawn = false;
  const report = (p: ScreenFileProgress): void => {
    const s = p.summary;
    const counts = `${s.rows} rows, ${s.allowed} allowed, ${s.excluded} excluded`;
    if (mode === 'lines') {
      say(`progress: ${counts}`);
    } else if (mode === 'bar') {
      const share = p.totalBytes === 0 ? 1 : Math.min(1, p.bytes / p.totalBytes);
      const filled = Math.round(share * 30);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(30 - filled)}`;
      process.stderr.write(`\r${bar} ${Math.floor(share * 100)}% · ${counts}`);
      drawn = true;
    }
  };
  return Object.assign(report, {
    end: () => {
      if (drawn) process.stderr.write('\n');
    },
  });
}
