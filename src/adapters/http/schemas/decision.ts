// The decision contract (../shared/spec/decision-contract.md) as JSON Schema: never stricter than the engine's own
// validation (src/domain/parse-request.ts), which runs after it and names the field when it refuses a request.
import { CHANNELS } from '../../../domain/channels.js';
import { BASIS_CODES, OBLIGATION_CODES, REASON_CODES } from '../../../domain/codes.js';
import {
  CALL_OUTCOMES,
  CONSENT_METHODS,
  DATA_SOURCES,
  EVENT_TYPES,
  INTERACTION_KINDS,
} from '../../../domain/request.js';
import { nullableEnum, orNull, text } from './common.js';

/** The most requests one batch may carry. */
export const MAX_BATCH = 10_000;

const channelField = {
  description: 'a channel, a list of channels, or "*" (every channel)',
  anyOf: [{ type: 'string' }, { type: 'array', minItems: 1, items: { type: 'string' } }, { type: 'null' }],
};

/** The contract's history event vocabulary (also what `POST /v1/events` records). */
export const historyEventProperties = {
  channel: channelField,
  purpose: orNull('string'),
  scope: nullableEnum(['own', 'partners']),
  partners: orNull('array', { items: text() }),
  method: nullableEnum(CONSENT_METHODS),
  source: nullableEnum(DATA_SOURCES),
  provider: orNull('string'),
  informed: orNull('boolean'),
  kind: nullableEnum(INTERACTION_KINDS),
  outcome: nullableEnum(CALL_OUTCOMES),
  contract: orNull('string'),
  category: orNull('string'),
} as const;

const HistoryEvent = {
  type: 'object',
  required: ['at', 'type'],
  properties: {
    at: { type: 'string', description: 'ISO 8601 date or date-time with offset' },
    type: { enum: EVENT_TYPES },
    ...historyEventProperties,
  },
};

const messageSchema = {
  type: 'object',
  required: ['channel'],
  properties: {
    channel: { enum: CHANNELS },
    purpose: orNull('string', { description: 'default "marketing"' }),
    sender: nullableEnum(['own', 'partner']),
    partner: orNull('string', {
      description: 'the third party, when sender is "partner"; without it no partner consent can cover the message',
    }),
    offer: {
      type: ['object', 'null'],
      properties: {
        similarToPurchases: orNull('boolean'),
        relatedToProfession: orNull('boolean'),
        relatedToContract: orNull('boolean'),
        sector: orNull('string'),
      },
    },
  },
};

const listsSchema = {
  type: ['array', 'null'],
  items: {
    anyOf: [
      { type: 'string' },
      {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' }, since: orNull('string'), asOf: orNull('string') },
      },
    ],
  },
};

const requestId = { type: ['string', 'number', 'null'], description: 'echoed back' };

export const DecisionRequestSchema = {
  $id: 'DecisionRequest',
  description:
    "A request of the decision contract; fields beyond these are allowed, not read, and named in the answer's `warnings`.",
  type: 'object',
  required: ['jurisdiction', 'at', 'message'],
  properties: {
    id: requestId,
    jurisdiction: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' },
    at: { type: 'string', description: 'ISO 8601 instant the message would go out' },
    message: messageSchema,
    contact: {
      type: ['object', 'null'],
      properties: {
        type: nullableEnum(['individual', 'professional']),
        address: nullableEnum(['named', 'generic']),
        lists: listsSchema,
        directory: nullableEnum(['listed', 'starred', 'unlisted']),
        timeZone: orNull('string'),
        region: orNull('string'),
        recordedSince: {
          type: ['string', 'null'],
          description:
            'when the controller first recorded the person: the retention period runs from it (or from the first history event, if earlier) when the history holds no dated active contact',
        },
      },
    },
    history: { type: ['array', 'null'], items: HistoryEvent },
  },
} as const;

export const StoredDecisionRequestSchema = {
  $id: 'StoredDecisionRequest',
  description:
    'A decision on a stored contact: its type, address, jurisdiction and ledger history come from the store; ' +
    "`at` defaults to now; a `jurisdiction` given only reads national phone numbers (the contact's own decides).",
  type: 'object',
  required: ['contact', 'message'],
  properties: {
    id: requestId,
    jurisdiction: { type: 'string', pattern: '^[A-Za-z]{2}$' },
    at: { type: 'string' },
    message: messageSchema,
    contact: {
      type: 'object',
      description: 'the stored contact, by one of id, email, phone, externalId; lists and directory as in the contract',
      properties: {
        id: text(),
        email: text(),
        phone: text(),
        externalId: text(),
        lists: listsSchema,
        directory: nullableEnum(['listed', 'starred', 'unlisted']),
      },
      anyOf: [{ required: ['id'] }, { required: ['email'] }, { required: ['phone'] }, { required: ['externalId'] }],
    },
  },
} as const;

/**
 * A decision, or the error answer (INVALID_REQUEST, CONTACT_NOT_FOUND; PROCESSING_RESTRICTED for a stored contact whose
 * processing is restricted, GDPR art. 18) to one request of a batch.
 */
export const AnswerSchema = {
  $id: 'Answer',
  type: 'object',
  properties: {
    id: requestId,
    decision: { enum: ['allow', 'deny'] },
    basis: { ...nullableEnum(BASIS_CODES), description: 'legal ground of an allow' },
    reasons: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'message', 'ref'],
        properties: {
          code: { enum: REASON_CODES },
          message: { type: 'string' },
          ref: { type: 'string' },
          rule: { type: 'string' },
        },
      },
    },
    obligations: {
      type: 'array',
      items: {
        type: 'object',
        required: ['code', 'message', 'ref'],
        properties: {
          code: { enum: OBLIGATION_CODES },
          message: { type: 'string' },
          ref: { type: 'string' },
          source: {
            type: 'object',
            description:
              'DISCLOSE_DATA_SOURCE for details from a third party or a public source: the source the message names',
            properties: { kind: { enum: ['acquired', 'public'] }, provider: orNull('string') },
          },
        },
      },
    },
    rules: orNull('string', { description: 'the rule-pack version that decided, e.g. FR@2026-08-11' }),
    warnings: {
      type: 'array',
      description:
        'fields of the request the contract does not name, which the decision did not read (a misspelt `list` for `lists`); absent when there are none',
      items: {
        type: 'object',
        required: ['path', 'message'],
        properties: {
          path: { type: 'string', description: 'JSON Pointer of the field, within this request' },
          message: { type: 'string' },
        },
      },
    },
    error: {
      type: 'object',
      required: ['code', 'message', 'path'],
      properties: {
        code: { enum: ['INVALID_REQUEST', 'CONTACT_NOT_FOUND', 'PROCESSING_RESTRICTED'] },
        message: { type: 'string' },
        path: { type: 'string', description: 'JSON Pointer of the field, within this request' },
      },
    },
  },
} as const;

export const answerList = { type: 'array', items: { $ref: 'Answer#' } } as const;

/** One request (one answer) or an array of up to MAX_BATCH (one answer each, in order). */
export function batchBody(single: string, itemsDescription: string) {
  return {
    anyOf: [{ $ref: `${single}#` }, { type: 'array', maxItems: MAX_BATCH, description: itemsDescription, items: {} }],
  };
}

export const batchResponse = {
  description: 'the answer, or an array of answers in the order of the requests',
  anyOf: [{ $ref: 'Answer#' }, answerList],
} as const;
