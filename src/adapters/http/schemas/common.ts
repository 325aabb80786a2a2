// Shared JSON Schemas: registered once with app.addSchema, referenced as `Name#`; OpenAPI shows them as components.

/** A nullable scalar of the contract: the engine reads null as "not given". */
export const orNull = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
export const nullableEnum = (values: readonly string[]) => ({ enum: [...values, null] });
export const text = (extra: Record<string, unknown> = {}) => ({ type: 'string', minLength: 1, ...extra });

export const ProblemSchema = {
  $id: 'Problem',
  description: 'RFC 9457 problem details; `errors` names the faulty field (a JSON Pointer into the body).',
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: '`urn:assent:problem:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'the request path' },
    code: { type: 'string', description: 'stable code: VALIDATION, NOT_FOUND, CONFLICT, UNAUTHORIZED…' },
    requestId: { type: 'string', description: 'also in the X-Request-Id header: quote it to the operators' },
    errors: {
      type: 'array',
      items: {
        type: 'object',
        required: ['in', 'pointer', 'detail'],
        properties: {
          in: { enum: ['body', 'query', 'path', 'header'] },
          pointer: { type: 'string', description: 'JSON Pointer (RFC 6901) of the field' },
          detail: { type: 'string' },
        },
      },
    },
  },
} as const;

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
});

/** The error answers every route may give, for the OpenAPI document and the serialiser. */
export const errorResponses = {
  '4xx': problem('client error: 400 invalid (field named), 401, 403, 404, 409, 413, 415, 429 (see Retry-After)'),
  '5xx': problem('server error (no internals told: quote requestId)'),
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', minLength: 1, maxLength: 200 } },
} as const;
