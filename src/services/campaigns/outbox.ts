// Where a rendered message goes: SMTP or the SMS provider for a live campaign; files for a dry run (one .eml per
// email, built by nodemailer exactly as it would be sent, and a messages.ndjson line for every channel).
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SmsProvider } from '../forms/senders.js';
import { emlOf, type Mailer } from '../mail.js';
import { PRIVATE_FILE } from '../private-file.js';
import type { RenderedMessage } from './templates.js';

/** Sends one message; resolves with the Message-ID (email). Calls are never sent: they are made by people. */
export async function deliver(
  senders: { mailer?: Mailer | null | undefined; sms?: SmsProvider | null | undefined },
  to: string,
  message: RenderedMessage,
): Promise<string | null> {
  if (message.kind === 'email') {
    if (!senders.mailer) throw new Error('no SMTP server configured (SMTP_URL)');
    const { subject, html, text, headers } = message;
    return senders.mailer.send({ to, subject, html, text, headers });
  }
  if (message.kind === 'sms') {
    if (!senders.sms) throw new Error('no SMS provider configured (ASSENT_SMS_URL)');
    await senders.sms.send({ to, text: message.text });
    return null;
  }
  throw new Error('calls are made by people: use --dry-run to write the call scripts');
}

/**
 * Session-level failures of nodemailer (smtp-connection's error codes): no connection, no or a garbled greeting, TLS,
 * a refused login, a server silent past its timeout or hanging up. None is one recipient's: every next message would
 * fail alike.
 */
const SMTP_SESSION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EAUTH']);
/** Commands of an `EPROTOCOL` error that mean the server's greeting or hello was not SMTP. */
const SMTP_SETUP_COMMANDS = new Set(['CONN', 'EHLO', 'HELO', 'LHLO']);

/**
 * Whether a send failed because the server could not be reached or would not open a session (SMTP: see
 * SMTP_SESSION_CODES; SMS: no HTTP answer at all, `fetch failed` or its timeout), rather than refusing this one message: a campaign
 * stops after a few in a row (send.ts) instead of waiting out every timeout.
 */
export function serverUnreachable(error: unknown): boolean {
  const e = error as { code?: unknown; command?: unknown; status?: unknown; cause?: unknown } | null;
  if (e === null || typeof e !== 'object') return false;
  if (typeof e.code === 'string') {
    if (SMTP_SESSION_CODES.has(e.code)) return true;
    return e.code === 'EPROTOCOL' && typeof e.command === 'string' && SMTP_SETUP_COMMANDS.has(e.command);
  }
  // fetch (undici) rejects with a TypeError whose cause is the socket's error; an HTTP answer has a status instead.
  // A provider that takes the connection and never answers ends in the request's own timeout (AbortSignal.timeout:
  // a TimeoutError; an AbortError is a stop asked for, not the server's fault).
  if (error instanceof DOMException) return error.name === 'TimeoutError';
  return error instanceof TypeError && e.status === undefined && e.cause instanceof Error;
}

/** Writes message number `n` of a dry run into `dir`. */
export async function writeDryRun(
  dir: string,
  mailFrom: string,
  n: number,
  to: string,
  contactId: string,
  message: RenderedMessage,
): Promise<void> {
  let file: string | null = null;
  if (message.kind === 'email') {
    const { subject, html, text, headers } = message;
    file = `${String(n).padStart(6, '0')}-${contactId}.eml`;
    await writeFile(join(dir, file), await emlOf(mailFrom, { to, subject, html, text, headers }), {
      mode: PRIVATE_FILE,
    });
  }
  await appendFile(join(dir, 'messages.ndjson'), `${JSON.stringify({ n, contactId, to, file, ...message })}\n`);
}
