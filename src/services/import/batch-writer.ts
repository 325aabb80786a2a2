import type { Identifier } from '../../domain/contact.js';
import { canonicalJson, type NewLedgerEvent, sha256 } from '../../domain/ledger.js';
import type { ContactFields, ContactPatch, ImportRun, NewContact, Store } from '../../store/store.js';
import { recordEvents } from '../record-events.js';
import type { Reject } from './rejects.js';
import type { ImportEvent, ImportRow } from './rows.js';

/** Rows read from the file, valid ones and rejected ones, up to `endLine`. */
export interface Batch {
  rows: ImportRow[];
  rejects: Reject[];
  endLine: number;
}

export interface BatchContext {
  /** The journal entry, with the totals before this batch. */
  run: ImportRun;
  /** Evidence every imported event carries (it wins over a row's own for these fields). */
  evidence: { importBatch: string; sourceFile: string; sourceSha256: string };
  recordedBy: string;
  /** Runs inside the transaction after every write: the rejects file is synced before the commit. */
  beforeCommit: (rejects: Reject[]) => Promise<void>;
}

export interface BatchResult {
  run: ImportRun;
  rejects: Reject[];
  created: number;
  updated: number;
  events: number;
}

/** A contact the batch writes to: one that exists, or one it creates (first seen at `line`). */
interface Target {
  contact: ContactFields | null;
  seed: NewContact | null;
  line: number;
  add: Identifier[];
  set: Omit<ContactPatch, 'add'>;
}

const keyOf = (i: Identifier): string => `${i.kind}:${i.value}`;

/**
 * Writes one batch in ONE transaction with its journal update: contacts, events and `linesDone` land together or
 * not at all, so a crash never leaves half a batch and a resume starts right after the last committed line. A row
 * whose identifiers belong to different contacts is rejected alone.
 */
export async function writeBatch(store: Store, batch: Batch, ctx: BatchContext): Promise<BatchResult> {
  return store.transaction(async (tx) => {
    const owners = new Map<string, Target>();
    const existing = new Map<string, Target>();
    for (const [key, contact] of await tx.contactsByIdentifiers(batch.rows.flatMap((r) => r.identifiers))) {
      let t = existing.get(contact.id);
      if (t === undefined) {
        t = { contact, seed: null, line: 0, add: [], set: {} };
        existing.set(contact.id, t);
      }
      owners.set(key, t);
    }
    const rejects = [...batch.rejects];
    const fresh: Target[] = [];
    const pending: { target: Target; row: ImportRow; event: ImportEvent }[] = [];
    let accepted = 0;
    for (const row of batch.rows) {
      const found = new Set(row.identifiers.flatMap((i) => owners.get(keyOf(i)) ?? []));
      if (found.size > 1) {
        rejects.push({ line: row.line, reason: conflict(row, owners), raw: row.raw });
        continue;
      }
      let target = [...found][0];
      if (target === undefined) {
        target = { contact: null, seed: { ...row.contact, identifiers: [] }, line: row.line, add: [], set: {} };
        fresh.push(target);
      } else {
        Object.assign(target.seed ?? target.set, stated(row.set));
      }
      for (const i of row.identifiers) {
        if (owners.has(keyOf(i))) continue;
        owners.set(keyOf(i), target);
        (target.seed?.identifiers ?? target.add).push(i);
      }
      for (const event of row.events) pending.push({ target, row, event });
      accepted++;
    }
    const created = await tx.createContacts(fresh.map((t) => t.seed as NewContact));
    fresh.forEach((t, n) => {
      t.contact = created[n] ?? null;
    });
    let updated = 0;
    for (const t of existing.values()) {
      const contact = t.contact as ContactFields;
      const patch = changes(contact, t.set);
      if (t.add.length === 0 && patch === null) continue;
      await tx.updateContact(contact.id, { ...patch, add: t.add });
      updated++;
    }
    const events: NewLedgerEvent[] = pending.map(({ target, row, event }) => ({
      contactId: (target.contact as ContactFields).id,
      type: event.type,
      at: event.at,
      data: event.data,
      evidence: { method: 'import', ...event.evidence, ...ctx.evidence },
      recordedBy: ctx.recordedBy,
      // Evidence and recorder left out: the same row imported again, from any batch or by anyone, is the same act.
      idempotencyKey: sha256(
        `import:${row.key}\n${canonicalJson({ type: event.type, at: event.at, data: event.data })}`,
      ),
    }));
    const stored = await recordEvents(tx, events);
    const run: ImportRun = {
      ...ctx.run,
      linesDone: batch.endLine,
      accepted: ctx.run.accepted + accepted,
      rejected: ctx.run.rejected + rejects.length,
    };
    await tx.recordImport(run.id, run);
    rejects.sort((a, b) => a.line - b.line);
    await ctx.beforeCommit(rejects);
    return { run, rejects, created: created.length, updated, events: stored.length };
  });
}

/** The fields a row states (an absent column or field changes nothing). */
function stated(set: Omit<ContactPatch, 'add'>): Omit<ContactPatch, 'add'> {
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
}

/** What a row's stated fields change on a stored contact, or null: an import that changes nothing writes nothing. */
function changes(contact: ContactFields, set: Omit<ContactPatch, 'add'>): Omit<ContactPatch, 'add'> | null {
  const patch: Omit<ContactPatch, 'add'> = {};
  const type = set.type ?? contact.type;
  if (set.type !== undefined && set.type !== contact.type) patch.type = set.type;
  // An individual has no address kind: the store keeps none, so asking for one is no change.
  if (type === 'professional' && set.address !== undefined && set.address !== contact.address) {
    patch.address = set.address;
  }
  if (set.jurisdiction !== undefined && set.jurisdiction !== contact.jurisdiction)
    patch.jurisdiction = set.jurisdiction;
  if (set.timeZone !== undefined && set.timeZone !== contact.timeZone) patch.timeZone = set.timeZone;
  if (set.region !== undefined && set.region !== contact.region) patch.region = set.region;
  return Object.keys(patch).length > 0 ? patch : null;
}

function conflict(row: ImportRow, owners: ReadonlyMap<string, Target>): string {
  const whose = row.identifiers.flatMap((i) => {
    const t = owners.get(keyOf(i));
    if (t === undefined) return [];
    return [
      `${i.kind} ${i.value} belongs to ${t.contact ? `contact ${t.contact.id}` : `the contact of line ${t.line}`}`,
    ];
  });
  return `identifier conflict: ${whose.join(', ')} (merge them first with contacts merge)`;
}
