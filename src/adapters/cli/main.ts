import { CommanderError } from 'commander';
import { ConfigError } from '../../config.js';
import { IdentifierError } from '../../domain/contact.js';
import { databaseFailure } from '../../store/database-errors.js';
import { StoreError } from '../../store/store.js';
import { STORE_ERROR_CODES } from '../error-codes.js';
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
    if (error instanceof CommanderError) {
      // Commander printed the message (and the help hint). Its own usage errors exit 64; an `.error()` raised by a
      // command keeps the code it chose; help and --version exit 0.
      process.exitCode =
        error.code === 'commander.error' ? error.exitCode : error.exitCode === 0 ? 0 : EXIT_CODES.USAGE;
      return;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`assent: ${error.message}\n`);
      process.exitCode = EXIT_CODES.USAGE;
      return;
    }
    const system = systemFailure(error);
    if (system !== null) {
      process.stderr.write(`assent: ${system.message}\n`);
      process.exitCode = EXIT_CODES[system.code];
      return;
    }
    if (error instanceof StoreError || error instanceof IdentifierError) {
      process.stderr.write(`assent: ${error.message}\n`);
      process.exitCode =
        error instanceof StoreError ? EXIT_CODES[STORE_ERROR_CODES[error.code]] : EXIT_CODES.VALIDATION;
      return;
    }
    throw error;
  }
}

// Reading or writing a file: a missing input, an output path that is a file where a folder is wanted, a full disk.
const FILE_ERRORS = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM', 'EROFS', 'EEXIST', 'ENOSPC']);
// The port `serve` would listen on (a database's own errors: databaseFailure).
const LISTEN_ERRORS = new Set(['EADDRINUSE', 'EADDRNOTAVAIL']);

/** A failure of the machine rather than of Assent (a missing file, a port taken, a database down): one line. */
function systemFailure(error: unknown): { code: 'NO_INPUT' | 'UNAVAILABLE' | 'VALIDATION'; message: string } | null {
  const e = error as { code?: unknown; message?: unknown; severity?: unknown; errors?: unknown };
  if (typeof e?.message !== 'string' && !Array.isArray(e?.errors)) return null;
  const code = typeof e.code === 'string' ? e.code : '';
  if (FILE_ERRORS.has(code)) return { code: 'NO_INPUT', message: String(e.message) };
  // better-sqlite3 on a file that is not a SQLite database, or that it cannot open.
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_CORRUPT') {
    return {
      code: 'NO_INPUT',
      message: `the database file cannot be used: ${String(e.message)} (${code}); check --db`,
    };
  }
  if (LISTEN_ERRORS.has(code)) return { code: 'UNAVAILABLE', message: String(e.message || code) };
  const database = databaseFailure(error);
  if (database === null) return null;
  if (database.kind === 'unreachable') return { code: 'UNAVAILABLE', message: String(e.message || code) };
  // Refused data is the data's fault, not the server's: not 69.
  if (database.kind === 'data') {
    return { code: 'VALIDATION', message: `PostgreSQL refused the data: ${String(e.message)} (${code})` };
  }
  return { code: 'UNAVAILABLE', message: `PostgreSQL: ${String(e.message)}` };
}

// A closed reader (`assent decide | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

await main(process.argv);
