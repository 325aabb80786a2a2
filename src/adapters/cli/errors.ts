/** CLI failures with a stable code; the exit code comes from one table. */
export const EXIT_CODES = {
  INVALID_REQUEST: 2,
  NOT_FOUND: 4,
  CONFLICT: 5,
  USAGE: 64,
  /** A file to read or write cannot be (missing, a folder, no permission). */
  NO_INPUT: 66,
  /** A service the command needs is unavailable: the database server, the port to listen on. */
  UNAVAILABLE: 69,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM after undoing its partial work: 128 + SIGINT, as shells report it. */
  INTERRUPTED: 130,
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
