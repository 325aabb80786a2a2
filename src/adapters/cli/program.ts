// The `assent` program: its global options and its commands, each command's module loaded only when it runs.
import { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every command, in the order help lists them, with the module that defines it. A command's module is loaded only
 * when that command runs (every one for help or an unknown name): each pulls in its own libraries, and loading all
 * of them cost ~0.8 s of start-up that `assent decide` and every other short command paid.
 */
export const COMMANDS: readonly (readonly [names: readonly string[], load: () => Promise<Register>])[] = [
  [['decide'], async () => (await import('./commands/decide.js')).registerDecide],
  [['contacts', 'history'], async () => (await import('./commands/contacts.js')).registerContacts],
  [['events'], async () => (await import('./commands/events.js')).registerEvents],
  [['ledger'], async () => (await import('./commands/ledger.js')).registerLedger],
  [['texts'], async () => (await import('./commands/texts.js')).registerTexts],
  [['webhooks'], async () => (await import('./commands/webhooks.js')).registerWebhooks],
  [['import'], async () => (await import('./commands/import.js')).registerImport],
  [['acquisitions'], async () => (await import('./commands/acquisitions.js')).registerAcquisitions],
  [['screen'], async () => (await import('./commands/screen.js')).registerScreen],
  [['screenings'], async () => (await import('./commands/screenings.js')).registerScreenings],
  [['campaign'], async () => (await import('./commands/campaign.js')).registerCampaign],
  [['lists'], async () => (await import('./commands/lists.js')).registerLists],
  [['suppress'], async () => (await import('./commands/lists.js')).registerSuppress],
  [['rights'], async () => (await import('./commands/rights.js')).registerRights],
  [['retention'], async () => (await import('./commands/retention.js')).registerRetention],
  [['register'], async () => (await import('./commands/register.js')).registerProcessingRegister],
  [['export'], async () => (await import('./commands/export.js')).registerExport],
  [['backup'], async () => (await import('./commands/backup.js')).registerBackup],
  [['explain'], async () => (await import('./commands/explain.js')).registerExplain],
  [['rules'], async () => (await import('./commands/rules.js')).registerRules],
  [['keys'], async () => (await import('./commands/keys.js')).registerKeys],
  [['tokens'], async () => (await import('./commands/tokens.js')).registerTokens],
  [['serve'], async () => (await import('./commands/serve.js')).registerServe],
];

/** The command `argv` names (the first word after the global options), or null. */
function commandOf(argv: readonly string[]): string | null {
  for (let i = 2; i < argv.length; i++) {
    const word = argv[i] as string;
    if (word === '--db') {
      i++; // its value
    } else if (!word.startsWith('-')) {
      return word;
    }
  }
  return null;
}

/** The `assent` command line: the command `argv` names, or every command when it names none it knows. */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('assent')
    .description('Assent: lawful prospecting decisions (consent, objections, legal basis, obligations)')
    .option(
      '--db <file|url>',
      'database: a SQLite file, sqlite:/path or postgres://… (default: $DATABASE_URL, else assent.db in $ASSENT_DATA_DIR, ./data by default)',
    )
    // The error and a hint, not the whole usage text (twenty lines that push the error out of sight).
    .showHelpAfterError('(add --help for usage)')
    .exitOverride(); // usage errors are thrown to main, which exits 64 (set first: subcommands inherit it)
  const named = commandOf(argv);
  const wanted = COMMANDS.filter(([names]) => named !== null && names.includes(named));
  for (const [, load] of wanted.length > 0 ? wanted : COMMANDS) (await load())(program);
  return program;
}
