import type { Command } from 'commander';
import { API_SCOPES, type ApiScope, generateApiKeySecret, isApiScope } from '../../../store/api-keys.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';

/**
 * `assent keys`: API keys of the HTTP server. A key's secret is printed once, by `create`, alone on stdout (so
 * `KEY=$(assent keys create …)` works); only its SHA-256 is stored.
 */
export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('API keys of the HTTP server: create, list, revoke');
  keys
    .command('create')
    .description('make a key; its secret is printed once, on stdout')
    .requiredOption('--name <name>', 'who or what uses it: crm, call-centre…')
    .requiredOption(
      '--scope <scope>',
      `${API_SCOPES.join(' | ')} (repeat for several; admin implies all)`,
      // No default shown: the option is required (Commander printed "(default: [])").
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .action(async (o: { name: string; scope: string[] }, command: Command) => {
      const bad = o.scope.find((s) => !isApiScope(s));
      if (bad !== undefined) throw new CliError('USAGE', `--scope must be one of ${API_SCOPES.join(', ')}; got ${bad}`);
      if (o.scope.length === 0) {
        throw new CliError('USAGE', `--scope is required: one or more of ${API_SCOPES.join(', ')} (repeat it)`);
      }
      if (o.name.trim() === '') throw new CliError('USAGE', '--name must not be empty');
      await withStore(command, async (store) => {
        const { secret, hash, prefix } = generateApiKeySecret();
        const key = await store.createApiKey({ name: o.name, scopes: o.scope as ApiScope[], hash, prefix });
        process.stderr.write(
          `assent: key ${key.id} "${key.name}" (${key.scopes.join(', ')}) created. Its secret, below, is shown ` +
            'this once: store it now (revoke with `assent keys revoke <id>`).\n',
        );
        process.stdout.write(`${secret}\n`);
      });
    });
  keys
    .command('list')
    .description('every key: id, name, prefix, scopes, created, revoked, last used (never the secret)')
    .action(async (_o, command: Command) => withStore(command, async (store) => print(await store.listApiKeys())));
  keys
    .command('revoke')
    .description('revoke a key for good (a running server refuses it within ASSENT_KEY_CACHE_MS, 5 s by default)')
    .argument('<id>')
    .action(async (id: string, _o, command: Command) =>
      withStore(command, async (store) => print(await store.revokeApiKey(id))),
    );
}
