import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvWriter, openAudience } from './csv-files.js';
import { recordScreening, type ScreeningProvenance } from './record.js';
import { reportHtml } from './report-html.js';
import type { ListProblem } from './required-lists.js';
import { type ScreenDeps, type ScreenOptions, screenAudience } from './screen.js';
import type { ScreeningSummary } from './summary.js';

export interface ScreenFileOptions extends ScreenOptions {
  file: string;
  outDir: string;
  delimiter?: string;
  /** Stops the screening between chunks (Ctrl-C): its partial files are removed, the earlier run's left whole. */
  signal?: AbortSignal;
  /** Records the finished screening in the store's screenings table, as run by this (docs/screening.md). */
  record?: ScreeningProvenance['via'];
}

/** A screening stopped by its signal: nothing of it was kept. */
export class ScreeningInterrupted extends Error {
  constructor(outDir: string) {
    super(`interrupted: nothing of this screening was kept; the files in ${outDir} are as they were`);
    this.name = 'ScreeningInterrupted';
  }
}

export interface ScreenFileProgress {
  bytes: number;
  totalBytes: number;
  summary: Readonly<ScreeningSummary>;
}

/** The files a screening writes in its output folder. */
export const OUTPUT_FILES = {
  allowed: 'allowed.csv',
  excluded: 'excluded.csv',
  summary: 'summary.json',
  report: 'report.html',
} as const;

/**
 * allowed.csv's `list_problem`: in a dry run, the required list that was not current for the row (`bloctel stale`,
 * `tps missing`), which a real run would have excluded it for; empty otherwise.
 */
function listProblemCell(p: ListProblem | undefined): string {
  return p === undefined ? '' : `${p.name} ${p.problem}`;
}

/**
 * Screens an audience CSV into `outDir` (docs/screening.md): `allowed.csv` (line, the row, basis, obligations,
 * lists, data_source, data_provider, list_problem), `excluded.csv` (line, the row, reason, message), `summary.json` and `report.html`. Rows are streamed a
 * chunk at a time and written as they are decided. A refused screening writes the summary and report only.
 */
export async function screenFile(
  options: ScreenFileOptions,
  deps: ScreenDeps,
  onProgress?: (p: ScreenFileProgress) => void,
): Promise<ScreeningSummary> {
  const totalBytes = (await stat(options.file)).size;
  const audience = await openAudience(options.file, options.delimiter);
  await mkdir(options.outDir, { recursive: true });
  const allowedPath = join(options.outDir, OUTPUT_FILES.allowed);
  const excludedPath = join(options.outDir, OUTPUT_FILES.excluded);
  // Written beside the files of an earlier run and renamed over them only once this one is done: a screening that
  // fails midway (a malformed line) or is stopped leaves the earlier run's files whole, never a mix of the two.
  const partial = (path: string): string => `${path}.partial`;
  const allowed = new CsvWriter(partial(allowedPath), [
    'line',
    ...audience.writtenHeader,
    'basis',
    'obligations',
    'lists',
    'data_source',
    'data_provider',
    'list_problem',
  ]);
  const excluded = new CsvWriter(partial(excludedPath), ['line', ...audience.writtenHeader, 'reason', 'message']);
  const width = audience.header.length;
  const cellsOf = (cells: readonly string[]): string[] => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  let summary: ScreeningSummary | undefined;
  try {
    summary = await screenAudience(audience.rows, options, deps, {
      row: (source, _row, outcome) =>
        outcome.status === 'allowed'
          ? allowed.write([
              String(source.line),
              ...cellsOf(source.cells),
              outcome.basis,
              outcome.obligations.join(';'),
              outcome.lists.join(';'),
              outcome.source?.kind ?? '',
              outcome.source?.provider ?? '',
              listProblemCell(outcome.listProblem),
            ])
          : excluded.write([String(source.line), ...cellsOf(source.cells), outcome.code, outcome.message]),
      progress: (s) => {
        // Between chunks (a check per chunk, not per row): the run stops, and `finally` removes its partial files.
        if (options.signal?.aborted) throw new ScreeningInterrupted(options.outDir);
        onProgress?.({ bytes: audience.bytesRead(), totalBytes, summary: s });
      },
    });
  } finally {
    audience.close();
    await allowed.close();
    await excluded.close();
    if (summary === undefined) for (const path of [allowedPath, excludedPath]) await rm(partial(path), { force: true });
  }
  const summaryPath = join(options.outDir, OUTPUT_FILES.summary);
  const reportPath = join(options.outDir, OUTPUT_FILES.report);
  await writeFile(partial(summaryPath), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(partial(reportPath), reportHtml(summary));
  // A refused screening has no rows: its folder holds the summary and report only.
  const rows = [allowedPath, excludedPath];
  for (const path of rows) if (summary.refused) await rm(partial(path), { force: true });
  for (const path of [...(summary.refused ? [] : rows), summaryPath, reportPath]) await rename(partial(path), path);
  if (summary.refused) for (const path of rows) await rm(path, { force: true });
  if (options.record !== undefined) {
    // A refused screening read the header only: the record names the whole file it was refused for.
    const audienceSha256 = summary.refused ? await fileSha256(options.file) : audience.sha256();
    await recordScreening(deps.store, summary, { via: options.record, audienceSha256, outDir: options.outDir });
  }
  return summary;
}

async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
