// Bought and rented lists (issue #6; docs/lists.md): the acquisition record, its proof documents kept whole, and the
// import runs made under it. An acquisition is never edited once recorded: it is what the provider said and gave.
import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import {
  type Acquisition,
  type AcquisitionDocument,
  type AcquisitionKind,
  acquisitionProblems,
  MAX_DOCUMENT_BYTES,
  type NewAcquisition,
} from '../domain/acquisition.js';
import { newId } from './rows.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A proof document to keep: its file name and its bytes. */
export interface NewAcquisitionDocument {
  name: string;
  content: Uint8Array;
}

/** An import run made under an acquisition, from the import journal. */
export interface AcquisitionImport {
  importId: number;
  /** The imported file's name and SHA-256. */
  source: string;
  fileSha256: string;
  status: string;
  accepted: number;
  rejected: number;
  startedAt: string;
}

type AcquisitionRow = Selectable<Database['acquisitions']>;
type DocumentInfoRow = Pick<Selectable<Database['acquisition_documents']>, 'name' | 'sha256' | 'size' | 'added_at'>;

const DOCUMENT_INFO = ['acquisition_id', 'name', 'sha256', 'size', 'added_at'] as const;

const documentOf = (r: DocumentInfoRow): AcquisitionDocument => ({
  name: r.name,
  sha256: r.sha256,
  size: Number(r.size),
  addedAt: r.added_at,
});

const acquisitionOf = (r: AcquisitionRow, documents: AcquisitionDocument[]): Acquisition => ({
  id: r.id,
  provider: r.provider,
  kind: r.kind as AcquisitionKind,
  collectionMethod: r.collection_method,
  consentProof: r.consent_proof,
  collectedAt: r.collected_at,
  acquiredAt: r.acquired_at,
  informed: r.informed === null ? null : Number(r.informed) === 1,
  createdAt: r.created_at,
  recordedBy: r.recorded_by,
  documents,
});

/** Records an acquisition (without documents: addAcquisitionDocument, in the same transaction). */
export async function createAcquisition(db: Db, init: NewAcquisition): Promise<Acquisition> {
  const problems = acquisitionProblems(init, undefined, new Date().toISOString().slice(0, 10));
  if (problems.length > 0) throw new StoreError('INVALID', `acquisition: ${problems.join('; ')}`);
  const row: AcquisitionRow = {
    id: newId(),
    provider: init.provider.trim(),
    kind: init.kind,
    collection_method: init.collectionMethod.trim(),
    consent_proof: init.consentProof.trim(),
    collected_at: init.collectedAt,
    acquired_at: init.acquiredAt,
    informed: init.informed === null ? null : init.informed ? 1 : 0,
    created_at: new Date().toISOString(),
    recorded_by: init.recordedBy,
  };
  await db.insertInto('acquisitions').values(row).execute();
  return acquisitionOf(row, []);
}

/**
 * Keeps a proof document of an acquisition, whole, under its SHA-256. The same bytes given again keep the first
 * name and date. Refuses a document over MAX_DOCUMENT_BYTES, an empty name, an unknown acquisition.
 */
export async function addAcquisitionDocument(
  db: Db,
  acquisitionId: string,
  doc: NewAcquisitionDocument,
): Promise<AcquisitionDocument> {
  if (doc.name.trim() === '') throw new StoreError('INVALID', 'a document needs a file name');
  if (doc.content.byteLength > MAX_DOCUMENT_BYTES) {
    throw new StoreError(
      'INVALID',
      `document ${doc.name} is ${mib(doc.content.byteLength)}; a document may be ${mib(MAX_DOCUMENT_BYTES)} at most`,
    );
  }
  const owner = await db.selectFrom('acquisitions').select('id').where('id', '=', acquisitionId).executeTakeFirst();
  if (owner === undefined) throw new StoreError('NOT_FOUND', `no acquisition ${acquisitionId}`);
  const content = Buffer.from(doc.content.buffer, doc.content.byteOffset, doc.content.byteLength);
  const sha256 = createHash('sha256').update(content).digest('hex');
  await db
    .insertInto('acquisition_documents')
    .values({
      acquisition_id: acquisitionId,
      sha256,
      name: doc.name.trim(),
      size: content.byteLength,
      content,
      added_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['acquisition_id', 'sha256']).doNothing())
    .execute();
  const row = await db
    .selectFrom('acquisition_documents')
    .select(DOCUMENT_INFO)
    .where('acquisition_id', '=', acquisitionId)
    .where('sha256', '=', sha256)
    .executeTakeFirstOrThrow();
  return documentOf(row);
}

/** One acquisition with its documents (not their bytes), or null. */
export async function getAcquisition(db: Db, id: string): Promise<Acquisition | null> {
  const row = await db.selectFrom('acquisitions').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return null;
  return (await withDocuments(db, [row]))[0] ?? null;
}

/** Every acquisition, oldest first, with its documents (not their bytes). */
export async function listAcquisitions(db: Db): Promise<Acquisition[]> {
  return withDocuments(db, await db.selectFrom('acquisitions').selectAll().orderBy('id').execute());
}

async function withDocuments(db: Db, rows: readonly AcquisitionRow[]): Promise<Acquisition[]> {
  const docs = new Map<string, AcquisitionDocument[]>(rows.map((r) => [r.id, []]));
  for (let i = 0; i < rows.length; i += 500) {
    const found = await db
      .selectFrom('acquisition_documents')
      .select(DOCUMENT_INFO)
      .where(
        'acquisition_id',
        'in',
        rows.slice(i, i + 500).map((r) => r.id),
      )
      .orderBy('added_at')
      .orderBy('name')
      .execute();
    for (const d of found) docs.get(d.acquisition_id)?.push(documentOf(d));
  }
  return rows.map((r) => acquisitionOf(r, docs.get(r.id) ?? []));
}

/**
 * A document's bytes, named by its SHA-256 (hex) or its file name; null when the acquisition has no such document.
 * Two documents of one name (other bytes) are told apart by SHA-256 only: CONFLICT names them.
 */
export async function acquisitionDocument(
  db: Db,
  acquisitionId: string,
  ref: string,
): Promise<{ document: AcquisitionDocument; content: Buffer } | null> {
  const bySha = /^[0-9a-fA-F]{64}$/.test(ref);
  const rows = await db
    .selectFrom('acquisition_documents')
    .select([...DOCUMENT_INFO, 'content'])
    .where('acquisition_id', '=', acquisitionId)
    .where(bySha ? 'sha256' : 'name', '=', bySha ? ref.toLowerCase() : ref)
    .execute();
  if (rows.length > 1) {
    throw new StoreError(
      'CONFLICT',
      `${rows.length} documents of acquisition ${acquisitionId} are named ${ref}: give the SHA-256 of one (${rows.map((r) => r.sha256).join(', ')})`,
    );
  }
  const row = rows[0];
  return row === undefined ? null : { document: documentOf(row), content: Buffer.from(row.content) };
}

/** Ties an import run to the acquisition it imports (once: a run belongs to one acquisition). */
export async function linkImportToAcquisition(db: Db, importId: number, acquisitionId: string): Promise<void> {
  await db
    .insertInto('acquisition_imports')
    .values({ import_id: importId, acquisition_id: acquisitionId })
    .onConflict((oc) => oc.column('import_id').doNothing())
    .execute();
}

/** The acquisition an import run was made under, or null. */
export async function acquisitionOfImport(db: Db, importId: number): Promise<string | null> {
  const row = await db
    .selectFrom('acquisition_imports')
    .select('acquisition_id')
    .where('import_id', '=', importId)
    .executeTakeFirst();
  return row?.acquisition_id ?? null;
}

/** The import runs made under an acquisition, oldest first, with their counts. */
export async function acquisitionImports(db: Db, acquisitionId: string): Promise<AcquisitionImport[]> {
  const rows = await db
    .selectFrom('acquisition_imports as a')
    .innerJoin('import_batches as b', 'b.id', 'a.import_id')
    .select(['b.id', 'b.source', 'b.file_sha256', 'b.status', 'b.accepted', 'b.rejected', 'b.started_at'])
    .where('a.acquisition_id', '=', acquisitionId)
    .orderBy('b.id')
    .execute();
  return rows.map((r) => ({
    importId: Number(r.id),
    source: r.source,
    fileSha256: r.file_sha256,
    status: r.status,
    accepted: Number(r.accepted),
    rejected: Number(r.rejected),
    startedAt: r.started_at,
  }));
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MiB`;
}
