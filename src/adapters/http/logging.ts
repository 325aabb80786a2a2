// Logs without personal data: no bodies, no query strings (they can hold an email or a phone), no credentials.
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/** pino paths censored wherever they appear in a logged object (belt and braces: bodies are never logged). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'body',
  'req.body',
  '*.body',
  'email',
  'phone',
  '*.email',
  '*.phone',
  '*.identifiers',
  '*.evidence',
];

/** pino options for Fastify: the given ones win over these, the redaction is always added. */
export function loggerOptions(given: true | object, level: string): object {
  return {
    level,
    ...(given === true ? {} : given),
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req: FastifyRequest) => ({
        method: req.method,
        url: loggedUrl(req.url ?? ''),
        remoteAddress: req.ip,
      }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
    },
  };
}

/**
 * A request's path as logged: no query string, and no token of a recipient link (`/u/…` unsubscribes, `/p/…` opens
 * the person's preference center: whoever reads the log could act for the person with it). A segment that holds an
 * email address or a phone number (a client that put one where a contact id goes) is not logged either: logs hold
 * no personal data.
 */
export function loggedUrl(url: string): string {
  const path = url.split('?')[0] ?? '';
  // The link is looked for in the path as the router reads it, decoded (`/%75/…` is served as `/u/…`), and in the
  // spellings a client or a mail program may mangle it to, 404s that still carry the token: `/P/…`, `//p/…`,
  // `/./u/…`, `/x/../p/…`, `\u\…`, an absolute `http://host/u/…`. Any `u` or `p` segment with something after it.
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return '[redacted]'; // undecodable: no telling what it holds
  }
  const segments = decoded.replaceAll('\\', '/').toLowerCase().split('/');
  const link = segments.findIndex(
    (s, i) => (s === 'u' || s === 'p') && segments.slice(i + 1).some((rest) => rest !== ''),
  );
  if (link >= 0) return `/${segments[link]}/[token]`;
  return path
    .split('/')
    .map((segment) => (PERSONAL_SEGMENT.test(decodedSegment(segment)) ? '[redacted]' : segment))
    .join('/');
}

/** An email address (something@something) or a phone number (7+ digits, with +, spaces, dots, dashes). */
const PERSONAL_SEGMENT = /@|^\+?[\d\s().-]{7,}$/;

function decodedSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * One log line per request, written when it is answered (Fastify's default writes two: one on arrival, one on
 * completion, which doubled the logging cost of a decision). Errors and other lines are Fastify's own.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error)
      reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
