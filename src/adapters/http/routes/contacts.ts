// Contacts: create, read, change, look up by identifier or list, merge, and a contact's ledger history.
import type { FastifyInstance } from 'fastify';
import { CHANNELS, type Channel } from '../../../domain/channels.js';
import {
  type ContactInit,
  DEFAULT_JURISDICTION,
  IdentifierError,
  type IdentifierKind,
  identifiersOf,
  normalizeIdentifier,
} from '../../../domain/contact.js';
import { isTimeZone } from '../../../domain/parse-request.js';
import { accessReport } from '../../../services/access.js';
import { STATEMENT_LANGUAGES } from '../../../services/campaigns/statements.js';
import { eraseContact } from '../../../services/erasure.js';
import { createContactUnlessSuppressed } from '../../../services/lists/suppression.js';
import { proofMarkdown, proofOf } from '../../../services/proof.js';
import { rectifyContact } from '../../../services/rectification.js';
import { suppressionEntryOf } from '../../../services/suppression-entry.js';
import type { RouteContext } from '../app.js';
import { recordedBy } from '../auth.js';
import { HttpProblem, inQuery, invalidField, queryProblem } from '../problems.js';
import { errorResponses, idParams } from '../schemas/common.js';
import { serverRegisterProfile } from './register.js';

type NewContactBody = Omit<ContactInit, 'type'> & { type?: ContactInit['type'] };
type PatchBody = Partial<Pick<ContactInit, 'type' | 'address' | 'jurisdiction'>> & {
  timeZone?: string | null;
  region?: string | null;
  add?: Pick<ContactInit, 'email' | 'phone' | 'externalId' | 'postal'>;
  remove?: Pick<ContactInit, 'email' | 'phone' | 'externalId' | 'postal'>;
  reason?: string;
};
interface LookupQuery {
  email?: string;
  phone?: string;
  externalId?: string;
  postal?: string;
  jurisdiction?: string;
  after?: string;
  limit?: string;
}

const contact = { $ref: 'Contact#' } as const;
const tags = ['contacts'];
// A history page, when one is asked for (`limit`): without it the whole ledger comes, as it always did (a client
// that does not know `next` must not get a proof cut short without a word).
const HISTORY_PAGE_MAX = 10_000;

/** An IdentifierError names the input field: here, where it sits in the body. */
interface ReturningQuery {
  returning?: 'true' | 'false';
}
const returningQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    returning: {
      enum: ['true', 'false'],
      description: 'the person came back themselves: store an identifier of the suppression list anyway',
    },
  },
} as const;

function identifierProblem(error: unknown, base: string): unknown {
  return error instanceof IdentifierError ? invalidField(`${base}/${error.field}`, error.message) : error;
}

function checkTimeZone(zone: string | null | undefined): void {
  if (typeof zone === 'string' && !isTimeZone(zone))
    throw invalidField('/timeZone', `is not an IANA time zone; got "${zone}"`);
}

export async function contactRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  const { store } = ctx;
  const found = async (id: string) => {
    const c = await store.findContact({ id });
    if (c === null) throw new HttpProblem('NOT_FOUND', `no contact ${id}`);
    return c;
  };

  app.post<{ Body: NewContactBody; Querystring: ReturningQuery }>(
    '/v1/contacts',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Store a contact (identifiers normalised: email lower-cased, phone in E.164)',
        description:
          'An identifier (email, phone, postal address, CRM id) on the company suppression list (an erased or objecting ' +
          'person) is a 409, unless ' +
          '`?returning=true`: the person came back themselves (docs/lists.md).',
        querystring: returningQuery,
        body: { $ref: 'NewContact#' },
        response: { 201: contact, ...errorResponses },
      },
    },
    async (request, reply) => {
      const b = request.body;
      checkTimeZone(b.timeZone);
      try {
        const returning =
          request.query.returning === 'true'
            ? { via: 'POST /v1/contacts?returning=true', by: recordedBy(request) }
            : null;
        const c = await createContactUnlessSuppressed(store, { ...b, type: b.type ?? 'individual' }, returning);
        return reply.code(201).header('location', `/v1/contacts/${c.id}`).send(c);
      } catch (error) {
        throw identifierProblem(error, '');
      }
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/contacts/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'A contact (a merged id gives the contact it was merged into)',
        params: idParams,
        response: { 200: contact, ...errorResponses },
      },
    },
    async (request) => found(request.params.id),
  );

  app.patch<{ Params: { id: string }; Body: PatchBody; Querystring: ReturningQuery }>(
    '/v1/contacts/:id',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Change a contact: type, address kind, time zone, region, jurisdiction; add or remove identifiers',
        description:
          'Rectification (GDPR art. 16). An added identifier of the suppression list is a 409 unless ' +
          '`?returning=true`. `remove` deletes identifiers of the contact (a 400 names one it does not have); a removed ' +
          'identifier is not suppressed. A change of identifiers appends a `contact.rectified` event (the kinds ' +
          'added and removed, the reason, who: never the values) to the ledger.',
        querystring: returningQuery,
        params: idParams,
        body: { $ref: 'ContactPatch#' },
        response: { 200: contact, ...errorResponses },
      },
    },
    async (request) => {
      const { add, remove, reason, ...fields } = request.body;
      checkTimeZone(fields.timeZone);
      const current = await found(request.params.id);
      // A national number added is read in the jurisdiction the contact will have, one removed in the one it had.
      const read = (ids: PatchBody['add'], base: string, jurisdiction: string) => {
        try {
          return ids ? identifiersOf({ ...ids, jurisdiction }) : [];
        } catch (error) {
          throw identifierProblem(error, base);
        }
      };
      const patch = {
        ...fields,
        add: read(add, '/add', fields.jurisdiction ?? current.jurisdiction),
        remove: read(remove, '/remove', current.jurisdiction),
      };
      return rectifyContact(store, request.params.id, patch, {
        recordedBy: recordedBy(request),
        ...(reason ? { reason } : {}),
        ...(request.query.returning === 'true' ? { returning: { via: 'PATCH /v1/contacts/{id}?returning=true' } } : {}),
      });
    },
  );

  app.get<{ Querystring: LookupQuery }>(
    '/v1/contacts',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Find a contact by one identifier, or list contacts a page at a time',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            email: { type: 'string', minLength: 1, maxLength: 320 },
            phone: { type: 'string', minLength: 1, maxLength: 64 },
            externalId: { type: 'string', minLength: 1, maxLength: 200 },
            postal: { type: 'string', minLength: 1, maxLength: 500, description: 'the postal address, as stored' },
            jurisdiction: { type: 'string', pattern: '^[A-Za-z]{2}$', description: 'reads a national phone number' },
            after: {
              type: 'string',
              pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
              description: 'the `next` of the previous page (a contact id)',
            },
            limit: { type: 'string', pattern: '^[0-9]{1,9}$', description: '1 to 1000, default 100' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: contact },
              next: { type: ['string', 'null'], description: 'pass as `after` for the next page; null: the last page' },
              suppressed: {
                type: 'boolean',
                description:
                  'with an identifier only: whether it is on the company suppression list (its person was erased or ' +
                  'objected). An empty `items` then does not mean a new prospect: do not contact or store it again.',
              },
              suppression: {
                type: 'object',
                description:
                  'when `suppressed`: why (`erased`, `objection`), since when, and the erased contact it was the ' +
                  'identifier of when the erasure recorded its hash',
                properties: {
                  reason: { type: 'string' },
                  since: { type: 'string' },
                  contactId: { type: 'string' },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const given = (['email', 'phone', 'externalId', 'postal'] as const).filter((k) => q[k] !== undefined);
      if (given.length > 1) throw queryProblem(`/${given[1]}`, 'give one identifier at a time');
      const field = given[0];
      if (field !== undefined) {
        const kind: IdentifierKind = field === 'externalId' ? 'external' : field;
        try {
          const jurisdiction = q.jurisdiction ?? DEFAULT_JURISDICTION;
          const c = await store.findContact({ kind, value: q[field] as string, jurisdiction });
          // An erased person's address finds no one: saying it is suppressed keeps a CRM from re-creating them
          // as a new prospect (GDPR art. 17, 21(3)).
          const normalised = normalizeIdentifier(kind, q[field] as string, jurisdiction);
          const entry = await suppressionEntryOf(store, kind, normalised);
          return {
            items: c === null ? [] : [c],
            next: null,
            suppressed: entry !== null,
            ...(entry !== null ? { suppression: entry } : {}),
          };
        } catch (error) {
          if (error instanceof IdentifierError) throw queryProblem(`/${field}`, error.message);
          throw error;
        }
      }
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (limit < 1 || limit > 1000) throw queryProblem('/limit', 'must be from 1 to 1000');
      // One more than asked: `next` is null on the last page, even a full one.
      // Live contacts only: an erased person is no one to list (their record is reached by id, as proof).
      const items = await store.listContacts({ after: q.after ?? null, limit: limit + 1, live: true });
      const more = items.length > limit;
      if (more) items.length = limit;
      return { items, next: more ? (items.at(-1)?.id ?? null) : null };
    },
  );

  app.post<{ Params: { id: string }; Body: { from: string; by?: string } }>(
    '/v1/contacts/:id/merge',
    {
      config: { scope: 'write' },
      schema: {
        tags,
        summary: 'Merge contact `from` into this one: identifiers move, both ledgers become its history',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['from'],
          properties: {
            from: { type: 'string', minLength: 1, maxLength: 200, description: 'id of the record merged away' },
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who decided (kept in the ledger)' },
          },
        },
        response: { 200: contact, ...errorResponses },
      },
    },
    async (request) => {
      const { from, by } = request.body;
      if (from === request.params.id) throw invalidField('/from', 'must be another contact than the one merged into');
      return store.mergeContacts(request.params.id, from, recordedBy(request, by));
    },
  );

  app.delete<{ Params: { id: string }; Querystring: { by?: string; reason?: string; request?: string } }>(
    '/v1/contacts/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags,
        summary: 'Erase a person (GDPR art. 17): identifiers deleted and suppressed, the ledger kept as proof',
        description:
          'Deletes the identifiers of the contact (and of records merged into it), adds the SHA-256 of each of its ' +
          'identifiers (emails, phone numbers, postal addresses, CRM ids) to the company suppression list (a re-imported or bought file never brings them back), ' +
          'blanks the addresses of its campaign sends and ends its pending confirmation requests. The ledger events ' +
          '(the proof of each consent and opt-out, art. 17(3)(e)) stay, with a `contact.erased` event; the contact ' +
          'answers `erasedAt` and decisions answer CONTACT_NOT_FOUND. Erasing again changes nothing (`erasedNow: false`). ' +
          'A person whose processing is restricted (GDPR art. 18(2)) is not erased (409) but under an erasure request ' +
          'of theirs made since the restriction began (`?request=`), or once the restriction ends (answered refused, or lifted once granted).',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who decided (kept in the ledger)' },
            reason: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
              description:
                'why, e.g. the rights request id (kept in the ledger for good: no email address, phone number or street address)',
            },
            request: {
              type: 'string',
              minLength: 1,
              maxLength: 200,
              description: "the person's open erasure request this answers: settled `done` with the erasure",
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              contactId: { type: 'string' },
              erasedAt: { type: 'string' },
              erasedNow: { type: 'boolean' },
              identifiersRemoved: { type: 'integer' },
              suppressed: { type: 'integer' },
              request: { type: 'object', additionalProperties: true, description: 'the request answered, if named' },
              requestsAnswered: { type: 'integer', description: 'open erasure requests of the person answered done' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) =>
      eraseContact(store, request.params.id, {
        at: ctx.now(),
        recordedBy: recordedBy(request, request.query.by),
        ...(request.query.reason ? { reason: request.query.reason } : {}),
        ...(request.query.request ? { request: request.query.request } : {}),
      }).catch((error: unknown) => {
        // by, reason and request are query parameters here.
        throw inQuery(error);
      }),
  );

  app.get<{
    Params: { id: string };
    Querystring: { format?: 'json' | 'markdown'; channel?: Channel; verify?: 'true' | 'false' };
  }>(
    '/v1/contacts/:id/proof',
    {
      // With ?verify=true it walks the whole ledger: few calls, as the ledger verification.
      config: { scope: 'read', rateLimitMax: 30, rateLimitBucket: 'proof' },
      schema: {
        tags,
        summary: 'The proof of one person’s consents and opt-outs, for an auditor (GDPR art. 7(1), 21)',
        description:
          'Each consent, refusal, withdrawal and objection (and where the details came from, merges, rectifications, ' +
          'the erasure) with its date, channels, purpose, method, evidence (page, IP, browser, recording, double ' +
          'opt-in request), the wording shown with its SHA-256 checked again against the stored body (and a warning ' +
          'when that wording was stored after the act), and its place in the hash chain. `?channel=` keeps the acts ' +
          'on that channel; `?verify=true` verifies the whole ledger now; `?format=markdown` answers a document. ' +
          'At most 30 calls a minute per key.',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { enum: ['json', 'markdown'], default: 'json' },
            channel: { enum: [...CHANNELS] },
            verify: { enum: ['true', 'false'], default: 'false' },
          },
        },
        response: {
          200: {
            description: 'the proof statement: JSON, or a Markdown document with `?format=markdown`',
            content: {
              'application/json': { schema: { type: 'object', additionalProperties: true } },
              'text/markdown': { schema: { type: 'string' } },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const proof = await proofOf(store, request.params.id, ctx.now(), {
        ...(q.channel ? { channel: q.channel } : {}),
        verify: q.verify === 'true',
      });
      if (q.format === 'markdown') {
        return reply
          .type('text/markdown; charset=utf-8')
          .serializer((x: unknown) => String(x))
          .send(proofMarkdown(proof));
      }
      return proof;
    },
  );

  app.get<{ Params: { id: string }; Querystring: { lang?: string } }>(
    '/v1/contacts/:id/access',
    {
      config: { scope: 'read' },
      schema: {
        tags,
        summary: 'Everything held on one person, to answer an access request (GDPR art. 15)',
        description:
          'The contact and its identifiers, where the data came from, partners and purposes named, every ledger event ' +
          'with its evidence, the wording of each consent text cited, every campaign message sent, the person’s rights ' +
          'requests, and the retention rule; `information` adds what art. 15(1)(a)-(h) and 15(2) say the person is ' +
          'told (purposes and legal bases, recipients with the processors of `ASSENT_REGISTER_PROFILE`, retention, ' +
          'rights, the supervisory authority, sources, transfers outside the EEA), in the person’s language ' +
          '(docs/rights.md).',
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            lang: {
              enum: [...STATEMENT_LANGUAGES],
              description:
                'the language of the texts (default: that of the consent texts the person read, else their country’s)',
            },
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: true,
            properties: {
              retention: { type: 'string', description: 'art. 15(1)(d), in the report’s language' },
              information: {
                type: 'object',
                additionalProperties: true,
                description: 'art. 15(1)(a)-(h) and 15(2), in `information.language`',
                properties: {
                  language: { enum: [...STATEMENT_LANGUAGES] },
                  controller: { type: ['object', 'null'], additionalProperties: true },
                  dpo: { type: ['object', 'null'], additionalProperties: true },
                  categories: {
                    type: 'array',
                    description: '(b) the categories of personal data held',
                    items: { type: 'string' },
                  },
                  automatedDecisions: {
                    type: 'object',
                    additionalProperties: true,
                    description: '(h) no decision based solely on automated processing (art. 22)',
                  },
                  purposes: {
                    type: 'array',
                    description: '(a) purposes with their legal bases',
                    items: { type: 'object', additionalProperties: true },
                  },
                  recipients: {
                    type: 'array',
                    description: '(c) partners and processors',
                    items: { type: 'object', additionalProperties: true },
                  },
                  recipientsNote: { type: ['string', 'null'] },
                  retention: { type: 'string', description: '(d)' },
                  rights: {
                    type: 'array',
                    description: '(e) rectification, erasure, restriction, objection, portability, withdrawal',
                    items: { type: 'object', additionalProperties: true },
                  },
                  howToExercise: { type: 'string' },
                  complaint: { type: 'object', additionalProperties: true, description: '(f) supervisory authority' },
                  source: { type: 'array', items: { type: 'string' }, description: '(g)' },
                  transfers: {
                    type: 'array',
                    description: 'art. 15(2): outside the EEA, with safeguards (null: none declared)',
                    items: { type: 'object', additionalProperties: true },
                  },
                  transfersNote: { type: ['string', 'null'] },
                  notDeclared: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const profile = await serverRegisterProfile(ctx);
      return accessReport(store, ctx.packs, request.params.id, ctx.now(), {
        profile,
        ...(request.query.lang ? { lang: request.query.lang } : {}),
      });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { after?: string; limit?: string } }>(
    '/v1/contacts/:id/history',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['ledger'],
        summary:
          "A contact's ledger: every event (its own and merged contacts') with evidence and hashes, a page at a time",
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            after: {
              type: 'string',
              pattern: '^[0-9]{1,15}$',
              description: 'the `next` of the previous page (a `seq`)',
            },
            limit: {
              type: 'string',
              pattern: '^[0-9]{1,9}$',
              description: `1 to ${HISTORY_PAGE_MAX}; without it, every event (\`next\` null)`,
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              contactId: { type: 'string' },
              events: { type: 'array', items: { $ref: 'LedgerEvent#' } },
              next: {
                type: ['integer', 'null'],
                description: 'pass as `after` for the next page; null: the last page',
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit === undefined ? null : Number(q.limit);
      if (limit !== null && (limit < 1 || limit > HISTORY_PAGE_MAX)) {
        throw queryProblem('/limit', `must be from 1 to ${HISTORY_PAGE_MAX}`);
      }
      const c = await found(request.params.id);
      const after = q.after === undefined ? null : Number(q.after);
      if (limit === null && after === null) return { contactId: c.id, events: await store.historyOf(c.id), next: null };
      // One more than asked, as for the contacts list: `next` is null on the last page, even a full one.
      const events = await store.historyPage(c.id, { after, limit: limit === null ? null : limit + 1 });
      const more = limit !== null && events.length > limit;
      if (more) events.length = limit;
      return { contactId: c.id, events, next: more ? (events.at(-1)?.seq ?? null) : null };
    },
  );
}
