// Retention purge (GDPR art. 5(1)(e); CNIL: prospect and former-client data kept 3 years after the last contact
// from the person). Every decision already refuses to use expired data (RETENTION_EXPIRED); the purge deletes it.
// Which contacts are expired is asked of the engine itself, so the purge and the decisions never disagree: a
// contact is purged when a prospecting email to it on the given day is denied for RETENTION_EXPIRED (FR: three
// years after the last active contact, a contract in progress keeping the data current).
import type { DecisionEvent } from '../domain/ledger.js';
import type { PackRegistry } from '../policy/evaluate.js';
import type { Store } from '../store/store.js';
import { eraseContact } from './erasure.js';
import { decideStoredBatch } from './stored-decisions.js';

export interface PurgeOptions {
  /**
   * Another day to judge, dry run only: a later one shows what will expire. An erasure always judges now: the engine
   * reads the history up to the day judged, so an earlier day would erase people active since.
   */
  asOf?: Date;
  dryRun: boolean;
  recordedBy: string;
  /** Contacts read and judged at a time. */
  pageSize?: number;
  now?: () => Date;
}

export interface ExpiredContact {
  contactId: string;
  /** The engine's explanation: the day of the last active contact and the limit. */
  why: string;
  rule: string | null;
  /** Addresses and numbers added to the suppression list (a dry run: that would be): a refusal outlives the data. */
  suppressed: number;
  /**
   * The open request (any kind but erasure) the person is owed an answer to: the contact is kept (not erased)
   * until it is settled, or the answer would find nothing (GDPR art. 12(3), 15, 16); or the restriction granted and
   * not lifted (art. 18: the data is kept, not used). Null when none.
   */
  heldFor: string | null;
}

export interface PurgeReport {
  asOf: string;
  dryRun: boolean;
  /** Live contacts judged. */
  examined: number;
  expired: ExpiredContact[];
  /** Contacts erased by this run (0 in a dry run). */
  erased: number;
  /** Expired contacts kept because a request of theirs awaits its answer (`heldFor`). */
  held: number;
}

/** The identifier kind each channel reaches a person at. */
const REACHED_AT: Readonly<Record<string, 'email' | 'phone' | 'postal' | null>> = {
  email: 'email',
  sms: 'phone',
  mms: 'phone',
  phone: 'phone',
  automated_call: 'phone',
  fax: 'phone',
  postal: 'postal',
};

/**
 * The kinds of address the person said no on: an objection, or a refusal or withdrawal of our own prospecting (one
 * about partners only says nothing of ours), on a channel reached at that kind of address, or on every channel.
 */
function refusedKinds(history: readonly DecisionEvent[]): Set<string> {
  const kinds = new Set<string>();
  for (const e of history) {
    const negative =
      e.type === 'objection' ||
      ((e.type === 'consent.refused' || e.type === 'consent.withdrawn') && e.data.scope !== 'partners');
    if (!negative) continue;
    // One channel, a list of them, or none named (every channel).
    const named = e.data.channel;
    const channels = Array.isArray(named) ? named.map(String) : [typeof named === 'string' ? named : '*'];
    for (const channel of channels) {
      if (channel === '*') {
        kinds.add('email');
        kinds.add('phone');
        kinds.add('postal');
      }
      const kind = REACHED_AT[channel];
      if (kind) kinds.add(kind);
    }
  }
  return kinds;
}

export class PurgeError extends Error {}

export async function purgeExpired(store: Store, packs: PackRegistry, o: PurgeOptions): Promise<PurgeReport> {
  const now = o.now ?? (() => new Date());
  if (o.asOf !== undefined && Number.isNaN(o.asOf.getTime())) throw new PurgeError('the day judged is not a date');
  if (o.asOf !== undefined && !o.dryRun) {
    throw new PurgeError('another day than now is only listed (dry run): an erasure judges the data as it is today');
  }
  const asOf = (o.asOf ?? now()).toISOString();
  const report: PurgeReport = { asOf, dryRun: o.dryRun, examined: 0, expired: [], erased: 0, held: 0 };
  const limit = o.pageSize ?? 1_000;
  let after: string | null = null;
  for (;;) {
    const page = await store.listContacts({ after, limit });
    if (page.length === 0) break;
    after = page[page.length - 1]?.id ?? null;
    const live = page.filter((c) => c.erasedAt === undefined);
    report.examined += live.length;
    const byId = new Map(live.map((c) => [c.id, c]));
    const answers = await decideStoredBatch(
      live.map((c) => ({ id: c.id, contact: { id: c.id }, at: asOf, message: { channel: 'email' } })),
      store,
      packs,
      now,
      undefined,
      byId,
      true,
      false, // a restricted person's data still expires: the purge holds them (heldFor) rather than skip them unseen
    );
    const expired: ExpiredContact[] = [];
    for (const a of answers) {
      if ('error' in a) continue; // a jurisdiction without a pack: nothing says when its data expires
      const reason = a.reasons.find((r) => r.code === 'RETENTION_EXPIRED');
      if (reason !== undefined) {
        expired.push({
          contactId: String(a.id),
          why: reason.message,
          rule: reason.rule ?? null,
          suppressed: 0,
          heldFor: null,
        });
      }
    }
    if (expired.length === 0) continue;
    // The person's requests: theirs and those filed under records merged into them (as an erasure answers them).
    const recordsOf = (contactId: string): string[] => [contactId, ...(byId.get(contactId)?.merged ?? [])];
    const ownerOf = new Map<string, string>();
    for (const e of expired) for (const id of recordsOf(e.contactId)) ownerOf.set(id, e.contactId);
    const owed = await openRequests(store, ownerOf);
    // A dry run says what an erasure would suppress from the histories as they are; a real one reads each again
    // under the write lock (below).
    const histories = o.dryRun ? await store.decisionHistoriesOf(expired.map((e) => e.contactId)) : null;
    for (const e of expired) {
      e.heldFor = owed.get(e.contactId) ?? null;
      if (e.heldFor !== null) {
        report.held++;
        report.expired.push(e);
        continue;
      }
      // A refusal or objection is kept as proof in the ledger, but the ledger no longer knows the address: without
      // its hash on the suppression list a re-imported file would bring the person back as a new prospect.
      if (histories !== null) {
        const refused = refusedKinds(histories.get(e.contactId) ?? []);
        e.suppressed = (byId.get(e.contactId)?.identifiers ?? []).filter((i) => refused.has(i.kind)).length;
      } else {
        // Judged again under the write lock, from the ledger as it is now: an objection recorded since the page was
        // read must reach the suppression list, and a person active since is no longer expired.
        const done = await store.transaction(async (tx) => {
          const [again] = await decideStoredBatch(
            [{ id: e.contactId, contact: { id: e.contactId }, at: now().toISOString(), message: { channel: 'email' } }],
            tx,
            packs,
            now,
            undefined,
            undefined,
            true,
            false,
          );
          const expiry =
            again === undefined || 'error' in again
              ? undefined
              : again.reasons.find((r) => r.code === 'RETENTION_EXPIRED');
          if (expiry === undefined) return null;
          // An access or rectification request filed since holds the erasure as one filed before would have.
          const records = new Map(recordsOf(e.contactId).map((id) => [id, e.contactId]));
          const heldNow = (await openRequests(tx, records)).get(e.contactId);
          if (heldNow !== undefined) return { heldFor: heldNow };
          const refusedNow = refusedKinds((await tx.decisionHistoriesOf([e.contactId])).get(e.contactId) ?? []);
          return eraseContact(tx, e.contactId, {
            at: now(),
            recordedBy: o.recordedBy,
            reason: 'retention',
            why: { message: expiry.message, rule: expiry.rule ?? null },
            suppress: (i) => (refusedNow.has(i.kind) ? 'objection' : null),
          });
        });
        if (done === null) continue; // active again since the page was read: not expired any more
        if ('heldFor' in done) {
          e.heldFor = done.heldFor;
          report.held++;
          report.expired.push(e);
          continue;
        }
        e.suppressed = done.suppressed;
        if (done.erasedNow) report.erased++;
      }
      report.expired.push(e);
    }
  }
  return report;
}

/**
 * The open requests but erasures (access, rectification, restriction, portability, objection) of these people (record
 * id → person), and their restrictions granted and not lifted, by person: one of them (the oldest seen). An open
 * erasure request does not hold the purge: the purge does what it asks.
 */
async function openRequests(store: Store, ownerOf: ReadonlyMap<string, string>): Promise<Map<string, string>> {
  const owed = new Map<string, { id: string; at: string }>();
  let after: string | undefined;
  for (;;) {
    const page = await store.listRightsRequests({
      limit: 1_000,
      contactIds: [...ownerOf.keys()],
      status: 'open',
      ...(after ? { after } : {}),
    });
    for (const r of page) {
      const person = ownerOf.get(r.contactId);
      if (r.kind === 'erasure' || person === undefined) continue;
      const seen = owed.get(person);
      if (seen === undefined || r.requestedAt < seen.at) owed.set(person, { id: r.id, at: r.requestedAt });
    }
    if (page.length < 1_000) break;
    after = page[page.length - 1]?.id;
  }
  // A restriction granted and not lifted holds the person too (GDPR art. 18(1)(b)-(c): kept instead of erased, or
  // for a legal claim); an open one was seen above.
  for (const [person, list] of await store.restrictionsOf([...new Set(ownerOf.values())])) {
    const r = list.find((x) => x.until === null); // in force now (the oldest such)
    if (r === undefined) continue;
    const seen = owed.get(person);
    if (seen === undefined || r.since < seen.at) owed.set(person, { id: r.request, at: r.since });
  }
  return new Map([...owed].map(([person, r]) => [person, r.id]));
}

/** The first scheduled run comes this soon after start: a server restarted daily still purges. */
export const FIRST_PURGE_MS = 60_000;

/**
 * Runs the purge a minute after start, then every `everyMs` (at most 2^31-1 ms, Node's longest timer), one run at
 * a time, and reports every run; `stop` cancels the timers and waits for a run in progress.
 */
export function startRetentionPurge(o: {
  store: Store;
  packs: PackRegistry;
  everyMs: number;
  report: (r: PurgeReport | Error) => void;
}): { stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const run = () => {
    if (running !== null) return;
    running = purgeExpired(o.store, o.packs, { dryRun: false, recordedBy: 'retention-purge' })
      .then(
        (r) => o.report(r),
        (error: unknown) => o.report(error instanceof Error ? error : new Error(String(error))),
      )
      .finally(() => {
        running = null;
      });
  };
  let timer: NodeJS.Timeout | null = null;
  const first = setTimeout(
    () => {
      run();
      timer = setInterval(run, o.everyMs);
      timer.unref();
    },
    Math.min(FIRST_PURGE_MS, o.everyMs),
  );
  first.unref();
  return {
    stop: async () => {
      clearTimeout(first);
      if (timer !== null) clearInterval(timer);
      await running;
    },
  };
}
