import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { IdentifierError } from '../../../domain/contact.js';
import { listCountry, listId, listNameProblem } from '../../../domain/list-names.js';
import { ImportInputError } from '../../../services/import/reader.js';
import { importList, ListImportInterrupted } from '../../../services/lists/import-list.js';
import { openListsScreen } from '../../../services/lists/lookup.js';
import { staleness } from '../../../services/lists/refresh.js';
import {
  readEmailOrPhone,
  SUPPRESSION_REASONS,
  type SuppressionReason,
  suppressionHash,
  suppressionHashes,
} from '../../../services/lists/suppression.js';
import { suppressionEntryOf } from '../../../services/suppression-entry.js';
import type { Suppression } from '../../../store/lists.js';
import type { Store } from '../../../store/store.js';
import { CliError } from '../errors.js';
import { AT_READING, atOption, inputFile, rejectsPathFor } from '../options.js';
import { counted, print } from '../output.js';
import { withStore } from '../store-option.js';

const say = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/**
 * `assent lists`: opposition lists (Bloctel, Robinson, TPS, Ne m'appelez plus…) imported as versions (docs/lists.md).
 * `import` exits 0 when every line was accepted, 1 when some were rejected (rejects file), 2 when the file is unusable.
 */
export function registerLists(program: Command): void {
  const lists = program.command('lists').description('opposition lists: import versions, see their freshness');
  lists
    .command('import')
    .description('import a list file as a new version of a named list (it becomes current once fully written)')
    .argument('<file>', 'one number (or email) per line, or a CSV whose header names the number column')
    .requiredOption('--name <name>', 'bloctel, robinson, tps, dncm (Ne m’appelez plus) or any name')
    .option('--as-of <date>', "the list's own date, YYYY-MM-DD (default: today): staleness counts from it")
    .option('--country <code>', "region national numbers are read in (default: the list's country, FR for others)")
    .option('--rejects <path>', 'where rejected lines go (default: <file name>.rejects.csv in the current folder)')
    .action(
      async (
        file: string,
        o: { name: string; asOf?: string; country?: string; rejects?: string },
        command: Command,
      ) => {
        await inputFile(file);
        const rejectsPath = rejectsPathFor(file, o.rejects);
        // Refused before any warning: a note about --country on a name that cannot be stored misleads.
        const badName = listNameProblem(listId(o.name));
        if (badName !== null) throw new CliError('VALIDATION', badName);
        if (o.asOf === undefined && listId(o.name) === 'bloctel') {
          say("warning: no --as-of: the Bloctel file is dated today; give the file's own date so staleness is true");
        }
        // A Robinson list is one country's, kept beside the others' (listKey): without --country it is France's.
        if (o.country === undefined && listCountry(listId(o.name)) === null) {
          say(
            `warning: no --country: ${listId(o.name)} is kept per country and this file is read as France's (FR); give --country (ES, DE…) for another country's list`,
          );
        }
        // Ctrl-C undoes the partial version rather than leaving it `loading` with its entries (docs/lists.md).
        const stop = new AbortController();
        const onSignal = (): void => stop.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        const outcome = await withStore(command, (store) =>
          importList(store, {
            file,
            name: o.name.toLowerCase(),
            ...(o.country !== undefined ? { country: o.country } : {}),
            ...(o.asOf !== undefined ? { asOf: o.asOf } : {}),
            rejectsPath,
            signal: stop.signal,
          }),
        )
          .catch((error: unknown) => {
            if (error instanceof ImportInputError) throw new CliError('VALIDATION', error.message);
            if (error instanceof ListImportInterrupted) throw new CliError('INTERRUPTED', error.message);
            throw error;
          })
          .finally(() => {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          });
        say(
          `imported ${file} as ${outcome.version.name} version ${outcome.version.id} (as of ${outcome.version.asOf}): ` +
            `${counted(outcome.entries, 'entry', 'entries')}, ${counted(outcome.duplicates, 'duplicate line')}, ${outcome.rejected} rejected, ${outcome.ms} ms`,
        );
        print(outcome.version);
        // Stale already (a Bloctel file of two months ago): the import is kept, but a phone screening will refuse it.
        const stale = staleness(outcome.version, new Date());
        if (stale.stale && stale.age > 0) say(`note: this version is already stale: ${stale.reason}`);
        if (outcome.rejectsFile !== null) {
          say(`rejected lines, with their line and reason: ${outcome.rejectsFile}`);
          process.exitCode = 1;
        }
      },
    );
  lists
    .command('status')
    .description('each list: its current version, as-of date, entries, and whether it is stale at --at')
    .option('--at <instant>', `the screening date, ${AT_READING} (default: now)`)
    .option(
      '--max-age <name=days>',
      'maximum age of a list in days (repeatable; may shorten, not lengthen, Bloctel 30, dnc 31, tps/ctps/fps 28)',
      collect,
      [],
    )
    .action(async (o: { at?: string; maxAge: string[] }, command: Command) => {
      const at = atOption(o.at);
      const maxAgeDays: Record<string, number> = {};
      for (const m of o.maxAge) {
        const [name, days] = m.split('=');
        if (!name || !days || !/^\d+$/.test(days)) throw new CliError('USAGE', `--max-age takes name=days; got ${m}`);
        maxAgeDays[listId(name)] = Number(days); // DNC=31 and dnc=31 alike
      }
      // A mistyped --db is a missing database (exit 66), not a new empty one answering [].
      const screen = await withStore(command, (store) => openListsScreen(store, at, { maxAgeDays }), {
        existing: true,
      });
      const status = screen.status();
      print(status);
      if (status.some((s) => s.stale)) process.exitCode = 1;
    });
  lists
    .command('versions')
    .description('every imported version, newest first (kept for proof)')
    .option('--name <name>')
    .action(async (o: { name?: string }, command: Command) =>
      withStore(command, async (store) =>
        print(await store.listVersions(o.name === undefined ? undefined : listId(o.name))),
      ),
    );
}

/** `assent suppress`: the company suppression list, SHA-256 hashes of erased or objecting people's identifiers. */
export function registerSuppress(program: Command): void {
  const suppress = program
    .command('suppress')
    .description('company suppression list: hashes of identifiers never to contact again (GDPR art. 17, 21)');
  suppress
    .command('add')
    .description('add identifiers (emails or phone numbers), given as arguments or one a line in --file')
    .argument('[identifiers...]')
    .requiredOption('--reason <reason>', SUPPRESSION_REASONS.join(' | '))
    .option('--file <path>', 'one identifier a line')
    .option('--country <code>', 'region national numbers are read in', 'FR')
    .option('--at <instant>', `when the person was erased or objected, ${AT_READING} (default: now)`)
    .action(
      async (
        identifiers: string[],
        o: { reason: string; file?: string; country: string; at?: string },
        command: Command,
      ) => {
        if (!(SUPPRESSION_REASONS as readonly string[]).includes(o.reason)) {
          throw new CliError('USAGE', `--reason must be ${SUPPRESSION_REASONS.join(' or ')}; got ${o.reason}`);
        }
        if (identifiers.length === 0 && o.file === undefined) {
          throw new CliError('USAGE', 'give identifiers or --file');
        }
        const at = atOption(o.at).toISOString();
        const reason = o.reason as SuppressionReason;
        // Stored contacts owning a suppressed identifier: their own ledger still decides for them (below).
        const owned: string[] = [];
        const seen: { kind: 'email' | 'phone'; value: string }[] = [];
        const toEntry = (raw: string): Suppression => {
          const { kind, value } = readEmailOrPhone(raw, o.country);
          seen.push({ kind, value });
          return { hash: suppressionHash(kind, value), reason, at };
        };
        const noteOwners = async (store: Store): Promise<void> => {
          const found = await store.contactsByIdentifiers(seen.splice(0));
          for (const [key, c] of found) owned.push(`${key.slice(key.indexOf(':') + 1)} (contact ${c.id})`);
        };
        let added = 0;
        let given = 0;
        let bad = 0;
        // A missing file is `cannot read …` (exit 66) before anything is stored, not ENOENT halfway.
        if (o.file !== undefined) await inputFile(o.file);
        await withStore(command, async (store) => {
          if (identifiers.length > 0) {
            given += identifiers.length;
            added += await store.addSuppressions(identifiers.map(toEntry));
            await noteOwners(store);
          }
          if (o.file !== undefined) {
            let batch: Suppression[] = [];
            let line = 0;
            for await (const raw of createInterface({ input: createReadStream(o.file, 'utf8') })) {
              line++;
              if (raw.trim() === '') continue;
              given++;
              try {
                batch.push(toEntry(raw.trim()));
              } catch (error) {
                if (!(error instanceof IdentifierError)) throw error;
                bad++;
                say(`${o.file}:${line}: ${error.message}`);
              }
              if (batch.length >= 10_000) {
                const b = batch;
                batch = [];
                added += await store.transaction((tx) => tx.addSuppressions(b));
                await noteOwners(store);
              }
            }
            if (batch.length > 0) added += await store.transaction((tx) => tx.addSuppressions(batch));
            await noteOwners(store);
          }
        });
        say(`${added} added to the suppression list, ${given - added - bad} already there, ${bad} rejected`);
        if (owned.length > 0) {
          say(
            `note: ${owned.length} belong to stored contacts, whose decisions still read their own ledger: record their objection (assent events add) or erase them: ${owned.slice(0, 5).join(', ')}${owned.length > 5 ? ', …' : ''}`,
          );
        }
        if (bad > 0) process.exitCode = 1;
      },
    );
  suppress
    .command('check')
    .description(
      'whether an identifier is on the suppression list (exit 0 yes, 1 no), why, since when and whose erasure it was, and when it was taken off it, how and by whom',
    )
    .argument('<identifier>')
    .option('--country <code>', 'region national numbers are read in', 'FR')
    .action(async (identifier: string, o: { country: string }, command: Command) => {
      const { kind, value } = readEmailOrPhone(identifier, o.country);
      // An existing database only: a mistyped --db created an empty one and answered "not suppressed".
      const [found, entry, lifts] = await withStore(
        command,
        async (store) =>
          Promise.all([
            (await openListsScreen(store, new Date())).suppressed([value]),
            suppressionEntryOf(store, kind, value),
            store.suppressionLifts(suppressionHashes(kind, value)),
          ]),
        { existing: true },
      );
      // The lifts say why a person who objected or was erased is reachable again (the hash itself says nothing).
      const lifted = lifts.map(({ hash: _, ...l }) => l);
      print({
        identifier: value,
        suppressed: found.has(value),
        // Why and since when (erased, objection), and whose erasure it was when its record says so.
        ...(found.has(value) && entry !== null ? entry : {}),
        ...(lifted.length > 0 ? { lifted } : {}),
      });
      if (!found.has(value)) process.exitCode = 1;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
