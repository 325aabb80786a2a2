// Shared end-to-end support: Debian's Chromium through playwright-core (never a downloaded browser), the real
// server on port 0 over a temporary SQLite file, and a real SMTP server (smtp-server) capturing mails.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { type Browser, chromium } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { type RunningServer, startServer } from '../../src/adapters/http/server.js';
import { loadConfig } from '../../src/config.js';
import { generateApiKeySecret } from '../../src/store/api-keys.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = new URL('../../docs/screenshots/', import.meta.url).pathname;

/**
 * Launches Chromium, or explains why not: in CI (CI=true) a missing browser is a failure, locally a skip. Use
 * `const browser = await launchBrowser(); if (browser === null) return ctx.skip(reason)`: see consent-form.test.ts.
 */
export async function launchBrowser(): Promise<{ browser: Browser | null; reason: string }> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  let reason: string;
  if (!existsSync(CHROMIUM)) {
    reason = `Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`;
  } else {
    try {
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-background-networking', '--disable-dev-shm-usage'],
      });
      return { browser, reason: '' };
    } catch (error) {
      reason = `Chromium at ${CHROMIUM} could not start: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  if (ci) throw new Error(`end-to-end tests need a browser in CI: ${reason}`);
  process.stderr.write(`e2e skipped: ${reason}\n`);
  return { browser: null, reason };
}

export interface CapturedMail {
  from: string;
  to: string[];
  parsed: ParsedMail;
  /** The plain-text part. */
  text: string;
  /** The HTML part, when there is one. */
  html: string;
  subject: string;
}

export interface MailSink {
  /** `smtp://127.0.0.1:<port>`: the SMTP_URL to give the server. */
  url: string;
  mails: CapturedMail[];
  /** Resolves with the first mail to `to` not yet taken (waits for it: mails arrive asynchronously). */
  next(to: string, timeoutMs?: number): Promise<CapturedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a free port, without TLS or authentication, keeping every mail it is sent; `refuse` may answer
 * a recipient with an SMTP code (550 for good, 451 for now), `refuseSender` every sender.
 */
export async function startMailSink(
  refuse: (rcpt: string) => { code: number; message: string } | null = () => null,
  refuseSender: { code: number; message: string } | null = null,
): Promise<MailSink> {
  const mails: CapturedMail[] = [];
  const taken = new Set<CapturedMail>();
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (refuseSender === null) return callback();
      return callback(Object.assign(new Error(refuseSender.message), { responseCode: refuseSender.code }));
    },
    onRcptTo(address, _session, callback) {
      const no = refuse(address.address);
      if (no === null) return callback();
      return callback(Object.assign(new Error(no.message), { responseCode: no.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then(
        (parsed) => {
          mails.push({
            from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
            to: session.envelope.rcptTo.map((r) => r.address),
            parsed,
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            subject: parsed.subject ?? '',
          });
          for (const w of waiters.splice(0)) w();
          callback();
        },
        (error: Error) => callback(error),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async next(to, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = mails.find((m) => !taken.has(m) && m.to.includes(to));
        if (hit !== undefined) {
          taken.add(hit);
          return hit;
        }
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no mail to ${to} within ${timeoutMs} ms (got ${mails.length} mails)`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface RunningApp {
  server: RunningServer;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** A second handle on the same SQLite file, to read the ledger (store.historyOf) and to set things up. */
  store: Store;
  /** An admin API key's secret. */
  adminKey: string;
  close(): Promise<void>;
}

/**
 * The real server (`startServer`) on 127.0.0.1 over a temporary SQLite file. `env` is given to loadConfig as the
 * environment (e.g. `{ SMTP_URL: sink.url }`). Links in mails need the public URL before listening, so a free port
 * is picked first (port 0, released) and ASSENT_PUBLIC_URL set to it.
 */
export async function startApp(opts: { env?: Record<string, string> } = {}): Promise<RunningApp> {
  const dir = mkdtempSync(join(tmpdir(), 'assent-e2e-'));
  const file = join(dir, 'assent.db');
  const port = await freePort();
  const env = {
    PORT: String(port),
    HOST: '127.0.0.1',
    ASSENT_PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: 'warn',
    ...opts.env,
  };
  const config = loadConfig({ db: file }, env);
  const server = await startServer({ config, logger: false, log: () => {} });
  const store = await openStore({ databaseUrl: null, sqliteFile: file });
  const { secret, hash, prefix } = generateApiKeySecret();
  await store.createApiKey({ name: 'e2e-admin', scopes: ['admin'], hash, prefix });
  return {
    server,
    url: server.url,
    store,
    adminKey: secret,
    close: async () => {
      await server.shutdown();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The path of a screenshot: docs/screenshots/<page>-<lang>.png (the folder is made when missing). */
export function screenshotPath(pageName: string, lang: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return join(SCREENSHOTS, `${pageName}-${lang}.png`);
}
