import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import {
  type Contact,
  type ContactInit,
  detectAddressKind,
  type Identifier,
  type IdentifierKind,
  identifiersOf,
  normalizeEmail,
  normalizeExternal,
  normalizePhone,
  normalizePostal,
} from '../domain/contact.js';
import {
  eventHash,
  evidenceHash,
  GENESIS_HASH,
  type LedgerEvent,
  type NewLedgerEvent,
  sha256,
} from '../domain/ledger.js';
import { checkLedgerEvent, rowToEvent } from './ledger-rows.js';
import type { Database } from './schema.js';
import { type ConsentText, type ContactPatch, type LedgerCheck, type Store, StoreError } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;
type ContactRow = Database['contacts'];

const INSERT_CHUNK = 400; // rows per multi-row INSERT: under SQLite's and PostgreSQL's bound-parameter limits

/** The Store over Kysely; the same code serves SQLite and PostgreSQL (portable SQL only). */
export class KyselyStore implements Store {
  constructor(
    readonly dialect: 'sqlite' | 'postgres',
    private readonly db: Db,
    private readonly closeDriver: () => Promise<void>,
    private readonly inTransaction = false,
  ) {}

  async transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return (this.db as Kysely<Database>)
      .transaction()
      .execute((trx) => fn(new KyselyStore(this.dialect, trx, this.closeDriver, true)));
  }

  async createContact(init: ContactInit): Promise<Contact> {
    const identifiers = identifiersOf(init);
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      await self.assertFree(identifiers, null);
      const now = new Date().toISOString();
      const email = identifiers.find((i) => i.kind === 'email')?.value;
      const professional = init.type === 'professional';
      const row: ContactRow = {
        id: randomUUID(),
        type: init.type,
        address: professional ? (init.address ?? (email ? detectAddressKind(email) : 'named')) : null,
        address_source: professional ? (init.address ? 'set' : email ? 'detected' : null) : null,
        jurisdiction: init.jurisdiction.toUpperCase(),
        time_zone: init.timeZone ?? null,
        region: init.region?.toUpperCase() ?? null,
        merged_into: null,
        created_at: now,
        updated_at: now,
      };
      await self.db.insertInto('contacts').values(row).execute();
      if (identifiers.length > 0) {
        await self.db
          .insertInto('identifiers')
          .values(identifiers.map((i) => ({ ...i, contact_id: row.id })))
          .execute();
      }
      return self.load(row);
    });
  }

  async updateContact(id: string, patch: ContactPatch): Promise<Contact> {
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      const row = await self.row(id);
      if (row === undefined) throw new StoreError('NOT_FOUND', `no contact ${id}`);
      if (row.merged_into !== null)
        throw new StoreError('CONFLICT', `contact ${id} was merged into ${row.merged_into}`);
      const add = patch.add ?? [];
      await self.assertFree(add, id);
      const type = patch.type ?? row.type;
      const updated: ContactRow = {
        ...row,
        type,
        jurisdiction: patch.jurisdiction?.toUpperCase() ?? row.jurisdiction,
        time_zone: patch.timeZone ?? row.time_zone,
        region: patch.region?.toUpperCase() ?? row.region,
        address: type === 'professional' ? (patch.address ?? row.address ?? 'named') : null,
        address_source: type === 'professional' ? (patch.address ? 'set' : (row.address_source ?? 'detected')) : null,
        updated_at: new Date().toISOString(),
      };
      await self.db.updateTable('contacts').set(updated).where('id', '=', id).execute();
      for (const i of add) {
        await self.db
          .insertInto('identifiers')
          .values({ ...i, contact_id: id })
          .onConflict((oc) => oc.columns(['kind', 'value']).doNothing())
          .execute();
      }
      return self.load(updated);
    });
  }

  async findContact(
    by: { id: string } | { kind: IdentifierKind; value: string; jurisdiction?: string },
  ): Promise<Contact | null> {
    let id: string | undefined;
    if ('id' in by) id = by.id;
    else {
      const value = normalizeIdentifier(by.kind, by.value, by.jurisdiction ?? 'FR');
      const hit = await this.db
        .selectFrom('identifiers')
        .select('contact_id')
        .where('kind', '=', by.kind)
        .where('value', '=', value)
        .executeTakeFirst();
      id = hit?.contact_id;
    }
    if (id === undefined) return null;
    let row = await this.row(id);
    for (let hops = 0; row?.merged_into != null && hops < 100; hops++) row = await this.row(row.merged_into);
    return row === undefined ? null : this.load(row);
  }

  async mergeContacts(into: string, from: string, recordedBy: string): Promise<Contact> {
    if (into === from) throw new StoreError('INVALID', 'a contact cannot be merged into itself');
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      const [a, b] = [await self.row(into), await self.row(from)];
      if (a === undefined || b === undefined) throw new StoreError('NOT_FOUND', `no contact ${a ? from : into}`);
      if (a.merged_into !== null || b.merged_into !== null) {
        throw new StoreError('CONFLICT', 'merge into and from contacts that were not merged already');
      }
      await self.db.updateTable('identifiers').set({ contact_id: into }).where('contact_id', '=', from).execute();
      // Keep merges flat: whatever was merged into `from` now belongs to `into` too.
      await self.db.updateTable('contacts').set({ merged_into: into }).where('merged_into', '=', from).execute();
      await self.db.updateTable('contacts').set({ merged_into: into }).where('id', '=', from).execute();
      await self.appendEvents([
        { contactId: into, type: 'contact.merged', at: new Date().toISOString(), data: { from }, recordedBy },
      ]);
      return self.load(a);
    });
  }

  async appendEvents(events: readonly NewLedgerEvent[]): Promise<LedgerEvent[]> {
    if (events.length === 0) return [];
    for (const [i, e] of events.entries()) checkLedgerEvent(e, i);
    return this.transaction(async (tx) => {
      const self = tx as KyselyStore;
      let head = self.db.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1);
      if (self.dialect === 'postgres') head = head.forUpdate();
      const current = await head.executeTakeFirstOrThrow();
      const keys = events.map((e) => e.idempotencyKey).filter((k): k is string => typeof k === 'string');
      const seen = new Set<string>();
      for (let i = 0; i < keys.length; i += INSERT_CHUNK) {
        const rows = await self.db
          .selectFrom('ledger_events')
          .select('idempotency_key')
          .where('idempotency_key', 'in', keys.slice(i, i + INSERT_CHUNK))
          .execute();
        for (const r of rows) if (r.idempotency_key) seen.add(r.idempotency_key);
      }
      let seq = Number(current.seq);
      let prev = current.hash;
      const recordedAt = new Date().toISOString();
      const out: LedgerEvent[] = [];
      for (const e of events) {
        if (e.idempotencyKey) {
          if (seen.has(e.idempotencyKey)) continue;
          seen.add(e.idempotencyKey);
        }
        const base = {
          ...e,
          seq: ++seq,
          id: randomUUID(),
          recordedAt,
          evidence: e.evidence ?? null,
          evidenceHash: evidenceHash(e.evidence),
          idempotencyKey: e.idempotencyKey ?? null,
          prevHash: prev,
        };
        const hash = eventHash(base);
        out.push({ ...base, hash });
        prev = hash;
      }
      for (let i = 0; i < out.length; i += INSERT_CHUNK) {
        await self.db
          .insertInto('ledger_events')
          .values(
            out.slice(i, i + INSERT_CHUNK).map((e) => ({
              seq: e.seq,
              id: e.id,
              contact_id: e.contactId,
              type: e.type,
              at: e.at,
              at_ms: Date.parse(e.at),
              data: JSON.stringify(e.data),
              evidence: e.evidence ? JSON.stringify(e.evidence) : null,
              evidence_hash: e.evidenceHash,
              recorded_at: e.recordedAt,
              recorded_by: e.recordedBy,
              idempotency_key: e.idempotencyKey ?? null,
              prev_hash: e.prevHash,
              hash: e.hash,
            })),
          )
          .execute();
      }
      if (out.length > 0) {
        await self.db.updateTable('ledger_head').set({ seq, hash: prev }).where('id', '=', 1).execute();
      }
      return out;
    });
  }

  async historyOf(contactId: string): Promise<LedgerEvent[]> {
    return (await this.historiesOf([contactId])).get(contactId) ?? [];
  }

  async historiesOf(contactIds: readonly string[]): Promise<Map<string, LedgerEvent[]>> {
    const out = new Map<string, LedgerEvent[]>(contactIds.map((id) => [id, []]));
    if (contactIds.length === 0) return out;
    const owner = new Map<string, string>(contactIds.map((id) => [id, id]));
    const merged = await this.db
      .selectFrom('contacts')
      .select(['id', 'merged_into'])
      .where('merged_into', 'in', [...contactIds])
      .execute();
    for (const m of merged) if (m.merged_into) owner.set(m.id, m.merged_into);
    const rows = await this.db
      .selectFrom('ledger_events')
      .selectAll()
      .where('contact_id', 'in', [...owner.keys()])
      .orderBy('seq')
      .execute();
    for (const r of rows) out.get(owner.get(r.contact_id) as string)?.push(rowToEvent(r));
    return out;
  }

  async verifyLedger(): Promise<LedgerCheck> {
    let expected = 1;
    let prev = GENESIS_HASH;
    let events = 0;
    const page = 5_000;
    for (;;) {
      const rows = await this.db
        .selectFrom('ledger_events')
        .selectAll()
        .where('seq', '>=', expected)
        .orderBy('seq')
        .limit(page)
        .execute();
      for (const r of rows) {
        const seq = Number(r.seq);
        const e = rowToEvent(r);
        if (seq !== expected) {
          return {
            events,
            head: prev,
            broken: { seq: expected, id: null, problem: `event ${expected} is missing (deleted)` },
          };
        }
        if (e.prevHash !== prev) {
          return {
            events,
            head: prev,
            broken: {
              seq,
              id: e.id,
              problem: 'does not follow its predecessor (reordered, or the predecessor was altered)',
            },
          };
        }
        if (e.evidence !== null && evidenceHash(e.evidence) !== e.evidenceHash) {
          return { events, head: prev, broken: { seq, id: e.id, problem: 'its evidence was altered' } };
        }
        if (eventHash(e) !== e.hash) {
          return { events, head: prev, broken: { seq, id: e.id, problem: 'its content was altered' } };
        }
        prev = e.hash;
        expected++;
        events++;
      }
      if (rows.length < page) break;
    }
    const head = await this.db.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (head === undefined || Number(head.seq) !== events || head.hash !== prev) {
      return {
        events,
        head: prev,
        broken: {
          seq: events + 1,
          id: null,
          problem: `the chain ends at ${events} but the head records ${head ? Number(head.seq) : 'nothing'}: events were removed from the end`,
        },
      };
    }
    return { events, head: prev, broken: null };
  }

  async putConsentText(text: { key: string; version: string; language: string; body: string }): Promise<ConsentText> {
    for (const f of ['key', 'version', 'language', 'body'] as const) {
      if (typeof text[f] !== 'string' || text[f].trim() === '')
        throw new StoreError('INVALID', `consent text ${f} is required`);
    }
    const id = `${text.key}:${text.version}:${text.language.toLowerCase()}`;
    const digest = sha256(text.body);
    const existing = await this.getConsentText(id);
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
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('consent_texts').values(row).execute();
    return textOf(row);
  }

  async getConsentText(id: string): Promise<ConsentText | null> {
    const row = await this.db.selectFrom('consent_texts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? textOf(row) : null;
  }

  async listConsentTexts(): Promise<ConsentText[]> {
    const rows = await this.db.selectFrom('consent_texts').selectAll().orderBy('id').execute();
    return rows.map(textOf);
  }

  async close(): Promise<void> {
    await this.closeDriver();
  }

  private async row(id: string): Promise<ContactRow | undefined> {
    return this.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  private async load(row: ContactRow): Promise<Contact> {
    const ids = await this.db
      .selectFrom('identifiers')
      .select(['kind', 'value'])
      .where('contact_id', '=', row.id)
      .orderBy('kind')
      .orderBy('value')
      .execute();
    const merged = await this.db
      .selectFrom('contacts')
      .select('id')
      .where('merged_into', '=', row.id)
      .orderBy('id')
      .execute();
    return {
      id: row.id,
      type: row.type as Contact['type'],
      address: row.address as Contact['address'],
      addressSource: row.address_source as Contact['addressSource'],
      jurisdiction: row.jurisdiction,
      timeZone: row.time_zone,
      region: row.region,
      identifiers: ids as Identifier[],
      merged: merged.map((m) => m.id),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Refuses identifiers that already belong to another contact, naming both. */
  private async assertFree(identifiers: readonly Identifier[], owner: string | null): Promise<void> {
    for (const i of identifiers) {
      const hit = await this.db
        .selectFrom('identifiers')
        .select('contact_id')
        .where('kind', '=', i.kind)
        .where('value', '=', i.value)
        .executeTakeFirst();
      if (hit !== undefined && hit.contact_id !== owner) {
        throw new StoreError('CONFLICT', `${i.kind} ${i.value} already belongs to contact ${hit.contact_id}`);
      }
    }
  }
}

function textOf(row: Database['consent_texts']): ConsentText {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    language: row.language,
    body: row.body,
    sha256: row.sha256,
    createdAt: row.created_at,
  };
}

export function normalizeIdentifier(kind: IdentifierKind, value: string, jurisdiction: string): string {
  switch (kind) {
    case 'email':
      return normalizeEmail(value);
    case 'phone':
      return normalizePhone(value, jurisdiction);
    case 'postal':
      return normalizePostal(value);
    default:
      return normalizeExternal(value);
  }
}
