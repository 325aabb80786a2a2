import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
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
    .action(async (o: { key: string; version: string; language: string; file: string }, command: Command) =>
      withStore(command, async (s) =>
        print(
          await s.putConsentText({
            key: o.key,
            version: o.version,
            language: o.language,
            body: await readFile(o.file, 'utf8'),
          }),
        ),
      ),
    );
  texts
    .command('list')
    .description('every stored wording (id, SHA-256)')
    .action(async (_o, command: Command) =>
      withStore(command, async (s) => print((await s.listConsentTexts()).map(({ body: _, ...t }) => t))),
    );
}
