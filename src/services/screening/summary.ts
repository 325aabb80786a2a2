import { randomUUID } from 'node:crypto';
import type { DataSource } from '../../domain/decision.js';
import type { ListStatus } from './lists.js';
import type { ListProblem } from './required-lists.js';

/**
 * What became of one row. `lists`: the opposition lists its identifiers are on. `source`: where the details came
 * from, when DISCLOSE_DATA_SOURCE asks the message to name a third party or a public source; else null.
 */
export type RowOutcome = (
  | { status: 'allowed'; basis: string; obligations: string[]; lists: string[]; source: DataSource | null }
  | { status: 'excluded'; code: string; message: string; lists: string[] }
) & {
  /**
   * The required list that was stale or missing for this row: in a dry run, on an allowed row a real run would
   * exclude; in a real run, on the row excluded as LIST_STALE or LIST_MISSING. The summary's `listProblems` gathers them.
   */
  listProblem?: ListProblem;
};

/** The screening's counts (summary.json; the HTML report draws them). */
export interface ScreeningSummary {
  /** The screening's id: its record in the screenings table (`assent screenings show <id>`). */
  id: string;
  channel: string;
  purpose: string;
  /** The date it was judged at (`--at`): the law, the calling hours and the list versions of that date. */
  at: string;
  /** When it ran, by the clock: a screening may be judged at a past or future `at`. */
  startedAt: string;
  jurisdiction: string | null;
  dryRun: boolean;
  /** True when a required list is stale or missing and this was not a dry run: no row was screened. */
  refused: boolean;
  /** Required lists that are stale or missing (a dry run screens anyway and says so here). */
  listProblems: ListProblem[];
  /** Every imported list, as of `at`. */
  lists: ListStatus[];
  rows: number;
  allowed: number;
  excluded: number;
  /** Excluded rows by main reason code. */
  byReason: Record<string, number>;
  /** Allowed rows by legal basis. */
  byBasis: Record<string, number>;
  byChannel: Record<string, { rows: number; allowed: number; excluded: number }>;
  /** Rows found on each opposition list, and how many of them were excluded with `OPPOSITION_LIST`. */
  byList: Record<string, { matched: number; excluded: number }>;
  finishedAt: string | null;
  durationMs: number;
}

export function emptySummary(
  options: { channel: string; purpose: string; at: Date; jurisdiction: string | null; dryRun: boolean },
  lists: ListStatus[],
  problems: ListProblem[],
): ScreeningSummary {
  return {
    id: randomUUID(),
    channel: options.channel,
    purpose: options.purpose,
    at: options.at.toISOString(),
    startedAt: new Date().toISOString(),
    jurisdiction: options.jurisdiction,
    dryRun: options.dryRun,
    refused: problems.length > 0 && !options.dryRun,
    listProblems: problems,
    lists,
    rows: 0,
    allowed: 0,
    excluded: 0,
    // Without a prototype: a key read from a file ("__proto__", "constructor") must stay a plain count.
    byReason: Object.create(null),
    byBasis: Object.create(null),
    byChannel: Object.create(null),
    byList: Object.create(null),
    finishedAt: null,
    durationMs: 0,
  };
}

/** Counts one row. */
export function tally(summary: ScreeningSummary, channel: string, outcome: RowOutcome): void {
  summary.rows++;
  const problem = outcome.listProblem;
  if (
    problem !== undefined &&
    !summary.listProblems.some((p) => p.name === problem.name && p.jurisdiction === problem.jurisdiction)
  ) {
    summary.listProblems.push(problem);
  }
  const byChannel = summary.byChannel[channel] ?? { rows: 0, allowed: 0, excluded: 0 };
  summary.byChannel[channel] = byChannel;
  byChannel.rows++;
  if (outcome.status === 'allowed') {
    summary.allowed++;
    byChannel.allowed++;
    summary.byBasis[outcome.basis] = (summary.byBasis[outcome.basis] ?? 0) + 1;
  } else {
    summary.excluded++;
    byChannel.excluded++;
    summary.byReason[outcome.code] = (summary.byReason[outcome.code] ?? 0) + 1;
  }
  for (const name of outcome.lists) {
    const l = summary.byList[name] ?? { matched: 0, excluded: 0 };
    summary.byList[name] = l;
    l.matched++;
    if (outcome.status === 'excluded' && outcome.code === 'OPPOSITION_LIST') l.excluded++;
  }
}
