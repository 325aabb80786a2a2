import type { Command } from 'commander';
import { loadConfig } from '../../../config.js';
import { CHANNELS, isChannel } from '../../../domain/channels.js';
import {
  type Contact,
  type Identifier,
  IdentifierError,
  type IdentifierKind,
  normalizeIdentifier,
} from '../../../domain/contact.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { accessReport } from '../../../services/access.js';
import { isStatementLanguage, STATEMENT_LANGUAGES } from '../../../services/campaigns/statements.js';
import { eraseContact } from '../../../services/erasure.js';
import { createContactUnlessSuppressed, isSuppressed } from '../../../services/lists/suppression.js';
import { proofMarkdown, proofOf } from '../../../services/proof.js';
import { rectifyContact } from '../../../services/rectification.js';
import { suppressionEntryOf } from '../../../services/suppression-entry.js';
import { loadTokenSigner } from '../../../services/tokens.js';
import { recipientLinks } from '../../../services/unsubscribe.js';
import type { Store } from '../../../store/store.js';
import { CliError } from '../errors.js';
import { print } from '../output.js';
import { withStore } from '../store-option.js';
import { cliRegisterProfile } from './register.js';

/** What a person types for an identifier: an email, a phone number, `ext:ID` or `postal:ADDRESS` (else an external id). */
function identifierRef(ref: string): { kind: IdentifierKind; value: string } {
  if (ref.startsWith('ext:')) return { kind: 'external', value: ref.slice(4) };
  if (ref.startsWith('postal:')) return { kind: 'postal', value: ref.slice(7) };
  if (ref.includes('@')) return { kind: 'email', value: ref };
  // Anything made of digits is a phone number, even too short to be one: normalisation then says why not, rather
  // than storing it as a CRM id (ext:ID says that).
  if (/^\+?[\d\s().-]+$/.test(ref) && /\d/.test(ref)) return { kind: 'phone', value: ref };
  return { kind: 'external', value: ref };
}

/** Finds a contact from what a person types: a UUID, an email, a phone number, or an external id (`ext:…`). */
export async function resolveContact(store: Store, ref: string, jurisdiction = 'FR'): Promise<Contact> {
  const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const by = uuid ? null : identifierRef(ref);
  const contact = await store.findContact(by === null ? { id: ref } : { ...by, jurisdiction });
  if (contact !== null) return contact;
  // An erased person has no identifier left, only their hashes on the suppression list: say so rather than leave
  // a DPO thinking the person was never there.
  let value: string | null = null;
  try {
    value = by === null ? null : normalizeIdentifier(by.kind, by.value, jurisdiction);
  } catch (error) {
    if (!(error instanceof IdentifierError)) throw error;
  }
  const listed = by !== null && value !== null && (await isSuppressed(store, by.kind, value));
  // Whose erasure it was, when its record names the hash: the DPO answering that person reads the proof by that id.
  const entry = listed && by !== null && value !== null ? await suppressionEntryOf(store, by.kind, value) : null;
  throw new CliError(
    'NOT_FOUND',
    entry?.contactId !== undefined
      ? `no contact ${ref}: erased on ${entry.since} (it is on the company suppression list); the person's ledger, the proof of their consents and opt-outs, stays under contact ${entry.contactId}: assent contacts proof ${entry.contactId}, assent rights list --contact ${entry.contactId}`
      : listed
        ? `no contact ${ref}: it is on the company suppression list (erased, or objected to prospecting); an erased person's ledger stays, under their contact id (assent suppress check ${ref} names it when the erasure recorded its hashes)`
        : `no contact ${ref}`,
  );
}

/** `--add`/`--remove` values, normalised (a national phone number is read in `jurisdiction`). */
function identifiersFrom(refs: readonly string[] | undefined, option: string, jurisdiction: string): Identifier[] {
  return (refs ?? []).map((ref) => {
    const { kind, value } = identifierRef(ref);
    // Stored, a bare word is taken for a CRM id only when written so: "jane.doe.example.fr" (an email missing its
    // @) would otherwise become an external id, silently.
    if (kind === 'external' && !ref.startsWith('ext:')) {
      throw new CliError(
        'VALIDATION',
        `${option} ${ref}: not an email (no @) nor a phone number; write a CRM id as ext:${ref}, an address as postal:…`,
      );
    }
    try {
      return { kind, value: normalizeIdentifier(kind, value, jurisdiction) };
    } catch (error) {
      if (error instanceof IdentifierError) throw new CliError('VALIDATION', `${option} ${ref}: ${error.message}`);
      throw error;
    }
  });
}

/** Commands on contacts that must exist: a mistyped --db is a missing database, not a new empty one. */
const EXISTING = { existing: true } as const;

export function registerContacts(program: Command): void {
  const contacts = program
    .command('contacts')
    .description('stored contacts: add, show, set, merge, links, access, proof, erase');
  contacts
    .command('add')
    .description('store a contact (identifiers are normalised: email lower-cased, phone in E.164)')
    .requiredOption('-j, --jurisdiction <code>', 'ISO 3166-1 alpha-2 of the recipient')
    .option('-t, --type <type>', 'individual | professional', 'individual')
    .option('--email <email>')
    .option('--phone <number>', 'national numbers read in the jurisdiction')
    .option('--external-id <id>', 'the CRM id')
    .option('--postal <address>')
    .option('--address <kind>', 'professional address kind, named | generic (default: detected from the email)')
    .option('--time-zone <zone>', 'IANA time zone')
    .option('--region <code>', 'ISO 3166-2 subdivision')
    .option('--returning', 'the person came back themselves: store an identifier of the suppression list anyway')
    .option('--by <who>', 'who says the person came back (kept with the lifted suppression)', 'cli')
    .action(async (o: Record<string, string>, command: Command) => {
      if (!['individual', 'professional'].includes(o.type ?? '')) {
        throw new CliError('USAGE', `--type must be individual or professional; got ${o.type}`);
      }
      if (o.address !== undefined && !['named', 'generic'].includes(o.address)) {
        throw new CliError('USAGE', `--address must be named or generic; got ${o.address}`);
      }
      const init = {
        type: o.type as 'individual' | 'professional',
        jurisdiction: o.jurisdiction as string,
        email: o.email,
        phone: o.phone,
        externalId: o.externalId,
        postal: o.postal,
        address: o.address as 'named' | 'generic' | undefined,
        timeZone: o.timeZone,
        region: o.region,
      };
      const returning = o.returning === undefined ? null : { via: 'contacts add --returning', by: o.by as string };
      await withStore(command, async (store) => print(await createContactUnlessSuppressed(store, init, returning)));
    });
  contacts
    .command('show')
    .description('show a contact found by id, email, phone, external id (ext:ID) or postal address (postal:ADDRESS)')
    .argument('<contact>')
    .action(async (ref: string, _o, command: Command) =>
      withStore(command, async (s) => print(await resolveContact(s, ref)), { existing: true }),
    );
  contacts
    .command('set')
    .description(
      'change a contact: jurisdiction, type, professional address kind, time zone, region; add or remove identifiers (rectification, GDPR art. 16)',
    )
    .argument('<contact>')
    .option('-j, --jurisdiction <code>', 'ISO 3166-1 alpha-2: the law the person is decided under')
    .option('-t, --type <type>')
    .option('--address <kind>', 'named | generic: overrides detection')
    .option('--time-zone <zone>')
    .option('--region <code>')
    .option('--add <identifier...>', 'identifiers to add: an email, a phone number, ext:ID, postal:ADDRESS')
    .option('--remove <identifier...>', 'identifiers of the contact to delete (not put on the suppression list)')
    .option(
      '--reason <text>',
      'why, e.g. the rights request id (kept in the ledger for good: no email, phone number or address, old or new)',
    )
    .option('--by <who>', 'who made the change (kept in the ledger)', 'cli')
    .option('--returning', 'the person came back themselves: add an identifier of the suppression list anyway')
    .action(async (ref: string, o: Record<string, string> & { add?: string[]; remove?: string[] }, command: Command) =>
      withStore(
        command,
        async (s) => {
          const c = await resolveContact(s, ref);
          print(
            await rectifyContact(
              s,
              c.id,
              {
                jurisdiction: o.jurisdiction,
                type: o.type as 'individual' | 'professional' | undefined,
                address: o.address as 'named' | 'generic' | undefined,
                timeZone: o.timeZone,
                region: o.region,
                add: identifiersFrom(o.add, '--add', c.jurisdiction),
                remove: identifiersFrom(o.remove, '--remove', c.jurisdiction),
              },
              {
                recordedBy: o.by as string,
                reason: o.reason,
                ...(o.returning !== undefined ? { returning: { via: 'contacts set --returning' } } : {}),
              },
            ),
          );
        },
        EXISTING,
      ),
    );
  contacts
    .command('merge')
    .description('merge two records of one person: <from> into <into>; identifiers and history are kept')
    .argument('<into>')
    .argument('<from>')
    .option('--by <who>', 'who decided the merge (recorded in the ledger)', 'cli')
    .action(async (into: string, from: string, o: { by: string }, command: Command) =>
      withStore(
        command,
        async (s) => {
          const [a, b] = [await resolveContact(s, into), await resolveContact(s, from)];
          print(await s.mergeContacts(a.id, b.id, o.by));
          // The survivor's facts decide from now on: a person merged from another country is judged under its law.
          for (const f of ['jurisdiction', 'type'] as const) {
            if (a[f] !== b[f]) {
              process.stderr.write(
                `note: ${b.id} had ${f} ${b[f]}; the merged person keeps ${a[f]} (the first contact's): if ${b[f]} is right, change it with contacts set ${a.id} --${f} ${b[f]}\n`,
              );
            }
          }
        },
        EXISTING,
      ),
    );
  contacts
    .command('links')
    .description(
      "a recipient's unsubscribe and preference links and List-Unsubscribe headers (RFC 8058), for messages you send",
    )
    .argument('<contact>')
    .option('--channel <channel>', 'narrow the unsubscribe to one channel (default: every prospecting channel)')
    .option('--mailto <address>', 'add a mail unsubscribe address to List-Unsubscribe')
    .action(async (ref: string, o: { channel?: string; mailto?: string }, command: Command) => {
      if (o.channel !== undefined && !isChannel(o.channel)) {
        throw new CliError('USAGE', `--channel must be one of ${CHANNELS.join(', ')}; got ${o.channel}`);
      }
      const config = loadConfig({ db: command.optsWithGlobals().db as string | undefined }).server;
      await withStore(
        command,
        async (s) => {
          const c = await resolveContact(s, ref);
          const signer = await loadTokenSigner(s, config);
          print(
            recipientLinks(signer, {
              publicUrl: config.publicUrl,
              contactId: c.id,
              ...(o.channel ? { channel: o.channel } : {}),
              ...(o.mailto ? { mailto: o.mailto } : {}),
            }),
          );
        },
        EXISTING,
      );
    });
  contacts
    .command('access')
    .description(
      'everything held on one person, to answer an access or portability request (GDPR art. 15, 20), as JSON',
    )
    .argument('<contact>')
    .option(
      '--profile <file>',
      'the register profile: controller, dpo, processors, transfers (default: $ASSENT_REGISTER_PROFILE)',
    )
    .option('--lang <lang>', `the language of the texts: ${STATEMENT_LANGUAGES.join(' | ')} (default: the person's)`)
    .action(async (ref: string, o: { profile?: string; lang?: string }, command: Command) => {
      if (o.lang !== undefined && !isStatementLanguage(o.lang)) {
        throw new CliError('USAGE', `--lang must be one of ${STATEMENT_LANGUAGES.join(', ')}; got ${o.lang}`);
      }
      const db = command.optsWithGlobals().db as string | undefined;
      const profile = await cliRegisterProfile(o.profile, db);
      await withStore(
        command,
        async (s) => {
          const id = (await resolveContact(s, ref)).id;
          print(
            await accessReport(s, buildRegistry(), id, new Date(), { profile, ...(o.lang ? { lang: o.lang } : {}) }),
          );
        },
        { existing: true },
      );
    });
  contacts
    .command('proof')
    .description(
      "the proof of a person's consents and opt-outs, for an auditor (GDPR art. 7(1), 21): each act with its evidence, the wording shown checked against its SHA-256, and its place in the ledger's chain",
    )
    .argument('<contact>')
    .option('--channel <channel>', `only the acts on this channel: ${CHANNELS.join(' | ')}`)
    .option('--verify', 'verify the whole ledger now and say so in the statement')
    .option('--json', 'the statement as JSON instead of a Markdown document')
    .action(async (ref: string, o: { channel?: string; verify?: boolean; json?: boolean }, command: Command) => {
      const channel = o.channel;
      if (channel !== undefined && !isChannel(channel)) {
        throw new CliError('USAGE', `--channel must be one of ${CHANNELS.join(', ')}; got ${channel}`);
      }
      await withStore(
        command,
        async (s) => {
          const id = (await resolveContact(s, ref)).id;
          const proof = await proofOf(s, id, new Date(), {
            ...(channel ? { channel } : {}),
            verify: o.verify === true,
          });
          if (o.json) print(proof);
          else process.stdout.write(proofMarkdown(proof));
          // A statement on a broken ledger is printed, and said by the exit code as ledger verify does.
          if (proof.ledger !== null && !proof.ledger.intact) process.exitCode = 3;
        },
        { existing: true },
      );
    });
  contacts
    .command('erase')
    .description(
      'erase a person (GDPR art. 17): identifiers deleted and added to the suppression list, the ledger kept as proof',
    )
    .argument('<contact>')
    .option('--by <who>', 'who decided (kept in the ledger)', 'cli')
    .option(
      '--reason <text>',
      'why, e.g. the rights request id (kept in the ledger for good: no email, phone number or address)',
    )
    .option('--request <id>', "the person's open erasure request this answers: marked done with the erasure")
    .action(async (ref: string, o: { by: string; reason?: string; request?: string }, command: Command) =>
      withStore(
        command,
        async (s) =>
          print(
            await eraseContact(s, (await resolveContact(s, ref)).id, {
              at: new Date(),
              recordedBy: o.by,
              ...(o.reason ? { reason: o.reason } : {}),
              ...(o.request ? { request: o.request } : {}),
            }),
          ),
        { existing: true },
      ),
    );
  program
    .command('history')
    .description("a contact's ledger: every event with its evidence and hash")
    .argument('<contact>')
    .action(async (ref: string, _o, command: Command) =>
      withStore(command, async (s) => print(await s.historyOf((await resolveContact(s, ref)).id)), { existing: true }),
    );
}
