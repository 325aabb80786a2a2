// An exported event names itself by the hash its source database chained it under, and each earlier database by the
// hash it had there (`evidence.movedFrom`): a line whose events this database holds already, moved in before or
// recorded here first, is the same person's same acts (docs/import.md, "Already here"). Recognised, a round trip
// (A → B → A) or a sync through a third database records nothing twice, and an erased person's line is matched to
// the copy of them kept here.
import { canonicalJson } from '../../domain/ledger.js';
import { type ActRef, movedFromRefs } from '../../store/event-origins.js';
import type { Store } from '../../store/store.js';
import type { ImportEvent, ImportRow } from './rows.js';

/** What this database holds of a line's exported events. */
export interface Here {
  /** The contacts holding them now (merges followed), id → erasedAt (null: live). */
  holders: Map<string, string | null>;
  /** The line's events not stored here, in the line's order (its record of an erasure included). */
  missing: ImportEvent[];
}

/** What to do with a line whose events are, some or all, stored here. */
export type Verdict =
  | { kind: 'stored'; contactId: string }
  | { kind: 'reject'; reason: string }
  /** An erased person's line: the events it brings that are not here go to their erased contact (proof only). */
  | { kind: 'add-to-erased'; contactId: string; events: ImportEvent[] };

/** Where an exported event was recorded: its own seq and hash in the source, and in the databases before it. */
const chainOf = (e: ImportEvent): ActRef[] =>
  e.origin === undefined ? [] : [{ hash: e.origin.hash, seq: e.origin.seq }, ...movedFromRefs(e.evidence)];

/** An act as the import compares them: its type, instant and data (canonical JSON), whatever else differs. */
export const actKey = (type: string, at: string, data: unknown): string =>
  `${type}\n${Date.parse(at)}\n${canonicalJson(data)}`;

/** The batch's lines with an exported event stored here, in one lookup; lines with none are left out. */
export async function alreadyHere(tx: Store, rows: readonly ImportRow[]): Promise<Map<ImportRow, Here>> {
  const out = new Map<ImportRow, Here>();
  const refs = rows.flatMap((r) => r.events.flatMap(chainOf));
  if (refs.length === 0) return out;
  const stored = await tx.eventsByOrigins(refs);
  if (stored.size === 0) return out;
  for (const row of rows) {
    const holders = new Map<string, string | null>();
    const missing: ImportEvent[] = [];
    for (const event of row.events) {
      // The same act only if it records the same thing: a hand-made line's movedFrom could name any event here.
      const same = actKey(event.type, event.at, event.data);
      const acts = chainOf(event)
        .flatMap((r) => stored.get(r.hash) ?? [])
        .filter((a) => actKey(a.type, a.at, a.data) === same);
      for (const act of acts) holders.set(act.contactId, act.erasedAt);
      if (acts.length === 0) missing.push(event);
    }
    if (holders.size > 0) out.set(row, { holders, missing });
  }
  return out;
}

/**
 * What a line whose events are stored here becomes; null: the usual path (its identifiers lead to the contact
 * holding them, whose ledger then skips the acts it has). `owners`: the contacts its identifiers name here.
 */
export function verdict(row: ImportRow, here: Here, owners: ReadonlySet<string>): Verdict | null {
  const holders = [...here.holders];
  const [id, erasedAt] = holders[0] as [string, string | null];
  const on = (at: string) => `erased on ${at.slice(0, 10)}`;
  if (holders.length > 1) {
    const who = holders.map(([c, at]) => `${c}${at === null ? '' : ` (${on(at)})`}`).join(', ');
    return {
      kind: 'reject',
      reason: `this line's events are stored here for several contacts (${who}): one person stored twice? merge them (assent contacts merge) and import the line again`,
    };
  }
  if (row.erased !== undefined) {
    // The record of the erasure in the source is not needed here: the contact kept here has its own.
    const proof = here.missing.filter((e) => e.type !== 'contact.erased');
    if (erasedAt !== null) {
      return proof.length === 0
        ? { kind: 'stored', contactId: id }
        : { kind: 'add-to-erased', contactId: id, events: proof };
    }
    // Not erased by the import itself: an erasure cannot be undone, and a line is no signature (see docs/import.md).
    return {
      kind: 'reject',
      reason: `this erased line is contact ${id} of this database (its events were moved from the same source), which is live here: the person was ${on(row.erased.at)} in the source; erase them here too (assent contacts erase ${id}: GDPR art. 17(1), 19), then import the line again to add its proof`,
    };
  }
  if (erasedAt !== null) {
    return {
      kind: 'reject',
      reason: `this line's events are stored here for contact ${id}, ${on(erasedAt)}: the person is not brought back (the proof stays under that id)`,
    };
  }
  if (owners.size > 0) {
    if (owners.has(id)) return null;
    return {
      kind: 'reject',
      reason: `this line's events are stored here for contact ${id}, and its identifiers belong to contact ${[...owners].join(', ')}: one person stored twice? merge them (assent contacts merge) and import the line again`,
    };
  }
  if (here.missing.length === 0) return { kind: 'stored', contactId: id };
  return {
    kind: 'reject',
    reason: `${row.events.length - here.missing.length} of this line's events are stored here for contact ${id}, which has none of its identifiers (changed here since?): imported, the person would be a second contact; record the line's other events on contact ${id} (assent events add), or give it the line's identifiers (assent contacts set) and import the line again`,
  };
}
