// Writing contacts: creating them (one, or a batch), rectifying them (GDPR art. 16: fields and identifiers),
// merging two records of one person, and erasing a person (art. 17), each in the store's write transaction.
import type { Kysely, Transaction } from 'kysely';
import {
  type Contact,
  type ContactInit,
  detectAddressKind,
  type Identifier,
  identifiersOf,
  normalizeIdentifier,
} from '../domain/contact.js';
import { quotes } from '../domain/identifier-quotes.js';
import type { LedgerEvent, NewLedgerEvent } from '../domain/ledger.js';
import { assertFree, checkFields, checkRegion, recordedAt } from './contact-checks.js';
import { contactRow, contactsByIdentifiers, findContact, loadContact } from './contact-reads.js';
import { type ContactRow, compareText, contactOf, INSERT_CHUNK, newContactRow } from './rows.js';
import type { Database } from './schema.js';
import { type ContactPatch, type NewContact, StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The store's write transaction as a contact write uses it: its connection, and the ledger appended on it. */
export interface ContactTx {
  db: Db;
  appendEvents(events: readonly NewLedgerEvent[]): Promise<LedgerEvent[]>;
}

/** Runs `write` in the store's write transaction (within one already: in it). */
export type InWrite = <T>(write: (tx: ContactTx) => Promise<T>) => Promise<T>;

export async function createContact(init: ContactInit, inWrite: InWrite, id?: string): Promise<Contact> {
  const identifiers = identifiersOf(init);
  // Nothing could find, screen, export and import again a contact without one (nor unsubscribe it by address).
  if (identifiers.length === 0) {
    throw new StoreError('INVALID', 'a contact needs at least one identifier: email, phone, external id or postal');
  }
  checkFields(init);
  return inWrite(async (tx) => {
    await assertFree(tx.db, identifiers, null);
    const now = new Date().toISOString();
    const row = newContactRow(init, identifiers.find((i) => i.kind === 'email')?.value, now);
    if (id !== undefined) row.id = id;
    await tx.db.insertInto('contacts').values(row).execute();
    if (identifiers.length > 0) {
      await tx.db
        .insertInto('identifiers')
        .values(identifiers.map((i) => ({ contact_id: row.id, ...i })))
        .execute();
    }
    return loadContact(tx.db, row);
  });
}

export async function createContacts(contacts: readonly NewContact[], inWrite: InWrite): Promise<Contact[]> {
  if (contacts.length === 0) return [];
  for (const c of contacts) checkFields(c);
  const firstRecorded = contacts.map((c) => (c.createdAt === undefined ? undefined : recordedAt(c.createdAt)));
  const identifiers = contacts.map((c) => {
    const unique = new Map<string, Identifier>();
    for (const i of c.identifiers) {
      const value = normalizeIdentifier(i.kind, i.value, c.jurisdiction);
      unique.set(`${i.kind}:${value}`, { kind: i.kind, value });
    }
    return [...unique.values()].sort((a, b) => compareText(a.kind, b.kind) || compareText(a.value, b.value));
  });
  return inWrite(async (tx) => {
    const all = identifiers.flat();
    const given = new Set<string>();
    for (const i of all) {
      if (given.has(`${i.kind}:${i.value}`)) throw new StoreError('CONFLICT', `${i.kind} ${i.value} is given twice`);
      given.add(`${i.kind}:${i.value}`);
    }
    for (const [key, owner] of await contactsByIdentifiers(tx.db, all)) {
      throw new StoreError('CONFLICT', `${key.replace(':', ' ')} already belongs to contact ${owner.id}`);
    }
    const now = new Date().toISOString();
    const rows = contacts.map((c, n) =>
      newContactRow(c, identifiers[n]?.find((i) => i.kind === 'email')?.value, now, firstRecorded[n]),
    );
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await tx.db
        .insertInto('contacts')
        .values(rows.slice(i, i + INSERT_CHUNK))
        .execute();
    }
    const owned = rows.flatMap((row, n) => (identifiers[n] ?? []).map((i) => ({ contact_id: row.id, ...i })));
    for (let i = 0; i < owned.length; i += INSERT_CHUNK) {
      await tx.db
        .insertInto('identifiers')
        .values(owned.slice(i, i + INSERT_CHUNK))
        .execute();
    }
    return rows.map((row, n) => contactOf(row, identifiers[n] ?? [], []));
  });
}

export async function updateContact(id: string, patch: ContactPatch, inWrite: InWrite): Promise<Contact> {
  return inWrite(async (tx) => {
    const row = await contactRow(tx.db, id);
    if (row === undefined) throw new StoreError('NOT_FOUND', `no contact ${id}`);
    if (row.merged_into !== null) throw new StoreError('CONFLICT', `contact ${id} was merged into ${row.merged_into}`);
    if (row.erased_at) throw new StoreError('CONFLICT', `contact ${id} was erased on ${row.erased_at}`);
    const add = patch.add ?? [];
    const remove = patch.remove ?? [];
    checkFields(patch);
    await assertFree(tx.db, add, id);
    const owned = await tx.db
      .selectFrom('identifiers')
      .select(['kind', 'value'])
      .where('contact_id', '=', id)
      .orderBy('kind')
      .orderBy('value')
      .execute();
    const key = (i: { kind: string; value: string }) => `${i.kind}\u0000${i.value}`;
    const gone = new Set(remove.map(key));
    const both = add.find((i) => gone.has(key(i)));
    if (both !== undefined) {
      throw new StoreError('INVALID', `${both.kind} ${both.value} is both added and removed`, '/remove');
    }
    for (const i of remove) {
      if (!owned.some((o) => key(o) === key(i))) {
        throw new StoreError('INVALID', `${i.kind} ${i.value} is not an identifier of contact ${id}`, '/remove');
      }
    }
    const held = new Set(owned.map(key));
    const added = add.filter((i) => !held.has(key(i)));
    const kept = [...owned.filter((o) => !gone.has(key(o))), ...added];
    if (kept.length === 0) {
      throw new StoreError('INVALID', `contact ${id} would have no identifier left: add one, or erase the contact`);
    }
    const type = patch.type ?? row.type;
    const source = patch.address ? 'set' : (row.address_source ?? 'detected');
    // A detected address kind follows the emails when they change: generic only if every one is a role mailbox
    // (contact@, info@…); one that names a person keeps the protections of a person's address.
    const emailsChanged = [...added, ...remove].some((i) => i.kind === 'email');
    const emails = kept.filter((i) => i.kind === 'email').map((i) => i.value);
    const detected = emails.length > 0 && emails.every((e) => detectAddressKind(e) === 'generic') ? 'generic' : 'named';
    // Detected anew when the emails change, or when the contact becomes a professional (it had no kind).
    const kind = source === 'detected' && (emailsChanged || row.address === null) ? detected : row.address;
    const updated: ContactRow = {
      ...row,
      type,
      jurisdiction: patch.jurisdiction?.toUpperCase() ?? row.jurisdiction,
      time_zone: patch.timeZone === undefined ? row.time_zone : patch.timeZone,
      region: patch.region === undefined ? row.region : (patch.region?.toUpperCase() ?? null),
      address: type === 'professional' ? (patch.address ?? kind) : null,
      address_source: type === 'professional' ? source : null,
      updated_at: new Date().toISOString(),
    };
    // Against the jurisdiction it will have: a new one must not keep the region of the old (FR-75 on ES).
    if (patch.region !== undefined || patch.jurisdiction !== undefined)
      checkRegion(updated.jurisdiction, updated.region);
    await tx.db.updateTable('contacts').set(updated).where('id', '=', id).execute();
    for (const i of remove) {
      await tx.db
        .deleteFrom('identifiers')
        .where('contact_id', '=', id)
        .where('kind', '=', i.kind)
        .where('value', '=', i.value)
        .execute();
    }
    // A confirmation sent to a removed address (mistyped: perhaps someone else's) must not confirm anything. The
    // form kept the address as typed: compared normalised.
    if (remove.some((i) => i.kind === 'email' || i.kind === 'phone')) {
      const pending = await tx.db
        .selectFrom('consent_requests')
        .select(['id', 'via', 'destination'])
        .where('contact_id', '=', id)
        .where('status', '=', 'pending')
        .execute();
      const stale = pending.filter((r) => {
        const kind = r.via === 'email' ? 'email' : 'phone';
        try {
          return gone.has(key({ kind, value: normalizeIdentifier(kind, r.destination, row.jurisdiction) }));
        } catch {
          return false;
        }
      });
      if (stale.length > 0) {
        await tx.db
          .updateTable('consent_requests')
          // Settled as settleConsentRequest settles: a deferred sign-up's answers go with it.
          .set({ status: 'expired', settled_at: updated.updated_at, deferred: null })
          .where(
            'id',
            'in',
            stale.map((r) => r.id),
          )
          .execute();
      }
    }
    for (const i of add) {
      await tx.db
        .insertInto('identifiers')
        .values({ contact_id: id, ...i })
        .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
        .execute();
    }
    return loadContact(tx.db, updated);
  });
}

export async function mergeContacts(
  into: string,
  from: string,
  recordedBy: string,
  inWrite: InWrite,
): Promise<Contact> {
  if (into === from) throw new StoreError('INVALID', 'a contact cannot be merged into itself');
  return inWrite(async (tx) => {
    const [a, b] = [await contactRow(tx.db, into), await contactRow(tx.db, from)];
    if (a === undefined || b === undefined) throw new StoreError('NOT_FOUND', `no contact ${a ? from : into}`);
    if (a.merged_into !== null || b.merged_into !== null) {
      throw new StoreError('CONFLICT', 'merge into and from contacts that were not merged already');
    }
    // An erased person's ledger is kept as proof only: merged into someone, their consents would decide for that
    // person; someone merged into them would vanish from every lookup and decision (GDPR art. 17).
    const erased = [a, b].find((r) => r.erased_at !== null);
    if (erased !== undefined) {
      throw new StoreError(
        'CONFLICT',
        `contact ${erased.id} was erased on ${String(erased.erased_at).slice(0, 10)}: it cannot be merged`,
      );
    }
    await tx.db.updateTable('identifiers').set({ contact_id: into }).where('contact_id', '=', from).execute();
    // One person, first recorded when the earlier record was: the retention period may run from it.
    const now = new Date().toISOString();
    await tx.db
      .updateTable('contacts')
      .set(b.created_at < a.created_at ? { created_at: b.created_at, updated_at: now } : { updated_at: now })
      .where('id', '=', into)
      .execute();
    // Keep merges flat: whatever was merged into `from` now belongs to `into` too.
    await tx.db.updateTable('contacts').set({ merged_into: into }).where('merged_into', '=', from).execute();
    await tx.db.updateTable('contacts').set({ merged_into: into }).where('id', '=', from).execute();
    await tx.appendEvents([
      { contactId: into, type: 'contact.merged', at: new Date().toISOString(), data: { from }, recordedBy },
    ]);
    return loadContact(tx.db, {
      ...a,
      ...(b.created_at < a.created_at ? { created_at: b.created_at } : {}),
      updated_at: now,
    });
  });
}

export async function eraseContact(id: string, at: string, inWrite: InWrite): Promise<Identifier[]> {
  return inWrite(async (tx) => {
    const contact = await findContact(tx.db, { id });
    if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${id}`);
    if (contact.id !== id) {
      throw new StoreError('CONFLICT', `contact ${id} was merged into ${contact.id}: erase ${contact.id}`);
    }
    const ids = [id, ...contact.merged];
    await tx.db.deleteFrom('identifiers').where('contact_id', 'in', ids).execute();
    await tx.db
      .updateTable('contacts')
      .set({ erased_at: at, updated_at: at })
      .where('id', 'in', ids)
      .where('erased_at', 'is', null)
      .execute();
    // Where else an address of theirs is kept: the sends of campaigns and pending confirmation requests. A send's
    // error is the server's answer, which often quotes the address ("550 5.1.1 <jane@…>: no such user").
    await tx.db.updateTable('campaign_sends').set({ address: '(erased)' }).where('contact_id', 'in', ids).execute();
    await tx.db
      .updateTable('campaign_sends')
      .set({ error: '(erased)' })
      .where('contact_id', 'in', ids)
      .where('error', 'is not', null)
      .execute();
    // A deferred sign-up's answers (its evidence: IP, user agent, page) wait in its request: they go too.
    await tx.db
      .updateTable('consent_requests')
      .set({ destination: '(erased)', deferred: null })
      .where('contact_id', 'in', ids)
      .execute();
    // A request's items name the address typed beside the one it went to (`add`, stored when confirmed): it goes.
    for (const r of await tx.db
      .selectFrom('consent_requests')
      .select(['id', 'items'])
      .where('contact_id', 'in', ids)
      .where('items', 'like', '%"add"%')
      .execute()) {
      const items = (JSON.parse(r.items) as Record<string, unknown>[]).map(({ add: _, ...rest }) => rest);
      await tx.db
        .updateTable('consent_requests')
        .set({ items: JSON.stringify(items) })
        .where('id', '=', r.id)
        .execute();
    }
    await tx.db
      .updateTable('consent_requests')
      .set({ status: 'expired', settled_at: at })
      .where('contact_id', 'in', ids)
      .where('status', '=', 'pending')
      .execute();
    // A rectification request's text is the person's own words (often the address to correct), and answers often
    // quote where a copy went or the new address, as the reasons of an extension may quote their situation: they go;
    // the kind, dates, status and who answered stay.
    for (const column of ['details', 'answer', 'extension_reason'] as const) {
      await tx.db
        .updateTable('rights_requests')
        .set({ [column]: '(erased)' })
        .where('contact_id', 'in', ids)
        .where(column, 'is not', null)
        .execute();
    }
    // Who recorded or answered a request is free text (`by`): one who wrote the person's address (a request that came
    // by letter, recorded "by" its sender) keeps it no longer; the method, IP and user agent stay as its proof.
    const quoted = (text: string | null | undefined) =>
      typeof text === 'string' && contact.identifiers.some((i) => quotes(text, i));
    for (const r of await tx.db
      .selectFrom('rights_requests')
      .select(['id', 'evidence', 'settled_by', 'lifted_by', 'extended_by'])
      .where('contact_id', 'in', ids)
      .execute()) {
      const evidence = r.evidence === null ? null : (JSON.parse(r.evidence) as Record<string, unknown>);
      const blanked =
        evidence === null
          ? null
          : Object.fromEntries(
              Object.entries(evidence).map(([k, v]) => [k, typeof v === 'string' && quoted(v) ? '(erased)' : v]),
            );
      const evidenceChanged = evidence !== null && JSON.stringify(blanked) !== JSON.stringify(evidence);
      // Who answered, lifted a restriction or extended the period: free text as `by` is.
      const authors = (['settled_by', 'lifted_by', 'extended_by'] as const).filter((f) => quoted(r[f]));
      if (!evidenceChanged && authors.length === 0) continue;
      await tx.db
        .updateTable('rights_requests')
        .set({
          ...(evidenceChanged ? { evidence: JSON.stringify(blanked) } : {}),
          ...Object.fromEntries(authors.map((f) => [f, '(erased)'])),
        })
        .where('id', '=', r.id)
        .execute();
    }
    return contact.identifiers;
  });
}
