// Stored resources as JSON Schema: contacts, ledger events, consent texts.
import { EVENT_TYPES } from '../../../domain/request.js';
import { historyEventProperties } from './decision.js';

const nullableString = { type: ['string', 'null'] } as const;

export const ContactSchema = {
  $id: 'Contact',
  type: 'object',
  properties: {
    id: { type: 'string' },
    type: { enum: ['individual', 'professional'] },
    address: { enum: ['named', 'generic', null], description: 'professional address kind; null for individuals' },
    addressSource: { enum: ['detected', 'set', null] },
    jurisdiction: { type: 'string' },
    timeZone: nullableString,
    region: nullableString,
    identifiers: {
      type: 'array',
      items: {
        type: 'object',
        properties: { kind: { enum: ['email', 'phone', 'external', 'postal'] }, value: { type: 'string' } },
      },
    },
    merged: { type: 'array', items: { type: 'string' }, description: 'contacts merged into this one' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    erasedAt: { type: 'string', description: 'present once the person was erased (GDPR art. 17): no identifiers left' },
  },
} as const;

export const LedgerEventSchema = {
  $id: 'LedgerEvent',
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    id: { type: 'string' },
    contactId: { type: 'string' },
    type: { type: 'string' },
    at: { type: 'string' },
    data: { type: 'object', additionalProperties: true },
    evidence: { type: ['object', 'null'], additionalProperties: true },
    evidenceHash: nullableString,
    recordedAt: { type: 'string' },
    recordedBy: { type: 'string' },
    idempotencyKey: nullableString,
    prevHash: { type: 'string' },
    hash: { type: 'string' },
  },
} as const;

export const ConsentTextSchema = {
  $id: 'ConsentText',
  type: 'object',
  properties: {
    id: { type: 'string', description: 'key:version:language' },
    key: { type: 'string' },
    version: { type: 'string' },
    language: { type: 'string' },
    body: { type: 'string', description: 'the exact wording (not in lists)' },
    sha256: { type: 'string' },
    createdAt: { type: 'string' },
  },
} as const;

const identifierFields = {
  email: { type: 'string', minLength: 1, maxLength: 320 },
  phone: { type: 'string', minLength: 1, maxLength: 64 },
  externalId: { type: 'string', minLength: 1, maxLength: 200 },
  postal: { type: 'string', minLength: 1, maxLength: 1000 },
} as const;

const contactFields = {
  type: { enum: ['individual', 'professional'] },
  address: { enum: ['named', 'generic'], description: 'professional address kind (default: detected from email)' },
  timeZone: { type: 'string', minLength: 1, maxLength: 64, description: 'IANA time zone' },
  region: { type: 'string', pattern: '^[A-Za-z]{2}-[A-Za-z0-9]{1,3}$', description: 'ISO 3166-2' },
  jurisdiction: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'ISO 3166-1 alpha-2' },
} as const;

export const NewContactSchema = {
  $id: 'NewContact',
  type: 'object',
  additionalProperties: false,
  required: ['jurisdiction'],
  properties: { ...contactFields, ...identifierFields },
} as const;

export const ContactPatchSchema = {
  $id: 'ContactPatch',
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    ...contactFields,
    timeZone: { ...contactFields.timeZone, type: ['string', 'null'], description: 'IANA time zone; null clears it' },
    region: { ...contactFields.region, type: ['string', 'null'], description: 'ISO 3166-2; null clears it' },
    add: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description: 'identifiers to add (normalised in the contact jurisdiction)',
      properties: identifierFields,
    },
    remove: {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      description:
        'identifiers of the contact to delete (rectification, GDPR art. 16); the contact keeps at least one. ' +
        'A removed email or phone is not put on the suppression list.',
      properties: identifierFields,
    },
    reason: {
      type: 'string',
      minLength: 1,
      maxLength: 500,
      description:
        'why, e.g. the rights request id: kept in the ledger for good, so no email address, phone number or street address (400)',
    },
  },
} as const;

/** A stored contact named by one of its identifiers, as decisions and events do. */
export const contactRef = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id: { type: 'string', minLength: 1, maxLength: 200 },
    email: identifierFields.email,
    phone: identifierFields.phone,
    externalId: identifierFields.externalId,
    jurisdiction: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'reads a national phone number' },
  },
  anyOf: [{ required: ['id'] }, { required: ['email'] }, { required: ['phone'] }, { required: ['externalId'] }],
} as const;

export const NewEventSchema = {
  $id: 'NewEvent',
  description: 'an event of the contract history vocabulary, for a stored contact, with the proof of it',
  type: 'object',
  additionalProperties: false,
  required: ['contact', 'type', 'at'],
  properties: {
    contact: contactRef,
    type: { enum: EVENT_TYPES },
    at: { type: 'string', minLength: 1, maxLength: 64, description: 'ISO 8601 instant of the act' },
    ...historyEventProperties,
    evidence: {
      type: ['object', 'null'],
      maxProperties: 32,
      description: 'how it was captured: method, textId, textSha256, pageUrl, importBatch, recording, ip, userAgent',
      properties: {
        method: { type: 'string', maxLength: 200 },
        textId: { type: 'string', minLength: 1, maxLength: 300 },
        textSha256: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        pageUrl: { type: 'string', maxLength: 2000 },
        importBatch: { type: 'string', maxLength: 200 },
        recording: { type: 'string', maxLength: 2000 },
        ip: { type: 'string', maxLength: 64 },
        userAgent: { type: 'string', maxLength: 1000 },
      },
    },
    idempotencyKey: { type: 'string', minLength: 1, maxLength: 200 },
    recordedBy: { type: 'string', minLength: 1, maxLength: 200, description: 'who, beside the API key' },
  },
} as const;

export const NewConsentTextSchema = {
  $id: 'NewConsentText',
  type: 'object',
  additionalProperties: false,
  required: ['key', 'version', 'language', 'body'],
  properties: {
    key: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,100}$', description: 'what it asks for: newsletter…' },
    version: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,50}$' },
    language: { type: 'string', pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' },
    body: { type: 'string', minLength: 1, maxLength: 100_000, description: 'the exact wording' },
    publishedAt: {
      type: 'string',
      maxLength: 40,
      description:
        'ISO 8601: when the wording was first shown (default: now); give it for a wording stored after it was shown, so that the consents citing it are not read as citing a later wording',
    },
  },
} as const;

export const RESOURCE_SCHEMAS = [
  ContactSchema,
  LedgerEventSchema,
  ConsentTextSchema,
  NewContactSchema,
  ContactPatchSchema,
  NewEventSchema,
  NewConsentTextSchema,
];
