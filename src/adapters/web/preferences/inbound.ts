// Inbound SMS (issue #5): the provider forwards replies to `POST /v1/sms/inbound`; a STOP reply is an objection to
// prospecting by SMS (CPCE art. L34-5; CNIL and the FFTélécoms SMS code: "STOP" must work, free of charge).
// Auth: an API key with the `write` scope, or `X-Assent-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">` with
// ASSENT_SMS_WEBHOOK_SECRET (five minutes' tolerance against replays). Also the DPO's list of rights requests.
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_JURISDICTION, IdentifierError, normalizeSender } from '../../../domain/contact.js';
import { informedAtOf, receivedAtOf } from '../../../domain/rights.js';
import { suppressionHash } from '../../../services/lists/suppression.js';
import {
  answerRightsRequest,
  extendRightsRequest,
  liftRestriction,
  recordRightsRequest,
} from '../../../services/rights-requests.js';
import { isStopMessage, recordObjection } from '../../../services/unsubscribe.js';
import { RIGHTS_KINDS, type RightsKind, type RightsStatus } from '../../../store/recipient-tokens.js';
import { StoreError } from '../../../store/store.js';
import type { RouteContext } from '../../http/app.js';
import { allows, recordedBy } from '../../http/auth.js';
import { HttpProblem, invalidField, queryProblem } from '../../http/problems.js';
import { limitPageBodies, PAGE_BODY_LIMIT } from '../layout.js';
import { evidenceOf, type FormBody } from './shared.js';

const TOLERANCE_S = 300;
const RAW = Symbol('raw body');
type WithRaw = FastifyRequest & { [RAW]?: string };

const text = { type: 'string', maxLength: 2048 } as const;
/** Documented in /openapi.json: providers post their own field names (Twilio: From, Body), hence the aliases. */
const INBOUND_SCHEMA = {
  tags: ['ledger'],
  summary: 'An SMS reply forwarded by the SMS provider: STOP records an objection to SMS prospecting',
  description:
    'JSON or `application/x-www-form-urlencoded`. The sender is `from` (or `From`), the message `text` (or `Text`, ' +
    '`Body`, `body`). A STOP word (STOP, ARRET, STOPP, UNSUBSCRIBE…) records an objection on the sms channel for the ' +
    'stored contact with that number, at once. Authenticate with an API key of scope `write`, or sign the request: ' +
    '`X-Assent-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` with ASSENT_SMS_WEBHOOK_SECRET ' +
    '(five minutes of tolerance).',
  // Checked by the handler, not the auth hook (which cannot know the HMAC): a write key or the signature.
  security: [{ bearer: [] as string[] }, { apiKey: [] as string[] }, { smsSignature: [] as string[] }] as Record<
    string,
    string[]
  >[],
  consumes: ['application/json', 'application/x-www-form-urlencoded'],
  headers: {
    type: 'object',
    properties: {
      'x-assent-signature': { type: 'string', description: 't=<unix seconds>,v1=<hex HMAC-SHA256>' },
    },
  },
  body: {
    type: 'object',
    additionalProperties: true,
    properties: { from: text, From: text, text, Text: text, Body: text, body: text },
  },
  response: {
    200: {
      type: 'object',
      required: ['stop', 'recorded'],
      properties: {
        stop: { type: 'boolean', description: 'the text is a STOP word' },
        recorded: {
          type: 'boolean',
          description: 'an objection was recorded (false: already objecting, or no contact)',
        },
        contactId: { type: ['string', 'null'], description: 'the stored contact with that number, null if none' },
        suppressed: {
          type: 'boolean',
          description: 'no contact has the number: its hash was added to the company suppression list',
        },
        detail: { type: 'string', description: 'why a STOP could not be kept (a sender that is not a phone number)' },
      },
    },
  },
};

export function inboundRoutes(app: FastifyInstance, ctx: RouteContext): void {
  // Scoped to this plugin: JSON or form bodies, the raw text kept for the signature.
  limitPageBodies(app);
  const opts = { parseAs: 'string' as const, bodyLimit: PAGE_BODY_LIMIT };
  app.addContentTypeParser('application/x-www-form-urlencoded', opts, (req, body, done) => {
    (req as WithRaw)[RAW] = String(body as unknown);
    done(null, Object.fromEntries(new URLSearchParams(String(body as unknown))) as FormBody);
  });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', opts, (req, body, done) => {
    (req as WithRaw)[RAW] = String(body as unknown);
    try {
      done(null, JSON.parse(String(body as unknown)));
    } catch {
      done(new HttpProblem('BAD_REQUEST', 'the body is not valid JSON'), undefined);
    }
  });

  app.post(
    '/v1/sms/inbound',
    // Public to the auth hook, which cannot know the HMAC: this handler checks the key or the signature itself.
    { config: { scope: 'public', rateLimitMax: 600 }, schema: INBOUND_SCHEMA },
    async (request, reply) => {
      authorise(request, ctx.config.smsWebhookSecret, ctx.now());
      const body = (request.body ?? {}) as Record<string, unknown>;
      const from = str(body.from) ?? str(body.From);
      const text = str(body.text) ?? str(body.Text) ?? str(body.Body) ?? str(body.body);
      if (from === undefined || text === undefined) {
        throw new HttpProblem('BAD_REQUEST', 'the body needs "from" (the sender\'s number) and "text"');
      }
      if (!isStopMessage(text)) return reply.send({ stop: false, recorded: false });
      let e164: string | null = null;
      try {
        e164 = normalizeSender(from, DEFAULT_JURISDICTION);
      } catch (error) {
        if (!(error instanceof IdentifierError)) throw error; // not a phone number: nobody to record against
      }
      const contact = e164 === null ? null : await ctx.store.findContact({ kind: 'phone', value: e164 });
      if (contact === null) {
        // Nobody to record it against, but the objection still binds (GDPR art. 21(3)): the number's hash joins the
        // company suppression list, so a list bought or imported later never brings it back (CNIL, liste repoussoir).
        let suppressed = false;
        if (e164 !== null) {
          await ctx.store.addSuppressions([
            { hash: suppressionHash('phone', e164), reason: 'objection', at: ctx.now().toISOString() },
          ]);
          suppressed = true;
        }
        if (e164 === null) {
          // A sender that is no number (an alphanumeric sender id, a provider's mistake): nothing can be kept, and
          // the operator must hear of it, as must the provider (the answer says so; a 4xx would only be retried).
          request.log.warn('SMS STOP from a sender that is not a phone number: nothing recorded or suppressed');
          return reply.send({
            stop: true,
            recorded: false,
            contactId: null,
            suppressed: false,
            detail: `the sender ${JSON.stringify(from.slice(0, 32))} is not a phone number: nothing to record the STOP against or to suppress`,
          });
        }
        request.log.warn({ suppressed }, 'SMS STOP from a number that matches no contact');
        return reply.send({ stop: true, recorded: false, contactId: null, suppressed });
      }
      const { recorded } = await recordObjection(ctx.store, {
        contactId: contact.id,
        channel: 'sms',
        at: ctx.now(),
        evidence: { ...evidenceOf(request, 'sms-stop'), from, text: text.slice(0, 160) },
        recordedBy: recordedBy(request, 'sms-inbound'),
      });
      return reply.send({ stop: true, recorded, contactId: contact.id });
    },
  );

  app.get(
    '/v1/rights-requests',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['rights'],
        summary: 'Rights requests (access, erasure, rectification, restriction, portability, objection), for the DPO',
        description:
          'Newest first, each with `dueBy`, the last day to answer (GDPR art. 12(3): one month from receipt, counted ' +
          'as Regulation 1182/71 counts months); `overdue=true` lists the open ones past it. Scope: `admin`.',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            limit: { type: 'string', pattern: '^(1000|[1-9][0-9]{0,2})$', description: '1 to 1000, default 100' },
            contact: { type: 'string', maxLength: 64, description: 'one contact id' },
            status: { enum: ['open', 'done', 'refused'], description: 'only requests in this state' },
            overdue: { enum: ['true', 'false'], description: 'true: only open requests past their `dueBy`' },
            after: { type: 'string', maxLength: 64, description: 'the `next` of the previous page' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              next: { type: ['string', 'null'], description: 'pass as `after` for the next page; null: the last page' },
              rightsRequests: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'string' },
                    contactId: { type: 'string' },
                    kind: { enum: [...RIGHTS_KINDS] },
                    status: { enum: ['open', 'done', 'refused'] },
                    evidence: { type: ['object', 'null'], additionalProperties: true },
                    requestedAt: { type: 'string' },
                    settledAt: { type: ['string', 'null'] },
                    settledBy: { type: ['string', 'null'] },
                    answer: { type: ['string', 'null'] },
                    details: {
                      type: ['string', 'null'],
                      description: 'what the person asks; for a rectification, what is wrong',
                    },
                    dueBy: {
                      type: 'string',
                      description: 'the last day to answer: a month from receipt, three once extended (art. 12(3))',
                    },
                    extendedAt: {
                      type: ['string', 'null'],
                      description: 'when the period was extended by two months (art. 12(3))',
                    },
                    extendedBy: { type: ['string', 'null'] },
                    extensionReason: { type: ['string', 'null'], description: 'the reasons the person was given' },
                    answeredLate: { type: 'boolean', description: 'answered after dueBy (art. 12(3))' },
                    liftedAt: {
                      type: ['string', 'null'],
                      description: 'a restriction granted: when it was lifted (art. 18)',
                    },
                    liftedBy: { type: ['string', 'null'] },
                    informedAt: {
                      type: ['string', 'null'],
                      description: 'when the person was told it would be lifted (art. 18(3))',
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const q = request.query as {
        limit?: string;
        contact?: string;
        status?: RightsStatus;
        overdue?: string;
        after?: string;
      };
      const limit = Number(q.limit ?? 100);
      const contactIds = q.contact ? await personIds(ctx, q.contact) : null;
      // An email where the id goes answered [], and a DPO read "no requests".
      if (contactIds !== null && contactIds.length === 0) {
        throw queryProblem(
          '/contact',
          'names no contact: give its id (GET /v1/contacts?email=… or ?phone=… finds it from an identifier)',
        );
      }
      const rightsRequests = await ctx.store
        .listRightsRequests({
          limit,
          ...(contactIds !== null ? { contactIds } : {}),
          ...(q.status ? { status: q.status } : {}),
          ...(q.overdue === 'true' ? { overdueOn: ctx.now().toISOString().slice(0, 10) } : {}),
          ...(q.after ? { after: q.after } : {}),
        })
        .catch((error: unknown) => {
          if (error instanceof StoreError && error.path === '/after') {
            throw queryProblem('/after', `names no rights request: pass the next of the previous page`);
          }
          throw error;
        });
      return { rightsRequests, next: rightsRequests.length === limit ? (rightsRequests.at(-1)?.id ?? null) : null };
    },
  );

  app.post<{ Body: { contactId: string; kind: RightsKind; details?: string; receivedAt?: string; by?: string } }>(
    '/v1/rights-requests',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['rights'],
        summary: 'Record a request received another way (a letter, an email, a call)',
        description:
          'A person may exercise their rights by any means (GDPR art. 12(2)): the DPO records it here, with the day it ' +
          'was received (default: now; not in the future), so that `dueBy` counts from it. A rectification says what ' +
          'is wrong (`details`, at most 1,000 characters). Kinds: access (art. 15), erasure (17), rectification (16), ' +
          'restriction (18), portability (20), objection (21).',
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['contactId', 'kind'],
          properties: {
            contactId: { type: 'string', minLength: 1, maxLength: 64 },
            kind: { enum: [...RIGHTS_KINDS] },
            details: { type: 'string', minLength: 1, maxLength: 1000 },
            receivedAt: { type: 'string', description: 'ISO 8601: when the request was received' },
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who recorded it' },
          },
        },
        response: { 201: { type: 'object', additionalProperties: true } },
      },
    },
    async (request, reply) => {
      const b = request.body;
      const received = receivedAtOf(b.receivedAt, ctx.now());
      if (typeof received === 'string') throw invalidField('/receivedAt', received);
      const contact = await ctx.store.findContact({ id: b.contactId });
      if (contact === null) throw new HttpProblem('NOT_FOUND', `no contact ${b.contactId}`);
      const { request: recorded } = await recordRightsRequest(ctx.store, {
        contactId: contact.id,
        kind: b.kind,
        nonce: randomUUID(),
        evidence: { method: 'recorded', recordedBy: recordedBy(request, b.by) },
        recordedBy: recordedBy(request, b.by),
        at: received,
        ...(b.details ? { details: b.details } : {}),
      });
      return reply.code(201).send(recorded);
    },
  );

  app.patch<{ Params: { id: string }; Body: { status: 'done' | 'refused'; answer?: string; by?: string } }>(
    '/v1/rights-requests/:id',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['rights'],
        summary: 'Answer a rights request: done (carried out) or refused (with the reason given to the person)',
        description:
          'GDPR art. 12(3)-(4): answer within one month; a refusal says why. An answered request cannot be answered ' +
          'again (409). Erasing the person is `DELETE /v1/contacts/{id}`; their data for an access or portability ' +
          'request is `GET /v1/contacts/{id}/access` (docs/rights.md). An `objection` is in the ledger from when it ' +
          'is recorded (art. 21(3)); answered `done`, one recorded before that version is recorded then.',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['status'],
          properties: {
            status: { enum: ['done', 'refused'] },
            answer: { type: 'string', minLength: 1, maxLength: 2000, description: 'what the person was told' },
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who answered (kept with it)' },
          },
        },
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (request) =>
      answerRightsRequest(ctx.store, request.params.id, {
        status: request.body.status,
        by: recordedBy(request, request.body.by),
        at: ctx.now(),
        answer: request.body.answer ?? null,
      }),
  );

  app.post<{ Params: { id: string }; Body: { reason: string; by?: string } }>(
    '/v1/rights-requests/:id/extend',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['rights'],
        summary: 'Extend the period to answer by two months (GDPR art. 12(3))',
        description:
          'Art. 12(3): the month to answer may be extended by two further months where necessary, given the ' +
          'complexity and number of the requests; the person is told of it, with the reasons, within the first ' +
          'month. `reason` is what they were told (required, at most 1,000 characters); `dueBy` moves to three ' +
          'months from receipt. A request answered, extended already, or past its first month is a 409.',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['reason'],
          properties: {
            reason: { type: 'string', minLength: 1, maxLength: 1000, description: 'the reasons the person was given' },
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who extended it (kept with it)' },
          },
        },
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (request) =>
      extendRightsRequest(ctx.store, request.params.id, {
        by: recordedBy(request, request.body.by),
        at: ctx.now(),
        reason: request.body.reason,
      }),
  );

  app.post<{ Params: { id: string }; Body: { informedAt: string; by?: string } }>(
    '/v1/rights-requests/:id/lift',
    {
      config: { scope: 'admin' },
      schema: {
        tags: ['rights'],
        summary: 'Lift a restriction of processing answered done: decisions on the person come back',
        description:
          'GDPR art. 18: a `restriction` request stops every decision on the person (`PROCESSING_RESTRICTED`) from ' +
          'its receipt until it is answered `refused` or, answered `done`, lifted here. The person is told before it ' +
          'is lifted (art. 18(3)): `informedAt` says when (ISO 8601, not in the future, not before the request was ' +
          'received), kept with `liftedAt` and `liftedBy`. Any other request, an open or refused restriction, or one ' +
          'lifted already is a 409.',
        params: { type: 'object', properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['informedAt'],
          properties: {
            informedAt: { type: 'string', description: 'ISO 8601: when the person was told it would be lifted' },
            by: { type: 'string', minLength: 1, maxLength: 200, description: 'who lifted it (kept with it)' },
          },
        },
        response: { 200: { type: 'object', additionalProperties: true } },
      },
    },
    async (request) => {
      const now = ctx.now();
      const informed = informedAtOf(request.body.informedAt, now);
      if (typeof informed === 'string') throw invalidField('/informedAt', informed);
      return liftRestriction(ctx.store, request.params.id, {
        by: recordedBy(request, request.body.by),
        at: now,
        informedAt: informed,
      });
    },
  );
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** A person's contact ids (a merged id gives its survivor, with every record merged into it); none if unknown. */
async function personIds(ctx: RouteContext, id: string): Promise<string[]> {
  const c = await ctx.store.findContact({ id });
  return c === null ? [] : [c.id, ...c.merged];
}

function authorise(request: FastifyRequest, secret: string | null, now: Date): void {
  const key = request.apiKey;
  if (key !== null && key.revokedAt === null && allows(key.scopes, 'write')) return;
  const header = request.headers['x-assent-signature'];
  if (secret !== null && typeof header === 'string') {
    const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
    const t = Number(parts.t);
    const given = Buffer.from(parts.v1 ?? '', 'hex');
    const raw = (request as WithRaw)[RAW] ?? '';
    const expected = createHmac('sha256', secret).update(`${parts.t}.${raw}`).digest();
    const fresh = Number.isInteger(t) && Math.abs(now.getTime() / 1000 - t) <= TOLERANCE_S;
    if (fresh && given.length === expected.length && timingSafeEqual(given, expected)) return;
    throw new HttpProblem('UNAUTHORIZED', 'X-Assent-Signature does not match (or is older than five minutes)');
  }
  if (key !== null && key.revokedAt === null) {
    throw new HttpProblem('FORBIDDEN', 'this route needs the "write" scope (or admin), or a signed request');
  }
  throw new HttpProblem('UNAUTHORIZED', 'send an API key with the "write" scope, or X-Assent-Signature');
}
