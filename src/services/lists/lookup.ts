// What screening asks of the opposition and suppression lists (issue #6; docs/lists.md): which lists each
// identifier is on (the decision contract's `contact.lists`), which are suppressed, and whether a list is stale.
import type { ListVersion } from '../../store/lists.js';
import type { Store } from '../../store/store.js';
import { staleness } from './refresh.js';
import { kindOfNormalised, suppressionHashes } from './suppression.js';

/**
 * The decision contract's contact.lists entry for an identifier found in a list version: `asOf` is the version's
 * date (YYYY-MM-DD), not a registration date, which a list file does not give (so no grace period runs from it).
 */
export interface ListMatch {
  name: string;
  asOf: string;
}

export interface ListStatus {
  name: string;
  versionId: number | null;
  asOf: string | null;
  importedAt: string | null;
  entries: number;
  stale: boolean;
  reason: string | null;
}

export interface ListsScreen {
  /** The list versions it answers from (fixed when it was opened). */
  readonly versions: readonly ListVersion[];
  readonly options: ListsScreenOptions;
  /** Every known list at the screening date: its current version and whether it is stale (Bloctel > 30 days). */
  status(): ListStatus[];
  /** contact.lists entries for each identifier given (E.164 phones, normalised emails), one call per chunk of rows. */
  matches(identifiers: readonly string[]): Promise<Map<string, ListMatch[]>>;
  /** The identifiers among these whose SHA-256 is on the company suppression list. */
  suppressed(identifiers: readonly string[]): Promise<Set<string>>;
}

/**
 * The lists as they stand at `at` (the screening date): the current version of each list is read once, so a list
 * imported while a screening runs does not change its answers halfway (the run keeps the versions it started with).
 */
export async function openListsScreen(store: Store, at: Date, opts: ListsScreenOptions = {}): Promise<ListsScreen> {
  return listsScreenOf(store, await store.currentListVersions(), at, opts);
}

/** The lists screen over given list versions: a screening's worker threads use the versions its start read. */
export function listsScreenOf(
  store: Store,
  current: readonly ListVersion[],
  at: Date,
  opts: ListsScreenOptions = {},
): ListsScreen {
  const byId = new Map<number, ListVersion>(current.map((v) => [v.id, v]));
  const ids = current.map((v) => v.id);
  const statuses: ListStatus[] = current.map((v) => {
    const s = staleness(v, at, opts.maxAgeDays);
    return {
      name: v.name,
      versionId: v.id,
      asOf: v.asOf,
      importedAt: v.importedAt,
      entries: v.entries,
      stale: s.stale,
      reason: s.reason,
    };
  });
  return {
    versions: current,
    options: opts,
    status: () => statuses.map((s) => ({ ...s })),
    matches: async (identifiers) => {
      const out = new Map<string, ListMatch[]>();
      for (const { versionId, value } of await store.listEntriesAmong(ids, identifiers)) {
        const v = byId.get(versionId);
        if (v === undefined) continue;
        const list = out.get(value) ?? [];
        list.push({ name: v.name, asOf: v.asOf });
        out.set(value, list);
      }
      for (const list of out.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return out;
    },
    suppressed: async (identifiers) => {
      const byHash = new Map<string, string[]>();
      for (const value of identifiers) {
        const kind = kindOfNormalised(value);
        if (kind === null) continue;
        for (const h of suppressionHashes(kind, value)) {
          const same = byHash.get(h);
          if (same) same.push(value);
          else byHash.set(h, [value]);
        }
      }
      const found = await store.suppressedAmong([...byHash.keys()]);
      const out = new Set<string>();
      for (const h of found) for (const value of byHash.get(h) ?? []) out.add(value);
      return out;
    },
  };
}

export interface ListsScreenOptions {
  /** Maximum age in days per list name: shortens the law's (refresh.ts: Bloctel 30, DNC 31, TPS/CTPS/FPS 28), else sets one. */
  maxAgeDays?: Readonly<Record<string, number>>;
}
