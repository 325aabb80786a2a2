import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ImportRun, type Store, StoreError } from '../../store/store.js';
import { withAcquisition } from './acquired.js';
import { type Batch, type RegimeChange, writeBatch } from './batch-writer.js';
import { mapTarget, resolveHeader } from './columns.js';
import { type ImportFormat, ImportInputError, readRecords, type SourceRecord, scanFile } from './reader.js';
import { RejectsFile } from './rejects.js';
import { csvRow, ndjsonRow, type RowContext } from './rows.js';
import { StatedFacts } from './stated-facts.js';
import {
  importConsentText,
  importSuppression,
  importSuppressionLift,
  isConsentTextLine,
  isSuppressionLiftLine,
  isSuppressionLine,
} from './texts.js';

export interface ImportOptions {
  file: string;
  format: ImportFormat;
  /** `--map source=target` as given: CSV columns, or NDJSON fields. */
  map: ReadonlyMap<string, string>;
  /** Default jurisdiction for rows without one. */
  jurisdiction: string | null;
  batchSize: number;
  rejectsPath: string;
  recordedBy: string;
  /** Import a file whose import finished already (a new run; idempotency keeps it from adding twice). */
  again: boolean;
  delimiter: string;
  /**
   * `--acquisition`: the id of the bought or rented list this file is. Its rows get the acquisition's provenance
   * (see withAcquisition) and every event its id in the evidence.
   */
  acquisition?: string | null;
}

export interface ImportProgress {
  run: ImportRun;
  /** Rows read so far (those of a resumed run's committed lines included) and in the whole file. */
  rows: number;
  totalRows: number;
}

export interface ImportHooks {
  onStart?: (start: ImportProgress & { resumedAfter: number | null }) => void;
  /** After each committed batch. */
  onBatch?: (progress: ImportProgress) => void;
}

export type ImportOutcome =
  | { status: 'already-imported'; run: ImportRun }
  | {
      status: 'imported';
      run: ImportRun;
      resumedAfter: number | null;
      /** This run's writes (a resumed run's earlier batches are in `run`'s totals only). */
      created: number;
      updated: number;
      events: number;
      /** Lines whose contact and events were stored here already (an export imported back, a sync's round trip). */
      stored: number;
      /** Consent texts stored or found stored with the same wording (`consentText` lines). */
      texts: number;
      /** Suppression-list entries read (`suppression` lines of an export), whether new here or not. */
      suppressions: number;
      /** Suppression-list lifts read (`suppressionLift` lines of an export), whether new here or not. */
      lifts: number;
      /**
       * Stored contacts whose type or jurisdiction this run changed, by line: an import may (it is the update), but
       * B2C/B2B and the country decide the law that applies, so each is said.
       */
      regimeChanges: RegimeChange[];
      rejectsFile: string | null;
    };

/**
 * Imports a CSV or NDJSON file, streaming (memory bounded by one batch): the file is scanned first (SHA-256, row
 * count, header and CSV structure: unusable input stops here, with nothing written), then read again and written
 * batch by batch, each batch with its journal update in one transaction. The journal is keyed by the file's SHA-256:
 * a run that stopped resumes after its last committed line; a finished one is not run again unless `again`.
 */
export async function importFile(store: Store, o: ImportOptions, hooks: ImportHooks = {}): Promise<ImportOutcome> {
  const map = new Map<string, string>();
  for (const [from, to] of o.map) {
    const target = mapTarget(o.format, to);
    if (target === null) {
      throw new ImportInputError(`--map ${from}=${to}: "${to}" is not a ${o.format === 'csv' ? 'column' : 'field'}`);
    }
    map.set(from, target);
  }
  const acquisition = o.acquisition ? await store.getAcquisition(o.acquisition) : null;
  if (o.acquisition && acquisition === null) {
    throw new StoreError(
      'NOT_FOUND',
      `--acquisition ${o.acquisition}: no such acquisition (see assent acquisitions list)`,
    );
  }
  const scan = await scanFile(o.file, o.format, o.delimiter);
  const columns = scan.header === null ? null : resolveHeader(scan.header, map, o.jurisdiction);
  const previous = await store.latestImport(scan.sha256);
  if (previous?.status === 'done' && !o.again) return { status: 'already-imported', run: previous };
  const resumed = previous?.status === 'running' && !o.again ? previous : null;
  const resumedAfter = resumed?.linesDone ?? null;
  if (resumed) {
    // A run's events all carry the same provenance: it resumes under the acquisition it began with, or none.
    const began = await store.acquisitionOfImport(resumed.id);
    if (began !== (acquisition?.id ?? null)) {
      throw new ImportInputError(
        `run ${resumed.id} of this file stopped after line ${resumed.linesDone}; it was begun ${began === null ? 'without --acquisition' : `with --acquisition ${began}`}: resume it the same way`,
      );
    }
  }
  let run =
    resumed ??
    (await store.transaction(async (tx) => {
      const started = await tx.startImport({ fileSha256: scan.sha256, source: basename(o.file) });
      if (acquisition !== null) await tx.linkImportToAcquisition(started.id, acquisition.id);
      return started;
    }));
  // The rejects of the committed lines are in the file the run began with: without it they would vanish while the run
  // still counts them (its default place is the folder the run started in).
  if (resumed && resumed.rejected > 0 && !(await exists(o.rejectsPath))) {
    throw new ImportInputError(
      `run ${resumed.id} of this file stopped after line ${resumed.linesDone} with ${resumed.rejected} rejected lines, whose rejects file ${o.rejectsPath} is not there: resume from the folder the run started in, or give its rejects file with --rejects`,
    );
  }
  const rejects = resumed
    ? await RejectsFile.resume(o.rejectsPath, resumed.linesDone)
    : await RejectsFile.create(o.rejectsPath);
  const written = { created: 0, updated: 0, events: 0, stored: 0, texts: 0, suppressions: 0, lifts: 0 };
  const regimeChanges: RegimeChange[] = [];
  try {
    const ctx: RowContext = {
      jurisdiction: o.jurisdiction,
      texts: new Map((await store.listConsentTexts()).map((t) => [t.id, t.sha256])),
    };
    const evidence = {
      importBatch: String(run.id),
      sourceFile: basename(o.file),
      sourceSha256: scan.sha256,
      ...(acquisition === null ? {} : { acquisition: acquisition.id }),
    };
    let rows = 0;
    hooks.onStart?.({ run, rows, totalRows: scan.rows, resumedAfter });
    let batch: Batch = { rows: [], rejects: [], endLine: 0 };
    const erasedLines = new Map<string, { line: number; at: string }>();
    const commit = async (): Promise<void> => {
      const done = await writeBatch(store, batch, {
        run,
        evidence,
        recordedBy: o.recordedBy,
        erasedLines,
        beforeCommit: (r) => rejects.add(r),
      });
      run = done.run;
      written.created += done.created;
      written.updated += done.updated;
      written.events += done.events;
      written.stored += done.stored;
      regimeChanges.push(...done.regimeChanges);
      batch = { rows: [], rejects: [], endLine: 0 };
      hooks.onBatch?.({ run, rows, totalRows: scan.rows });
    };
    const facts = new StatedFacts();
    const contactRow = (rec: SourceRecord) =>
      rec.format === 'csv' ? csvRow(rec, columns ?? [], ctx) : ndjsonRow(rec, map, ctx);
    const isContactLine = (rec: SourceRecord) =>
      rec.format === 'csv' ||
      !(isConsentTextLine(rec.value) || isSuppressionLine(rec.value) || isSuppressionLiftLine(rec.value));
    for await (const rec of readRecords(o.file, o.format, o.delimiter)) {
      rows++;
      if (resumedAfter !== null && rec.endLine <= resumedAfter) {
        // Committed before the stop: read again only for the type and jurisdiction they gave each external id.
        if (isContactLine(rec)) {
          const mapped = contactRow(rec);
          if ('row' in mapped) facts.check(mapped.row);
        }
        continue;
      }
      // Each line becomes a row of the batch or a reject with its reason; consent texts and suppression entries are
      // stored at once, outside the batch.
      let refused: string | null = null;
      if (rec.format === 'ndjson' && isConsentTextLine(rec.value)) {
        // putConsentText is idempotent: a resumed run meets it again unharmed.
        const done = await importConsentText(store, rec.value, ctx);
        if ('reason' in done) refused = done.reason;
        else written.texts++;
      } else if (rec.format === 'ndjson' && isSuppressionLine(rec.value)) {
        // Idempotent too, and once the rows read before it are written: an export puts the list after its contacts,
        // and a stored contact whose own address is on it keeps it (a pending row would be refused).
        if (batch.rows.length > 0) await commit();
        refused = (await importSuppression(store, rec.value))?.reason ?? null;
        if (refused === null) written.suppressions++;
      } else if (rec.format === 'ndjson' && isSuppressionLiftLine(rec.value)) {
        // A record only (this database's list is left as it is), idempotent.
        refused = (await importSuppressionLift(store, rec.value))?.reason ?? null;
        if (refused === null) written.lifts++;
      } else {
        let mapped = contactRow(rec);
        if ('row' in mapped) {
          const contradiction = facts.check(mapped.row);
          if (contradiction !== null) mapped = { reason: contradiction };
        }
        if ('row' in mapped && acquisition) {
          const bought = withAcquisition(mapped.row, acquisition);
          mapped = 'reason' in bought ? bought : { row: bought };
        }
        if ('row' in mapped) batch.rows.push(mapped.row);
        else refused = mapped.reason;
      }
      if (refused !== null) batch.rejects.push({ line: rec.line, reason: refused, raw: rec.raw });
      batch.endLine = rec.endLine;
      if (batch.rows.length + batch.rejects.length >= o.batchSize) await commit();
    }
    if (batch.rows.length + batch.rejects.length > 0) await commit();
    run = { ...run, status: 'done' };
    await store.recordImport(run.id, run);
  } finally {
    // Kept on failure too: it holds the rejects of the committed batches, which a resume keeps.
    await rejects.close(run.status !== 'done' || run.rejected > 0);
  }
  return {
    status: 'imported',
    run,
    resumedAfter,
    ...written,
    regimeChanges,
    rejectsFile: run.rejected > 0 ? o.rejectsPath : null,
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
