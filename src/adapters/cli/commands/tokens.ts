import type { Command } from 'commander';
import { loadConfig } from '../../../config.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';

/**
 * `assent tokens`: the generated secrets that sign unsubscribe and preference links (docs/unsubscribe.md). Secrets
 * are never printed. With ASSENT_TOKEN_SECRETS set, the configured secrets are used and these are not.
 */
export function registerTokens(program: Command): void {
  const tokens = program.command('tokens').description('signing secrets of recipient links: list, rotate, retire');
  const warnIfConfigured = (): void => {
    if (loadConfig({}).server.tokenSecrets !== null) {
      process.stderr.write('assent: ASSENT_TOKEN_SECRETS is set: the server signs with it, not with these secrets\n');
    }
  };
  const ids = (list: { id: string; createdAt: string }[]) => list.map((s) => ({ id: s.id, createdAt: s.createdAt }));
  tokens
    .command('list')
    .description('live secrets, newest (the one that signs) first; ids and dates only')
    .action(async (_o, command: Command) =>
      withStore(command, async (store) => print(ids(await store.tokenSecrets()))),
    );
  tokens
    .command('rotate')
    .description('add a new secret that signs from now on; links signed by older ones keep working until retired')
    .action(async (_o, command: Command) => {
      warnIfConfigured();
      await withStore(command, async (store) => {
        const live = await store.addTokenSecret();
        process.stderr.write(`assent: ${live[0]?.id} signs new links (restart running servers to pick it up)\n`);
        print(ids(live));
      });
    });
  tokens
    .command('retire')
    .description('retire a secret: every link it signed stops working (never the last one)')
    .argument('<id>')
    .action(async (id: string, _o, command: Command) => {
      warnIfConfigured();
      await withStore(command, async (store) => print(ids(await store.retireTokenSecret(id))));
    });
}
