// POST /v1/screenings: an audience of up to 100,000 rows screened at once (docs/screening.md); the CLI streams
// files of any size (`assent screen`).
import type { FastifyInstance } from 'fastify';
import { CHANNELS, type Channel } from '../../../domain/channels.js';
import { parseInstant } from '../../../domain/iso-time.js';
import { openListsScreen } from '../../../services/lists/lookup.js';
import type { AudienceRow } from '../../../services/screening/rows.js';
import { screenAudience } from '../../../services/screening/screen.js';
import type { RouteContext } from '../app.js';
import { HttpProblem } from '../problems.js';
import { errorResponses } from '../schemas/common.js';

export const MAX_SCREENING_ROWS = 100_000;

const cell = { type: 'string', maxLength: 320 } as const;

interface ScreeningBody {
  channel: Channel;
  purpose?: string;
  at?: string;
  jurisdiction?: string;
  dryRun?: boolean;
  rows: Omit<AudienceRow, 'line'>[];
}

const body = {
  type: 'object',
  required: ['channel', 'rows'],
  additionalProperties: false,
  properties: {
    channel: { enum: [...CHANNELS] },
    purpose: { type: 'string', minLength: 1, maxLength: 100, description: 'default `marketing`' },
    at: { type: 'string', maxLength: 40, description: 'ISO 8601 instant the messages go out; default now' },
    jurisdiction: { type: 'string', pattern: '^[A-Za-z]{2}$', description: "default: each contact's own" },
    dryRun: { type: 'boolean', description: 'screen even when a required opposition list is stale or missing' },
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
          'channel and list) and the excluded rows with their main reason code (engine codes, `CONTACT_NOT_FOUND`, ' +
          '`INVALID_ROW`, `SUPPRESSED`, `LIST_STALE`). A stale or missing opposition list the law requires for a ' +
          'phone screening is a 409 problem naming it, unless `dryRun`. At most 100,000 rows; larger audiences: ' +
          '`assent screen`.',
        body,
        response: { 200: response, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      let at = ctx.now();
      if (b.at !== undefined) {
        const ms = parseInstant(b.at);
        if (typeof ms === 'string') throw new HttpProblem('VALIDATION', `at ${ms}`);
        at = new Date(ms);
      }
      const lists = await openListsScreen(ctx.store, at);
      const excluded: { row: number; reason: string; message: string }[] = [];
      const summary = await screenAudience(
        rowsOf(b.rows),
        {
          channel: b.channel,
          purpose: b.purpose ?? 'marketing',
          at,
          jurisdiction: b.jurisdiction?.toUpperCase() ?? null,
          dryRun: b.dryRun === true,
          // The event loop turns between chunks: small ones keep the server's other answers within ~50 ms.
          chunkSize: 500,
        },
        { store: ctx.store, packs: ctx.packs, lists },
        {
          row: (_source, row, outcome) => {
            if (outcome.status === 'excluded') {
              excluded.push({ row: row.line, reason: outcome.code, message: outcome.message });
            }
          },
        },
      );
      if (summary.refused) {
        throw new HttpProblem(
          'CONFLICT',
          `screening refused: ${summary.listProblems.map((p) => p.message).join('; ')} (dryRun screens anyway)`,
        );
      }
      return { summary, excluded };
    },
  );
}

async function* rowsOf(rows: readonly Omit<AudienceRow, 'line'>[]): AsyncGenerator<{ row: AudienceRow; source: null }> {
  for (let i = 0; i < rows.length; i++) yield { row: { ...rows[i], line: i + 1 }, source: null };
}
