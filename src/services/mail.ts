// How emails leave: nodemailer over SMTP (`SMTP_URL`, sender `ASSENT_MAIL_FROM`) for campaigns (with their per-message
// List-Unsubscribe headers) and the forms' confirmation requests alike; or, for a campaign's dry run, as .eml files
// built by the same nodemailer, so the file is exactly what would have been sent.
import nodemailer from 'nodemailer';

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

/**
 * How long an SMTP server may keep us waiting, unless the URL says (`?socketTimeout=…`, milliseconds): nodemailer's
 * defaults let a server that never answers after DATA hold a campaign for ten minutes a message.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 } as const;

/** The SMTP URL with SMTP_TIMEOUTS for the timeouts it does not set itself. */
export function withTimeouts(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  for (const [name, ms] of Object.entries(SMTP_TIMEOUTS)) {
    if (!url.searchParams.has(name)) url.searchParams.set(name, String(ms));
  }
  return url.toString();
}

/** A mailer over `smtpUrl` (`smtp://user:pass@host:port`, `smtps://…`); `from` is the sender. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(withTimeouts(smtpUrl));
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
