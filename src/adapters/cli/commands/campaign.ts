import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { loadConfig } from '../../../config.js';
import { isChannel } from '../../../domain/channels.js';
import { buildRegistry } from '../../../policy/packs/index.js';
import { campaignAudience } from '../../../services/campaigns/audience.js';
import { lintTemplate } from '../../../services/campaigns/lint.js';
import { CampaignError, runCampaign, UNREACHABLE_LIMIT } from '../../../services/campaigns/send.js';
import type { MessageTemplate } from '../../../services/campaigns/templates.js';
import { httpSmsProvider } from '../../../services/forms/senders.js';
import { openListsScreen } from '../../../services/lists/lookup.js';
import { smtpMailer } from '../../../services/mail.js';
import { AudienceInputError } from '../../../services/screening/csv-files.js';
import { loadTokenSigner } from '../../../services/tokens.js';
import { SEND_STATUSES, type SendRecord, type SendStatus } from '../../../store/sends.js';
import { CliError } from '../errors.js';
import { AT_READING, atOption, inputFile, jurisdictionOption, offerOption, purposeOption } from '../options.js';
import { withStore } from '../store-option.js';

interface SendFlags {
  template: string;
  audience: string;
  channel: string;
  purpose: string;
  offer?: string;
  sector?: string;
  at?: string;
  jurisdiction?: string;
  campaign?: string;
  dryRun?: string;
  delimiter: string;
}

/**
 * `assent campaign send` and `assent campaign lint` (docs/campaigns.md). Exit 0 when done; 2 when the template
 * cannot carry the obligations or a file cannot be used; 5 when a required opposition list is stale or missing
 * (nothing sent); 64 on bad options.
 */
export function registerCampaign(program: Command): void {
  const campaign = program.command('campaign').description('compliant message templates and campaign sending');
  campaign
    .command('sends')
    .description(
      "what a campaign sent: one JSON line per message (contact, address, status, basis, obligations carried, template's SHA-256, Message-ID, time), oldest first",
    )
    .argument('<campaign>', 'the campaign id (`campaignId` of campaign send)')
    .option('--status <status>', SEND_STATUSES.join(' | '))
    .action(async (campaignId: string, o: { status?: string }, command: Command) => {
      if (o.status !== undefined && !(SEND_STATUSES as readonly string[]).includes(o.status)) {
        throw new CliError('USAGE', `--status must be one of ${SEND_STATUSES.join(', ')}; got ${o.status}`);
      }
      const counts = await withStore(
        command,
        async (store) => {
          const n: Record<string, number> = {};
          let after: { sentAt: string; id: string } | undefined;
          for (;;) {
            const page = await store.listSends({
              campaignId,
              ...(o.status !== undefined ? { status: o.status as SendStatus } : {}),
              ...(after !== undefined ? { after } : {}),
              limit: 1_000,
            });
            if (page.length === 0) return n;
            const text = page.map((r) => `${JSON.stringify(r)}\n`).join('');
            if (!process.stdout.write(text)) await once(process.stdout, 'drain');
            for (const r of page) n[r.status] = (n[r.status] ?? 0) + 1;
            const last = page[page.length - 1] as SendRecord;
            after = { sentAt: last.sentAt, id: last.id };
          }
        },
        { existing: true },
      );
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      // A mistyped id reads as "sent nothing": said, with exit 4, as for any record not found.
      if (total === 0) {
        throw new CliError(
          'NOT_FOUND',
          `no ${o.status ?? ''}${o.status ? ' ' : ''}send recorded for campaign ${campaignId} (dry runs record none)`,
        );
      }
      // In the statuses' own order, whichever came first in the campaign.
      const ordered = Object.fromEntries(
        SEND_STATUSES.filter((k) => counts[k] !== undefined).map((k) => [k, counts[k]]),
      );
      say(`campaign ${campaignId}: ${total} message${total === 1 ? '' : 's'} recorded ${JSON.stringify(ordered)}`);
    });
  campaign
    .command('lint')
    .description('check that a template can carry every obligation of its channels (exit 2 when it cannot)')
    .argument('<template>', 'a template .json file')
    .option('--channel <channel>', 'lint for this channel only (default: every part the template has)')
    .action(async (file: string, o: { channel?: string }) => {
      const template = await readTemplate(file);
      const channels = o.channel !== undefined ? [channelOf(o.channel)] : partsIn(template);
      // A problem of the template as a whole (an empty sender) is found once per channel: say it once.
      const problems = [
        ...new Map(
          channels.flatMap((c) => lintTemplate(template, c)).map((p) => [`${p.path}\u0000${p.message}`, p] as const),
        ).values(),
      ];
      for (const p of problems) say(`${file}: ${p.path}: ${p.message}${p.ref ? ` [${p.ref}]` : ''}`);
      if (problems.length > 0) throw new CliError('VALIDATION', `${file}: ${problems.length} problem(s)`);
      say(`${file}: ok for ${channels.join(', ')}`);
    });
  campaign
    .command('send')
    .description('screen an audience and send the template to the allowed recipients only (or --dry-run <dir>)')
    .requiredOption('--template <file>', 'the message template (.json)')
    .requiredOption(
      '--audience <file>',
      'audience CSV: email, phone, external_id or contact_id; other columns are variables',
    )
    .requiredOption('--channel <channel>', 'email | sms | mms | phone | automated_call (calls: --dry-run only)')
    .option('--purpose <purpose>', 'the message purpose', 'marketing')
    .option('--offer <flags>', 'what the message is about: similarToPurchases,relatedToProfession,relatedToContract')
    .option('--sector <sector>', "the offer's sector where the law bans some (energy_renovation…)")
    .option('--at <instant>', `when the messages go out, ${AT_READING} (default: now)`)
    .option(
      '-j, --jurisdiction <code>',
      'country national numbers are read in and whose lists must be current (FR); each stored contact is decided under its own',
    )
    .option('--campaign <id>', 'campaign id: a re-run with the same id skips who already got it')
    .option(
      '--dry-run <dir>',
      'write the rendered messages to <dir> (.eml per email, messages.ndjson) and send nothing',
    )
    .option('--delimiter <char>', 'CSV cell separator (\\t for tab)', ',')
    .action(async (o: SendFlags, command: Command) => {
      purposeOption(o.purpose);
      if (o.campaign !== undefined && (o.campaign.trim() === '' || o.campaign.length > 200)) {
        throw new CliError('USAGE', `--campaign must be 1 to 200 characters; got "${o.campaign}"`);
      }
      const template = await readTemplate(o.template);
      await inputFile(o.audience);
      const channel = channelOf(o.channel);
      const at = atOption(o.at);
      const jurisdiction = jurisdictionOption(o.jurisdiction) ?? null;
      const config = loadConfig({ db: command.optsWithGlobals().db as string | undefined }).server;
      const delimiter = o.delimiter === '\\t' ? '\t' : o.delimiter;
      liveSendReady(o.dryRun === undefined, channel, config);
      // Ctrl-C (or SIGTERM) stops before the next message: the one in flight is sent and recorded, then the summary.
      // A second one stops at once.
      const stop = new AbortController();
      const onSignal = (): void => {
        say('stopping after the message in flight (again to stop at once)…');
        stop.abort();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const result = await withStore(command, async (store) => {
        const audience = await campaignAudience(o.audience, delimiter);
        const dry = o.dryRun !== undefined;
        const { smtpUrl, mailFrom, smtpConnectTimeoutMs } = config.forms;
        const mailer =
          !dry && smtpUrl ? smtpMailer(smtpUrl, mailFrom, { connectTimeoutMs: smtpConnectTimeoutMs }) : null;
        try {
          return await runCampaign(
            audience.rows,
            {
              template: template as MessageTemplate,
              channel,
              purpose: o.purpose,
              offer: offerOption(o.offer, o.sector),
              at,
              jurisdiction,
              ...(o.campaign !== undefined ? { campaignId: o.campaign } : {}),
              dryRunDir: o.dryRun ?? null,
              columns: audience.columns,
              signal: stop.signal,
              audienceSha256: audience.sha256,
            },
            {
              store,
              packs: buildRegistry(),
              lists: await openListsScreen(store, at),
              signer: await loadTokenSigner(store, config),
              publicUrl: config.publicUrl,
              mailFrom: config.forms.mailFrom,
              mailer,
              sms: config.forms.smsUrl ? httpSmsProvider(config.forms.smsUrl, config.forms.smsToken) : null,
            },
          );
        } finally {
          audience.close();
          mailer?.close();
        }
      })
        .catch((error: unknown) => {
          if (error instanceof CampaignError) {
            for (const p of error.problems) say(`${o.template}: ${p.path}: ${p.message}${p.ref ? ` [${p.ref}]` : ''}`);
            throw new CliError('VALIDATION', error.message);
          }
          if (error instanceof AudienceInputError) throw new CliError('VALIDATION', error.message);
          throw error;
        })
        .finally(() => {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        });
      const s = result.screening;
      if (s.refused) {
        const why = s.listProblems.map((p) => p.message).join('; ');
        throw new CliError('CONFLICT', `campaign refused, nothing sent: ${why}`);
      }
      process.stdout.write(`${JSON.stringify({ ...result, screening: undefined, summary: summaryOf(s) })}\n`);
      const sms = result.longestSms;
      if (sms !== undefined && sms.parts > 1) {
        say(
          `note: the longest SMS is ${sms.units} characters in ${sms.encoding}, ${sms.parts} parts, each billed` +
            (sms.outside !== null ? ` (UCS-2 because of "${sms.outside}": GSM-7 would fit 160 a part, not 70)` : ''),
        );
      }
      const verb = result.dryRun ? `written to ${result.outDir}` : 'sent';
      say(
        `campaign ${result.campaignId}: ${s.rows} rows, ${s.allowed} allowed at screening, ${result.sent} ${verb}, ` +
          `${result.failed} failed, skipped at send time: ${JSON.stringify(result.skipped)}`,
      );
      const language = (template as MessageTemplate).language;
      const foreign = result.languageMismatch;
      if (foreign !== undefined) say(languageNote(foreign, language, result.dryRun ? 'written' : 'sent'));
      // A dry run dated in the past is judged by the law, lists and ledger of that day (an audit's question): its
      // messages and call scripts are not what may go out today (a French call of May 2026 was opt-out; since
      // 2026-08-11 it needs consent). Said, lest a call centre work from them.
      const daysAgo = Math.floor((Date.now() - at.getTime()) / 86_400_000);
      if (result.dryRun && daysAgo >= 1) {
        say(
          `note: decided as at ${at.toISOString()}, ${daysAgo} day${daysAgo === 1 ? '' : 's'} ago, under the rules, lists and consents of that day: ` +
            'not what may be sent or called today; run it again without --at before using it',
        );
      }
      if (result.firstRenderError !== undefined) {
        say(`not rendered (RENDER_ERROR), first at ${result.firstRenderError}`);
      }
      if (result.interrupted) {
        throw new CliError(
          'INTERRUPTED',
          `stopped: ${result.sent} ${verb} and recorded; run it again with --campaign ${result.campaignId} to send the rest`,
        );
      }
      if (result.stopped) {
        const { reason, notAttempted } = result.stopped;
        throw new CliError(
          'UNAVAILABLE',
          `stopped: ${UNREACHABLE_LIMIT} messages in a row could not reach the ${channel === 'email' ? 'SMTP server' : 'SMS provider'} (last: ${reason}); ` +
            `${result.sent} sent, ${result.failed} failed, ${notAttempted} not attempted: run it again with --campaign ${result.campaignId} once it answers to send the rest`,
        );
      }
      // A failed send is recorded and retried by a re-run with the same --campaign; a script must still see it.
      if (result.failed > 0) {
        const forGood = result.rejected ?? 0;
        say(
          `${result.failed} not sent, first because: ${result.firstFailure}; ` +
            (forGood === result.failed
              ? 'each recipient was refused for good (an SMTP 5xx to the address, or the SMS provider refused the number): a re-run will not try them again'
              : `run it again with --campaign ${result.campaignId} to retry ${forGood > 0 ? `the ${result.failed - forGood} refused for now (${forGood} were refused for good and will not be tried again)` : 'them'}`),
        );
        process.exitCode = result.sent === 0 ? 69 : 1;
      }
    });
}

/**
 * A live send's links and sender must work for the people who receive them: the unsubscribe and preference links
 * need the public https address of this server (RFC 8058 one-click unsubscribe is https only; a default
 * http://127.0.0.1 link cannot be followed), and an email needs a real sender (it identifies the sender, CPCE L34-5
 * al. 5 and its equivalents). Checked before anything is read or sent.
 */
function liveSendReady(live: boolean, channel: string, config: ReturnType<typeof loadConfig>['server']): void {
  const email = channel === 'email' && config.forms.smtpUrl !== null;
  const texts = (channel === 'sms' || channel === 'mms') && config.forms.smsUrl !== null;
  if (!live || !(email || texts)) return;
  if (!config.publicUrlSet || !config.publicUrl.startsWith('https://')) {
    throw new CliError(
      'VALIDATION',
      `a live send needs ASSENT_PUBLIC_URL, the https address recipients reach this server at for the unsubscribe and preference links; got ${config.publicUrlSet ? `"${config.publicUrl}"` : 'none'} (--dry-run writes the messages without it)`,
    );
  }
  if (email && !config.forms.mailFromSet) {
    throw new CliError(
      'VALIDATION',
      'a live email send needs ASSENT_MAIL_FROM, the sender recipients see (e.g. "Shop <news@shop.example>"); nothing was sent',
    );
  }
}

/**
 * Said once per run: a template has one language, and its mentions (why the person gets it, the right to object,
 * "Publicité:") went in it to recipients whose country does not usually read it (GDPR art. 12(1): clear and plain
 * language). Nothing is held back for it: the decision is the engine's, the language the sender's to fix.
 */
function languageNote(byCountry: Readonly<Record<string, number>>, language: string, verb: string): string {
  const total = Object.values(byCountry).reduce((a, b) => a + b, 0);
  const where = Object.entries(byCountry)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([country, n]) => `${country} ${n}`)
    .join(', ');
  return (
    `note: ${total} message${total === 1 ? '' : 's'} ${verb} in "${language}", the template's language, to recipients ` +
    `whose country does not usually read it (${where}): their mentions (why they get it, the right to object, the ` +
    'advertising label) are in it too. GDPR art. 12(1) wants clear and plain language: send them a template in ' +
    'their language, as a campaign of its own (languageMismatch in the result)'
  );
}

function summaryOf(s: {
  id: string;
  rows: number;
  allowed: number;
  excluded: number;
  byReason: Record<string, number>;
}) {
  // `screening`: the id of its record (assent screenings show), written by a live run.
  return { screening: s.id, rows: s.rows, allowed: s.allowed, excluded: s.excluded, byReason: s.byReason };
}

async function readTemplate(file: string): Promise<unknown> {
  await inputFile(file);
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError('VALIDATION', `${file} is not JSON: ${(error as Error).message}`);
  }
}

function channelOf(raw: string) {
  const channel = raw.toLowerCase();
  if (!isChannel(channel)) {
    throw new CliError('USAGE', `--channel must be email, sms, mms, automated_call, fax, phone or postal; got ${raw}`);
  }
  return channel;
}

/** The channels a template has parts for (lint all of them when no --channel is given). */
function partsIn(template: unknown) {
  const t = (typeof template === 'object' && template !== null ? template : {}) as Record<string, unknown>;
  const out: ('email' | 'sms' | 'call')[] = [];
  if (t.email !== undefined) out.push('email');
  if (t.sms !== undefined) out.push('sms');
  if (t.call !== undefined) out.push('call');
  return out.length > 0 ? out : (['email'] as const).slice();
}

function say(text: string): void {
  process.stderr.write(`${text}\n`);
}
