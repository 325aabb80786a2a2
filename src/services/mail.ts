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

/** A mailer over `smtpUrl` (`smtp://user:pass@host:port`, `smtps://…`); `from` is the sender. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
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
