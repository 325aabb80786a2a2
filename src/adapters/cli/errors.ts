/** CLI failures with a stable code; the exit code comes from one table. */
export const EXIT_CODES = {
  INVALID_REQUEST: 2,
  UNKNOWN_JURISDICTION: 2,
  NOT_FOUND: 4,
  CONFLICT: 5,
  USAGE: 64,
} as const;
export type CliErrorCode = keyof typeof EXIT_CODES;

export class CliError extends Error {
  constructor(
    readonly code: CliErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
