// The screenings record (docs/screening.md): what a screening run leaves in the database when it ends, so the
// company can answer "which Bloctel file, how old, how many excluded" long after its output folder is gone.
import type { ScreeningRecord } from '../../store/screenings.js';
import type { Store } from '../../store/store.js';
import type { ScreeningSummary } from './summary.js';

export interface ScreeningProvenance {
  via: 'cli' | 'api' | 'api-stream' | 'campaign';
  audienceSha256: string | null;
  outDir?: string | null;
  campaignId?: string | null;
}

/** The record of a finished screening: its summary's figures and list versions, with where the audience came from. */
export function screeningRecordOf(s: ScreeningSummary, p: ScreeningProvenance): ScreeningRecord {
  return {
    id: s.id,
    ranAt: s.startedAt,
    finishedAt: s.finishedAt ?? new Date().toISOString(),
    at: s.at,
    via: p.via,
    campaignId: p.campaignId ?? null,
    channel: s.channel,
    purpose: s.purpose,
    jurisdiction: s.jurisdiction,
    dryRun: s.dryRun,
    refused: s.refused,
    audienceSha256: p.audienceSha256,
    audienceRows: s.rows,
    allowed: s.allowed,
    excluded: s.excluded,
    lists: s.lists.map((l) => ({
      name: l.name,
      country: l.country,
      versionId: l.versionId,
      asOf: l.asOf,
      fileSha256: l.fileSha256,
      ageDays: l.ageDays,
      stale: l.stale,
      reason: l.reason,
    })),
    listProblems: s.listProblems,
    counts: { byReason: s.byReason, byBasis: s.byBasis, byChannel: s.byChannel, byList: s.byList },
    outDir: p.outDir ?? null,
  };
}

/** Writes a finished screening's record. */
export function recordScreening(store: Store, s: ScreeningSummary, p: ScreeningProvenance): Promise<void> {
  return store.addScreening(screeningRecordOf(s, p));
}
