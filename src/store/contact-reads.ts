// Reading contacts: by id or identifier (a merged record answers as its survivor), by page, and in bulk.
import type { Kysely, Transaction } from 'kysely';
import {
  type Contact,
  DEFAULT_JURISDICTION,
  type Identifier,
  type IdentifierKind,
  normalizeIdentifier,
} from '../domain/contact.js';
import { type ContactRow, contactOf, fieldsOf, INSERT_CHUNK } from './rows.js';
import type { Database } from './schema.js';
import type { ContactFields } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function contactRow(db: Db, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function loadContact(db: Db, row: ContactRow): Promise<Contact> {
  return (await loadContacts(db, [row]))[0] as Contact;
}

/** `loadContact` for many contacts: their identifiers and merged records in two queries per chunk. */
export async function loadContacts(db: Db, rows: readonly ContactRow[]): Promise<Contact[]> {
  const identifiers = new Map<string, Identifier[]>(rows.map((r) => [r.id, []]));
  const merged = new Map<string, string[]>(rows.map((r) => [r.id, []]));
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const ids = rows.slice(i, i + INSERT_CHUNK).map((r) => r.id);
    const owned = await db
      .selectFrom('identifiers')
      .selectAll()
      .where('contact_id', 'in', ids)
      .orderBy('kind')
      .orderBy('value')
      .execute();
    for (const o of owned) identifiers.get(o.contact_id)?.push({ kind: o.kind as IdentifierKind, value: o.value });
    const into = await db
      .selectFrom('contacts')
      .select(['id', 'merged_into'])
      .where('merged_into', 'in', ids)
      .orderBy('id')
      .execute();
    for (const m of into) if (m.merged_into !== null) merged.get(m.merged_into)?.push(m.id);
  }
  return rows.map((row) => contactOf(row, identifiers.get(row.id) ?? [], merged.get(row.id) ?? []));
}

export async function findContact(
  db: Db,
  by: { id: string } | { kind: IdentifierKind; value: string; jurisdiction?: string },
): Promise<Contact | null> {
  let id: string | undefined;
  if ('id' in by) id = by.id;
  else {
    const value = normalizeIdentifier(by.kind, by.value, by.jurisdiction ?? DEFAULT_JURISDICTION);
    const hit = await db
      .selectFrom('identifiers')
      .select('contact_id')
      .where('kind', '=', by.kind)
      .where('value', '=', value)
      .executeTakeFirst();
    id = hit?.contact_id;
  }
  if (id === undefined) return null;
  let row = await contactRow(db, id);
  for (let hops = 0; row?.merged_into != null && hops < 100; hops++) row = await contactRow(db, row.merged_into);
  return row === undefined ? null : loadContact(db, row);
}

export async function listContacts(
  db: Db,
  page: { after: string | null; limit: number; live?: boolean },
): Promise<Contact[]> {
  let query = db.selectFrom('contacts').selectAll().where('merged_into', 'is', null).orderBy('id').limit(page.limit);
  if (page.after !== null) query = query.where('id', '>', page.after);
  if (page.live === true) query = query.where('erased_at', 'is', null);
  return loadContacts(db, await query.execute());
}

export async function contactsByIdentifiers(
  db: Db,
  identifiers: readonly Identifier[],
): Promise<Map<string, ContactFields>> {
  const byKind = new Map<IdentifierKind, Set<string>>();
  for (const i of identifiers) byKind.set(i.kind, (byKind.get(i.kind) ?? new Set()).add(i.value));
  const owners = new Map<string, string>();
  for (const [kind, set] of byKind) {
    const values = [...set];
    // kind and value: the primary key's order, so each chunk is an index lookup, not a scan
    for (let i = 0; i < values.length; i += INSERT_CHUNK) {
      const rows = await db
        .selectFrom('identifiers')
        .selectAll()
        .where('kind', '=', kind)
        .where('value', 'in', values.slice(i, i + INSERT_CHUNK))
        .execute();
      for (const r of rows) owners.set(`${r.kind}:${r.value}`, r.contact_id);
    }
  }
  // Merges move identifiers to the survivor, so owners are live (contactsByIds follows `merged_into` anyway), and
  // an erased person has no identifier left.
  const byId = await contactsByIds(db, [...new Set(owners.values())]);
  const out = new Map<string, ContactFields>();
  for (const [key, id] of owners) {
    const fields = byId.get(id);
    if (fields !== undefined) out.set(key, fields);
  }
  return out;
}

export async function identifiersOfContacts(db: Db, contactIds: readonly string[]): Promise<Map<string, Identifier[]>> {
  const wanted = [...new Set(contactIds)];
  const out = new Map<string, Identifier[]>();
  for (let i = 0; i < wanted.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('identifiers')
      .select(['contact_id', 'kind', 'value'])
      .where('contact_id', 'in', wanted.slice(i, i + INSERT_CHUNK))
      .orderBy('kind')
      .orderBy('value') // as findContact gives them: the same list names, in the same order, on every run
      .execute();
    for (const r of rows) {
      const list = out.get(r.contact_id) ?? [];
      list.push({ kind: r.kind as IdentifierKind, value: r.value });
      out.set(r.contact_id, list);
    }
  }
  return out;
}

export async function contactsByIds(db: Db, ids: readonly string[]): Promise<Map<string, ContactFields>> {
  const wanted = [...new Set(ids)];
  const byId = new Map<string, ContactRow>();
  for (let i = 0; i < wanted.length; i += INSERT_CHUNK) {
    const rows = await db
      .selectFrom('contacts')
      .selectAll()
      .where('id', 'in', wanted.slice(i, i + INSERT_CHUNK))
      .execute();
    for (const r of rows) byId.set(r.id, r);
  }
  const out = new Map<string, ContactFields>();
  for (const id of wanted) {
    let row = byId.get(id);
    // A merged record answers as its survivor, as findContact does.
    for (let hops = 0; row?.merged_into != null && hops < 100; hops++) {
      const into: string = row.merged_into;
      row = byId.get(into) ?? (await contactRow(db, into));
      if (row !== undefined) byId.set(row.id, row);
    }
    if (row !== undefined && !row.erased_at) out.set(id, fieldsOf(row));
  }
  return out;
}
