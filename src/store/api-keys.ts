// API keys of the HTTP server (issue #4): stored as SHA-256 only, with their scopes and their revocation.
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { newId } from './rows.js';
import type { Database } from './schema.js';
import { StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** `admin` implies every other scope; `decide` is the decision routes, `read` the GET routes, `write` the writes. */
export const API_SCOPES = ['admin', 'write', 'decide', 'read'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** A stored key, without its secret (which is never stored) nor its hash (which never leaves the store). */
export interface ApiKey {
  id: string;
  name: string;
  /** The first characters of the secret, to tell keys apart. */
  prefix: string;
  scopes: ApiScope[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export const isApiScope = (s: unknown): s is ApiScope => (API_SCOPES as readonly unknown[]).includes(s);

/** SHA-256 of a presented key, hex: what the store looks keys up by. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** A new secret: `ak_` and 32 random bytes in base64url (256 bits: guessing is out of reach, so no slow hash). */
export function generateApiKeySecret(): { secret: string; hash: string; prefix: string } {
  const secret = `ak_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashApiKey(secret), prefix: secret.slice(0, 10) };
}

function keyOf(row: Database['api_keys']): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.split(',').filter(isApiScope),
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

export async function createApiKey(
  db: Db,
  key: { name: string; scopes: readonly ApiScope[]; hash: string; prefix: string },
): Promise<ApiKey> {
  if (typeof key.name !== 'string' || key.name.trim() === '') throw new StoreError('INVALID', 'a key needs a name');
  if (key.scopes.length === 0 || !key.scopes.every(isApiScope)) {
    throw new StoreError('INVALID', `a key needs one or more scopes among ${API_SCOPES.join(', ')}`);
  }
  if (!/^[0-9a-f]{64}$/.test(key.hash)) throw new StoreError('INVALID', 'the key hash must be a SHA-256 (hex)');
  const row: Database['api_keys'] = {
    id: newId(),
    name: key.name.trim(),
    prefix: key.prefix,
    hash: key.hash,
    scopes: [...new Set(key.scopes)].sort().join(','),
    created_at: new Date().toISOString(),
    revoked_at: null,
    last_used_at: null,
  };
  await db.insertInto('api_keys').values(row).execute();
  return keyOf(row);
}

/** The key whose secret hashes to `hash`, revoked or not (the caller tells a revoked key apart). */
export async function findApiKeyByHash(db: Db, hash: string): Promise<ApiKey | null> {
  const row = await db.selectFrom('api_keys').selectAll().where('hash', '=', hash).executeTakeFirst();
  return row === undefined ? null : keyOf(row);
}

export async function listApiKeys(db: Db): Promise<ApiKey[]> {
  return (await db.selectFrom('api_keys').selectAll().orderBy('created_at').orderBy('id').execute()).map(keyOf);
}

/** Revokes a key for good; revoking it again keeps the first revocation time. */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKey> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date().toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .execute();
  const row = await db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw new StoreError('NOT_FOUND', `no API key ${id}`);
  return keyOf(row);
}

export async function touchApiKey(db: Db, id: string, at: Date): Promise<void> {
  await db.updateTable('api_keys').set({ last_used_at: at.toISOString() }).where('id', '=', id).execute();
}
