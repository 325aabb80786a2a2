// What a database driver's error says about the failure, for the adapters to answer it (CLI exit code, HTTP status):
// pg gives an error with the server's SQLSTATE and severity, or a socket error (an AggregateError when IPv4 and
// IPv6 are both refused).

/** Socket errors of a server that cannot be reached. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH']);

/**
 * `unreachable`: no connection; `data`: the server refused the data (SQLSTATE classes 22, data exception, and 23,
 * integrity constraint): the request's fault; `busy`: the server cannot take it now (08 connection, 53 resources,
 * 55 object state — the writer lock's timeout 55P03 —, 57 operator intervention); `server`: another SQLSTATE.
 * Null: not a database error.
 */
export type DatabaseFailure = { kind: 'unreachable' | 'data' | 'busy' | 'server'; code: string };

export function databaseFailure(error: unknown): DatabaseFailure | null {
  const e = error as { code?: unknown; severity?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (UNREACHABLE.has(code)) return { kind: 'unreachable', code };
  if (typeof e?.severity !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code.startsWith('22') || code.startsWith('23')) return { kind: 'data', code };
  if (/^(08|53|55|57)/.test(code)) return { kind: 'busy', code };
  return { kind: 'server', code };
}
