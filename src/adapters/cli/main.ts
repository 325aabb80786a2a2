import { IdentifierError } from '../../domain/contact.js';
import { StoreError } from '../../store/store.js';
import { CliError, EXIT_CODES } from './errors.js';
import { buildProgram } from './program.js';

export async function main(argv: string[]): Promise<void> {
  const program = await buildProgram(argv);
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
