// POST /v1/events: consent, objection, purchase… appended to the ledger with their evidence, all or none.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_JURISDICTION, IdentifierError, type IdentifierKind } from '../../../domain/contact.js';
import { historyEventOf, type NewLedgerEvent } from '../../../domain/ledger.js';
import { InvalidRequestError, parseEvent } from '../../../domain/parse-request.js';
import {
  MOVED_FROM_IS_ASSENTS,
  outOfRangeAt,
  quotedInEvent,
  recordEvents,
  reusedKey,
} from '../../../services/record-events.js';
import type { Store } from '../../../store/store.js';
import type { RouteContext } from '../app.js';
import { recordedBy } from '../auth.js';
import { HttpProblem, invalidField } from '../problems.js';
import { errorResponses } from '../schemas/common.js';

const MAX_EVENTS = 1_000;

interface EventBody {
  contact: { id?: string; email?: string; phone?: string; externalId?: string; jurisdiction?: string };
  type: NewLedgerEvent['type'];
  at: string;
  evidence?: NewLedgerEvent['evidence'];
  idempotencyKey?: string;
  recordedBy?: string;
  [field: string]: unknown;
}

const REFS: readonly [keyof EventBody['contact'], IdentifierKind | 'id'][] = [
  ['id', 'id'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['externalId', 'external'],
];

/** One body event to a ledger event, or a 400/404 problem naming the field (under `base`, its place in the body). */
async function toLedgerEvent(
  store: Store,
  e: EventBody,
  base: string,
  request: FastifyRequest,
  key: string | null,
  now: Date,
) {
  const { contact, type, at, evidence, idempotencyKey, recordedBy: by, ...fields } = e;
  const [field, kind] = REFS.find(([f]) => contact[f] !== undefined) as (typeof REFS)[number];
  const value = contact[field] as string;
  let found: Awaited<ReturnType<Store['findContact']>>;
  try {
    found = await store.findContact(
      kind === 'id' ? { id: value } : { kind, value, jurisdiction: contact.jurisdiction ?? DEFAULT_JURISDICTION },
    );
  } catch (error) {
    if (error instanceof IdentifierError) throw invalidField(`${base}/contact/${field}`, error.message);
    throw error;
  }
  if (found === null) {
    const detail = `no stored contact with ${field} ${value}`;
    throw new HttpProblem('CONTACT_NOT_FOUND', detail, [{ in: 'body', pointer: `${base}/contact/${field}`, detail }]);
  }
  if (found.erasedAt !== undefined) {
    const detail = `contact ${found.id} was erased on ${found.erasedAt}: nothing more is recorded for it`;
    throw new HttpProblem('CONFLICT', detail, [{ in: 'body', pointer: `${base}/contact/${field}`, detail }]);
  }
  // Every identifier given must name that contact: an event is never recorded on one person when the body also
  // names another (an email and someone else's phone). An identifier nobody has is ignored, as before.
  for (const [other, otherKind] of REFS) {
    if (other === field || contact[other] === undefined) continue;
    let also: Awaited<ReturnType<Store['findContact']>>;
    try {
      also = await store.findContact(
        otherKind === 'id'
          ? { id: contact[other] as string }
          : {
              kind: otherKind,
              value: contact[other] as string,
              jurisdiction: contact.jurisdiction ?? DEFAULT_JURISDICTION,
            },
      );
    } catch (error) {
      if (error instanceof IdentifierError) throw invalidField(`${base}/contact/${other}`, error.message);
      throw error;
    }
    if (also !== null && also.id !== found.id) {
      const detail = `names contact ${also.id}, while contact.${field} names contact ${found.id}: one event, one person`;
      throw new HttpProblem('CONFLICT', `contact.${other} ${detail}`, [
        { in: 'body', pointer: `${base}/contact/${other}`, detail },
      ]);
    }
  }
  const data = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== null && v !== undefined));
  try {
    parseEvent(historyEventOf(type, at, data), base);
  } catch (error) {
    if (error instanceof InvalidRequestError) throw invalidField(error.path, error.reason);
    throw error;
  }
  const ahead = outOfRangeAt(at, now);
  if (ahead !== null) throw invalidField(`${base}/at`, ahead);
  if (evidence?.movedFrom !== undefined) throw invalidField(`${base}/evidence/movedFrom`, MOVED_FROM_IS_ASSENTS);
  if (evidence?.textId !== undefined) {
    const text = await store.getConsentText(evidence.textId);
    if (text === null)
      throw invalidField(`${base}/evidence/textId`, 'is not a stored consent text (POST /v1/consent-texts)');
    if (evidence.textSha256 !== undefined && evidence.textSha256 !== text.sha256) {
      throw invalidField(`${base}/evidence/textSha256`, `does not match the stored text "${text.id}"`);
    }
  }
  const event: NewLedgerEvent = {
    contactId: found.id,
    type,
    at,
    data,
    evidence: evidence ?? null,
    recordedBy: recordedBy(request, by),
    idempotencyKey: idempotencyKey ?? key,
  };
  const quoted = quotedInEvent(event, found.identifiers);
  if (quoted !== null) throw invalidField(`${base}/${quoted.field}`, quoted.detail);
  return event;
}

/** What POST /v1/events answers per event, in order. */
const RESULTS = {
  type: 'object',
  properties: {
    results: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          status: { enum: ['recorded', 'duplicate'] },
          idempotencyKey: { type: ['string', 'null'] },
          event: { $ref: 'LedgerEvent#' },
        },
      },
    },
  },
} as const;

export async function eventRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post<{ Body: EventBody | EventBody[]; Headers: { 'idempotency-key'?: string } }>(
    '/v1/events',
    {
      config: { scope: 'write' },
      schema: {
        tags: ['ledger'],
        summary: 'Record events (consent given, objection, purchase…) with their evidence',
        description:
          'One event or an array (up to 1,000), appended in order in one transaction: all or none. An event whose ' +
          'idempotency key was already recorded is skipped (`duplicate`), so retries never record twice. The key is ' +
          "the event's `idempotencyKey`, else the `Idempotency-Key` header (`<header>:<index>` in an array).",
        headers: {
          type: 'object',
          properties: { 'idempotency-key': { type: 'string', minLength: 1, maxLength: 200 } },
        },
        body: {
          anyOf: [
            { $ref: 'NewEvent#' },
            { type: 'array', minItems: 1, maxItems: MAX_EVENTS, items: { $ref: 'NewEvent#' } },
          ],
        },
        // Two codes a generated client can branch on, one body.
        response: {
          201: { description: 'at least one event was recorded', ...RESULTS },
          200: { description: 'every event was a duplicate of one recorded before (same key, same act)', ...RESULTS },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const batch = Array.isArray(request.body);
      const items = Array.isArray(request.body) ? request.body : [request.body];
      const header = request.headers['idempotency-key'] ?? null;
      // Checked and recorded in one write transaction: an erasure, or the same key used for another event,
      // cannot slip in between the checks and the append (PostgreSQL serialises write transactions as SQLite does).
      const { events, stored } = await ctx.store.transaction(async (tx) => {
        const events: NewLedgerEvent[] = [];
        for (const [i, e] of items.entries()) {
          const key = header === null ? null : batch ? `${header}:${i}` : header;
          events.push(await toLedgerEvent(tx, e, batch ? `/${i}` : '', request, key, ctx.now()));
        }
        const reused = await reusedKey(tx, events);
        if (reused !== null) {
          // The key came from the event, or else from the header: the pointer names where it was given.
          const own = (items[reused.index] as { idempotencyKey?: unknown } | undefined)?.idempotencyKey !== undefined;
          throw new HttpProblem('CONFLICT', reused.detail, [
            own || header === null
              ? {
                  in: 'body',
                  pointer: batch ? `/${reused.index}/idempotencyKey` : '/idempotencyKey',
                  detail: reused.detail,
                }
              : { in: 'header', pointer: '/Idempotency-Key', detail: reused.detail },
          ]);
        }
        return { events, stored: await recordEvents(tx, events) };
      });
      // The store returns the recorded events in input order; a keyed event missing from them was a duplicate.
      let j = 0;
      const results = events.map((e) => {
        const s = stored[j];
        if (s !== undefined && (e.idempotencyKey == null || s.idempotencyKey === e.idempotencyKey)) {
          j++;
          return { status: 'recorded', idempotencyKey: s.idempotencyKey, event: s };
        }
        return { status: 'duplicate', idempotencyKey: e.idempotencyKey ?? null };
      });
      return reply.code(stored.length > 0 ? 201 : 200).send({ results });
    },
  );
}
