import { Command } from 'commander';
import { IdentifierError } from '../../domain/contact.js';
import { StoreError } from '../../store/store.js';
import { registerAcquisitions } from './commands/acquisitions.js';
import { registerBackup } from './commands/backup.js';
import { registerCampaign } from './commands/campaign.js';
import { registerContacts } from './commands/contacts.js';
import { registerDecide } from './commands/decide.js';
import { registerEvents } from './commands/events.js';
import { registerExplain } from './commands/explain.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerKeys } from './commands/keys.js';
import { registerLedger } from './commands/ledger.js';
import { registerLists, registerSuppress } from './commands/lists.js';
import { registerRules } from './commands/rules.js';
import { registerScreen } from './commands/screen.js';
import { registerServe } from './commands/serve.js';
import { registerTexts } from './commands/texts.js';
import { registerTokens } from './commands/tokens.js';
import { registerWebhooks } from './commands/webhooks.js';
import { CliError, EXIT_CODES } from './errors.js';

/** The `assent` command line. */
export function buildProgram(): Command {
  const program = new Command('assent')
    .description('Assent: lawful prospecting decisions (consent, objections, legal basis, obligations)')
    .option(
      '--db <file|url>',
      'database: a SQLite file, sqlite:/path or postgres://… (default: $DATABASE_URL, else ./data/assent.db)',
    )
    .showHelpAfterError();
  registerDecide(program);
  registerContacts(program);
  registerEvents(program);
  registerLedger(program);
  registerTexts(program);
  registerWebhooks(program);
  registerImport(program);
  registerAcquisitions(program);
  registerScreen(program);
  registerCampaign(program);
  registerLists(program);
  registerSuppress(program);
  registerExport(program);
  registerBackup(program);
  registerExplain(program);
  registerRules(program);
  registerKeys(program);
  registerTokens(program);
  registerServe(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp();
    return;
  }
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CliError) {
      process.stderr.write(`assent: ${error.message}\n`);
      process.exitCode = EXIT_CODES[error.code];
      return;
    }
    if (error instanceof StoreError || error instanceof IdentifierError) {
      process.stderr.write(`assent: ${error.message}\n`);
      process.exitCode =
        error instanceof StoreError ? EXIT_CODES[error.code === 'INVALID' ? 'INVALID_REQUEST' : error.code] : 2;
      return;
    }
    throw error;
  }
}

// A closed reader (`assent decide | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await main(process.argv);
