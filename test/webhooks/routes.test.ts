// The /v1/webhooks routes through app.inject: admin keys only, problem+json errors, the secret shown once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/adapters/http/app.js';
import { loadConfig } from '../../src/config.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { type ApiScope, generateApiKeySecret } from '../../src/store/api-keys.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';

describe('webhook routes', () => {
  let dir: string;
  let store: Store;
  let app: FastifyInstance;
  let admin: string;
  let writer: string;
  const key = async (scopes: ApiScope[]): Promise<string> => {
    const { secret, hash, prefix } = generateApiKeySecret();
    await store.createApiKey({ name: scopes.join('+'), scopes, hash, prefix });
    return secret;
  };
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, as = admin) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${as}` }, ...(payload ? { payload } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assent-webhook-routes-'));
    store = await openStore({ databaseUrl: null, sqliteFile: join(dir, 'assent.db') });
    app = await buildApp({ store, packs: buildRegistry(), config: loadConfig({}, {}).server });
    admin = await key(['admin']);
    writer = await key(['write', 'read', 'decide']);
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes, shows the secret once, lists, tests, logs deliveries and unsubscribes', async () => {
    const created = await call('POST', '/v1/webhooks', {
      url: 'https://crm.example/assent',
      topics: ['consent.changed', 'objection.recorded'],
      description: 'CRM',
    });
    expect(created.statusCode).toBe(201);
    const hook = created.json();
    expect(hook).toMatchObject({ url: 'https://crm.example/assent', active: true, description: 'CRM' });
    expect(hook.secret).toMatch(/^whsec_/);
    const listed = await call('GET', '/v1/webhooks');
    expect(listed.json()).toEqual({ webhooks: [{ ...hook, secret: undefined }] });
    expect(listed.body).not.toContain(hook.secret);

    const test = await call('POST', `/v1/webhooks/${hook.id}/test`);
    expect(test.statusCode).toBe(202);
    expect(test.json()).toMatchObject({ topic: 'webhook.test', status: 'pending', attempts: 0, eventSeq: null });
    const log = await call('GET', `/v1/webhooks/${hook.id}/deliveries?limit=10&status=pending`);
    expect(log.statusCode).toBe(200);
    expect(log.json().deliveries).toEqual([test.json()]);

    expect((await call('DELETE', `/v1/webhooks/${hook.id}`)).statusCode).toBe(204);
    expect((await call('GET', '/v1/webhooks')).json()).toEqual({ webhooks: [] });
    const after = await call('GET', `/v1/webhooks/${hook.id}/deliveries`);
    expect(after.json().deliveries.map((d: { status: string }) => d.status)).toEqual(['cancelled']);
    const again = await call('DELETE', `/v1/webhooks/${hook.id}`);
    expect(again.statusCode).toBe(404);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await call('POST', `/v1/webhooks/${hook.id}/test`)).statusCode).toBe(404);
    expect((await call('GET', '/v1/webhooks/nope/deliveries')).statusCode).toBe(404);
  });

  it('refuses bad bodies and queries naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ url: 'https://x.example/', topics: ['consent.given'] }, '/topics/0'],
      [{ url: 'https://x.example/', topics: [] }, '/topics'],
      [{ topics: ['*'] }, '/url'],
      [{ url: 'ftp://x.example/', topics: ['*'] }, '/url'],
      [{ url: 'https://user:pw@x.example/', topics: ['*'] }, '/url'],
      [{ url: 'https://x.example/', topics: ['*'], secret: 'mine' }, '/secret'],
    ];
    for (const [body, pointer] of cases) {
      const res = await call('POST', '/v1/webhooks', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors[0]).toMatchObject({ in: 'body', pointer });
    }
    const hook = (await call('POST', '/v1/webhooks', { url: 'https://x.example/', topics: ['*'] })).json();
    for (const query of ['limit=0', 'limit=101', 'limit=ten', 'status=lost']) {
      expect((await call('GET', `/v1/webhooks/${hook.id}/deliveries?${query}`)).statusCode, query).toBe(400);
    }
  });

  it('needs an admin key on every webhook route', async () => {
    const routes: ['GET' | 'POST' | 'DELETE', string][] = [
      ['POST', '/v1/webhooks'],
      ['GET', '/v1/webhooks'],
      ['DELETE', '/v1/webhooks/x'],
      ['GET', '/v1/webhooks/x/deliveries'],
      ['POST', '/v1/webhooks/x/test'],
    ];
    for (const [method, url] of routes) {
      const body = method === 'POST' ? { url: 'https://x.example/', topics: ['*'] } : undefined;
      expect((await call(method, url, body, writer)).statusCode, `${method} ${url}`).toBe(403);
      expect((await app.inject({ method, url, ...(body ? { payload: body } : {}) })).statusCode).toBe(401);
    }
  });

  it('are in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/webhooks',
        '/v1/webhooks/{id}',
        '/v1/webhooks/{id}/deliveries',
        '/v1/webhooks/{id}/test',
      ]),
    );
  });
});
