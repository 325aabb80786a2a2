import type { Command } from 'commander';
import { PACKS } from '../../../policy/packs/index.js';
import { rulesReference } from '../../../policy/reference.js';
import { CliError } from '../errors.js';

/** `assent rules`: the rules reference, generated from the packs. */
export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('print the rules reference (Markdown) generated from the rule packs')
    .option('-j, --jurisdiction <code>', 'only this jurisdiction (FR, DE, AT, CH, BE, NL, ES, IT, GB, US)')
    .action((opts: { jurisdiction?: string }) => {
      const wanted = opts.jurisdiction?.toUpperCase();
      const packs = wanted ? PACKS.filter((p) => p.jurisdiction === wanted) : PACKS;
      if (packs.length === 0) {
        throw new CliError(
          'USAGE',
          `no rule pack for ${wanted}; known: ${PACKS.map((p) => p.jurisdiction).join(', ')}`,
        );
      }
      process.stdout.write(rulesReference(packs));
    });
}
