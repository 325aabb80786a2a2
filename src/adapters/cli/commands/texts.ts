import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { publishedAtOf } from '../../../services/record-events.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';

/** `assent texts`: the versioned consent wordings, per language, stored once (id and SHA-256). */
export function registerTexts(program: Command): void {
  const texts = program.command('texts').description('versioned consent wordings shown to people');
  texts
    .command('add')
    .description('store a consent wording; a version is immutable once stored')
    .requiredOption('--key <key>', 'what it asks for: newsletter, partners-offers…')
    .requiredOption('--version <version>')
    .requiredOption('--language <lang>', 'fr, en, nl, de…')
    .requiredOption('--file <path>', 'the exact wording, UTF-8')
    .option('--published <date>', 'when the wording was first shown, ISO 8601 (default: now): for one stored late')
    .action(
      async (o: { key: string; version: string; language: string; file: string; published?: string }, command) => {
        const published = o.published === undefined ? null : publishedAtOf(o.published, new Date());
        if (published !== null && 'problem' in published) {
          throw new CliError('USAGE', `--published ${published.problem}`);
        }
        await withStore(command, async (s) =>
          print(
            await s.putConsentText({
              key: o.key,
              version: o.version,
              language: o.language,
              body: await readFile(o.file, 'utf8'),
              ...(published ? { createdAt: published.at } : {}),
            }),
          ),
        );
      },
    );
  texts
    .command('list')
    .description('every stored wording (id, SHA-256)')
    .action(async (_o, command: Command) =>
      withStore(command, async (s) => print((await s.listConsentTexts()).map(({ body: _, ...t }) => t))),
    );
}
