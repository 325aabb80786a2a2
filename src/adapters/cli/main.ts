import { Command } from 'commander';
import { registerDecide } from './commands/decide.js';
import { registerExplain } from './commands/explain.js';
import { registerRules } from './commands/rules.js';
import { CliError, EXIT_CODES } from './errors.js';

/** The `assent` command line. */
export function buildProgram(): Command {
  const program = new Command('assent')
    .description('Assent: lawful prospecting decisions (consent, objections, legal basis, obligations)')
    .showHelpAfterError();
  registerDecide(program);
  registerExplain(program);
  registerRules(program);
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
    throw error;
  }
}

// A closed reader (`assent decide | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await main(process.argv);
