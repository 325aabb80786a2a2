// Every error the API answers is RFC 9457 problem+json; the one error registry (../error-codes.ts) gives each code its
// status and title.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { IdentifierError } from '../../domain/contact.js';
import { databaseFailure } from '../../store/database-errors.js';
import { StoreError } from '../../store/store.js';
import { ERROR_CODES, type ProblemCode, STORE_ERROR_CODES } from '../error-codes.js';

/** The API's codes, statuses and titles: the API's part of the one error registry. */
export const PROBLEMS = Object.fromEntries(Object.entries(ERROR_CODES).filter(([, e]) => 'status' in e)) as {
  readonly [K in ProblemCode]: (typeof ERROR_CODES)[K];
};
export type { ProblemCode };

/** Where a faulty field is: `pointer` is a JSON Pointer into the body, or the parameter's name for the others. */
export interface FieldError {
  in: 'body' | 'query' | 'path' | 'header';
  pointer: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ProblemCode;
  requestId: string;
  errors?: FieldError[];
}

/** A problem a route or hook raises on purpose; the error handler renders it. */
export class HttpProblem extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.statusCode = PROBLEMS[code].status;
  }
}

/** A 400 naming one body field. */
export const invalidField = (pointer: string, detail: string): HttpProblem =>
  new HttpProblem('VALIDATION', `${pointer === '' ? 'the body' : pointer} ${detail}`, [
    { in: 'body', pointer, detail },
  ]);

export const problemType = (code: ProblemCode): string => `urn:assent:problem:${code.toLowerCase().replace(/_/g, '-')}`;

export function sendProblem(request: FastifyRequest, reply: FastifyReply, p: HttpProblem): FastifyReply {
  const body: Problem = {
    type: problemType(p.code),
    title: PROBLEMS[p.code].title,
    status: PROBLEMS[p.code].status,
    detail: p.detail,
    // The path without its query: a query may carry an email or a phone number.
    instance: (request.url ?? '/').split('?')[0] ?? '/',
    code: p.code,
    requestId: String(request.id),
    ...(p.errors ? { errors: p.errors } : {}),
  };
  if (p.code === 'UNAUTHORIZED') reply.header('www-authenticate', 'Bearer realm="assent"');
  return reply.code(body.status).type('application/problem+json').send(body);
}

/**
 * The raw answer to a request Node's HTTP parser refuses before Fastify sees it (a URL with unencoded non-ASCII
 * characters, headers too large): problem+json too, not Fastify's bare `{"error":"Bad Request"}`. Written on the
 * socket, which is then closed (no request id: there was no request).
 */
export function clientErrorResponse(error: NodeJS.ErrnoException): string {
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const code: ProblemCode = 'BAD_REQUEST';
  const status = tooLarge ? 431 : PROBLEMS[code].status;
  const body = JSON.stringify({
    type: problemType(code),
    title: tooLarge ? 'The request headers are too large' : PROBLEMS[code].title,
    status,
    detail: tooLarge
      ? 'the request line and headers exceed the size this server reads'
      : 'the request line or headers are malformed: characters outside ASCII in a URL must be percent-encoded (zo%C3%AB, not zoë)',
    code,
  });
  return (
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
    'Content-Type: application/problem+json; charset=utf-8\r\n' +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    'Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n' +
    body
  );
}

const STATUS_CODES: Record<number, ProblemCode> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

const CLIENT_ERROR_HINTS: Readonly<Record<string, string>> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'send the body as Content-Type: application/json (a screening stream also takes text/csv; /openapi.json lists each route’s)',
};

/**
 * A body over its route's limit, naming that limit: most come from ASSENT_BODY_LIMIT and ASSENT_BATCH_BODY_LIMIT
 * (`configurable`); recipient pages and webhooks take 16 KiB (PAGE_BODY_LIMIT), which no setting changes. Null for
 * any other error.
 */
export function tooLargeProblem(error: unknown, limit: number | undefined, configurable: boolean): HttpProblem | null {
  if ((error as Partial<FastifyError>).code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return null;
  const here = limit === undefined ? '' : ` (this route takes at most ${limit.toLocaleString('en')} bytes)`;
  const what = configurable
    ? 'the limit is ASSENT_BODY_LIMIT (default 1 MiB), ASSENT_BATCH_BODY_LIMIT for batches (default 16 MiB); split the request'
    : 'shorten what you send';
  return new HttpProblem('PAYLOAD_TOO_LARGE', `Request body is too large${here}: ${what}`);
}

/**
 * Why a JSON body was refused (Fastify's parser says only "not valid JSON"): the syntax error with its position, or
 * a `__proto__` / `constructor.prototype` key, which is valid JSON but refused (prototype pollution).
 */
export function jsonProblem(error: Error, body: string): Error {
  if ((error as Partial<FastifyError>).code !== 'FST_ERR_CTP_INVALID_JSON_BODY') return error;
  try {
    JSON.parse(body);
  } catch (syntax) {
    return new HttpProblem('BAD_REQUEST', `Body is not valid JSON: ${(syntax as Error).message}`);
  }
  return new HttpProblem(
    'BAD_REQUEST',
    'Body has a "__proto__" or "constructor": {"prototype": …} key: such keys are refused anywhere in a body',
  );
}

/** A 400 naming a query parameter (`pointer`: `/name`). */
export function queryProblem(pointer: string, detail: string): HttpProblem {
  return new HttpProblem('VALIDATION', `query parameter ${pointer.slice(1)} ${detail}`, [
    { in: 'query', pointer, detail },
  ]);
}

/**
 * A store refusal of a field the request sent as a query parameter (`DELETE /v1/contacts/{id}?reason=…`): the
 * problem names the parameter where it is, not a body the request has none of. Other errors are returned as they are.
 */
export function inQuery(error: unknown): unknown {
  if (error instanceof StoreError && error.code === 'INVALID' && error.path !== undefined) {
    return new HttpProblem('VALIDATION', error.message, [{ in: 'query', pointer: error.path, detail: error.message }]);
  }
  return error;
}

/** Any error to the problem to answer; unknown ones become a 500 that tells nothing of the internals. */
export function toProblem(error: unknown): HttpProblem {
  if (error instanceof HttpProblem) return error;
  if (error instanceof StoreError) {
    // The store names the faulty field where one is to blame: said as the other validation errors say it.
    if (error.code === 'INVALID' && error.path !== undefined) {
      return new HttpProblem('VALIDATION', error.message, [{ in: 'body', pointer: error.path, detail: error.message }]);
    }
    return new HttpProblem(STORE_ERROR_CODES[error.code], error.message);
  }
  if (error instanceof IdentifierError) return invalidField(`/${error.field}`, error.message);
  const e = error as Partial<FastifyError>;
  if (Array.isArray(e.validation)) return validationProblem(e.validation, e.validationContext);
  const database = databaseProblem(error);
  if (database !== null) return database;
  const status = typeof e.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own client errors (bad JSON, empty body, wrong media type, too large): safe to repeat, with what
    // to do about them where Fastify says only what went wrong.
    const hint = CLIENT_ERROR_HINTS[e.code ?? ''];
    const message = String(e.message ?? 'bad request');
    return new HttpProblem(STATUS_CODES[status] ?? 'BAD_REQUEST', hint === undefined ? message : `${message}: ${hint}`);
  }
  return new HttpProblem('INTERNAL', 'An unexpected error occurred; quote the requestId to the operators.');
}

/**
 * PostgreSQL's answers that are not a bug: the data refused (SQLSTATE classes 22, 23) is the request's fault; a
 * server down, full or busy (the writer lock's 30 s, 55P03) is worth retrying. Everything else stays a 500.
 */
function databaseProblem(error: unknown): HttpProblem | null {
  const failure = databaseFailure(error);
  switch (failure?.kind) {
    case 'unreachable':
      return new HttpProblem('UNAVAILABLE', 'the database cannot be reached: retry later');
    case 'data':
      return new HttpProblem(
        'BAD_REQUEST',
        `the database refused the data (SQLSTATE ${failure.code}): ${String((error as Error).message)}`,
      );
    case 'busy':
      return new HttpProblem(
        'UNAVAILABLE',
        `the database cannot take the request now (SQLSTATE ${failure.code}): retry later`,
      );
    default:
      return null;
  }
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

const IN = { body: 'body', querystring: 'query', params: 'path', headers: 'header' } as const;

/**
 * AJV's errors to one field error: the most specific (deepest) one, as a JSON Pointer. A failed `anyOf` of
 * `required` alternatives (a stored contact named by id, email, phone or externalId) says which fields would do.
 */
export function validationProblem(errors: readonly AjvError[], context?: string): HttpProblem {
  const where = IN[(context ?? 'body') as keyof typeof IN] ?? 'body';
  let best: { pointer: string; detail: string; score: number } | null = null;
  for (const e of errors) {
    let pointer = e.instancePath;
    let detail = e.message ?? 'is not valid';
    if (e.keyword === 'required') {
      const alternatives = errors.filter((o) => o.keyword === 'required' && o.instancePath === e.instancePath);
      if (errors.some((o) => o.keyword === 'anyOf' && o.instancePath === e.instancePath) && alternatives.length > 1) {
        detail = `needs one of the fields ${alternatives.map((o) => String(o.params.missingProperty)).join(', ')}`;
      } else {
        pointer = `${pointer}/${String(e.params.missingProperty)}`;
        detail = 'is required';
      }
    } else if (e.keyword === 'additionalProperties') {
      pointer = `${pointer}/${String(e.params.additionalProperty)}`;
      detail = 'is not a known field';
    } else if (e.keyword === 'enum') {
      detail = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'anyOf') {
      continue;
    } else if (e.keyword === 'type') {
      // Where alternatives failed (anyOf), the value may be of any of their types: all are said.
      const alike = errors.some((o) => o.keyword === 'anyOf' && o.instancePath === e.instancePath)
        ? errors.filter((o) => o.keyword === 'type' && o.instancePath === e.instancePath)
        : [e];
      detail = typeDetail(
        alike.flatMap((o) => String(o.params.type).split(',')),
        where === 'body' && pointer === '',
      );
    }
    // Deepest first; at the same depth a type error loses (another anyOf branch had the right type).
    const score = depth(pointer) * 2 + (e.keyword === 'type' ? 0 : 1);
    if (best === null || score > best.score) best = { pointer, detail, score };
  }
  const field = best ?? { pointer: '', detail: 'is not valid' };
  const pointer = where === 'body' ? field.pointer : field.pointer.replace(/^\/?/, '/');
  const name = where === 'body' ? pointer || 'the body' : `${where} parameter ${pointer.slice(1)}`;
  return new HttpProblem('VALIDATION', `${name} ${field.detail}`, [{ in: where, pointer, detail: field.detail }]);
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};

/** AJV's "must be object,null" in words: "must be an object or null". */
function typeDetail(types: readonly string[], wholeBody: boolean): string {
  const kinds = [...new Set(types)];
  // The batch routes (POST /v1/evaluate, /v1/decisions) take one request or an array of them.
  if (wholeBody && kinds.length === 2 && kinds.includes('object') && kinds.includes('array')) {
    return 'must be a request object or an array of them';
  }
  const names = kinds.map((t) => TYPE_NAMES[t] ?? t);
  const last = names.pop() ?? 'valid';
  return `must be ${names.length > 0 ? `${names.join(', ')} or ${last}` : last}`;
}

const depth = (pointer: string): number => (pointer === '' ? 0 : pointer.split('/').length);
