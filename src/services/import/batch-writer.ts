import { isIP } from 'node:net';
import { type Identifier, IdentifierError, normalizePhoneOf } from '../../domain/contact.js';
import { withoutInvisible } from '../../domain/format-characters.js';
import { canonicalJson, type Evidence, isRecordType, type NewLedgerEvent, sha256 } from '../../domain/ledger.js';
import { regionProblem } from '../../domain/regions.js';
import type { ContactFields, ContactPatch, ImportRun, NewContact, Store } from '../../store/store.js';
import { suppressionHash, suppressionHashes } from '../lists/suppression.js';
import { recordEvents } from '../record-events.js';
import { actKey, alreadyHere, verdict } from './already-here.js';
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
  /**
   * Evidence every imported event carries (it wins over a row's own for these fields); `acquisition` is the bought
   * or rented list the file was imported under (`--acquisition`).
   */
  evidence: { importBatch: string; sourceFile: string; sourceSha256: string; acquisition?: string };
  recordedBy: string;
  /**
   * The erased lines this run took, by key (`erased:<id>`), with their line and `erasedAt`: a later line of the same
   * contact, in this batch or another, is the same erasure, or contradicts it.
   */
  erasedLines: Map<string, { line: number; at: string }>;
  /** Runs inside the transaction after every write: the rejects file is synced before the commit. */
  beforeCommit: (rejects: Reject[]) => Promise<void>;
}

export interface BatchResult {
  run: ImportRun;
  rejects: Reject[];
  created: number;
  updated: number;
  events: number;
  /** Lines whose contact and events this database holds already: nothing written (see alreadyHere). */
  stored: number;
  /** Stored contacts whose type or jurisdiction a row changed: allowed (an update), but the law that applies moves. */
  regimeChanges: RegimeChange[];
}

/** A stored contact's type or jurisdiction changed by an import: the row that did it, what it was, what it is. */
export interface RegimeChange {
  contactId: string;
  line: number;
  field: 'type' | 'jurisdiction';
  from: string;
  to: string;
}

/** A contact the batch writes to: one that exists, or one it creates (first seen at `line`). */
interface Target {
  contact: ContactFields | null;
  seed: NewContact | null;
  line: number;
  add: Identifier[];
  set: Omit<ContactPatch, 'add'>;
  /** An exported erased contact: created, then erased as of this instant. */
  erasedAt?: string;
  /** The line of the last row that stated a stored contact's type or jurisdiction. */
  statedOn?: Partial<Record<'type' | 'jurisdiction', number>>;
}

const keyOf = (i: Identifier): string => `${i.kind}:${i.value}`;

/**
 * Writes one batch in ONE transaction with its journal update: contacts, events and `linesDone` land together or
 * not at all, so a crash never leaves half a batch and a resume starts right after the last committed line. A row
 * whose identifiers belong to different contacts is rejected alone, and so is a row that would store an email or
 * phone number of the company suppression list (see suppressedNew).
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
    // A bought or rented list never re-opens a suppressed person, stored or not: its provider's "consent" dated after
    // the person's objection to us is not theirs to us (a stored contact's own re-import stays governed by the ledger).
    const suppressed = await suppressedNew(tx, batch.rows, ctx.evidence.acquisition === undefined ? owners : null);
    // The same for a stored person whose "no" is in the ledger (an unsubscribe, STOP, an objection, a consent
    // refused or withdrawn) rather than on the suppression list: the provider's consent, dated after it, would
    // otherwise re-open what the person closed to us (GDPR art. 21(3); CNIL, liste repoussoir).
    const saidNo = ctx.evidence.acquisition === undefined ? new Map<string, string>() : await refusals(tx, existing);
    const noesStored =
      ctx.evidence.acquisition === undefined ? await storedNoes(tx, batch.rows, existing) : new Map<string, SaidNo[]>();
    const erased = await erasedEarlier(tx, batch.rows, owners);
    const here = await erasedHere(tx, batch.rows);
    const moved = await alreadyHere(tx, batch.rows);
    const { erasedLines } = ctx;
    let storedRows = 0;
    const rejects = [...batch.rejects];
    const saidInFile = new Map<Target, SaidNo[]>(); // the "no"s earlier rows of this batch gave each person
    const fresh: Target[] = [];
    const pending: { target: Target; row: ImportRow; event: ImportEvent }[] = [];
    const keptNoes: { hash: string; reason: 'objection'; at: string }[] = [];
    // Restrictions in force in the source database, filed again for the person here (its id known once created).
    const restrictions: { contactId: () => string; row: ImportRow }[] = [];
    let accepted = 0;
    for (const row of batch.rows) {
      if (row.erased !== undefined) {
        const twin = erasedLines.get(row.key);
        if (twin !== undefined && twin.at !== row.erased.at) {
          rejects.push({ line: row.line, reason: twiceErased(row.erased, twin), raw: row.raw });
          continue;
        }
        // An erased contact stored already (an earlier import, this database's own export, a line twice) is left as
        // it is: imported again, the export adds nothing.
        const stored = here.get(row);
        if (typeof stored === 'string') {
          rejects.push({ line: row.line, reason: stored, raw: row.raw });
          continue;
        }
        if (stored === null || twin !== undefined) {
          erasedLines.set(row.key, twin ?? { line: row.line, at: row.erased.at });
          accepted++;
          storedRows++;
          continue;
        }
      }
      const found = new Set(row.identifiers.flatMap((i) => owners.get(keyOf(i)) ?? []));
      if (found.size > 1) {
        rejects.push({ line: row.line, reason: conflict(row, owners), raw: row.raw });
        continue;
      }
      // Its events stored here already, moved in before or recorded here first: the same person's same acts.
      const seen = moved.get(row);
      const same =
        seen === undefined ? null : verdict(row, seen, new Set([...found].flatMap((t) => t.contact?.id ?? [])));
      if (same?.kind === 'reject') {
        rejects.push({ line: row.line, reason: same.reason, raw: row.raw });
        continue;
      }
      if (same !== null) {
        if (row.erased !== undefined) erasedLines.set(row.key, { line: row.line, at: row.erased.at });
        else if (row.restrictions !== undefined) restrictions.push({ contactId: () => same.contactId, row });
        if (same.kind === 'stored') storedRows++;
        else {
          // Only the fields the writer reads of a stored contact: its id (an erased one is left out of lookups).
          const kept = {
            contact: { id: same.contactId } as ContactFields,
            seed: null,
            line: row.line,
            add: [],
            set: {},
          };
          for (const event of same.events) pending.push({ target: kept, row, event });
        }
        accepted++;
        continue;
      }
      const gone = erased.get(row);
      if (gone !== undefined) {
        rejects.push({ line: row.line, reason: gone, raw: row.raw });
        continue;
      }
      const barred = row.identifiers.filter((i) => suppressed.has(keyOf(i)));
      if (barred.length > 0) {
        rejects.push({ line: row.line, reason: suppressedReason(barred), raw: row.raw });
        continue;
      }
      let target = [...found][0];
      const national = row.nationalPhone;
      if (national !== undefined && target?.contact && !sameNumber(national, target.contact)) {
        // Read in the default country, the number would be another person's (030 … in Berlin became +33 30 …).
        rejects.push({
          line: row.line,
          reason: `phone "${national.written}" has no country code and was read in ${national.readIn}, but the stored contact is ${target.contact.jurisdiction}: write it with its country code (+…) or give the row's jurisdiction`,
          raw: row.raw,
        });
        continue;
      }
      // The person as found now: an earlier row of this batch may have given them the identifier this row names, or
      // said their "no" (as may this row, before its consent).
      const inFile = (target === undefined ? undefined : saidInFile.get(target)) ?? [];
      const no =
        (target?.contact ? saidNo.get(target.contact.id) : undefined) ??
        reopenReason(row, [
          ...((target?.contact ? noesStored.get(target.contact.id) : undefined) ?? []),
          ...inFile,
          ...row.events.filter(saysNo).map((event) => ({ event, who: 'the file says no' })),
        ]);
      if (no !== undefined) {
        rejects.push({ line: row.line, reason: no + keepNoes(row, target, pending, keptNoes), raw: row.raw });
        continue;
      }
      const region = regionReason(target, row);
      if (region !== null) {
        rejects.push({ line: row.line, reason: region, raw: row.raw });
        continue;
      }
      if (target === undefined) {
        target = { contact: null, seed: { identifiers: [], ...row.contact }, line: row.line, add: [], set: {} };
        if (row.erased !== undefined) {
          target.erasedAt = row.erased.at;
          erasedLines.set(row.key, { line: row.line, at: row.erased.at });
        }
        fresh.push(target);
      } else {
        Object.assign(target.seed ?? target.set, stated(row.set));
        for (const f of ['type', 'jurisdiction'] as const) {
          if (target.seed === null && row.set[f] !== undefined) target.statedOn = { ...target.statedOn, [f]: row.line };
        }
      }
      for (const i of row.identifiers) {
        if (owners.has(keyOf(i))) continue;
        owners.set(keyOf(i), target);
        (target.seed?.identifiers ?? target.add).push(i);
      }
      for (const event of row.events) pending.push({ target, row, event });
      const person = target;
      if (row.restrictions !== undefined)
        restrictions.push({ contactId: () => (person.contact as ContactFields).id, row });
      const noes = row.events.filter(saysNo).map((event) => ({ event, who: 'the file says no' }));
      if (noes.length > 0) saidInFile.set(target, [...inFile, ...noes]);
      accepted++;
    }
    if (keptNoes.length > 0) await tx.addSuppressions(keptNoes);
    const created = await tx.createContacts(fresh.map((t) => t.seed as NewContact));
    fresh.forEach((t, n) => {
      t.contact = created[n] ?? null;
    });
    // As `contacts erase` leaves them: erased_at set, no identifier (it never had one here).
    for (const t of fresh) if (t.erasedAt !== undefined) await tx.eraseContact(t.contact?.id as string, t.erasedAt);
    let updated = 0;
    const regimeChanges: RegimeChange[] = [];
    for (const t of existing.values()) {
      const contact = t.contact as ContactFields;
      const patch = changes(contact, t.set);
      if (t.add.length === 0 && patch === null) continue;
      for (const field of ['type', 'jurisdiction'] as const) {
        const to = patch?.[field];
        if (to !== undefined) {
          regimeChanges.push({
            contactId: contact.id,
            line: t.statedOn?.[field] ?? 0,
            field,
            from: contact[field],
            to,
          });
        }
      }
      await tx.updateContact(contact.id, { ...patch, add: t.add });
      updated++;
    }
    // An act a stored contact's ledger already holds (same type, instant and data) is not recorded twice: an export
    // imported back into its own database, or a CRM file carrying what the API recorded, doubled the history.
    const storedId = (t: Target): string | null => (t.seed === null && t.contact ? t.contact.id : null);
    const known = await knownActs(
      tx,
      pending.flatMap(({ target }) => storedId(target) ?? []),
    );
    const unrecorded = pending.filter(({ target, event }) => {
      const id = storedId(target);
      const acts = id === null ? undefined : known.get(id);
      return acts === undefined || !acts.has(actKey(event.type, event.at, event.data));
    });
    const events: NewLedgerEvent[] = unrecorded.map(({ target, row, event }) => ({
      contactId: (target.contact as ContactFields).id,
      type: event.type,
      at: event.at,
      data: event.data,
      evidence: evidenceOf(event, ctx.evidence),
      recordedBy: ctx.recordedBy,
      // Evidence and recorder left out: the same row imported again, from any batch or by anyone, is the same act.
      idempotencyKey: importKey(row, event),
    }));
    // An erased contact's record of its erasure, moved as its other events are, is appended as the erasure appends
    // it (recordEvents refuses the ledger's own records: a file never brings one of its own making, see ndjsonRow).
    const stored = [
      ...(await recordEvents(
        tx,
        events.filter((e) => !isRecordType(e.type)),
        true,
      )),
      ...(await tx.appendEvents(events.filter((e) => isRecordType(e.type)))),
    ];
    await fileRestrictions(tx, restrictions, ctx.recordedBy);
    const run: ImportRun = {
      ...ctx.run,
      linesDone: batch.endLine,
      accepted: ctx.run.accepted + accepted,
      rejected: ctx.run.rejected + rejects.length,
    };
    await tx.recordImport(run.id, run);
    rejects.sort((a, b) => a.line - b.line);
    await ctx.beforeCommit(rejects);
    regimeChanges.sort((a, b) => a.line - b.line);
    return {
      run,
      rejects,
      created: created.length,
      updated,
      events: stored.length,
      stored: storedRows,
      regimeChanges,
    };
  });
}

/**
 * Files again, as an open `restriction` request dated at its receipt there, each restriction of processing in force
 * in the source database (GDPR art. 18(2): the person's data is only stored until it ends; a move to another
 * database must not end it). Open: the DPO answers it here (granted, then lifted; or refused). Keyed by the source
 * request, so a resumed or repeated import files it once; its record (`contact.restricted`) is appended here too.
 */
async function fileRestrictions(
  tx: Store,
  moved: readonly { contactId: () => string; row: ImportRow }[],
  recordedBy: string,
): Promise<void> {
  for (const { contactId, row } of moved) {
    const id = contactId();
    // An export imported back into its own database: the request is here already.
    const here = new Set((await tx.listRightsRequests({ contactIds: [id], limit: 1_000 })).map((r) => r.id));
    for (const r of row.restrictions ?? []) {
      if (here.has(r.request)) continue;
      const made = await tx.createRightsRequest({
        contactId: id,
        kind: 'restriction',
        nonce: `moved:${r.request}`,
        evidence: { method: 'import', movedFrom: r.request, receivedAt: r.since },
        at: new Date(r.since),
      });
      if (!made.created) continue;
      await tx.appendEvents([
        {
          contactId: made.request.contactId,
          type: 'contact.restricted',
          at: made.request.requestedAt,
          data: { request: made.request.id },
          recordedBy,
        },
      ]);
    }
  }
}

/**
 * `kind:value` of the batch's emails and phone numbers that no stored contact has and that are on the company
 * suppression list, in one query. A person erased (GDPR art. 17) or who objected to prospecting (art. 21(3): the
 * data "shall no longer be processed" for it) must not come back through a re-imported or bought file: the CNIL's
 * "liste repoussoir" keeps the objection effective whatever the source of the data (docs/lists.md). A stored
 * contact's own identifier is not barred (`owners`): that person's objection is in their ledger, and decisions
 * follow it; under `--acquisition` (owners null) it is barred too.
 */
async function suppressedNew(
  tx: Store,
  rows: readonly ImportRow[],
  owners: ReadonlyMap<string, Target> | null,
): Promise<Set<string>> {
  // One hash may stand for several spellings in the batch (NFC and NFD, two punctuations of an address): all of them.
  const keys = new Map<string, Set<string>>();
  for (const i of rows.flatMap((r) => r.identifiers)) {
    if (!owners?.has(keyOf(i))) {
      for (const h of suppressionHashes(i.kind, i.value)) {
        const spellings = keys.get(h) ?? new Set<string>();
        spellings.add(keyOf(i));
        keys.set(h, spellings);
      }
    }
  }
  if (keys.size === 0) return new Set();
  return new Set([...(await tx.suppressedAmong([...keys.keys()]))].flatMap((hash) => [...(keys.get(hash) ?? [])]));
}

/**
 * An imported event's idempotency key: evidence and recorder left out, the same row imported again is the same act.
 * An exported event is one event of its source's chain, named by its hash there: two recorded with the same type,
 * instant and data (a consent recorded by hand, then again citing its wording) are two events, and the second, keyed
 * as the first, was dropped without a word, with its proof of the wording shown (GDPR art. 7(1)).
 */
function importKey(row: ImportRow, event: ImportEvent, key = row.key): string {
  const act = { type: event.type, at: event.at, data: event.data };
  return sha256(
    `import:${key}\n${canonicalJson(event.origin === undefined ? act : { ...act, origin: event.origin.hash })}`,
  );
}

/**
 * Rows of no stored contact whose events an earlier import recorded for a person since erased (a retention purge, an
 * erasure without suppression): row → the reject reason. Imported again, the row would bring the person back with an
 * empty ledger (its events are the erased person's, by their keys) and a retention clock started today, though their
 * data had passed its period (GDPR art. 5(1)(e)).
 */
async function erasedEarlier(
  tx: Store,
  rows: readonly ImportRow[],
  owners: ReadonlyMap<string, Target>,
): Promise<Map<ImportRow, string>> {
  const keys = new Map<string, ImportRow>();
  for (const row of rows) {
    if (row.identifiers.some((i) => owners.has(keyOf(i)))) continue;
    // Under each of its identifiers: the earlier file may have keyed the events by another (no CRM id column then).
    for (const event of row.events) for (const i of row.identifiers) keys.set(importKey(row, event, keyOf(i)), row);
  }
  const out = new Map<ImportRow, string>();
  if (keys.size === 0) return out;
  const earlier = await tx.eventsByIdempotencyKeys([...keys.keys()]);
  if (earlier.size === 0) return out;
  const live = await tx.contactsByIds([...new Set([...earlier.values()].map((e) => e.contactId))]);
  for (const [key, event] of earlier) {
    const row = keys.get(key) as ImportRow;
    if (live.has(event.contactId) || out.has(row)) continue;
    out.set(
      row,
      `this row's events were imported before for contact ${event.contactId}, since erased: the person's data is not brought back (the proof stays under that id)`,
    );
  }
  return out;
}

/**
 * The batch's erased contacts this database holds already, row → null: imported before (their record of the erasure
 * is stored under its key), or this database's own (the id holds that record). One it holds live under that id,
 * row → the reject reason: a copy imported erased would leave the person live beside it.
 */
async function erasedHere(tx: Store, rows: readonly ImportRow[]): Promise<Map<ImportRow, string | null>> {
  const out = new Map<ImportRow, string | null>();
  const erased = rows.filter((r) => r.erased !== undefined);
  if (erased.length === 0) return out;
  // ndjsonRow lets an erased contact through with exactly one.
  const record = (row: ImportRow): ImportEvent => row.events.find((e) => e.type === 'contact.erased') as ImportEvent;
  const keys = new Map(erased.map((row) => [importKey(row, record(row)), row]));
  for (const key of (await tx.eventsByIdempotencyKeys([...keys.keys()])).keys())
    out.set(keys.get(key) as ImportRow, null);
  const ids = erased.map((row) => (row.erased as { id: string }).id);
  const acts = await knownActs(tx, ids);
  const live = await tx.contactsByIds(ids);
  for (const row of erased) {
    const { id, at } = row.erased as { id: string; at: string };
    const e = record(row);
    if (out.has(row) || acts.get(id)?.has(actKey(e.type, e.at, e.data))) out.set(row, null);
    else if (live.has(id)) {
      out.set(
        row,
        `contact ${id} is live in this database, erased on ${at.slice(0, 10)} in the export: erase it here (assent contacts erase ${id}) rather than import an erased copy`,
      );
    }
  }
  return out;
}

/** Why a second erased line of one contact in a run is refused: the file gives two dates for one erasure. */
function twiceErased(erased: { at: string; id: string }, first: { line: number; at: string }): string {
  return `contact ${erased.id} is erased on ${erased.at} on this line and on ${first.at} on line ${first.line}: one erasure cannot have two dates (the file was changed after the export, or joins two exports); keep the line of the export you mean`;
}

/**
 * Stored contacts of the batch who said no to our prospecting (objection on any channel, own consent refused or
 * withdrawn): contact id → the reject reason naming the first such event.
 */
async function refusals(tx: Store, existing: ReadonlyMap<string, Target>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (existing.size === 0) return out;
  for (const [id, events] of await tx.decisionHistoriesOf([...existing.keys()])) {
    const no = events.find(
      (e) =>
        e.type === 'objection' ||
        ((e.type === 'consent.refused' || e.type === 'consent.withdrawn') && (e.data.scope ?? 'own') === 'own'),
    );
    if (no !== undefined) {
      // Named as recorded: a "no" to texts blocks the row's email consent too, and the reader must see which it was.
      const on = [
        no.data.channel === undefined || no.data.channel === '*' ? 'every channel' : [no.data.channel].flat().join('/'),
        ...(typeof no.data.purpose === 'string' && no.data.purpose !== '*' ? [`purpose ${no.data.purpose}`] : []),
      ].join(', ');
      out.set(
        id,
        `contact ${id} said no to our prospecting (${no.type} of ${no.at.slice(0, 10)}, ${on}): a bought or rented list does not re-open it, on any channel; not imported`,
      );
    }
  }
  return out;
}

type Stated = { channels: '*' | ReadonlySet<string>; purpose: unknown };
const statedOf = (data: Readonly<Record<string, unknown>>): Stated => ({
  channels:
    data.channel === '*' || data.channel === undefined
      ? '*'
      : new Set(Array.isArray(data.channel) ? (data.channel as string[]) : [String(data.channel)]),
  purpose: data.purpose,
});
const overlap = (a: Stated, b: Stated): boolean =>
  (a.purpose === undefined || b.purpose === undefined || a.purpose === b.purpose) &&
  (a.channels === '*' || b.channels === '*' || [...a.channels].some((c) => (b.channels as Set<string>).has(c)));
/** Evidence that says how a consent was collected again (a form, a page, an address, a recording, the wording). */
const COLLECTION_PROOF = ['pageUrl', 'formId', 'ip', 'recording', 'textId'] as const;
/**
 * A field of it that says something: text with a letter or digit that is not a placeholder a CRM or a spreadsheet
 * writes in empty columns (N/A, #N/A, null, (null), \\N, NaN, none, -), fillers and invisible characters aside; for
 * `ip` an IP address that is not the unspecified one (0.0.0.0, ::, ::ffff:0.0.0.0).
 */
const isProof = (key: (typeof COLLECTION_PROOF)[number], value: unknown): boolean => {
  if (typeof value !== 'string') return false;
  const text = withoutInvisible(value.normalize('NFKC')).trim();
  const word = text.replace(/[^\p{L}\p{N}]+/gu, '').toLowerCase();
  if (word === '' || /^(?:na|null|nil|none|nan|n|undefined|unknown|0+)$/.test(word)) return false;
  if (key !== 'ip') return true;
  return isIP(text) !== 0 && !/^[0:.]*$/.test(text.replace(/^::ffff:/i, ''));
};

/**
 * A row refused for its unproven consent still says its "no": lost with the row, the person could come back through
 * a bought list or a form as if they never objected (GDPR art. 21(3)). A stored person's "no" events are recorded;
 * an unknown person's emails and numbers join the suppression list. Returns what the reject line adds.
 */
function keepNoes(
  row: ImportRow,
  target: Target | undefined,
  pending: { target: Target; row: ImportRow; event: ImportEvent }[],
  kept: { hash: string; reason: 'objection'; at: string }[],
): string {
  const noes = row.events.filter(saysNo);
  if (noes.length === 0) return '';
  if (target?.contact) {
    for (const event of noes) pending.push({ target, row, event });
    return `; its "no" (${noes.map((e) => e.type).join(', ')}) was recorded on contact ${target.contact.id}`;
  }
  const reached = row.identifiers.filter((i) => i.kind === 'email' || i.kind === 'phone');
  if (reached.length === 0) return '';
  const at = (noes[0] as ImportEvent).at;
  for (const i of reached) kept.push({ hash: suppressionHash(i.kind, i.value), reason: 'objection', at });
  return `; its "no" was kept: ${reached.map((i) => i.value).join(', ')} joined the suppression list`;
}

/** An objection, or an own consent refused or withdrawn: a "no" to our prospecting. */
const saysNo = (e: { type: string; data: Readonly<Record<string, unknown>> }): boolean =>
  e.type === 'objection' ||
  ((e.type === 'consent.refused' || e.type === 'consent.withdrawn') && (e.data.scope ?? 'own') === 'own');

/** A row's own consents of ours without the proof of a new collection (moved events carry theirs). */
const unprovenConsents = (row: ImportRow): ImportEvent[] =>
  row.events.filter(
    (e) =>
      (e.type === 'consent.given' || e.type === 'consent.confirmed') &&
      (e.data.scope ?? 'own') === 'own' &&
      e.origin === undefined &&
      e.data.method !== 'double_opt_in' &&
      !COLLECTION_PROOF.some((k) => isProof(k, e.evidence?.[k])),
  );

/** A "no" a row's consent is checked against, and who said it (the stored ledger, or the file being imported). */
interface SaidNo {
  event: Pick<ImportEvent, 'type' | 'at' | 'data'>;
  who: string;
}

/**
 * Why a consent of ours in this row would re-open, without the proof of the new collection, a "no" said before it
 * (an objection, an own consent refused or withdrawn) on a channel and purpose it covers; undefined when none would.
 * A CRM export that stamps every consent with the day of the export would otherwise undo each unsubscribe (GDPR art.
 * 21(3), 7(1): the controller proves the consent it relies on). A double opt-in, evidence of the collection, or an
 * event moved from another Assent database (its proof travels with it) is imported.
 */
function reopenReason(row: ImportRow, noes: readonly SaidNo[]): string | undefined {
  if (noes.length === 0) return undefined;
  for (const consent of unprovenConsents(row)) {
    const at = Date.parse(consent.at);
    const no = noes.find(
      (n) => Date.parse(n.event.at) <= at && overlap(statedOf(n.event.data), statedOf(consent.data)),
    );
    if (no !== undefined) {
      return `${no.who} (${no.event.type} of ${no.event.at.slice(0, 10)}) before the consent this row records on ${consent.at.slice(0, 10)}: a consent after it needs the proof of the new collection (method double_opt_in, or evidence with ${COLLECTION_PROOF.join(', ')}); not imported`;
    }
  }
  return undefined;
}

/**
 * The "no"s in the ledger of the batch's stored people, by contact id; read only when a row brings a consent without
 * proof. Every stored person of the batch: which row names them is known only once the rows are read in order.
 */
async function storedNoes(
  tx: Store,
  rows: readonly ImportRow[],
  existing: ReadonlyMap<string, Target>,
): Promise<Map<string, SaidNo[]>> {
  const out = new Map<string, SaidNo[]>();
  if (existing.size === 0 || !rows.some((r) => unprovenConsents(r).length > 0)) return out;
  for (const [id, events] of await tx.decisionHistoriesOf([...existing.keys()])) {
    const closed = events.filter(saysNo).map((event) => ({ event, who: `contact ${id} said no` }));
    if (closed.length > 0) out.set(id, closed);
  }
  return out;
}

function suppressedReason(barred: readonly Identifier[]): string {
  const kinds = [...new Set(barred.map((i) => i.kind))];
  return `${kinds.join(' and ')} ${kinds.length > 1 ? 'are' : 'is'} on the company suppression list (erased or objected): not imported`;
}

/** The fields a row states (an absent column or field changes nothing). */
function stated(set: Omit<ContactPatch, 'add'>): Omit<ContactPatch, 'add'> {
  return Object.fromEntries(Object.entries(set).filter(([, v]) => v !== undefined));
}

/**
 * Why the row would leave its contact with a region of another country, or one its jurisdiction does not have, or
 * null: checked against the jurisdiction the contact has after the row (the stored one, or the one an earlier row of
 * the batch gave it), so that the store never refuses the batch for one row.
 */
function regionReason(target: Target | undefined, row: ImportRow): string | null {
  const now =
    target === undefined
      ? row.contact
      : target.seed !== null
        ? target.seed
        : { ...(target.contact as ContactFields), ...stated(target.set) };
  const after = { jurisdiction: now.jurisdiction, region: now.region ?? null, ...stated(row.set) };
  // A stored region the row leaves as it is, under the same jurisdiction, is not the row's to answer for.
  const same = after.region === (now.region ?? null) && after.jurisdiction === now.jurisdiction;
  if (after.region === null || (target !== undefined && same)) return null;
  const problem = regionProblem(after.jurisdiction, after.region);
  return problem === null ? null : `region ${problem}`;
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

/** Whether a number written without country code reads the same in the stored contact's own plans. */
function sameNumber(national: NonNullable<ImportRow['nationalPhone']>, contact: ContactFields): boolean {
  try {
    return normalizePhoneOf(national.written, contact.jurisdiction, contact.region) === national.value;
  } catch (error) {
    if (error instanceof IdentifierError) return false;
    throw error;
  }
}

/** The acts each stored contact's ledger holds (its merged records' included), as actKey. */
async function knownActs(tx: Store, contactIds: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const ids = [...new Set(contactIds)];
  if (ids.length === 0) return out;
  for (const [id, events] of await tx.decisionHistoriesOf(ids)) {
    out.set(id, new Set(events.map((e) => actKey(e.type, e.at, e.data))));
  }
  return out;
}

/**
 * The evidence of an imported event. A row's act was captured by this import, unless the row says how. An exported
 * event keeps its own evidence as it was (the form, the call, the first import's file) and gains one entry in
 * `movedFrom`: this import's file and batch, and when, by whom and under which hash the source database had recorded
 * it, so a move to another database does not replace the proof of when the act was first recorded.
 */
function evidenceOf(event: ImportEvent, batch: BatchContext['evidence']): Evidence {
  if (event.origin === undefined) return { method: 'import', ...event.evidence, ...batch };
  const earlier = event.evidence?.movedFrom;
  return {
    ...event.evidence,
    movedFrom: [...(Array.isArray(earlier) ? earlier : []), { ...batch, ...event.origin }],
  };
}
