import type { Channel } from '../../domain/channels.js';
import { localDateIn } from '../../domain/iso-time.js';
import { listCountry, listKey } from '../../domain/list-names.js';
import { lawOf } from '../../domain/overseas.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import type { ListStatus } from './lists.js';

/**
 * Channels where a screening refuses to run on a stale or missing opposition list: calling a number on a list
 * the company did not check is the offence (C. consom. art. L223-1 al. 2; Bloctel's file is valid 30 days), and so
 * is faxing one on the Fax Preference Service (PECR reg. 20(1)(c), 25; valid 28 days, reg. 20(3)). On the other
 * channels a list the law makes the sender check (the Spanish Robinson list on every channel, the DNC registry for
 * texts, the RPO for letters) excludes only the rows it would decide: a consent lifts those lists, so an email
 * campaign on consents needs none of them.
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
 * Opposition lists that the packs' `opposition-list` rules with `mustConsult` bind for these channels in these
 * jurisdictions on the day of `at`, that are missing or stale: the engine's packs say which list binds which
 * channel when (Bloctel only until 2026-08-10), so this never disagrees with the decisions. A trade body's list
 * (`mustConsult` unset: DDV, MPS, Stop Publicité) is applied when imported and never required.
 */
export function listProblems(
  packs: PackRegistry,
  jurisdictions: readonly string[],
  channels: readonly Channel[],
  at: Date,
  status: readonly ListStatus[],
): ListProblem[] {
  const out: ListProblem[] = [];
  for (const jurisdiction of jurisdictions) {
    const pack = packs.get(lawOf(jurisdiction))?.pack; // RE, GP…: French law, French lists
    if (pack === undefined) continue;
    const day = localDateIn(at, pack.timeZone);
    const names = new Set<string>();
    for (const rule of pack.rules) {
      if (rule.check !== 'opposition-list' || rule.from > day || (rule.until !== undefined && rule.until < day))
        continue;
      if (rule.params.mustConsult !== true) continue;
      if (!rule.channels.some((c) => channels.includes(c))) continue;
      for (const name of rule.params.lists) names.add(name);
    }
    for (const name of names) {
      // Spain's Robinson list for a Spanish row, not the German one (one current version per country: listKey).
      const key = listKey({ name, country: lawOf(jurisdiction) });
      const s = status.find((l) => listKey(l) === key);
      if (s === undefined || s.versionId === null) {
        const ofCountry = listCountry(name) === null ? ` of ${lawOf(jurisdiction)}` : '';
        out.push({
          name,
          jurisdiction,
          asOf: null,
          problem: 'missing',
          message: `the ${name} list${ofCountry} is required for ${channels.join('/')} screening in ${jurisdiction} on ${day} and was never imported${ofCountry ? ` (lists import --name ${name} --country ${lawOf(jurisdiction)})` : ''}`,
        });
      } else if (s.stale) {
        out.push({
          name,
          jurisdiction,
          asOf: s.asOf,
          problem: 'stale',
          message: `the ${name} list of ${s.asOf ?? s.importedAt ?? 'unknown date'} is stale${s.reason ? ` (${s.reason})` : ''}: import a current file before screening ${channels.join('/')} in ${jurisdiction}`,
        });
      }
    }
  }
  return out;
}
