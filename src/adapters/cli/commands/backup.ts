import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../../../config.js';
import { CliError } from '../errors.js';
import { evidenceWarning } from './ledger.js';

/** `assent backup`: an online copy of the SQLite database, verified before it is reported good. */
export function registerBackup(program: Command): void {
  program
    .command('backup')
    .description('copy the SQLite database while in use (PostgreSQL: use pg_dump, see docs/storage.md)')
    .option('-o, --out <file>', "where to write the copy (default: backups/assent-<time>.db in the database's folder)")
    .action(async (o: { out?: string }, command: Command) => {
      const config = loadConfig({ db: command.optsWithGlobals().db as string | undefined });
      if (config.databaseUrl?.startsWith('postgres')) {
        throw new CliError(
          'USAGE',
          'the database is PostgreSQL: back it up with pg_dump --format=custom "$DATABASE_URL" > assent.dump (docs/storage.md)',
        );
      }
      const file = config.databaseUrl?.startsWith('sqlite:') ? config.databaseUrl.slice(7) : config.sqliteFile;
      const stamp = new Date()
        .toISOString()
        .replaceAll(':', '-')
        .replace(/\.\d+Z$/, 'Z');
      const out = o.out ?? join(file, '..', 'backups', `assent-${stamp}.db`);
      const { backupSqlite } = await import('../../../store/backup.js');
      const { openStore } = await import('../../../store/open-store.js');
      const pages = await backupSqlite(file, out);
      // A backup is only as good as its ledger: verify the copy before saying it is done.
      const copy = await openStore({ databaseUrl: null, sqliteFile: out });
      try {
        const check = await copy.verifyLedger();
        if (check.broken !== null)
          throw new CliError(
            'CONFLICT',
            `backup ${out} written but its ledger does not verify: ${check.broken.problem}`,
          );
        process.stdout.write(
          // The head hash, to note elsewhere (an anchor): a restored copy must verify to the same head.
          `backup written to ${out} (${pages} pages, ${check.events} ledger events verified, head ${check.head})\n${evidenceWarning(check) ?? ''}`,
        );
      } finally {
        await copy.close();
      }
    });
}
