import { ERROR_CODES, type ExitCode } from '../error-codes.js';

/** CLI failures with a stable code; the exit code comes from the one error registry (../error-codes.ts). */
export type CliErrorCode = ExitCode;

/** The CLI's exit codes: the CLI's part of the one error registry. */
export const EXIT_CODES: { readonly [K in ExitCode]: number } = Object.fromEntries(
  Object.entries(ERROR_CODES).flatMap(([code, e]) => ('exit' in e ? [[code, e.exit]] : [])),
) as { [K in ExitCode]: number };

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
