import { createHash } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import {
  type Acquisition,
  type AcquisitionKind,
  acquisitionProblems,
  MAX_DOCUMENT_BYTES,
  type NewAcquisition,
} from '../../../domain/acquisition.js';
import { PRIVATE_FILE } from '../../../services/private-file.js';
// Types only from the store: its modules are loaded on first need.
import type { AcquisitionImport, NewAcquisitionDocument } from '../../../store/acquisitions.js';
import { CliError } from '../errors.js';
import { print, table } from '../output.js';
import { withStore } from '../store-option.js';

interface AddFlags {
  provider?: string;
  kind?: string;
  method?: string;
  proof?: string;
  collectedAt?: string;
  acquiredAt?: string;
  informed?: boolean;
  notInformed?: boolean;
  document: string[];
  by: string;
}

/** The flag that gives each field, for messages that name what to fix. */
const FLAGS: Record<keyof NewAcquisition, string> = {
  provider: '--provider',
  kind: '--kind',
  collectionMethod: '--method',
  consentProof: '--proof',
  collectedAt: '--collected-at',
  acquiredAt: '--acquired-at',
  informed: '--informed/--not-informed',
  recordedBy: '--by',
};

const say = (text: string): void => {
  process.stderr.write(`${text}\n`);
};

/**
 * `assent acquisitions`: bought and rented lists, their provider, how it collected the data, the proof of consent
 * it gave and that proof's documents, kept whole (docs/lists.md "Bought and rented lists"). Exit 2 when a document
 * cannot be used, 4 for an unknown acquisition or document, 64 on bad options.
 */
export function registerAcquisitions(program: Command): void {
  const acquisitions = program
    .command('acquisitions')
    .description('bought and rented lists: provider, collection method, proof of consent and its documents');
  acquisitions
    .command('add')
    .description('record a bought or rented list; prints its id (import the file with assent import --acquisition)')
    .option('--provider <name>', 'who sold or rented the list (required)')
    .option('--kind <kind>', 'bought | rented (required)')
    .option('--method <text>', 'how the provider collected the data (required)')
    .option('--proof <text>', 'what the provider gave as proof of consent (required)')
    .option('--collected-at <date>', 'when the provider collected the data, YYYY-MM-DD (required)')
    .option('--acquired-at <date>', 'when you got the list, YYYY-MM-DD (default: today, UTC)')
    .option('--informed', 'the people were told their data would be passed on')
    .option('--not-informed', 'the people were not told their data would be passed on')
    .option('--document <file>', 'a proof document, kept whole (repeatable; 20 MiB at most each)', collect, [])
    .option('--by <who>', 'who records it', 'cli')
    .action(async (o: AddFlags, command: Command) => {
      if (o.informed === true && o.notInformed === true) {
        throw new CliError('USAGE', '--informed and --not-informed contradict each other: give one of them, or none');
      }
      const init: NewAcquisition = {
        provider: o.provider ?? '',
        kind: (o.kind ?? '') as AcquisitionKind,
        collectionMethod: o.method ?? '',
        consentProof: o.proof ?? '',
        collectedAt: o.collectedAt ?? '',
        acquiredAt: o.acquiredAt ?? new Date().toISOString().slice(0, 10),
        informed: o.informed === true ? true : o.notInformed === true ? false : null,
        recordedBy: o.by,
      };
      const problems = acquisitionProblems(init, (field) => FLAGS[field], new Date().toISOString().slice(0, 10));
      if (problems.length > 0) throw new CliError('USAGE', problems.join('; '));
      // Every document is read before anything is written: one that cannot be used records nothing.
      const documents = await Promise.all(o.document.map(readDocument));
      const recorded = await withStore(command, (store) =>
        store.transaction(async (tx) => {
          const a = await tx.createAcquisition(init);
          for (const d of documents) a.documents.push(await tx.addAcquisitionDocument(a.id, d));
          return a;
        }),
      );
      say(
        `acquisition ${recorded.id} recorded: ${recorded.kind} from ${recorded.provider}, ` +
          `${recorded.documents.length} document(s); import its file with: assent import <file> --acquisition ${recorded.id}`,
      );
      process.stdout.write(`${recorded.id}\n`);
    });
  acquisitions
    .command('list')
    .description('every recorded acquisition, oldest first')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const all = await withStore(command, (store) => store.listAcquisitions());
      if (o.json === true) {
        print(all);
        return;
      }
      process.stdout.write(
        table(
          ['id', 'kind', 'provider', 'collected', 'acquired', 'informed', 'documents'],
          all.map((a) => [
            a.id,
            a.kind,
            a.provider,
            a.collectedAt,
            a.acquiredAt,
            informedText(a),
            String(a.documents.length),
          ]),
        ),
      );
    });
  acquisitions
    .command('show')
    .description('one acquisition: its fields, documents with their SHA-256, and the imports made under it')
    .argument('<id>')
    .option('--json', 'as JSON')
    .action(async (id: string, o: { json?: boolean }, command: Command) => {
      const { acquisition, imports } = await withStore(command, async (store) => {
        const found = await store.getAcquisition(id);
        if (found === null) throw new CliError('NOT_FOUND', `no acquisition ${id} (see assent acquisitions list)`);
        return { acquisition: found, imports: await store.acquisitionImports(id) };
      });
      if (o.json === true) print({ ...acquisition, imports });
      else process.stdout.write(details(acquisition, imports));
    });
  acquisitions
    .command('document')
    .description('write a proof document back, byte for byte, checked against its SHA-256')
    .argument('<id>', 'the acquisition')
    .argument('<document>', "the document's SHA-256 or file name")
    .option('--out <file>', 'where to write it (required)')
    .action(async (id: string, ref: string, o: { out?: string }, command: Command) => {
      if (o.out === undefined || o.out === '') throw new CliError('USAGE', '--out <file> is required');
      const found = await withStore(command, async (store) => {
        const acquisition = await store.getAcquisition(id);
        if (acquisition === null)
          throw new CliError('NOT_FOUND', `no acquisition ${id} (see assent acquisitions list)`);
        const doc = await store.acquisitionDocument(id, ref);
        if (doc === null) {
          const names = acquisition.documents.map((d) => d.name).join(', ') || 'none';
          throw new CliError('NOT_FOUND', `acquisition ${id} has no document ${ref} (its documents: ${names})`);
        }
        return doc;
      });
      const sha256 = createHash('sha256').update(found.content).digest('hex');
      if (sha256 !== found.document.sha256) {
        throw new CliError(
          'CONFLICT',
          `document ${found.document.name}: the stored bytes have SHA-256 ${sha256}, not ${found.document.sha256} as recorded; nothing written`,
        );
      }
      // 'wx': never over an existing file (it may be the only other copy of a proof).
      await writeFile(o.out, found.content, { flag: 'wx', mode: PRIVATE_FILE }).catch(
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'EEXIST') throw new CliError('CONFLICT', `--out ${o.out} exists: name a new file`);
          throw new CliError('VALIDATION', `--out ${o.out}: cannot write it (${error.code ?? error.message})`);
        },
      );
      say(`wrote ${o.out}: ${found.document.name}, ${found.content.byteLength} bytes, SHA-256 ${sha256}`);
    });
}

/** A `--document` file, read whole; a file that cannot be read or is over the limit is named. */
async function readDocument(file: string): Promise<NewAcquisitionDocument> {
  const info = await stat(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError('VALIDATION', `--document ${file}: cannot read it (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new CliError('VALIDATION', `--document ${file}: not a file`);
  if (info.size > MAX_DOCUMENT_BYTES) {
    throw new CliError(
      'VALIDATION',
      `--document ${file}: ${info.size} bytes; a document may be ${MAX_DOCUMENT_BYTES} bytes (20 MiB) at most`,
    );
  }
  const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new CliError('VALIDATION', `--document ${file}: cannot read it (${error.code ?? error.message})`);
  });
  return { name: basename(file), content };
}

const informedText = (a: Acquisition): string => (a.informed === null ? 'not said' : a.informed ? 'yes' : 'no');

function details(a: Acquisition, imports: readonly AcquisitionImport[]): string {
  const lines = [
    `acquisition ${a.id}`,
    `  provider:           ${a.provider}`,
    `  kind:               ${a.kind}`,
    `  collection method:  ${a.collectionMethod}`,
    `  proof of consent:   ${a.consentProof}`,
    `  collected:          ${a.collectedAt}`,
    `  acquired:           ${a.acquiredAt}`,
    `  people informed:    ${informedText(a)}`,
    `  recorded:           ${a.createdAt} by ${a.recordedBy}`,
    `documents (${a.documents.length})`,
    ...a.documents.map((d) => `  ${d.sha256}  ${d.size} bytes  ${d.name}`),
    `imports (${imports.length}), rows accepted: ${imports.reduce((n, i) => n + i.accepted, 0)}`,
    ...imports.map(
      (i) =>
        `  run ${i.importId}  ${i.status}  ${i.accepted} accepted, ${i.rejected} rejected  ${i.source} (SHA-256 ${i.fileSha256})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
