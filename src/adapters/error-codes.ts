// The one registry of the error codes Assent answers with (conventions: Fastify's lib/errors.js): each code's HTTP
// status and title for the API's problem+json (src/adapters/http/problems.ts), its exit code for the CLI
// (src/adapters/cli/errors.ts). A code says the same thing in both, so a store's refusal is VALIDATION, NOT_FOUND or
// CONFLICT whichever adapter reports it.

interface ErrorCodeEntry {
  /** HTTP status, for the codes the API answers with. */
  status?: number;
  /** The problem's title (RFC 9457 §3.1.4), with `status`. */
  title?: string;
  /** Exit code, for the codes the CLI fails with. */
  exit?: number;
}

export const ERROR_CODES = {
  VALIDATION: { status: 400, title: 'The request is not valid', exit: 2 },
  BAD_REQUEST: { status: 400, title: 'The request cannot be read' },
  UNAUTHORIZED: { status: 401, title: 'An API key is required' },
  FORBIDDEN: { status: 403, title: 'This API key may not do this' },
  NOT_FOUND: { status: 404, title: 'Not found', exit: 4 },
  METHOD_NOT_ALLOWED: { status: 405, title: 'This method is not allowed here' },
  CONTACT_NOT_FOUND: { status: 404, title: 'No such stored contact' },
  CONFLICT: { status: 409, title: 'Conflict with the stored data', exit: 5 },
  /** A stored contact whose processing is restricted (GDPR art. 18): stored, not decided on until it is lifted. */
  PROCESSING_RESTRICTED: { status: 409, title: "The processing of this contact's data is restricted" },
  /** A resource that existed and was withdrawn on purpose (a retired consent form). */
  GONE: { status: 410, title: 'No longer in use' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported content type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  /** A service needed is unavailable: the database server, the port to listen on. */
  UNAVAILABLE: { status: 503, title: 'Service unavailable', exit: 69 },
  /** The command line is wrong (sysexits EX_USAGE). */
  USAGE: { exit: 64 },
  /** A file to read or write cannot be (missing, a folder, no permission). */
  NO_INPUT: { exit: 66 },
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM after undoing its partial work: 128 + SIGINT, as shells report it. */
  INTERRUPTED: { exit: 130 },
} as const satisfies Record<string, ErrorCodeEntry>;

type Codes = typeof ERROR_CODES;
/** The codes the API answers with. */
export type ProblemCode = { [K in keyof Codes]: Codes[K] extends { status: number } ? K : never }[keyof Codes];
/** The codes the CLI fails with. */
export type ExitCode = { [K in keyof Codes]: Codes[K] extends { exit: number } ? K : never }[keyof Codes];

/** A StoreError's code (src/store/store.ts) in this registry. */
export const STORE_ERROR_CODES = { NOT_FOUND: 'NOT_FOUND', CONFLICT: 'CONFLICT', INVALID: 'VALIDATION' } as const;
