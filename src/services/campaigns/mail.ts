// How campaign emails leave: nodemailer over SMTP (`SMTP_URL`, sender `ASSENT_MAIL_FROM`), with the per-message
// List-Unsubscribe headers (the forms' Mailer in src/services/forms/senders.ts has no headers), or as .eml files for
// a dry run, built by the same nodemailer so the file is exactly what would have been sent.
import nodemailer from 'nodemailer';

export interface CampaignMail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
}

export interface CampaignMailer {
  /** Sends; resolves with the Message-ID. */
  send(mail: CampaignMail): Promise<string | null>;
  close(): void;
}

export function smtpCampaignMailer(smtpUrl: string, from: string): CampaignMailer {
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
export async function emlOf(from: string, mail: CampaignMail): Promise<Buffer> {
  const info = await emlTransport.sendMail({ from, ...mail });
  return info.message as Buffer;
}
