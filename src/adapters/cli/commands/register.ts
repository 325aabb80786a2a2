import type { Command } from 'commander';
import { loadConfig } from '../../../config.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import {
  buildRegister,
  profileWarnings,
  type RegisterProfile,
  RegisterProfileError,
  readRegisterProfile,
  registerMarkdown,
} from '../../../services/register.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';

/**
 * The register profile the CLI reads: `--profile`, else the configured one (ASSENT_REGISTER_PROFILE); a file that
 * cannot be read is exit 66, one that is not a valid profile exit 2, naming what is wrong.
 */
export async function cliRegisterProfile(given: string | undefined, db: string | undefined): Promise<RegisterProfile> {
  try {
    return await readRegisterProfile(given ?? loadConfig({ db }).server.registerProfile);
  } catch (error) {
    if (error instanceof RegisterProfileError) {
      throw new CliError(error.unreadable ? 'NO_INPUT' : 'VALIDATION', `profile ${error.message}`);
    }
    throw error;
  }
}

/** `assent register`: the register of processing activities (GDPR art. 30), from a profile and the database. */
export function registerProcessingRegister(program: Command): void {
  program
    .command('register')
    .description(
      'the register of processing activities (GDPR art. 30): the controller from a profile file, the rest from the database',
    )
    .option(
      '--profile <file>',
      'JSON: controller, dpo, processors, transfers, securityMeasures (default: $ASSENT_REGISTER_PROFILE)',
    )
    .option('--format <format>', 'json | markdown', 'json')
    .action(async (o: { profile?: string; format: string }, command: Command) => {
      if (o.format !== 'json' && o.format !== 'markdown') {
        throw new CliError('USAGE', `--format must be json or markdown; got ${o.format}`);
      }
      const db = command.optsWithGlobals().db as string | undefined;
      const profile = await cliRegisterProfile(o.profile, db);
      // Said on stderr too: a DPO piping the register to a file would not see it otherwise (art. 44-46).
      for (const w of profileWarnings(profile)) process.stderr.write(`warning: ${w}\n`);
      await withStore(
        command,
        async (store) => {
          const register = await buildRegister(store, buildRegistry(), profile, new Date());
          if (o.format === 'markdown') process.stdout.write(registerMarkdown(register));
          else print(register);
        },
        { existing: true },
      );
    });
}
