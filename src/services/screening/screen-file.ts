import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CsvWriter, openAudience } from './csv-files.js';
import { reportHtml } from './report-html.js';
import { type ScreenDeps, type ScreenOptions, screenAudience } from './screen.js';
import type { ScreeningSummary } from './summary.js';

export interface ScreenFileOptions extends ScreenOptions {
  file: string;
  outDir: string;
  delimiter?: string;
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
 * Screens an audience CSV into `outDir` (docs/screening.md): `allowed.csv` (line, the row, basis, obligations,
 * lists), `excluded.csv` (line, the row, reason, message), `summary.json` and `report.html`. Rows are streamed a
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
  const allowed = new CsvWriter(allowedPath, ['line', ...audience.header, 'basis', 'obligations', 'lists']);
  const excluded = new CsvWriter(excludedPath, ['line', ...audience.header, 'reason', 'message']);
  const width = audience.header.length;
  const cellsOf = (cells: readonly string[]): string[] => Array.from({ length: width }, (_, i) => cells[i] ?? '');
  let summary: ScreeningSummary;
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
            ])
          : excluded.write([String(source.line), ...cellsOf(source.cells), outcome.code, outcome.message]),
      progress: (s) => onProgress?.({ bytes: audience.bytesRead(), totalBytes, summary: s }),
    });
  } finally {
    audience.close();
    await allowed.close();
    await excluded.close();
  }
  if (summary.refused) {
    await rm(allowedPath, { force: true });
    await rm(excludedPath, { force: true });
  }
  await writeFile(join(options.outDir, OUTPUT_FILES.summary), `${JSON.stringify(summary, null, 2)}\n`);
  await writeFile(join(options.outDir, OUTPUT_FILES.report), reportHtml(summary));
  return summary;
}
