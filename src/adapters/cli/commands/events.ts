import type { Command } from 'commander';
import type { NewLedgerEvent } from '../../../domain/ledger.js';
import { outOfRangeAt, quotedInEvent, recordEvents, reusedKey } from '../../../services/record-events.js';
import { StoreError } from '../../../store/store.js';
import { CliError } from '../errors.js';
import { mapLines, tooLongMessage } from '../ndjson.js';
import { withStore } from '../store-option.js';
import { resolveContact } from './contacts.js';

/**
 * `assent events add`: NDJSON events on stdin, each `{"contact": "jane@x.fr" | {"email"…}, "type", "at", …fields,
 * "evidence": {…}}`, appended to the ledger one line at a time (an event is visible to the very next decision).
 * Each line answers `{"line", "seq", "id"}` or `{"line", "error": {"code", "message", "path"?}}` (as `decide`
 * answers a request it refuses); the exit code is 1 if any line was refused.
 */
export function registerEvents(program: Command): void {
  const events = program.command('events').description('record events (consent, objection, purchase…) with evidence');
  events
    .command('add')
    .description('append NDJSON events from stdin to the ledger')
    .option('--by <who>', 'who records them (kept with each event)', 'cli')
    .action(async (o: { by: string }, command: Command) => {
      let refused = 0;
      await withStore(command, (store) =>
        mapLines(
          process.stdin,
          process.stdout,
          async (line, lineNumber) => {
            try {
              const raw = JSON.parse(line) as Record<string, unknown>;
              const { contact, type, at, evidence, idempotencyKey, recordedBy, ...data } = raw;
              const ref =
                typeof contact === 'string'
                  ? contact
                  : typeof contact === 'object' && contact !== null
                    ? String(Object.values(contact)[0] ?? '')
                    : '';
              if (ref === '')
                throw new LineError('INVALID_EVENT', 'contact is required (an id, email, phone or ext:ID)', '/contact');
              if (at === undefined || at === null)
                throw new LineError('INVALID_EVENT', 'at is required (when it happened, ISO 8601)', '/at');
              const ahead = outOfRangeAt(String(at), new Date());
              if (ahead !== null) throw new LineError('INVALID_EVENT', `at ${ahead}`, '/at');
              // Checked and recorded in one write transaction: an erasure or a reuse of the key cannot come between.
              const stored = await store.transaction(async (tx) => {
                const target = await resolveContact(tx, ref).catch((e: unknown) => {
                  if (e instanceof CliError && e.code === 'NOT_FOUND')
                    throw new LineError('CONTACT_NOT_FOUND', e.message, '/contact');
                  throw e;
                });
                if (target.erasedAt !== undefined) {
                  throw new LineError('CONFLICT', `contact ${target.id} was erased on ${target.erasedAt}`, '/contact');
                }
                const event: NewLedgerEvent = {
                  contactId: target.id,
                  type: type as NewLedgerEvent['type'],
                  at: String(at ?? ''),
                  data,
                  evidence: (evidence as NewLedgerEvent['evidence']) ?? null,
                  recordedBy: typeof recordedBy === 'string' ? recordedBy : o.by,
                  idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : null,
                };
                const quoted = quotedInEvent(event, target.identifiers);
                if (quoted !== null)
                  throw new LineError('INVALID_EVENT', `${quoted.field} ${quoted.detail}`, `/${quoted.field}`);
                const reused = await reusedKey(tx, [event]);
                if (reused !== null) throw new LineError('CONFLICT', reused.detail, '/idempotencyKey');
                return (await recordEvents(tx, [event]))[0];
              });
              return JSON.stringify({ line: lineNumber, seq: stored?.seq ?? null, id: stored?.id ?? null });
            } catch (error) {
              const refusal = refusalOf(error);
              if (refusal === null) throw error;
              refused++;
              return JSON.stringify({ line: lineNumber, error: refusal });
            }
          },
          {
            tooLong: (n, length, max) => {
              refused++;
              return JSON.stringify({
                line: n,
                error: { code: 'INVALID_JSON', message: tooLongMessage(n, length, max), path: '' },
              });
            },
          },
        ),
      );
      if (refused > 0) process.exitCode = 1;
    });
}

/** Why one line was refused, with the field to blame, or null for an error that is not the line's fault. */
interface Refusal {
  code: 'INVALID_JSON' | 'INVALID_EVENT' | 'CONTACT_NOT_FOUND' | 'CONFLICT';
  message: string;
  path?: string;
}

class LineError extends Error {
  constructor(
    readonly code: Refusal['code'],
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}

function refusalOf(error: unknown): Refusal | null {
  if (error instanceof LineError) return { code: error.code, message: error.message, path: error.path };
  if (error instanceof SyntaxError) return { code: 'INVALID_JSON', message: `not JSON: ${error.message}`, path: '' };
  if (error instanceof StoreError) {
    // One event a line: the store's "events.0." / "event 0: " prefix says nothing the line number does not.
    const message = error.message.replace(/^events\.0\.|^event 0: /, '');
    const path = error.path?.replace(/^\/events\/0(?=\/|$)/, '');
    const code =
      error.code === 'CONFLICT' ? 'CONFLICT' : error.code === 'NOT_FOUND' ? 'CONTACT_NOT_FOUND' : 'INVALID_EVENT';
    return { code, message, ...(path ? { path } : {}) };
  }
  return null;
}
