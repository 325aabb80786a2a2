// An app on a temporary store (SQLite by default, or any dialect of the store suite), with one key per scope (and a
// revoked one), for app.inject tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { type AppDeps, buildApp } from '../../src/adapters/http/app.js';
import { loadConfig, type ServerConfig } from '../../src/config.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { type ApiScope, generateApiKeySecret } from '../../src/store/api-keys.js';
import type { StoreConfig } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, type Dialect } from '../store/dialects.js';

export const packs = buildRegistry();

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  /** Secrets: one key per scope, `all` (write+decide+read, not admin), and a revoked admin key. */
  keys: Record<ApiScope | 'all' | 'revoked', string>;
  /** app.inject with the admin key unless `key` says otherwise (null: no key). */
  call(opts: InjectOptions & { key?: string | null }): Promise<LightMyRequestResponse>;
  /** A folder of the test's own, for files it writes. */
  dir: string;
  /** SQL straight to the database, beside the app (tamper tests). */
  raw: (sql: string) => Promise<unknown[]>;
  /** Where the store is, for code that opens connections of its own (screening workers). */
  storeConfig: StoreConfig;
  close(): Promise<void>;
}

export function testConfig(overrides: Partial<ServerConfig> = {}): ServerConfig {
  return { ...loadConfig({}, {}).server, keyCacheMs: 0, ...overrides };
}

export async function makeKey(store: Store, scopes: ApiScope[], name = scopes.join('+')): Promise<string> {
  const { secret, hash, prefix } = generateApiKeySecret();
  await store.createApiKey({ name, scopes, hash, prefix });
  return secret;
}

export async function openTestApp(
  opts: {
    config?: Partial<ServerConfig>;
    store?: (store: Store) => Store;
    deps?: Partial<AppDeps>;
    dialect?: Dialect;
  } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(join(tmpdir(), 'assent-http-'));
  const { store: opened, raw, cleanup, config: storeConfig } = await (opts.dialect ?? (DIALECTS[0] as Dialect)).open();
  const store = opts.store ? opts.store(opened) : opened;
  const keys = {
    admin: await makeKey(opened, ['admin']),
    write: await makeKey(opened, ['write']),
    decide: await makeKey(opened, ['decide']),
    read: await makeKey(opened, ['read']),
    all: await makeKey(opened, ['write', 'decide', 'read']),
    revoked: await makeKey(opened, ['admin'], 'revoked'),
  };
  const revoked = (await opened.listApiKeys()).find((k) => k.name === 'revoked');
  await opened.revokeApiKey(revoked?.id as string);
  const app = await buildApp({ store, packs, config: testConfig(opts.config), ...opts.deps });
  return {
    app,
    store: opened,
    keys,
    dir,
    raw,
    storeConfig,
    call: ({ key, headers, ...rest }) => {
      const k = key === undefined ? keys.admin : key;
      return app.inject({ ...rest, headers: { ...(k === null ? {} : { authorization: `Bearer ${k}` }), ...headers } });
    },
    close: async () => {
      await app.close();
      await cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a refused request must leave alone: contacts, the ledger head, consent texts, API keys. */
export async function snapshot(store: Store): Promise<string> {
  const contacts = await store.listContacts({ after: null, limit: 100_000 });
  const ledger = await store.verifyLedger();
  const texts = await store.listConsentTexts();
  const keys = await store.listApiKeys();
  return JSON.stringify({
    contacts: contacts.map((c) => [c.id, c.updatedAt, c.identifiers.length]),
    ledger: [ledger.events, ledger.head],
    texts: texts.map((t) => t.id),
    keys: keys.map((k) => [k.id, k.revokedAt]),
  });
}

/** Asserts an RFC 9457 answer with this status, naming `pointer` when given. */
export function expectProblem(res: LightMyRequestResponse, status: number, pointer?: string): Record<string, unknown> {
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as Record<string, unknown>;
  expect(body).toMatchObject({
    status,
    type: expect.stringMatching(/^urn:assent:problem:/),
    title: expect.any(String),
  });
  expect(typeof body.detail).toBe('string');
  expect(typeof body.instance).toBe('string');
  expect(res.statusCode).toBe(status);
  if (pointer !== undefined) {
    expect(body.errors).toEqual([expect.objectContaining({ pointer, detail: expect.any(String) })]);
  }
  return body;
}

export const FR_PHONE = {
  id: 'r1',
  jurisdiction: 'FR',
  at: '2026-09-01T11:00:00+02:00',
  message: { channel: 'phone' },
  contact: { type: 'individual' },
};
