// Signed recipient tokens (issue #5): unsubscribe, preference-center and confirmation links (docs/unsubscribe.md).
// HMAC-SHA256 over the base64url payload; rotating secrets: the first signs, every listed one verifies, so links
// already sent keep working during a rotation and stop once their secret is removed from the list.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'unsubscribe' | 'preferences' | 'confirm';
export const TOKEN_PURPOSES: readonly TokenPurpose[] = ['unsubscribe', 'preferences', 'confirm'];

/** What a token carries (short keys keep links short). */
export interface TokenPayload {
  v: 1;
  /** Purpose: a token made for one purpose is refused for another. */
  p: TokenPurpose;
  /** Contact id. */
  c: string;
  /** Channel (e.g. `email`, `sms`), when the link is about one channel. */
  ch?: string;
  /** Nonce: lets a single-use flow (double opt-in) record that this token was spent. */
  n?: string;
  /** Expiry, Unix seconds. */
  exp?: number;
  /** Id of the secret that signed it. */
  k: string;
}

export type TokenFailure = 'malformed' | 'bad-signature' | 'expired' | 'wrong-purpose' | 'unknown-key';
export type TokenCheck =
  | {
      ok: true;
      payload: TokenPayload /** Past its `exp`, accepted because asked to (`acceptExpired`). */;
      expired?: true;
    }
  | { ok: false; reason: TokenFailure };

/** A signing secret: `id` travels in the token, `secret` never does. */
export interface TokenSecret {
  id: string;
  secret: string;
}

const SECRET_ID = /^[A-Za-z0-9_-]{1,32}$/;
const B64URL = /^[A-Za-z0-9_-]+$/;
const MAX_TOKEN = 2048;

/** Signs and verifies recipient tokens with a list of secrets (the first signs, all verify). */
export class TokenSigner {
  readonly #secrets: Map<string, Buffer>;
  readonly #signing: TokenSecret;
  readonly #now: () => Date;

  constructor(secrets: readonly TokenSecret[], opts: { now?: () => Date } = {}) {
    const first = secrets[0];
    if (first === undefined) throw new Error('TokenSigner needs at least one secret');
    this.#secrets = new Map();
    for (const s of secrets) {
      if (!SECRET_ID.test(s.id)) throw new Error(`token secret id "${s.id}" must match ${SECRET_ID}`);
      if (s.secret.length < 16) throw new Error(`token secret "${s.id}" must be at least 16 characters`);
      if (this.#secrets.has(s.id)) throw new Error(`token secret id "${s.id}" is listed twice`);
      this.#secrets.set(s.id, Buffer.from(s.secret, 'utf8'));
    }
    this.#signing = first;
    this.#now = opts.now ?? (() => new Date());
  }

  /** The id of the secret that signs new tokens. */
  get signingKeyId(): string {
    return this.#signing.id;
  }

  /** A compact token `base64url(payload).base64url(hmac)`; `k` and `v` are filled in. */
  sign(payload: Omit<TokenPayload, 'v' | 'k'> & { k?: string; v?: 1 }): string {
    const full: TokenPayload = { ...payload, v: 1, k: this.#signing.id };
    const body = Buffer.from(JSON.stringify(full), 'utf8').toString('base64url');
    return `${body}.${this.#mac(this.#secrets.get(this.#signing.id) as Buffer, body).toString('base64url')}`;
  }

  /**
   * Checks the signature (timing-safe), then expiry, then purpose. Never throws: anything odd is `malformed`.
   * The signature is checked before anything in the payload is trusted.
   */
  /** `acceptExpired`: a genuine token past its date passes, marked `expired` (an unsubscribe is honoured whatever its age). */
  verify(token: string, purpose: TokenPurpose, options: { acceptExpired?: boolean } = {}): TokenCheck {
    if (typeof token !== 'string' || token.length > MAX_TOKEN) return { ok: false, reason: 'malformed' };
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return { ok: false, reason: 'malformed' };
    const body = token.slice(0, dot);
    const sig = token.slice(dot + 1);
    if (!B64URL.test(body) || !B64URL.test(sig)) return { ok: false, reason: 'malformed' };
    let payload: unknown;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (!isPayload(payload)) return { ok: false, reason: 'malformed' };
    const secret = this.#secrets.get(payload.k);
    if (secret === undefined) return { ok: false, reason: 'unknown-key' };
    const expected = this.#mac(secret, body);
    const given = Buffer.from(sig, 'base64url');
    // The bytes alone ignore the spare bits of the last character (…L8 and …L9 decode alike): the text must be the
    // signature's own encoding too, or an altered link would pass.
    if (given.length !== expected.length || !timingSafeEqual(given, expected) || given.toString('base64url') !== sig) {
      return { ok: false, reason: 'bad-signature' };
    }
    if (payload.p !== purpose) return { ok: false, reason: 'wrong-purpose' };
    if (payload.exp !== undefined && payload.exp * 1000 <= this.#now().getTime()) {
      return options.acceptExpired ? { ok: true, payload, expired: true } : { ok: false, reason: 'expired' };
    }
    return { ok: true, payload };
  }

  /** An HMAC of arbitrary text under the signing secret (CSRF tokens bound to a link token). */
  mac(text: string): string {
    return this.#mac(this.#secrets.get(this.#signing.id) as Buffer, text).toString('base64url');
  }

  /** Timing-safe check of `mac(text)` against every secret (a page served before a rotation still posts). */
  checkMac(text: string, given: string): boolean {
    if (typeof given !== 'string' || !B64URL.test(given)) return false;
    const g = Buffer.from(given, 'base64url');
    if (g.toString('base64url') !== given) return false; // spare bits altered (see verify)
    let ok = false;
    for (const secret of this.#secrets.values()) {
      const e = this.#mac(secret, text);
      if (g.length === e.length && timingSafeEqual(g, e)) ok = true;
    }
    return ok;
  }

  #mac(secret: Buffer, text: string): Buffer {
    return createHmac('sha256', secret).update(text, 'utf8').digest();
  }
}

function isPayload(x: unknown): x is TokenPayload {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  return (
    o.v === 1 &&
    typeof o.p === 'string' &&
    (TOKEN_PURPOSES as readonly string[]).includes(o.p) &&
    typeof o.c === 'string' &&
    o.c.length > 0 &&
    typeof o.k === 'string' &&
    (o.ch === undefined || typeof o.ch === 'string') &&
    (o.n === undefined || typeof o.n === 'string') &&
    (o.exp === undefined || (typeof o.exp === 'number' && Number.isFinite(o.exp)))
  );
}

/** Parses `ASSENT_TOKEN_SECRETS` (`id:secret,id2:secret2`); throws an Error naming the setting. */
export function parseTokenSecrets(raw: string, name = 'ASSENT_TOKEN_SECRETS'): TokenSecret[] {
  const out: TokenSecret[] = [];
  for (const part of raw.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const colon = item.indexOf(':');
    const id = item.slice(0, colon);
    const secret = item.slice(colon + 1);
    if (colon <= 0 || !SECRET_ID.test(id) || secret.length < 16) {
      throw new Error(`${name} must be "id:secret,…" with ids of [A-Za-z0-9_-] and secrets of 16+ characters`);
    }
    out.push({ id, secret });
  }
  if (out.length === 0) throw new Error(`${name} lists no secret`);
  return out;
}

/** A fresh random secret (32 bytes, base64url) for a generated key. */
export function generateTokenSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Unix seconds `days` after `now`. */
export function expiresIn(now: Date, days: number): number {
  return Math.floor(now.getTime() / 1000) + Math.round(days * 86_400);
}

/** Where the secrets come from: the configuration when it lists some, else the database (generated once). */
export async function loadTokenSigner(
  store: Pick<import('../store/store.js').Store, 'addTokenSecret'>,
  config: { tokenSecrets: readonly TokenSecret[] | null },
  opts: { now?: () => Date } = {},
): Promise<TokenSigner> {
  if (config.tokenSecrets !== null && config.tokenSecrets.length > 0) return new TokenSigner(config.tokenSecrets, opts);
  const stored = await store.addTokenSecret({ ifNone: true });
  return new TokenSigner(
    stored.map((s) => ({ id: s.id, secret: s.secret })),
    opts,
  );
}
