import type { Command } from 'commander';
// Types only: this file loads with every command, and the store's modules are loaded on first need.
import type { WebhookStatus } from '../../../store/webhooks.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';

const STATUSES: readonly WebhookStatus[] = ['pending', 'delivered', 'dead', 'cancelled'];

/** `assent webhooks`: subscriptions to ledger changes, delivered by the server's dispatcher (docs/webhooks.md). */
export function registerWebhooks(program: Command): void {
  const webhooks = program.command('webhooks').description('subscribers notified of consent and objection changes');
  webhooks
    .command('list')
    .description('active subscriptions (secrets are never shown again)')
    .option('--all', 'disabled ones too')
    .action(async (o: { all?: boolean }, command: Command) =>
      withStore(command, async (s) => print(await s.listWebhooks({ includeDisabled: o.all === true }))),
    );
  webhooks
    .command('add')
    .description('subscribe a URL; prints its signing secret, shown this once')
    .requiredOption('--url <url>', 'https://… receiving POSTs')
    .option('--topic <topic...>', 'consent.changed, objection.recorded, contact.merged, contact.updated, or * (all)', [
      '*',
    ])
    .option('--description <text>')
    .action(async (o: { url: string; topic: string[]; description?: string }, command: Command) =>
      withStore(command, async (s) => {
        const { webhook, secret } = await s.createWebhook({
          url: o.url,
          topics: o.topic,
          description: o.description,
        });
        print({ ...webhook, secret });
      }),
    );
  webhooks
    .command('remove')
    .description('disable a subscription; what it had not received yet is cancelled')
    .argument('<id>')
    .action(async (id: string, _o, command: Command) =>
      withStore(command, async (s) => print(await s.deleteWebhook(id))),
    );
  webhooks
    .command('deliveries')
    .description("a subscription's latest messages, newest first: status, attempts, last error")
    .argument('<id>')
    .option('--status <status>', STATUSES.join(' | '))
    .option('--limit <n>', 'how many', '50')
    .action(async (id: string, o: { status?: string; limit: string }, command: Command) => {
      if (o.status !== undefined && !(STATUSES as readonly string[]).includes(o.status)) {
        throw new CliError('USAGE', `--status must be one of ${STATUSES.join(', ')}; got ${o.status}`);
      }
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new CliError('USAGE', `--limit must be a positive integer`);
      await withStore(command, async (s) => {
        if ((await s.getWebhook(id)) === null) throw new CliError('NOT_FOUND', `no webhook ${id}`);
        print(await s.webhookDeliveries(id, { limit, status: o.status as WebhookStatus | undefined }));
      });
    });
}
