import type { Channel } from '../../domain/channels.js';
import { localDateIn } from '../../domain/iso-time.js';
import { lawOf } from '../../domain/overseas.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import type { ListStatus } from './lists.js';

/**
 * Channels where a screening refuses to run on a stale or missing opposition list: calling a number on a list
 * the company did not check is the offence (C. consom. art. L223-1 al. 2; Bloctel's file is valid 30 days), and so
 * is faxing one on the Fax Preference Service (PECR reg. 20(1)(c), 25; valid 28 days, reg. 20(3)).
 */
export const LIST_BOUND_CHANNELS: readonly Channel[] = ['phone', 'automated_call', 'fax'];

/** A list the law requires for this screening that is stale or has never been imported. */
export interface ListProblem {
  name: string;
  jurisdiction: string;
  /** The date the imported file is of (its `asOf`), null when there is none. */
  asOf: string | null;
  problem: 'missing' | 'stale';
  message: string;
}

/**
 * Opposition lists the packs' `opposition-list` rules bind for these channels in these jurisdictions on the day
 * of `at`, that are missing or stale: the engine's packs say which list binds which channel when (Bloctel only
 * until 2026-08-10), so this never disagrees with the decisions.
 */
export function listProblems(
  packs: PackRegistry,
  jurisdictions: readonly string[],
  channels: readonly Channel[],
  at: Date,
  status: readonly ListStatus[],
): ListProblem[] {
  const bound = channels.filter((c) => LIST_BOUND_CHANNELS.includes(c));
  if (bound.length === 0) return [];
  const out: ListProblem[] = [];
  for (const jurisdiction of jurisdictions) {
    const pack = packs.get(lawOf(jurisdiction))?.pack; // RE, GP…: French law, French lists
    if (pack === undefined) continue;
    const day = localDateIn(at, pack.timeZone);
    const names = new Set<string>();
    for (const rule of pack.rules) {
      if (rule.check !== 'opposition-list' || rule.from > day || (rule.until !== undefined && rule.until < day))
        continue;
      if (!rule.channels.some((c) => bound.includes(c))) continue;
      for (const name of rule.params.lists) names.add(name);
    }
    for (const name of names) {
      const s = status.find((l) => l.name === name);
      if (s === undefined || s.versionId === null) {
        out.push({
          name,
          jurisdiction,
          asOf: null,
          problem: 'missing',
          message: `the ${name} list is required for ${bound.join('/')} screening in ${jurisdiction} on ${day} and was never imported`,
        });
      } else if (s.stale) {
        out.push({
          name,
          jurisdiction,
          asOf: s.asOf,
          problem: 'stale',
          message: `the ${name} list of ${s.asOf ?? s.importedAt ?? 'unknown date'} is stale${s.reason ? ` (${s.reason})` : ''}: import a current file before screening ${bound.join('/')} in ${jurisdiction}`,
        });
      }
    }
  }
  return out;
}
