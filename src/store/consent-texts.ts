// The consent texts events cite (evidence.textId): stored once per key, version and language, never reworded.
import type { Kysely, Transaction } from 'kysely';
import { sha256 } from '../domain/ledger.js';
import { textOf } from './rows.js';
import type { Database } from './schema.js';
import { type ConsentText, noNul, type Store, StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Stores a consent text, or returns the one stored with the same wording; `inTransaction` runs its read and write
 * in the store's write transaction.
 */
export async function putConsentText(
  text: Parameters<Store['putConsentText']>[0],
  inTransaction: (put: (db: Db) => Promise<ConsentText>) => Promise<ConsentText>,
): Promise<ConsentText> {
  for (const f of ['key', 'version', 'language', 'body'] as const) {
    if (typeof text[f] !== 'string' || text[f].trim() === '')
      throw new StoreError('INVALID', `consent text ${f} is required`);
    noNul(`consent text ${f}`, text[f]);
  }
  const id = `${text.key}:${text.version}:${text.language.toLowerCase()}`;
  const digest = sha256(text.body);
  // Read and written in one write transaction: the same text put twice at once is stored once.
  return inTransaction(async (db) => {
    const existing = await getConsentText(db, id);
    if (existing !== null) {
      if (existing.sha256 === digest) return existing;
      throw new StoreError('CONFLICT', `consent text ${id} exists with other wording: publish a new version`);
    }
    const row = {
      id,
      key: text.key,
      version: text.version,
      language: text.language.toLowerCase(),
      body: text.body,
      sha256: digest,
      created_at: text.createdAt ?? new Date().toISOString(),
    };
    await db.insertInto('consent_texts').values(row).execute();
    return textOf(row);
  });
}

export async function getConsentText(db: Db, id: string): Promise<ConsentText | null> {
  const row = await db.selectFrom('consent_texts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? textOf(row) : null;
}

export async function listConsentTexts(db: Db): Promise<ConsentText[]> {
  const rows = await db.selectFrom('consent_texts').selectAll().orderBy('id').execute();
  return rows.map(textOf);
}
