// Verifying the ledger: the hash chain walked from the first event, the evidence and consent texts the events cite,
// the head, and the columns outside the chain that must agree with it (contacts.merged_into, contacts.erased_at).
import { type Kysely, sql, type Transaction } from 'kysely';
import { eventHash, evidenceHash, GENESIS_HASH, sha256 } from '../domain/ledger.js';
import { listConsentTexts } from './consent-texts.js';
import { rowToEvent } from './ledger-rows.js';
import type { Database } from './schema.js';
import type { LedgerCheck } from './store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Walks the chain and reports the first broken link, if any (docs/storage.md, "The ledger"). */
export async function verifyLedger(db: Db, dialect: 'sqlite' | 'postgres'): Promise<LedgerCheck> {
  let expected = 1;
  let prev = GENESIS_HASH;
  let events = 0;
  const removed: LedgerCheck['evidenceRemoved'] = { events: 0, firstSeq: null };
  const merges = new Map<string, { into: string; seq: number; id: string }>();
  const erasures = new Map<string, { seq: number; id: string }>();
  const page = 5_000;
  // What verification found so far, with the first broken link (or none).
  const result = (broken: LedgerCheck['broken']): LedgerCheck => ({
    events,
    head: prev,
    evidenceRemoved: removed,
    broken,
  });
  // The wording an event cites is part of its proof: the stored text must still hash to what the event recorded.
  // Read again when an event cites one not seen yet: it may have been stored (then cited) since.
  const texts = new Map<string, { recorded: string; actual: string }>();
  const readTexts = async (read: Db): Promise<void> => {
    for (const t of await listConsentTexts(read)) texts.set(t.id, { recorded: t.sha256, actual: sha256(t.body) });
  };
  await readTexts(db);
  // The long walk is not one snapshot (it would hold SQLite's one connection, or its writer lock, for minutes):
  // events appended meanwhile are walked too. Then, in one short snapshot, the events written since, the
  // merge/erasure columns and the head are read, so a write landing during the walk is no broken link.
  const walk = async (read: Db): Promise<LedgerCheck | null> => {
    for (;;) {
      const rows = await read
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
          return result({ seq: expected, id: null, problem: `event ${expected} is missing (deleted)` });
        }
        if (e.prevHash !== prev) {
          return result({
            seq,
            id: e.id,
            problem: 'does not follow its predecessor (reordered, or the predecessor was altered)',
          });
        }
        if (e.evidence === null && e.evidenceHash !== null) {
          removed.events++;
          removed.firstSeq ??= seq;
        }
        if (e.evidence !== null && evidenceHash(e.evidence) !== e.evidenceHash) {
          return result({ seq, id: e.id, problem: 'its evidence was altered' });
        }
        if (eventHash(e) !== e.hash) {
          return result({ seq, id: e.id, problem: 'its content was altered' });
        }
        const cited = typeof e.evidence?.textId === 'string' ? e.evidence.textId : null;
        if (cited !== null) {
          if (!texts.has(cited)) await readTexts(read);
          const text = texts.get(cited);
          const problem =
            text === undefined
              ? `it cites consent text ${cited}, which is no longer stored`
              : text.actual !== text.recorded
                ? `the wording of consent text ${cited} it cites was altered (its body no longer has its SHA-256)`
                : e.evidence?.textSha256 !== undefined && e.evidence.textSha256 !== text.recorded
                  ? `consent text ${cited} is not the wording it recorded (SHA-256 ${String(e.evidence.textSha256).slice(0, 12)}…)`
                  : null;
          if (problem !== null) return result({ seq, id: e.id, problem });
        }
        if (e.type === 'contact.merged' && typeof e.data.from === 'string') {
          merges.set(e.data.from, { into: e.contactId, seq, id: e.id });
        }
        if (e.type === 'contact.erased') erasures.set(e.contactId, { seq, id: e.id });
        prev = e.hash;
        expected++;
        events++;
      }
      if (rows.length < page) return null;
    }
  };
  const brokenLink = await walk(db);
  if (brokenLink !== null) return brokenLink;
  return snapshot(db, dialect, async (read) => {
    const tailBroken = await walk(read);
    if (tailBroken !== null) return tailBroken;
    // Whose history an event is part of follows contacts.merged_into, a column outside the chain: it must say what
    // the chained contact.merged events say (cleared, a merged record's objection stopped counting for the survivor).
    const column = await read
      .selectFrom('contacts')
      .select(['id', 'merged_into'])
      .where('merged_into', 'is not', null)
      .execute();
    const erased = await read
      .selectFrom('contacts')
      .select(['id', 'merged_into'])
      .where('erased_at', 'is not', null)
      .execute();
    const head = await read.selectFrom('ledger_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (head === undefined || Number(head.seq) !== events || head.hash !== prev) {
      const recorded = head === undefined ? null : Number(head.seq);
      // More events than the head counts: the head was set back, or events were written past it without the store.
      // Fewer: events were removed from the end (or the head set forward).
      const problem =
        recorded === events
          ? `the head records event ${events} with another hash than the chain's last event: the head or that event was altered`
          : recorded !== null && recorded < events
            ? `the chain ends at ${events} but the head records ${recorded}: the head was altered, or events ${recorded + 1}–${events} were written without it`
            : `the chain ends at ${events} but the head records ${recorded ?? 'nothing'}: events were removed from the end, or the head was altered`;
      return result({ seq: recorded !== null && recorded < events ? recorded + 1 : events + 1, id: null, problem });
    }
    const broken = mergeMismatch(merges, column) ?? erasureMismatch(erasures, erased);
    return result(broken === null ? null : { ...broken, seq: broken.seq ?? events + 1 });
  });
}

/**
 * Runs `fn` on one consistent view of the database, without taking the writer lock: PostgreSQL REPEATABLE READ,
 * read only; SQLite a deferred read transaction (in WAL mode it reads one snapshot while writers go on; the store's
 * own transactions begin IMMEDIATE, which would not let them). Inside a transaction already, on it.
 */
function snapshot<T>(db: Db, dialect: 'sqlite' | 'postgres', fn: (read: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  const top = db as Kysely<Database>;
  if (dialect === 'postgres') {
    return top.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(fn);
  }
  return top.connection().execute(async (connection) => {
    await sql`begin deferred`.execute(connection);
    try {
      return await fn(connection);
    } finally {
      await sql`rollback`.execute(connection); // it wrote nothing
    }
  });
}

/**
 * Whether contacts.erased_at, a column outside the chain, says what the chained contact.erased events say: an erased
 * person made live again (their proof then decides again) or a contact marked erased without its record is an edit.
 */
function erasureMismatch(
  erasures: ReadonlyMap<string, { seq: number; id: string }>,
  column: readonly { id: string; merged_into: string | null }[],
): { seq: number | null; id: string | null; problem: string } | null {
  // Each contact marked erased, and whose contact.erased event covers it: its own, or that of the person it was
  // merged into (erased with them).
  const survivorOf = new Map(column.map((c) => [c.id, c.merged_into ?? c.id]));
  for (const [contactId, e] of erasures) {
    if (!survivorOf.has(contactId)) {
      return {
        seq: e.seq,
        id: e.id,
        problem: `it records contact ${contactId} erased, but contacts.erased_at says not erased: the column was edited`,
      };
    }
  }
  for (const [id, survivor] of survivorOf) {
    if (!erasures.has(survivor)) {
      return {
        seq: null,
        id: null,
        problem: `contact ${id} is marked erased (contacts.erased_at), but no contact.erased event says so: the column was edited`,
      };
    }
  }
  return null;
}

/** The first disagreement between the chained merges and `contacts.merged_into`, or null. */
function mergeMismatch(
  merges: ReadonlyMap<string, { into: string; seq: number; id: string }>,
  column: readonly { id: string; merged_into: string | null }[],
): { seq: number | null; id: string | null; problem: string } | null {
  const recorded = new Map(column.map((c) => [c.id, c.merged_into]));
  // Merges are kept flat (mergeContacts): X merged into B, then B into A, leaves X's column saying A. A merged
  // record receives no merge, so following the chain of events gives the survivor.
  const survivor = (into: string): string => {
    for (let hops = 0; merges.has(into) && hops < 1_000; hops++) into = (merges.get(into) as { into: string }).into;
    return into;
  };
  for (const [from, m] of merges) {
    const expected = survivor(m.into);
    const into = recorded.get(from) ?? null;
    if (into !== expected) {
      return {
        seq: m.seq,
        id: m.id,
        problem: `it records contact ${from} merged into ${m.into}${expected !== m.into ? ` (now ${expected})` : ''}, but contacts.merged_into says ${into ?? 'not merged'}: the column was edited`,
      };
    }
  }
  for (const [from, into] of recorded) {
    if (!merges.has(from)) {
      return {
        seq: null,
        id: null,
        problem: `contact ${from} is marked merged into ${into} (contacts.merged_into), but no contact.merged event says so: the column was edited`,
      };
    }
  }
  return null;
}
