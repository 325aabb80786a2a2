// Logs without personal data: no bodies, no query strings (they can hold an email or a phone), no credentials.
import type { FastifyReply, FastifyRequest } from 'fastify';

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
        url: (req.url ?? '').split('?')[0],
        remoteAddress: req.ip,
      }),
      res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
    },
  };
}
