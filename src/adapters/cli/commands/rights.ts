import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import { informedAtOf, receivedAtOf } from '../../../domain/rights.js';
import {
  answerRightsRequest,
  extendRightsRequest,
  liftRestriction,
  recordRightsRequest,
} from '../../../services/rights-requests.js';
import { RIGHTS_KINDS, RIGHTS_STATUSES, type RightsKind, type RightsStatus } from '../../../store/recipient-tokens.js';
import type { Store } from '../../../store/store.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';
import { resolveContact } from './contacts.js';

/** A person's contact ids: the record named (its survivor, if merged) and the records merged into it. */
async function personIds(store: Store, ref: string): Promise<string[]> {
  const c = await resolveContact(store, ref);
  return [c.id, ...c.merged];
}

/**
 * `assent rights`: access, rectification, erasure, restriction, portability and objection requests, from the
 * preference center or recorded by the DPO.
 */
export function registerRights(program: Command): void {
  const rights = program
    .command('rights')
    .description("people's rights requests (access, rectification, erasure, restriction, portability, objection)");
  rights
    .command('list')
    .description('newest first (GDPR art. 12(3): answer within one month)')
    .option('--status <status>', RIGHTS_STATUSES.join(' | '))
    .option('--contact <contact>', 'one contact: id, email, phone or ext:ID')
    .option('--limit <n>', '1 to 1000', '100')
    .option('--overdue', 'only requests still open after their last day to answer (dueBy: a month from receipt)')
    .action(async (o: { status?: string; contact?: string; limit: string; overdue?: boolean }, command: Command) => {
      if (o.status !== undefined && !(RIGHTS_STATUSES as readonly string[]).includes(o.status)) {
        throw new CliError('USAGE', `--status must be one of ${RIGHTS_STATUSES.join(', ')}; got ${o.status}`);
      }
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new CliError('USAGE', `--limit must be 1 to 1000; got ${o.limit}`);
      }
      await withStore(
        command,
        async (store) =>
          print(
            await store.listRightsRequests({
              limit,
              ...(o.contact ? { contactIds: await personIds(store, o.contact) } : {}),
              ...(o.status ? { status: o.status as RightsStatus } : {}),
              ...(o.overdue ? { overdueOn: new Date().toISOString().slice(0, 10) } : {}),
            }),
          ),
        { existing: true },
      );
    });
  rights
    .command('add')
    .description('record a request received another way (a letter, an email, a call; GDPR art. 12(2))')
    .argument('<contact>', 'id, email, phone or ext:ID')
    .requiredOption('--kind <kind>', RIGHTS_KINDS.join(' | '))
    .option(
      '--details <text>',
      'what the person asks (required for a rectification: what is wrong; at most 1,000 characters)',
    )
    .option('--received <date>', 'when it was received (ISO 8601; default: now): the month to answer runs from it')
    .option('--by <who>', 'who recorded it', 'cli')
    .action(async (ref: string, o: { kind: string; details?: string; received?: string; by: string }, command) => {
      if (!(RIGHTS_KINDS as readonly string[]).includes(o.kind)) {
        throw new CliError('USAGE', `--kind must be one of ${RIGHTS_KINDS.join(', ')}; got ${o.kind}`);
      }
      const received = receivedAtOf(o.received, new Date());
      if (typeof received === 'string') throw new CliError('USAGE', `--received ${received}`);
      await withStore(
        command,
        async (store) => {
          const contact = await resolveContact(store, ref);
          const { request } = await recordRightsRequest(store, {
            contactId: contact.id,
            kind: o.kind as RightsKind,
            nonce: randomUUID(),
            evidence: { method: 'recorded', recordedBy: o.by },
            recordedBy: o.by,
            at: received,
            ...(o.details ? { details: o.details } : {}),
          });
          print(request);
        },
        { existing: true },
      );
    });
  rights
    .command('answer')
    .description(
      'record the answer to a request: done, or refused with the reason told to the person (an objection is in the ledger from when it was added)',
    )
    .argument('<id>')
    .requiredOption('--status <status>', 'done | refused')
    .option('--answer <text>', 'what the person was told (required for refused)')
    .option('--by <who>', 'who answered', 'cli')
    .action(async (id: string, o: { status: string; answer?: string; by: string }, command: Command) => {
      if (o.status !== 'done' && o.status !== 'refused') {
        throw new CliError('USAGE', `--status must be done or refused; got ${o.status}`);
      }
      const status = o.status;
      await withStore(
        command,
        async (store) =>
          print(await answerRightsRequest(store, id, { status, by: o.by, at: new Date(), answer: o.answer ?? null })),
        { existing: true },
      );
    });
  rights
    .command('extend')
    .description(
      'extend the period to answer by two months (GDPR art. 12(3)): within the first month, with the reasons the person is given',
    )
    .argument('<id>', 'the open request')
    .requiredOption('--reason <text>', 'the reasons the person was told (complexity, number of requests)')
    .option('--by <who>', 'who extended it', 'cli')
    .action(async (id: string, o: { reason: string; by: string }, command: Command) =>
      withStore(
        command,
        async (store) => print(await extendRightsRequest(store, id, { by: o.by, at: new Date(), reason: o.reason })),
        { existing: true },
      ),
    );
  rights
    .command('lift')
    .description(
      'lift a restriction answered done (GDPR art. 18): decisions on the person come back; tell them first (art. 18(3))',
    )
    .argument('<id>', 'the restriction request')
    .requiredOption('--informed <date>', 'when the person was told it would be lifted (ISO 8601; art. 18(3))')
    .option('--by <who>', 'who lifted it', 'cli')
    .action(async (id: string, o: { informed: string; by: string }, command: Command) => {
      const now = new Date();
      const informed = informedAtOf(o.informed, now);
      if (typeof informed === 'string') throw new CliError('USAGE', `--informed ${informed}`);
      await withStore(
        command,
        async (store) => print(await liftRestriction(store, id, { by: o.by, at: now, informedAt: informed })),
        { existing: true },
      );
    });
}
