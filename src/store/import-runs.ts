// The import journal (docs/import.md, "Batches, the journal, resuming"): one row per run of an import file, its
// progress recorded with each batch, so that a run stopped half-way resumes after the lines it committed.
import type { Kysely, Transaction } from 'kysely';
import { importRunOf } from './rows.js';
import type { Database } from './schema.js';
import { type ImportRun, StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function latestImport(db: Db, fileSha256: string): Promise<ImportRun | null> {
  const row = await db
    .selectFrom('import_batches')
    .selectAll()
    .where('file_sha256', '=', fileSha256)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row === undefined ? null : importRunOf(row);
}

export async function startImport(db: Db, run: { fileSha256: string; source: string }): Promise<ImportRun> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('import_batches')
    .values({
      file_sha256: run.fileSha256,
      source: run.source,
      status: 'running',
      lines_done: 0,
      accepted: 0,
      rejected: 0,
      started_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return importRunOf(row);
}

export async function recordImport(
  db: Db,
  id: number,
  progress: Pick<ImportRun, 'status' | 'linesDone' | 'accepted' | 'rejected'>,
): Promise<void> {
  const result = await db
    .updateTable('import_batches')
    .set({
      status: progress.status,
      lines_done: progress.linesDone,
      accepted: progress.accepted,
      rejected: progress.rejected,
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw new StoreError('NOT_FOUND', `no import run ${id}`);
}
