import type { Command } from 'commander';
// Types only from the store: its modules are loaded on first need.
import type { ScreeningRecord } from '../../../store/screenings.js';
import { CliError } from '../errors.js';
import { print, table } from '../output.js';
import { withStore } from '../store-option.js';

/**
 * `assent screenings`: the record of every screening run (docs/screening.md, "The screenings record"): which
 * audience file, when it ran, the date it was judged at, the list versions used and how many rows each reason excluded.
 */
export function registerScreenings(program: Command): void {
  const screenings = program
    .command('screenings')
    .description('screening runs recorded: audience SHA-256, list versions used (as-of, age, file SHA-256), counts');
  screenings
    .command('list')
    .description('screening runs, newest first')
    .option('--limit <n>', 'how many', '50')
    .option('--before <id>', 'the next page: the screenings older than this one')
    .option('--json', 'as JSON')
    .action(async (o: { limit: string; before?: string; json?: boolean }, command: Command) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new CliError('USAGE', `--limit must be a whole number from 1 to 10000; got ${o.limit}`);
      }
      const all = await withStore(
        command,
        async (store) => {
          const last = o.before === undefined ? null : await store.getScreening(o.before);
          if (o.before !== undefined && last === null) {
            throw new CliError('NOT_FOUND', `--before ${o.before} names no screening (assent screenings list)`);
          }
          return store.listScreenings({ limit, before: last === null ? null : { ranAt: last.ranAt, id: last.id } });
        },
        { existing: true },
      );
      if (o.json === true) {
        print(all);
        return;
      }
      process.stdout.write(
        table(
          ['id', 'ran', 'judged at', 'via', 'channel', 'rows', 'allowed', 'excluded', 'lists'],
          all.map((s) => [
            s.id,
            s.ranAt,
            s.at,
            s.via,
            s.channel,
            String(s.audienceRows),
            String(s.allowed),
            s.refused ? 'refused' : String(s.excluded),
            s.lists.map((l) => `${l.name} v${l.versionId ?? '-'} ${l.asOf ?? ''}${l.stale ? ' stale' : ''}`).join('; '),
          ]),
        ),
      );
    });
  screenings
    .command('show')
    .description('one screening run: its audience, the list versions it used and its counts by reason')
    .argument('<id>')
    .option('--json', 'as JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const found = await withStore(command, (store) => store.getScreening(id), { existing: true });
      if (found === null) throw new CliError('NOT_FOUND', `no screening ${id} (see assent screenings list)`);
      if (o.json === true) print(found);
      else process.stdout.write(details(found));
    });
}

function details(s: ScreeningRecord): string {
  const counts = (r: Record<string, number>): string[] =>
    Object.entries(r)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([k, v]) => `  ${k}: ${v}`);
  const lines = [
    `screening ${s.id}`,
    `  ran:                ${s.ranAt} to ${s.finishedAt} (${s.via}${s.campaignId ? `, campaign ${s.campaignId}` : ''})`,
    `  judged at:          ${s.at}`,
    `  channel, purpose:   ${s.channel}, ${s.purpose}`,
    `  jurisdiction:       ${s.jurisdiction ?? 'none given (FR numbers)'}`,
    `  dry run:            ${s.dryRun ? 'yes' : 'no'}${s.refused ? '; REFUSED (a required list was stale or missing)' : ''}`,
    `  audience:           ${s.audienceRows} rows, SHA-256 ${s.audienceSha256 ?? 'unknown'}`,
    `  allowed, excluded:  ${s.allowed}, ${s.excluded}`,
    ...(s.outDir ? [`  output folder:      ${s.outDir}`] : []),
    `list versions (${s.lists.length})`,
    ...s.lists.map(
      (l) =>
        `  ${l.name} ${l.country}  version ${l.versionId ?? '-'}  as of ${l.asOf ?? '-'}  ${l.ageDays ?? '-'} days old at ${s.at.slice(0, 10)}  ${l.stale ? `STALE${l.reason ? ` (${l.reason})` : ''}` : 'fresh'}  file SHA-256 ${l.fileSha256 ?? '-'}`,
    ),
    ...(s.listProblems.length > 0
      ? ['list problems', ...s.listProblems.map((p) => `  ${(p as { message?: string }).message ?? JSON.stringify(p)}`)]
      : []),
    'excluded by reason',
    ...counts(s.counts.byReason),
    'allowed by basis',
    ...counts(s.counts.byBasis),
    'opposition lists (rows matched / excluded for it)',
    ...Object.entries(s.counts.byList).map(([k, v]) => `  ${k}: ${v.matched} / ${v.excluded}`),
  ];
  return `${lines.join('\n')}\n`;
}
