// Every route refuses a missing key (401), a revoked key (401) and a key without its scope (403): one table.
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiScope } from '../../src/store/api-keys.js';
import { expectProblem, makeKey, openTestApp, type TestApp } from './helpers.js';
import { type Method, ROUTES, type RouteCase } from './routes-table.js';

/** A key with every scope but the one needed (admin routes: every scope but admin). */
const UNDER: Record<ApiScope, ApiScope[]> = {
  admin: ['write', 'decide', 'read'],
  write: ['decide', 'read'],
  decide: ['write', 'read'],
  read: ['write', 'decide'],
};

interface Operation {
  description?: string;
  security?: unknown[];
}

// Built at collection time, so each route is a test of its own.
const t: TestApp = await openTestApp();
const under: Record<ApiScope, string> = {
  admin: await makeKey(t.store, UNDER.admin),
  write: await makeKey(t.store, UNDER.write),
  decide: await makeKey(t.store, UNDER.decide),
  read: await makeKey(t.store, UNDER.read),
};
const doc = (await t.call({ method: 'GET', url: '/openapi.json' })).json() as {
  paths: Record<string, Record<string, Operation>>;
};
const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
  Object.entries(ops).map(([m, op]) => ({ method: m.toUpperCase() as Method, path, op })),
);
const known = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
// Routes other adapters add (webhooks…) are taken from the OpenAPI document, with the scope it declares.
const others: RouteCase[] = documented
  .filter((d) => !known.has(`${d.method} ${d.path}`))
  .map((d) => ({
    method: d.method,
    path: d.path,
    scope:
      d.op.security?.length === 0
        ? 'public'
        : ((/Scope: `(\w+)`/.exec(d.op.description ?? '')?.[1] as ApiScope | undefined) ?? 'admin'),
    body: {},
  }));
afterAll(() => t.close());
// Routes that check their own credentials (a key or a signature): their tests are with them.
const selfChecked = new Set(['POST /v1/sms/inbound']); // test/web/unsubscribe.test.ts

const send = (r: RouteCase, key: string | null) =>
  t.call({
    method: r.method,
    url: r.path.replace('{id}', 'some-id'),
    key,
    ...(r.body === undefined ? {} : { payload: r.body as object }),
  });

describe('the auth matrix', () => {
  it('lists every documented route (the table cannot drift from the app)', () => {
    const inDoc = new Set(documented.map((d) => `${d.method} ${d.path}`));
    expect(ROUTES.filter((r) => !inDoc.has(`${r.method} ${r.path}`))).toEqual([]);
    expect(documented.length).toBe(ROUTES.length + others.length);
  });

  it.each(
    [...ROUTES, ...others]
      .filter((r) => !selfChecked.has(`${r.method} ${r.path}`))
      .map((r) => [`${r.method} ${r.path} (${r.scope})`, r] as const),
  )('%s: refuses a missing, revoked or under-scoped key; lets its scope in', async (name, r) => {
    if (r.scope === 'public') {
      expect((await send(r, null)).statusCode, name).toBe(200);
      return;
    }
    const missing = await send(r, null);
    expect(expectProblem(missing, 401).detail, name).toContain('Authorization: Bearer');
    expect(missing.headers['www-authenticate'], name).toBe('Bearer realm="assent"');
    expect(expectProblem(await send(r, t.keys.revoked), 401).detail, name).toContain('revoked');
    expect(expectProblem(await send(r, `ak_${'x'.repeat(43)}`), 401).detail, name).toContain('not known');
    expect(expectProblem(await send(r, 'garbage'), 401).code, name).toBe('UNAUTHORIZED');
    expect(expectProblem(await send(r, under[r.scope]), 403).detail, name).toContain(r.scope);
    const allowed = await send(r, r.scope === 'admin' ? t.keys.admin : t.keys[r.scope]);
    expect([401, 403], `${name} with a ${r.scope} key`).not.toContain(allowed.statusCode);
    expect([401, 403], `${name} with an admin key`).not.toContain((await send(r, t.keys.admin)).statusCode);
  });

  it('accepts the key in X-API-Key too, and a lower-case bearer scheme', async () => {
    const viaHeader = await t.app.inject({
      method: 'GET',
      url: '/v1/consent-texts',
      headers: { 'x-api-key': t.keys.read },
    });
    expect(viaHeader.statusCode).toBe(200);
    const lower = await t.app.inject({
      method: 'GET',
      url: '/v1/consent-texts',
      headers: { authorization: `bearer ${t.keys.read}` },
    });
    expect(lower.statusCode).toBe(200);
  });

  it('refuses a key revoked while the server runs (no cache in tests), and records when keys are used', async () => {
    const secret = await makeKey(t.store, ['read'], 'short-lived');
    expect((await t.call({ method: 'GET', url: '/v1/consent-texts', key: secret })).statusCode).toBe(200);
    const key = (await t.store.listApiKeys()).find((k) => k.name === 'short-lived');
    expect(key?.lastUsedAt).not.toBeNull();
    await t.store.revokeApiKey(key?.id as string);
    expectProblem(await t.call({ method: 'GET', url: '/v1/consent-texts', key: secret }), 401);
  });
});
