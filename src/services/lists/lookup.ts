// What screening asks of the opposition and suppression lists (issue #6; docs/lists.md): which lists each
// identifier is on (the decision contract's `contact.lists`), which are suppressed, and whether a list is stale.

import type { IdentifierKind } from '../../domain/contact.js';
import { listCountry, listKey } from '../../domain/list-names.js';
import type { ListVersion } from '../../store/lists.js';
import type { Store } from '../../store/store.js';
import { localDate, staleness } from './refresh.js';
import { kindOfNormalised, POSTAL_KEY, postalListEntry, suppressionHashes } from './suppression.js';

/**
 * The decision contract's contact.lists entry for an identifier found in a list version: `asOf` is the version's
 * date (YYYY-MM-DD), not a registration date, which a list file does not give (so no grace period runs from it).
 */
export interface ListMatch {
  name: string;
  asOf: string;
  /** The country of a list each country keeps under one name (a Robinson list): it binds that country's rows only. */
  country?: string;
}

export interface ListStatus {
  name: string;
  /** The country its national numbers were read in; a Robinson list is one country's (docs/lists.md). */
  country: string;
  versionId: number | null;
  asOf: string | null;
  importedAt: string | null;
  /** SHA-256 of the imported file: names the exact file screened against (proof for an audit). */
  fileSha256: string | null;
  entries: number;
  /** Whole days from `asOf` to the screening date, in the list's country calendar (negative: dated after it). */
  ageDays: number | null;
  stale: boolean;
  reason: string | null;
}

export interface ListsScreen {
  /** The list versions it answers from (fixed when it was opened). */
  readonly versions: readonly ListVersion[];
  readonly options: ListsScreenOptions;
  /** Every known list at the screening date: its current version and whether it is stale (Bloctel > 30 days). */
  status(): ListStatus[];
  /**
   * contact.lists entries for each identifier given (E.164 phones, normalised emails, `postal:` and a stored postal
   * address), one call per chunk of rows.
   */
  matches(identifiers: readonly string[]): Promise<Map<string, ListMatch[]>>;
  /** The identifiers among these (as for `matches`) whose SHA-256 is on the company suppression list. */
  suppressed(identifiers: readonly string[]): Promise<Set<string>>;
}

/**
 * The lists as they stood at `at` (the screening date): each list's version in force then (versionsInForce), read
 * once, so a list imported while a screening runs does not change its answers halfway (the run keeps the versions
 * it started with), and a screening dated in March is judged on March's file, not December's.
 */
export async function openListsScreen(store: Store, at: Date, opts: ListsScreenOptions = {}): Promise<ListsScreen> {
  return listsScreenOf(store, versionsInForce(await store.listVersions(), at), at, opts);
}

/**
 * Per list (listKey: a Robinson list per country), the complete version in force at `at`: the latest whose as-of
 * date is on or before `at`'s date in the list's country (of two with the same date, the one begun last). When
 * every version is dated after `at`, the earliest of them, which staleness reports as dated after the screening
 * date (so a required list refuses, rather than being called missing when a file exists). Old versions keep their
 * entries (docs/lists.md: nothing prunes them), so any version chosen here can be looked up.
 */
export function versionsInForce(versions: readonly ListVersion[], at: Date): ListVersion[] {
  const chosen = new Map<string, ListVersion>();
  const later = (a: ListVersion, b: ListVersion): boolean => a.asOf > b.asOf || (a.asOf === b.asOf && a.id > b.id);
  for (const v of versions) {
    if (v.status !== 'complete') continue;
    const key = listKey(v);
    const held = chosen.get(key);
    const inForce = v.asOf <= localDate(at, v.country);
    if (held === undefined) {
      chosen.set(key, v);
    } else if (held.asOf <= localDate(at, held.country)) {
      if (inForce && later(v, held)) chosen.set(key, v);
    } else if (inForce || later(held, v)) {
      // Held one is dated after `at`: one in force wins, else the earlier of the two.
      chosen.set(key, v);
    }
  }
  return [...chosen.values()].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : a.country < b.country ? -1 : a.country > b.country ? 1 : 0,
  );
}

/** The lists screen over given list versions: a screening's worker threads use the versions its start read. */
export function listsScreenOf(
  store: Store,
  current: readonly ListVersion[],
  at: Date,
  opts: ListsScreenOptions = {},
): ListsScreen {
  // What a match of each version reads, made once a version (read only): a list kept per country says which.
  const matchOf = new Map<number, Readonly<ListMatch>>(
    current.map((v) => [
      v.id,
      listCountry(v.name) === null
        ? { name: v.name, asOf: v.asOf, country: v.country }
        : { name: v.name, asOf: v.asOf },
    ]),
  );
  const ids = current.map((v) => v.id);
  const statuses: ListStatus[] = current.map((v) => {
    const s = staleness(v, at, opts.maxAgeDays);
    return {
      name: v.name,
      country: v.country,
      versionId: v.id,
      asOf: v.asOf,
      importedAt: v.importedAt,
      fileSha256: v.fileSha256,
      entries: v.entries,
      ageDays: s.age,
      stale: s.stale,
      reason: s.reason,
    };
  });
  return {
    versions: current,
    options: opts,
    status: () => statuses.map((s) => ({ ...s })),
    matches: async (identifiers) => {
      // A postal address is looked up in its list-entry form, and answered under the key it was asked by.
      const asked = new Map<string, string[]>();
      for (const id of identifiers) {
        const entry = id.startsWith(POSTAL_KEY) ? postalListEntry(id.slice(POSTAL_KEY.length)) : id;
        const same = asked.get(entry);
        if (same) same.push(id);
        else asked.set(entry, [id]);
      }
      const out = new Map<string, ListMatch[]>();
      for (const { versionId, value } of await store.listEntriesAmong(ids, [...asked.keys()])) {
        const match = matchOf.get(versionId);
        if (match === undefined) continue;
        for (const id of asked.get(value) ?? []) {
          const list = out.get(id) ?? [];
          list.push(match);
          out.set(id, list);
        }
      }
      for (const list of out.values()) list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      return out;
    },
    suppressed: async (identifiers) => {
      const byHash = new Map<string, string[]>();
      for (const value of identifiers) {
        const postal = value.startsWith(POSTAL_KEY);
        const kind: IdentifierKind | null = postal ? 'postal' : kindOfNormalised(value);
        if (kind === null) continue;
        for (const h of suppressionHashes(kind, postal ? value.slice(POSTAL_KEY.length) : value)) {
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
