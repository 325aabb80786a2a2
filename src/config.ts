import { isIP } from 'node:net';
import { resolve } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { parseTokenSecrets, type TokenSecret } from './services/tokens.js';

/**
 * How long connecting, the greeting (and STARTTLS) may take, unless `ASSENT_SMTP_CONNECT_TIMEOUT_MS` or the URL says:
 * nodemailer's 30 s greeting wait made a server that accepts the connection and never greets cost 30 s a message.
 * A submission relay greets at once; a receiving MX that delays its greeting (Postfix postscreen) waits about 6 s.
 * Here, not in services/mail.ts: reading the settings must not load nodemailer for every command.
 */
export const SMTP_CONNECT_TIMEOUT_MS = 10_000;

/** A setting (flag or environment variable) that cannot be used; the message names it. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Settings fixed at start-up: the one place that reads the environment. */
export interface Config {
  /** `postgres://…` (PostgreSQL) or `sqlite:/path` or null for the default SQLite file. */
  readonly databaseUrl: string | null;
  /** The embedded SQLite database, created on first use. */
  readonly sqliteFile: string;
  /** The HTTP server (`assent serve`). */
  readonly server: ServerConfig;
}

/** The HTTP server's settings (docs/http.md lists them with their variables). */
export interface ServerConfig {
  readonly host: string;
  readonly port: number;
  /** Largest request body, in bytes, on every route but the batch decision routes. */
  readonly bodyLimit: number;
  /** Largest body of `POST /v1/evaluate` and `POST /v1/decisions` (batches of up to 10,000 requests). */
  readonly batchBodyLimit: number;
  /** Requests allowed per API key (per client IP before a key is known) and window. */
  readonly rateLimit: { readonly max: number; readonly windowMs: number };
  /**
   * `ASSENT_TRUST_PROXY`: whom to believe in X-Forwarded-For. false: nobody (the socket's address); a number: that many
   * proxies counted from the right (`true` is 1); a list: the proxies at those addresses or CIDRs.
   */
  readonly trustProxy: false | number | readonly string[];
  readonly logLevel: string;
  /** How long a known key is trusted without asking the store again: the delay for a revocation to bite. */
  readonly keyCacheMs: number;
  /** Base URL of recipient links (unsubscribe, preference center): `ASSENT_PUBLIC_URL`, default `http://host:port`. */
  readonly publicUrl: string;
  /** Whether `ASSENT_PUBLIC_URL` was set: a live send's links must reach recipients, the default cannot. */
  readonly publicUrlSet: boolean;
  /** `ASSENT_WORKERS` as given (`--workers` wins): the number of server processes, checked by `assent serve`. */
  readonly workers: string | null;
  /** `ASSENT_WORKER`, set by `serve --workers` on each process it forks: that worker's number (1 for the first). */
  readonly worker: number | null;
  /** Signing secrets of recipient links (`ASSENT_TOKEN_SECRETS=id:secret,…`, first signs); null: kept in the database. */
  readonly tokenSecrets: readonly TokenSecret[] | null;
  /** Shared secret of the inbound SMS webhook's HMAC header (`ASSENT_SMS_WEBHOOK_SECRET`); null: API key only. */
  readonly smsWebhookSecret: string | null;
  /** Consent forms and double opt-in (docs/forms.md). */
  readonly forms: FormsConfig;
  /** `ASSENT_REGISTER_PROFILE`: the controller's part of the register of processing activities (docs/rights.md). */
  readonly registerProfile: string | null;
  /** `ASSENT_RETENTION_PURGE_HOURS` (0: never): how often the server erases contacts past retention (docs/rights.md). */
  readonly retentionPurgeMs: number;
}

/** Where confirmations go out, and how long a double opt-in waits (docs/forms.md). */
export interface FormsConfig {
  /** `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…`); null: email confirmations cannot be sent. */
  readonly smtpUrl: string | null;
  /** `ASSENT_SMTP_CONNECT_TIMEOUT_MS` (10000): how long connecting to the SMTP server and its greeting may take. */
  readonly smtpConnectTimeoutMs: number;
  /** `ASSENT_MAIL_FROM`: the sender of confirmation mails. */
  readonly mailFrom: string;
  /** Whether `ASSENT_MAIL_FROM` was set: a live campaign needs a real sender, not the default. */
  readonly mailFromSet: boolean;
  /** `ASSENT_SMS_URL`: the SMS provider endpoint (JSON POST); null: SMS confirmations cannot be sent. */
  readonly smsUrl: string | null;
  /** `ASSENT_SMS_TOKEN`: sent as `Authorization: Bearer` to the SMS endpoint. */
  readonly smsToken: string | null;
  /** `ASSENT_DOI_EXPIRE_HOURS` (168): a request not confirmed by then expires, and its link stops working. */
  readonly expireMs: number;
  /** `ASSENT_DOI_REMIND_HOURS` (48): a reminder goes out this long after the last message; 0: none. */
  readonly remindMs: number;
  /** `ASSENT_DOI_MAX_REMINDERS` (1). */
  readonly maxReminders: number;
  /** `ASSENT_DOI_SWEEP_MS` (60000): how often the server processes due reminders and expiries; 0: never. */
  readonly sweepMs: number;
}

export const DEFAULT_PORT = 8080;
export const DEFAULT_HOST = '127.0.0.1';

/**
 * Built from flags first, then the environment (`DATABASE_URL`, `ASSENT_DATA_DIR`, `PORT`, `HOST`, `ASSENT_*`),
 * then defaults. Throws an Error naming the setting when a value cannot be used.
 */
export function loadConfig(
  flags: { db?: string; port?: string; host?: string } = {},
  env: NodeJS.ProcessEnv = process.env,
): Config {
  const db = flags.db ?? (env.DATABASE_URL || null); // an empty DATABASE_URL is no setting
  const dataDir = resolve(env.ASSENT_DATA_DIR ?? 'data');
  const isUrl = db !== null && /^(postgres(ql)?|sqlite):/.test(db);
  // Any other scheme would be taken for a file name (a folder "mysql:" holding a SQLite file).
  if (db !== null && !isUrl && /^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new ConfigError(
      `${flags.db !== undefined ? '--db' : 'DATABASE_URL'} must be a SQLite file, sqlite:/path or postgres://…; got "${db}"`,
    );
  }
  const host = flags.host ?? env.HOST ?? DEFAULT_HOST;
  const port = integer(flags.port !== undefined ? '--port' : 'PORT', flags.port ?? env.PORT, DEFAULT_PORT, 0, 65_535);
  const server: ServerConfig = Object.freeze({
    host,
    port,
    bodyLimit: integer('ASSENT_BODY_LIMIT', env.ASSENT_BODY_LIMIT, 1 << 20, 1024, 1 << 30),
    batchBodyLimit: integer('ASSENT_BATCH_BODY_LIMIT', env.ASSENT_BATCH_BODY_LIMIT, 16 << 20, 1024, 1 << 30),
    rateLimit: Object.freeze({
      max: integer('ASSENT_RATE_LIMIT', env.ASSENT_RATE_LIMIT, 6_000, 1, Number.MAX_SAFE_INTEGER),
      windowMs: 60_000,
    }),
    trustProxy: trustProxy(env.ASSENT_TRUST_PROXY),
    logLevel: env.LOG_LEVEL ?? 'info',
    keyCacheMs: integer('ASSENT_KEY_CACHE_MS', env.ASSENT_KEY_CACHE_MS, 5_000, 0, 3_600_000),
    publicUrl: publicUrl(env.ASSENT_PUBLIC_URL, host, port),
    publicUrlSet: Boolean(env.ASSENT_PUBLIC_URL),
    workers: env.ASSENT_WORKERS || null,
    worker: workerNumberOf(env.ASSENT_WORKER),
    tokenSecrets: env.ASSENT_TOKEN_SECRETS ? Object.freeze(tokenSecrets(env.ASSENT_TOKEN_SECRETS)) : null,
    smsWebhookSecret: env.ASSENT_SMS_WEBHOOK_SECRET || null,
    registerProfile: env.ASSENT_REGISTER_PROFILE ? resolve(env.ASSENT_REGISTER_PROFILE) : null,
    retentionPurgeMs:
      // At most 596 hours: Node's timers hold 2^31-1 ms (24.8 days), and a longer one fires at once, again and again.
      3_600_000 * integer('ASSENT_RETENTION_PURGE_HOURS', env.ASSENT_RETENTION_PURGE_HOURS, 0, 0, 596),
    forms: Object.freeze({
      smtpUrl: env.SMTP_URL || null,
      smtpConnectTimeoutMs: integer(
        'ASSENT_SMTP_CONNECT_TIMEOUT_MS',
        env.ASSENT_SMTP_CONNECT_TIMEOUT_MS,
        SMTP_CONNECT_TIMEOUT_MS,
        1,
        600_000,
      ),
      mailFrom: env.ASSENT_MAIL_FROM ? mailFrom(env.ASSENT_MAIL_FROM) : 'Assent <no-reply@localhost>',
      mailFromSet: Boolean(env.ASSENT_MAIL_FROM),
      smsUrl: env.ASSENT_SMS_URL || null,
      smsToken: env.ASSENT_SMS_TOKEN || null,
      expireMs: 3_600_000 * integer('ASSENT_DOI_EXPIRE_HOURS', env.ASSENT_DOI_EXPIRE_HOURS, 168, 1, 24 * 366),
      remindMs: 3_600_000 * integer('ASSENT_DOI_REMIND_HOURS', env.ASSENT_DOI_REMIND_HOURS, 48, 0, 24 * 366),
      maxReminders: integer('ASSENT_DOI_MAX_REMINDERS', env.ASSENT_DOI_MAX_REMINDERS, 1, 0, 10),
      sweepMs: integer('ASSENT_DOI_SWEEP_MS', env.ASSENT_DOI_SWEEP_MS, 60_000, 0, 86_400_000),
    }),
  });
  return Object.freeze({
    databaseUrl: isUrl ? db : null,
    sqliteFile: db !== null && !isUrl ? resolve(db) : resolve(dataDir, 'assent.db'),
    server,
  });
}

/**
 * The sender of every email: exactly one address (a name alone gave mails with no From header and a null envelope
 * sender, counted as sent; RFC 5322 §3.6 wants one From, and the sender must be identified, CPCE L34-5 al. 5).
 */
function mailFrom(raw: string): string {
  const parsed = addressparser(raw, { flatten: true });
  const address = parsed.length === 1 ? parsed[0]?.address : undefined;
  if (address === undefined || !/^[^@\s]+@[^@\s]+$/.test(address)) {
    throw new ConfigError(
      `ASSENT_MAIL_FROM must be one sender address, as "Shop <news@shop.example>" or news@shop.example; got "${raw}"`,
    );
  }
  return raw.trim();
}

/** ASSENT_WORKER read: the primary sets it, so anything but a whole number from 1 means no worker, not an error. */
function workerNumberOf(raw: string | undefined): number | null {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : null;
}

function integer(name: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got "${raw}"`);
  }
  return n;
}

/** Most proxies a hop count may name: a longer chain is a typo, and a huge count would trust any forged address. */
const MAX_PROXY_HOPS = 32;

/**
 * ASSENT_TRUST_PROXY read. `true` is one hop, not "trust every address": the leftmost X-Forwarded-For entry is
 * whatever the client sent, so trusting the whole chain let anyone pick the IP that rate limits key on and that consent
 * evidence records. Only the nearest proxy's own entry (the rightmost) is its word.
 */
function trustProxy(raw: string | undefined): false | number | readonly string[] {
  const value = (raw ?? '').trim();
  const lower = value.toLowerCase();
  if (value === '' || lower === 'false' || value === '0') return false;
  if (lower === 'true') return 1;
  const bad = () =>
    new ConfigError(
      `ASSENT_TRUST_PROXY must be false, true (1 hop), a number of proxy hops from 1 to ${MAX_PROXY_HOPS}, or a comma-separated list of proxy addresses or CIDRs (10.0.0.1,192.168.0.0/16); got "${raw}"`,
    );
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > MAX_PROXY_HOPS) throw bad();
    return hops;
  }
  const list = value.split(',').map((entry) => entry.trim());
  if (!list.every(isAddressOrCidr)) throw bad();
  return Object.freeze(list);
}

/** An IPv4 or IPv6 address, or one with a /prefix (1-32, 1-128): what Fastify's proxy-addr compiles. */
function isAddressOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  const version = isIP(slash === -1 ? entry : entry.slice(0, slash));
  if (version === 0) return false;
  if (slash === -1) return true;
  const prefix = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}

function publicUrl(raw: string | undefined, host: string, port: number): string {
  if (raw === undefined || raw === '') return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`ASSENT_PUBLIC_URL must be an absolute http(s) URL; got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`ASSENT_PUBLIC_URL must be an absolute http(s) URL; got "${raw}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/** ASSENT_TOKEN_SECRETS read, or a ConfigError naming it (one line from the CLI, not a stack trace). */
function tokenSecrets(raw: string): TokenSecret[] {
  try {
    return parseTokenSecrets(raw);
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
