// How emails leave: nodemailer over SMTP (`SMTP_URL`, sender `ASSENT_MAIL_FROM`) for campaigns (with their per-message
// List-Unsubscribe headers) and the forms' confirmation requests alike; or, for a campaign's dry run, as .eml files
// built by the same nodemailer, so the file is exactly what would have been sent.
import nodemailer from 'nodemailer';
import { SMTP_CONNECT_TIMEOUT_MS } from '../config.js';

export interface Mail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Sends; resolves with the Message-ID the transport gave, if any. */
  send(mail: Mail): Promise<string | null>;
  close(): void;
}

/** How long the server may stay silent mid-session: nodemailer's default held a campaign ten minutes a message. */
const SMTP_SOCKET_TIMEOUT_MS = 60_000;

/**
 * The SMTP URL with the timeouts it does not set itself (`?socketTimeout=…`, milliseconds, as nodemailer reads them):
 * `connectMs` for connecting and the greeting, 60 s of silence mid-session.
 */
export function withTimeouts(smtpUrl: string, connectMs: number = SMTP_CONNECT_TIMEOUT_MS): string {
  const url = new URL(smtpUrl);
  const timeouts = { connectionTimeout: connectMs, greetingTimeout: connectMs, socketTimeout: SMTP_SOCKET_TIMEOUT_MS };
  for (const [name, ms] of Object.entries(timeouts)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  return url.toString();
}

/**
 * A mailer over `smtpUrl` (`smtp://user:pass@host:port`, `smtps://…`); `from` is the sender; `connectTimeoutMs`: see
 * SMTP_CONNECT_TIMEOUT_MS.
 */
export function smtpMailer(smtpUrl: string, from: string, options: { connectTimeoutMs?: number } = {}): Mailer {
  const transport = nodemailer.createTransport(withTimeouts(smtpUrl, options.connectTimeoutMs));
  return {
    async send(mail) {
      const info = await transport.sendMail({ from, ...mail });
      return typeof info.messageId === 'string' ? info.messageId : null;
    },
    close: () => transport.close(),
  };
}

const emlTransport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

/** The RFC 5322 message as it would go out (dry run). */
export async function emlOf(from: string, mail: Mail): Promise<Buffer> {
  const info = await emlTransport.sendMail({ from, ...mail });
  return info.message as Buffer;
}
