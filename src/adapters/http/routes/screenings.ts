// POST /v1/screenings: an audience of up to 100,000 rows screened at once, as JSON (docs/screening.md).
// POST /v1/screenings/stream: a CSV audience of any size streamed in, one NDJSON outcome per row streamed out.
// GET /v1/screenings, GET /v1/screenings/{id}: the screenings record (which audience, list versions, counts).
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { PassThrough, Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CHANNELS, type Channel } from '../../../domain/channels.js';
import { countryCode, notACountry } from '../../../domain/contact.js';
import { parseInstant } from '../../../domain/iso-time.js';
import { knownSectors } from '../../../policy/packs/index.js';
import { openListsScreen } from '../../../services/lists/lookup.js';
import { AudienceInputError, readAudience } from '../../../services/screening/csv-files.js';
import type { ScreeningLists } from '../../../services/screening/lists.js';
import { recordScreening } from '../../../services/screening/record.js';
import type { AudienceRow } from '../../../services/screening/rows.js';
import {
  type MessageOffer,
  OFFER_FLAGS,
  parseOffer,
  type ScreenDeps,
  type ScreenOptions,
  screenAudience,
  screeningProblems,
} from '../../../services/screening/screen.js';
import {
  autoWorkers,
  openScreenPool,
  POOL_MIN_BYTES,
  type ScreenPool,
} from '../../../services/screening/screen-pool.js';
import type { RowOutcome } from '../../../services/screening/summary.js';
import type { RouteContext } from '../app.js';
import { HttpProblem, queryProblem } from '../problems.js';
import { errorResponses } from '../schemas/common.js';

export const MAX_SCREENING_ROWS = 100_000;

/** Rows per chunk on the server: the event loop turns between chunks, so other answers wait ~50 ms at most. */
const API_CHUNK = 500;

const cell = { type: 'string', maxLength: 320 } as const;

interface ScreeningBody {
  channel: Channel;
  purpose?: string;
  at?: string;
  jurisdiction?: string;
  dryRun?: boolean;
  offer?: MessageOffer;
  rows: Omit<AudienceRow, 'line'>[];
}

const body = {
  type: 'object',
  required: ['channel', 'rows'],
  additionalProperties: false,
  properties: {
    channel: { enum: [...CHANNELS] },
    purpose: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S', description: 'default `marketing`' },
    at: { type: 'string', maxLength: 40, description: 'ISO 8601 instant the messages go out; default now' },
    jurisdiction: {
      type: 'string',
      pattern: '^[A-Za-z]{2}$',
      description: 'where national numbers are read (FR when none); each contact is decided under its own',
    },
    dryRun: { type: 'boolean', description: 'screen even when a required opposition list is stale or missing' },
    offer: {
      type: 'object',
      additionalProperties: false,
      description: "what the message is about, as the decision contract's `message.offer` (absent flags are false)",
      properties: {
        similarToPurchases: { type: 'boolean' },
        relatedToProfession: { type: 'boolean' },
        relatedToContract: { type: 'boolean' },
        sector: { enum: knownSectors(), description: 'where a rule names it (a ban, a sector-bound exception)' },
      },
    },
    rows: {
      type: 'array',
      maxItems: MAX_SCREENING_ROWS,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          email: cell,
          phone: cell,
          externalId: cell,
          contactId: cell,
          channel: cell,
          purpose: cell,
          jurisdiction: cell,
        },
      },
    },
  },
} as const;

const response = {
  type: 'object',
  required: ['summary', 'excluded'],
  properties: {
    summary: { type: 'object', additionalProperties: true, description: 'the summary of docs/screening.md' },
    excluded: {
      type: 'array',
      items: {
        type: 'object',
        required: ['row', 'reason', 'message'],
        properties: {
          row: { type: 'integer', description: '1-based index of the row in `rows`' },
          reason: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

export async function screeningRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  app.post<{ Body: ScreeningBody }>(
    '/v1/screenings',
    {
      config: { scope: 'decide' },
      bodyLimit: ctx.config.batchBodyLimit,
      schema: {
        tags: ['decisions'],
        summary: 'Screen an audience against the stored ledgers and the opposition lists',
        description:
          'Each row names a stored contact (`contactId`, `email`, `phone` or `externalId`) and may ' +
          'give its own `channel`, `purpose` and `jurisdiction`. Answers the summary (counts by reason, basis, ' +
          'channel and list) and the excluded rows with their main reason code (engine codes, `CONTACT_NOT_FOUND`, `PROCESSING_RESTRICTED`, ' +
          '`INVALID_ROW`, `SUPPRESSED`, `LIST_STALE`). A stale or missing opposition list the law requires for a ' +
          'phone screening is a 409 problem naming it, unless `dryRun`. At most 100,000 rows; larger audiences: ' +
          '`assent screen`.',
        body,
        response: { 200: response, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      const at = instantOf(b.at, ctx.now);
      const lists = await openListsScreen(ctx.store, at);
      const excluded: { row: number; reason: string; message: string }[] = [];
      const options: ScreenOptions = {
        channel: b.channel,
        purpose: b.purpose ?? 'marketing',
        at,
        jurisdiction: jurisdictionOf(b.jurisdiction),
        dryRun: b.dryRun === true,
        ...(b.offer !== undefined ? { offer: b.offer } : {}),
        chunkSize: API_CHUNK,
      };
      const deps = { store: ctx.store, packs: ctx.packs, lists };
      const refused = refusal(options, deps);
      if (refused !== null) throw refused;
      const pool = poolFor(ctx, options, lists, b.rows.length >= POOL_MIN_ROWS);
      let summary: Awaited<ReturnType<typeof screenAudience>>;
      try {
        summary = await screenAudience(
          rowsOf(b.rows),
          options,
          { ...deps, ...(pool ? { pool } : {}) },
          {
            row: (_source, row, outcome) => {
              if (outcome.status === 'excluded') {
                excluded.push({ row: row.line, reason: outcome.code, message: outcome.message });
              }
            },
          },
        );
      } finally {
        await pool?.close();
      }
      // The audience as received, named by the SHA-256 of its rows' JSON (docs/screening.md).
      const audienceSha256 = createHash('sha256').update(JSON.stringify(b.rows)).digest('hex');
      await recordScreening(ctx.store, summary, { via: 'api', audienceSha256 });
      return { summary, excluded };
    },
  );

  const listVersion = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      country: { type: 'string' },
      versionId: { type: ['integer', 'null'] },
      asOf: { type: ['string', 'null'] },
      fileSha256: { type: ['string', 'null'] },
      ageDays: { type: ['integer', 'null'], description: 'days from asOf to the date judged at' },
      stale: { type: 'boolean' },
      reason: { type: ['string', 'null'] },
    },
  } as const;
  const record = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      ranAt: { type: 'string', description: 'when it ran, by the clock' },
      finishedAt: { type: 'string' },
      at: { type: 'string', description: 'the date it was judged at' },
      via: { enum: ['cli', 'api', 'api-stream', 'campaign'] },
      campaignId: { type: ['string', 'null'] },
      channel: { type: 'string' },
      purpose: { type: 'string' },
      jurisdiction: { type: ['string', 'null'] },
      dryRun: { type: 'boolean' },
      refused: { type: 'boolean' },
      audienceSha256: { type: ['string', 'null'] },
      audienceRows: { type: 'integer' },
      allowed: { type: 'integer' },
      excluded: { type: 'integer' },
      lists: { type: 'array', items: listVersion },
      listProblems: { type: 'array', items: { type: 'object', additionalProperties: true } },
      counts: { type: 'object', additionalProperties: true },
      outDir: { type: ['string', 'null'] },
    },
  } as const;
  app.get<{ Querystring: { limit?: string; before?: string } }>(
    '/v1/screenings',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['decisions'],
        summary: 'Screening runs recorded, newest first: audience SHA-256, list versions used, counts by reason',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            // A string: the app's validator does not coerce types, and a query string is text.
            limit: { type: 'string', pattern: '^(100|[1-9][0-9]?)$', description: '1 to 100, default 50' },
            before: {
              type: 'string',
              minLength: 1,
              maxLength: 64,
              description: 'the id of the last screening of the previous page: the next page starts after it',
            },
          },
        },
        response: {
          200: { type: 'object', properties: { screenings: { type: 'array', items: record } } },
          ...errorResponses,
        },
      },
    },
    async (request) => ({
      screenings: await ctx.store.listScreenings({
        limit: Number(request.query.limit ?? 50),
        before: await pageAfter(request.query.before),
      }),
    }),
  );
  /** The cursor of `?before=`: the screening it names, or a 400 naming it when there is none. */
  const pageAfter = async (id: string | undefined) => {
    if (id === undefined) return null;
    const last = await ctx.store.getScreening(id);
    if (last === null)
      throw queryProblem('/before', `names no screening (${id}): give the id of the last one of a page`);
    return { ranAt: last.ranAt, id: last.id };
  };
  app.get<{ Params: { id: string } }>(
    '/v1/screenings/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['decisions'],
        summary: 'One screening run: when it ran, the date judged at, list versions (as-of, age, file SHA-256), counts',
        params: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'string', minLength: 1, maxLength: 64 } },
        },
        response: { 200: record, ...errorResponses },
      },
    },
    async (request) => {
      const found = await ctx.store.getScreening(request.params.id);
      if (found === null) throw new HttpProblem('NOT_FOUND', `no screening ${request.params.id}`);
      return found;
    },
  );
}

/** A streamed screening whose client neither reads nor sends for this long is cut. */
const STALL_MS = 60_000;

const streamQuery = {
  type: 'object',
  required: ['channel'],
  additionalProperties: false,
  properties: {
    channel: { enum: [...CHANNELS] },
    purpose: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      pattern: '\\S',
      description: 'default `marketing` (rows may give their own)',
    },
    at: { type: 'string', maxLength: 40, description: 'ISO 8601 instant the messages go out; default now' },
    jurisdiction: {
      type: 'string',
      pattern: '^[A-Za-z]{2}$',
      description: 'where national numbers are read (FR when none); each contact is decided under its own',
    },
    dryRun: {
      enum: ['true', 'false'],
      description: '`true`: screen even when a required opposition list is stale or missing',
    },
    offer: {
      type: 'string',
      pattern: `^(${OFFER_FLAGS.join('|')})(,(${OFFER_FLAGS.join('|')}))*$`,
      description:
        'what the message is about, comma-separated: similarToPurchases, relatedToProfession, relatedToContract',
    },
    sector: {
      enum: knownSectors(),
      description: 'the offer sector, where a rule names it (a ban, a sector-bound exception); leave out otherwise',
    },
    delimiter: { enum: [',', ';', '|', 'tab'], description: 'CSV cell separator (default `,`; `tab` for a tab)' },
  },
} as const;

interface StreamQuery {
  channel: Channel;
  purpose?: string;
  at?: string;
  jurisdiction?: string;
  dryRun?: 'true' | 'false';
  offer?: string;
  sector?: string;
  delimiter?: string;
}

/**
 * `POST /v1/screenings/stream`: the audience CSV (the format of `assent screen`) is read as it arrives and each
 * row's outcome written as soon as it is decided, so neither side holds the audience; the last line is the summary.
 */
export async function screeningStreamRoutes(app: FastifyInstance, ctx: RouteContext): Promise<void> {
  // The body stays a stream: no size limit applies to it, and nothing buffers it.
  app.addContentTypeParser(['text/csv', 'text/plain'], (_request, payload, done) => done(null, payload));
  // Streams under way are cut when the server closes: one can last as long as its audience, and a client that went
  // away unseen (its socket paused by backpressure) would hold the shutdown forever. A cut stream has no summary line.
  const active = new Set<() => void>();
  app.addHook('preClose', async () => {
    for (const cut of active) cut();
  });
  app.post<{ Querystring: StreamQuery; Body: unknown }>(
    '/v1/screenings/stream',
    {
      config: {
        scope: 'decide',
        rawBody: { contentType: 'text/csv', description: 'the audience CSV, UTF-8, header line first, any size' },
      },
      schema: {
        tags: ['decisions'],
        summary: 'Screen a CSV audience of any size, streamed in and out',
        description:
          'The body is the audience as `text/csv` (UTF-8, a header line naming `email`, `phone`, `external_id` or ' +
          '`contact_id`, and optionally `channel`, `purpose`, `jurisdiction`), of any size. The answer is ' +
          '`application/x-ndjson`: one line per row in input order, `{"line", "status": "allowed", "basis", ' +
          '"obligations", "lists", "source", "listProblem"}` or `{"line", "status": "excluded", "reason", "message", "lists"}`, then a last ' +
          'line `{"summary": …}`. Refusals known before the first row (a stale or missing required opposition list, ' +
          'a body without header or identifier column) are problems; a body that breaks off or turns malformed ' +
          'midway ends the stream with a line `{"error": {"code", "message"}}` instead of the summary.',
        querystring: streamQuery,
        response: {
          200: {
            description: 'NDJSON: one outcome per row, then the summary',
            content: { 'application/x-ndjson': { schema: { type: 'string' } } },
          },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      if (!(request.body instanceof Readable)) {
        throw new HttpProblem('UNSUPPORTED_MEDIA_TYPE', 'send the audience as text/csv');
      }
      const q = request.query;
      const options: ScreenOptions = {
        channel: q.channel,
        purpose: q.purpose ?? 'marketing',
        at: instantOf(q.at, ctx.now),
        jurisdiction: jurisdictionOf(q.jurisdiction, 'query'),
        dryRun: q.dryRun === 'true',
        chunkSize: API_CHUNK,
        ...(q.offer !== undefined || q.sector !== undefined ? { offer: parseOffer(q.offer, q.sector) } : {}),
      };
      const lists = await openListsScreen(ctx.store, options.at);
      const deps = { store: ctx.store, packs: ctx.packs, lists };
      const refused = refusal(options, deps);
      if (refused !== null) {
        request.body.resume(); // the body is not read: let it drain
        throw refused;
      }
      const delimiter = q.delimiter === 'tab' ? '\t' : (q.delimiter ?? ',');
      // Stopped early or done, the body is drained, not destroyed: destroying it would close the answer's socket.
      const drain = (body: Readable): void => {
        body.unpipe();
        body.resume();
      };
      const audience = await readAudience(request.body, 'the request body', delimiter, drain).catch(
        (error: unknown) => {
          if (error instanceof AudienceInputError) throw new HttpProblem('VALIDATION', error.message);
          if (request.raw.destroyed) return null; // the upload broke off: nobody is left to answer
          throw error;
        },
      );
      if (audience === null) {
        request.log.info('the client went away before the audience header; nothing screened');
        reply.hijack();
        return reply;
      }
      // A body announced at 1 MiB or more is screened on worker threads (as `assent screen --workers auto`), when
      // the server knows where its store lives; a chunked upload of unknown length stays on the server's thread.
      const length = Number(request.headers['content-length']);
      const pool = poolFor(ctx, options, lists, Number.isFinite(length) && length >= POOL_MIN_BYTES);
      streamOutcomes(reply, audience, options, { ...deps, ...(pool ? { pool } : {}) }, active, pool);
      return reply;
    },
  );
}

/** Rows from which a JSON screening runs on worker threads (~2 s of work on one thread here). */
const POOL_MIN_ROWS = 20_000;

/**
 * The 409 problem of a screening a required opposition list refuses (stale or missing), unless a dry run; checked
 * before any row is read or any worker started.
 */
function refusal(options: ScreenOptions, deps: Pick<ScreenDeps, 'packs' | 'lists'>): HttpProblem | null {
  const problems = options.dryRun ? [] : screeningProblems(options, deps);
  if (problems.length === 0) return null;
  return new HttpProblem(
    'CONFLICT',
    `screening refused: ${problems.map((p) => p.message).join('; ')} (dryRun screens anyway)`,
  );
}

/** Worker threads for a large screening (as `assent screen --workers auto`), when the server knows where its store lives. */
function poolFor(ctx: RouteContext, options: ScreenOptions, lists: ScreeningLists, large: boolean): ScreenPool | null {
  if (!large || ctx.storeConfig === null) return null;
  return openScreenPool(autoWorkers(), ctx.storeConfig, options, lists);
}

/** Sends the outcomes as they come (waiting when the client reads slower), then the summary or the error. */
function streamOutcomes(
  reply: FastifyReply,
  audience: Awaited<ReturnType<typeof readAudience>>,
  options: ScreenOptions,
  deps: Parameters<typeof screenAudience>[2],
  active: Set<() => void>,
  pool: ScreenPool | null,
): void {
  const out = new PassThrough();
  const gone = new AbortController(); // the client went away, or the server closes: stop screening
  // The response may be detached from its socket by the time it is cut. (app.inject has a socket of its own kind.)
  const socket = reply.request.raw.socket as Partial<Socket> | undefined;
  const cut = (): void => {
    gone.abort();
    out.destroy();
    socket?.destroy?.();
  };
  active.add(cut);
  // A client that stops reading and sending for a minute is gone (a dead peer is only seen on a read or a write).
  socket?.setTimeout?.(STALL_MS);
  socket?.on?.('timeout', cut);
  reply.raw.once('close', () => {
    active.delete(cut);
    // A kept-alive socket serves further requests: no stall rule of this one stays on it.
    socket?.setTimeout?.(0);
    socket?.removeListener?.('timeout', cut);
    if (!reply.raw.writableFinished) cut(); // the client went away before the end
  });
  reply.type('application/x-ndjson; charset=utf-8').send(out);
  let block = '';
  const flush = async (): Promise<void> => {
    const text = block;
    block = '';
    if (text !== '' && !out.write(text)) await once(out, 'drain', { signal: gone.signal });
  };
  void (async () => {
    let last: string;
    try {
      const summary = await screenAudience(audience.rows, options, deps, {
        row: async (_source, row, outcome) => {
          block += `${outcomeLine(row.line, outcome)}\n`;
          if (block.length >= 65_536) await flush();
        },
        // Each chunk's outcomes go out when it is done (without waiting here: `row` waits when the client is slow).
        progress: () => {
          if (block !== '') out.write(block);
          block = '';
        },
      });
      await recordScreening(deps.store, summary, { via: 'api-stream', audienceSha256: audience.sha256() });
      last = JSON.stringify({ summary });
    } catch (error) {
      if (gone.signal.aborted) return;
      if (error instanceof AudienceInputError) {
        last = JSON.stringify({ error: { code: 'INVALID_REQUEST', message: error.message } });
      } else {
        // As a 500 problem: the cause goes to the log, the client gets the request id to quote.
        reply.log.error({ err: error }, 'streamed screening failed');
        const message = 'an unexpected error stopped the screening; quote the requestId to the operators';
        last = JSON.stringify({ error: { code: 'INTERNAL', message, requestId: reply.request.id } });
      }
    } finally {
      audience.close();
      await pool?.close();
    }
    if (gone.signal.aborted) return;
    await flush().catch(() => {});
    out.end(`${last}\n`);
  })();
}

function outcomeLine(line: number, o: RowOutcome): string {
  return o.status === 'allowed'
    ? JSON.stringify({
        line,
        status: o.status,
        basis: o.basis,
        obligations: o.obligations,
        lists: o.lists,
        source: o.source,
        listProblem: o.listProblem ?? null,
      })
    : JSON.stringify({ line, status: o.status, reason: o.code, message: o.message, lists: o.lists });
}

/**
 * The screening's country, as the CLI's -j reads it: one whose numbering plan is known (XX would make every national
 * number an INVALID_ROW, with a 200).
 */
function jurisdictionOf(raw: string | undefined, where: 'body' | 'query' = 'body'): string | null {
  if (raw === undefined) return null;
  const code = countryCode(raw);
  if (code !== null) return code;
  if (where === 'query') throw queryProblem('/jurisdiction', notACountry(raw));
  throw new HttpProblem('VALIDATION', `jurisdiction: ${notACountry(raw)}`, [
    { in: 'body', pointer: '/jurisdiction', detail: notACountry(raw) },
  ]);
}

function instantOf(raw: string | undefined, now: () => Date): Date {
  if (raw === undefined) return now();
  const ms = parseInstant(raw);
  if (typeof ms === 'string') throw new HttpProblem('VALIDATION', `at ${ms}`);
  return new Date(ms);
}

async function* rowsOf(rows: readonly Omit<AudienceRow, 'line'>[]): AsyncGenerator<{ row: AudienceRow; source: null }> {
  for (let i = 0; i < rows.length; i++) yield { row: { ...rows[i], line: i + 1 }, source: null };
}
