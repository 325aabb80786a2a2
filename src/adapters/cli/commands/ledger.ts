import type { Command } from 'commander';
import type { LedgerCheck } from '../../../store/store.js';
import { withStore } from '../store-option.js';

/** `assent ledger verify`: walks the hash chain; exit 3 and the first broken link if anything was altered. */
export function registerLedger(program: Command): void {
  const ledger = program.command('ledger').description('the append-only, hash-chained consent ledger');
  ledger
    .command('verify')
    .description('prove no event was altered, removed or reordered; name the first broken link otherwise')
    .action(async (_o, command: Command) =>
      withStore(
        command,
        async (store) => {
          const check = await store.verifyLedger();
          const warning = evidenceWarning(check);
          if (warning !== null) process.stdout.write(warning);
          if (check.broken === null) {
            process.stdout.write(
              `ledger intact: ${check.events} event${check.events === 1 ? '' : 's'}, head ${check.head}\n`,
            );
            return;
          }
          const b = check.broken;
          // Past the last event verified: the head, or a column outside the chain, disagrees with a whole chain.
          const where = b.id === null && b.seq > check.events ? `after event ${check.events}` : `at event ${b.seq}`;
          process.stdout.write(
            `ledger BROKEN ${where}${b.id ? ` (${b.id})` : ''}: ${b.problem}\n` +
              `${check.events} event${check.events === 1 ? '' : 's'} verified before it; last good hash ${check.head}\n`,
          );
          process.exitCode = 3;
        },
        { existing: true },
      ),
    );
}

/**
 * Evidence removed from events: not a broken link (the evidence's SHA-256 is still chained) but a loss an auditor
 * must hear of, from `ledger verify` and from a backup's check alike.
 */
export function evidenceWarning(check: Pick<LedgerCheck, 'evidenceRemoved'>): string | null {
  const removed = check.evidenceRemoved;
  if (removed.events === 0) return null;
  return `warning: the evidence of ${removed.events} event${removed.events === 1 ? ' was' : 's was'} removed (first: event ${removed.firstSeq}); their chained SHA-256 remains: what each event said is proven, not how it was captured\n`;
}
