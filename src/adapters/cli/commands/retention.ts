import type { Command } from 'commander';
import { buildRegistry } from '../../../policy/packs/index.js';
import { PurgeError, purgeExpired } from '../../../services/retention.js';
import { CliError } from '../errors.js';
import { AT_READING, atOption } from '../options.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';

/** `assent retention purge`: erase the contacts whose data the rules no longer let anyone use (docs/rights.md). */
export function registerRetention(program: Command): void {
  const retention = program.command('retention').description('the retention period of prospect data: purge');
  retention
    .command('purge')
    .description(
      'erase every contact a prospecting message would be refused for RETENTION_EXPIRED (FR: 3 years after the last active contact); the ledger is kept as proof',
    )
    .option(
      '--at <instant>',
      `with --dry-run: judge another day than now (a later one shows what will expire), ${AT_READING}`,
    )
    .option('--dry-run', 'list the expired contacts without erasing them')
    .option('--by <who>', 'who ran the purge (kept in the ledger)', 'cli')
    .action(async (o: { at?: string; dryRun?: boolean; by: string }, command: Command) => {
      if (o.at !== undefined && o.dryRun !== true) {
        throw new CliError('USAGE', '--at needs --dry-run: an erasure judges the data as it is today');
      }
      const asOf = o.at === undefined ? undefined : atOption(o.at);
      await withStore(
        command,
        async (store) => {
          try {
            const dryRun = o.dryRun === true;
            print(await purgeExpired(store, buildRegistry(), { ...(asOf ? { asOf } : {}), dryRun, recordedBy: o.by }));
          } catch (error) {
            if (error instanceof PurgeError) throw new CliError('USAGE', `--at: ${error.message}`);
            throw error;
          }
        },
        { existing: true },
      );
    });
}
