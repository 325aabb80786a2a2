// Health, metrics, the OpenAPI document and its page, limits, security headers, logs without personal data.
import { type AddressInfo, connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loggedUrl } from '../../src/adapters/http/logging.js';
import type { Store } from '../../src/store/store.js';
import { expectProblem, FR_PHONE, openTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp({ config: { bodyLimit: 2048, batchBodyLimit: 64 * 1024 } });
});
afterAll(() => t.close());

describe('operations', () => {
  it('answers /healthz and /readyz without a key', async () => {
    expect((await t.call({ method: 'GET', url: '/healthz', key: null })).json()).toEqual({ status: 'ok' });
    expect((await t.call({ method: 'GET', url: '/readyz', key: null })).json()).toEqual({ status: 'ready' });
  });

  it('answers /readyz 503 when the store does not answer, and a 500 that tells nothing of the internals', async () => {
    const failing = (s: Store) =>
      new Proxy(s, {
        get(target, key, receiver) {
          if (key === 'getConsentText' || key === 'verifyLedger') {
            return async () => {
              throw new Error('SQLITE_CORRUPT at /srv/secret/path.db');
            };
          }
          return Reflect.get(target, key, receiver);
        },
      });
    const broken = await openTestApp({ store: failing });
    try {
      expectProblem(await broken.call({ method: 'GET', url: '/readyz', key: null }), 503);
      const res = await broken.call({ method: 'GET', url: '/v1/ledger/verify' });
      const p = expectProblem(res, 500);
      expect(res.body).not.toContain('SQLITE');
      expect(res.body).not.toContain('/srv');
      expect(p.requestId).toBe(res.headers['x-request-id']);
    } finally {
      await broken.close();
    }
  });

  it('serves Prometheus metrics to a read key, counted by route template and status', async () => {
    await t.call({ method: 'GET', url: '/v1/contacts/some-id' });
    const res = await t.call({ method: 'GET', url: '/metrics', key: t.keys.read });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toMatch(/assent_http_requests_total\{method="GET",route="\/v1\/contacts\/:id",status="404"\} 1/);
    expect(res.body).toContain('assent_http_request_duration_seconds_bucket');
    expectProblem(await t.call({ method: 'GET', url: '/metrics', key: t.keys.decide }), 403);
  });

  it('publishes an OpenAPI 3.1 document from the route schemas, and an offline reference page', async () => {
    const doc = (await t.call({ method: 'GET', url: '/openapi.json', key: null })).json();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.schemas).toHaveProperty('DecisionRequest');
    expect(doc.components.schemas).toHaveProperty('Problem');
    const evaluate = doc.paths['/v1/evaluate'].post;
    expect(evaluate.description).toContain('Scope: `decide`');
    expect(evaluate.requestBody.content['application/json'].schema).toBeDefined();
    expect(evaluate.responses['4XX'] ?? evaluate.responses['4xx']).toBeDefined();
    // Bodies and answers that are not JSON are described as what they are.
    expect(Object.keys(doc.paths['/v1/screenings/stream'].post.requestBody.content)).toEqual(['text/csv']);
    expect(Object.keys(doc.paths['/v1/register'].get.responses['200'].content)).toEqual([
      'application/json',
      'text/markdown',
    ]);
    // Every API operation documents its problem+json answers.
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, { responses: object }>>)) {
      if (!path.startsWith('/v1/')) continue;
      for (const [method, op] of Object.entries(ops)) {
        expect(Object.keys(op.responses), `${method} ${path}`).toEqual(expect.arrayContaining(['4XX', '5XX']));
      }
    }
    // The consent-form routes say what they answer.
    for (const [path, method] of [
      ['/v1/consent-forms', 'post'],
      ['/v1/consent-forms', 'get'],
      ['/v1/consent-forms/{id}', 'get'],
      ['/v1/consent-forms/{id}', 'put'],
      ['/v1/consent-forms/{id}', 'delete'],
      ['/v1/consent-requests/stats', 'get'],
      ['/v1/consent-requests/sweep', 'post'],
    ] as const) {
      expect(
        Object.keys(doc.paths[path][method].responses).some((k) => /^2\d\d$/.test(k)),
        `${method} ${path}`,
      ).toBe(true);
    }
    expect(Object.keys(doc.paths['/v1/events'].post.responses)).toEqual(expect.arrayContaining(['200', '201']));
    expect(doc.paths['/healthz'].get.security).toEqual([]);
    // The SMS provider's callback is documented too, with both body types it accepts.
    const inbound = doc.paths['/v1/sms/inbound'].post;
    expect(Object.keys(inbound.requestBody.content)).toEqual(['application/json', 'application/x-www-form-urlencoded']);
    expect(inbound.security).toContainEqual({ smsSignature: [] });
    expect(inbound.description).toContain('X-Assent-Signature');
    const page = await t.call({ method: 'GET', url: '/docs', key: null });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets.length).toBeGreaterThan(3);
    for (const a of assets) {
      expect(a.startsWith('/docs/')).toBe(true);
      expect((await t.call({ method: 'GET', url: a, key: null })).statusCode).toBe(200);
    }
    const init = await t.call({ method: 'GET', url: '/docs/static/swagger-initializer.js', key: null });
    // no online validator badge, no spec fetched from elsewhere: the page works offline
    expect(init.body).toContain('validatorUrl: null');
    expect(init.body).toContain("url: resolveUrl('./json')");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('answers unknown routes, wrong media types and malformed JSON with problems', async () => {
    expectProblem(await t.call({ method: 'GET', url: '/v2/nothing', key: null }), 404);
    const wrongMethod = await t.call({ method: 'DELETE', url: '/v1/evaluate' });
    expectProblem(wrongMethod, 405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect(wrongMethod.json().detail).toBe('DELETE is not allowed on /v1/evaluate: use POST');
    const onItem = await t.call({ method: 'PUT', url: '/v1/contacts/some-id?x=1' });
    expectProblem(onItem, 405);
    expect(onItem.headers.allow).toMatch(/GET/);
    expectProblem(await t.call({ method: 'GET', url: '/v1/contacts/some-id/nothing' }), 404);
    const xml = await t.call({
      method: 'POST',
      url: '/v1/evaluate',
      payload: '<a/>',
      headers: { 'content-type': 'application/xml' },
    });
    expectProblem(xml, 415);
    expect(xml.json().detail).toMatch(/send the body as Content-Type: application\/json/);
    const text = await t.call({
      method: 'POST',
      url: '/v1/contacts',
      payload: 'hi',
      headers: { 'content-type': 'text/plain' },
    });
    expectProblem(text, 415);
    const bad = await t.call({
      method: 'POST',
      url: '/v1/contacts',
      payload: '{"a":',
      headers: { 'content-type': 'application/json' },
    });
    // What is wrong, not only "not valid JSON": the parser's message and position, or the forbidden key.
    expect(expectProblem(bad, 400).detail).toMatch(/^Body is not valid JSON: .*(end of JSON input|position 5)/);
    for (const payload of ['{"jurisdiction":"FR","__proto__":{"admin":true}}', '{"constructor":{"prototype":{}}}']) {
      const poisoned = await t.call({
        method: 'POST',
        url: '/v1/contacts',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(expectProblem(poisoned, 400).detail).toBe(
        'Body has a "__proto__" or "constructor": {"prototype": …} key: such keys are refused anywhere in a body',
      );
    }
    expectProblem(await t.call({ method: 'GET', url: '/v1/contacts/%E0%A4%A' }), 400);
  });

  it('limits body sizes, with a larger limit on the batch routes only', async () => {
    const big = { jurisdiction: 'FR', externalId: 'x'.repeat(4000) };
    const tooBig = await t.call({ method: 'POST', url: '/v1/contacts', payload: big });
    expectProblem(tooBig, 413);
    expect(tooBig.json().detail).toMatch(/the limit is ASSENT_BODY_LIMIT/);
    const batch = Array.from({ length: 30 }, () => FR_PHONE); // ~4 KB: over bodyLimit, under batchBodyLimit
    expect((await t.call({ method: 'POST', url: '/v1/evaluate', payload: batch })).statusCode).toBe(200);
    const huge = [{ ...FR_PHONE, id: 'x'.repeat(70_000) }];
    expectProblem(await t.call({ method: 'POST', url: '/v1/decisions', payload: huge }), 413);
  });

  it('sets security headers and echoes a sane X-Request-Id', async () => {
    const res = await t.call({ method: 'GET', url: '/healthz', key: null, headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['cache-control']).toBe('no-store');
    // Pages get helmet's full set; JSON answers the API's.
    const page = await t.call({ method: 'GET', url: '/docs', key: null });
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    const odd = await t.call({ method: 'GET', url: '/healthz', key: null, headers: { 'x-request-id': 'a b\u00e9' } });
    expect(odd.headers['x-request-id']).not.toBe('a b\u00e9');
  });
});

describe('rate limits', () => {
  it('answers 429 problem+json with Retry-After, per key, and per IP before a key is known', async () => {
    const limited = await openTestApp({ config: { rateLimit: { max: 3, windowMs: 60_000 } } });
    try {
      for (let i = 0; i < 3; i++)
        expect((await limited.call({ method: 'GET', url: '/v1/consent-texts' })).statusCode).toBe(200);
      const res = await limited.call({ method: 'GET', url: '/v1/consent-texts' });
      expectProblem(res, 429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      // another key has a bucket of its own
      expect((await limited.call({ method: 'GET', url: '/v1/consent-texts', key: limited.keys.read })).statusCode).toBe(
        200,
      );
      for (let i = 0; i < 3; i++) await limited.call({ method: 'GET', url: '/openapi.json', key: null });
      expectProblem(await limited.call({ method: 'GET', url: '/openapi.json', key: null }), 429);
      // The probes are not limited: junk traffic from the address of a proxy must not make the orchestrator restart
      // a healthy process.
      for (const url of ['/healthz', '/readyz']) {
        expect((await limited.call({ method: 'GET', url, key: null })).statusCode).toBe(200);
      }
      // One-click unsubscribes keep their own, larger budget whatever the server-wide limit: here 3 a minute.
      for (let i = 0; i < 6; i++) {
        const res = await limited.call({
          method: 'POST',
          url: '/u/abc.def',
          key: null,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'List-Unsubscribe=One-Click',
        });
        expect(res.statusCode).toBe(400); // a forged token, not a 429
      }
    } finally {
      await limited.close();
    }
  });

  it('gives ledger verification a tighter limit of its own', async () => {
    for (let i = 0; i < 6; i++)
      expect((await t.call({ method: 'GET', url: '/v1/ledger/verify' })).statusCode).toBe(200);
    expectProblem(await t.call({ method: 'GET', url: '/v1/ledger/verify' }), 429);
    expect((await t.call({ method: 'GET', url: '/v1/consent-texts' })).statusCode).toBe(200);
  });

  it("counts a costly route's budget only for valid requests, apart from the other costly routes", async () => {
    const own = await openTestApp();
    try {
      const purge = (payload: object) => own.call({ method: 'POST', url: '/v1/retention/purge', payload });
      for (let i = 0; i < 8; i++) expect((await purge({ by: 'typo' })).statusCode).toBe(400);
      for (let i = 0; i < 6; i++) expect((await purge({ dryRun: true })).statusCode).toBe(200);
      const limited = await purge({ dryRun: true });
      expectProblem(limited, 429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect((await own.call({ method: 'GET', url: '/v1/register' })).statusCode).toBe(200);
    } finally {
      await own.close();
    }
  });
});

describe('logs', () => {
  it('keep credentials, emails, phones and bodies out', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logged = await openTestApp({ deps: { logger: { stream, level: 'trace' } } });
    const hidden = 'TOKENc2VjcmV0LXRva2Vu'; // a recipient-link token, under other spellings of its path
    try {
      await logged.call({
        method: 'POST',
        url: '/v1/contacts',
        payload: { jurisdiction: 'FR', email: 'secret.person@example.fr', phone: '0612345678' },
      });
      await logged.call({ method: 'GET', url: '/v1/contacts?email=secret.person@example.fr' });
      await logged.call({ method: 'GET', url: '/v1/contacts', headers: { 'x-api-key': logged.keys.read } });
      await logged.call({
        method: 'POST',
        url: '/v1/contacts',
        payload: { jurisdiction: 'FR', email: 'secret.person@example.fr' },
      });
      // Recipient links act for the person: their tokens stay out of the log, valid or not.
      await logged.app.inject({ url: '/p/eyJwIjoicHJlZmVyZW5jZXMiLCJzZWNyZXQtdG9rZW4ifQ.c2lnbmF0dXJl' });
      await logged.app.inject({ method: 'POST', url: '/u/eyJzZWNyZXQtdG9rZW4ifQ.c2lnbmF0dXJl?channel=email' });
      // Spelled otherwise: percent-encoded (served as /u/…), doubled slash, upper case (404s).
      const spelled = ['/%75/', '//p/', '/P/', '/%2Fu/'].map((prefix) => `${prefix}${hidden}`);
      for (const url of spelled) await logged.app.inject({ url });
      // An email or a number where a contact id goes (a 404): the path is logged without it.
      await logged.call({ method: 'GET', url: '/v1/contacts/secret.person%40example.fr/access' });
      await logged.call({ method: 'GET', url: '/v1/contacts/+33%20612345678/history' });
      const all = lines.join('');
      // One line per request, written when it is answered.
      expect(lines.filter((l) => l.includes('"msg":"request completed"'))).toHaveLength(8 + spelled.length);
      expect(all).toContain('"url":"/u/[token]"');
      expect(all).toContain('"url":"/v1/contacts/[redacted]/access"');
      expect(all).toContain('/v1/contacts');
      expect(all).toContain('"url":"/p/[token]"');
      const secrets = [
        'secret.person',
        '612345678',
        logged.keys.admin,
        logged.keys.read,
        'eyJ',
        'c2lnbmF0dXJl',
        hidden,
      ];
      for (const secret of secrets) expect(all).not.toContain(secret);
      // A path that does not decode is redacted whole (the router answers 400 without a request line, but still).
      expect(loggedUrl(`/p%ZZ/${hidden}`)).toBe('[redacted]');
      // Spellings a mail program or a client may turn a link into (404s, but logged): the token never shows.
      for (const path of ['/./u/', '/x/../p/', '/;/u/', '\\u\\', 'http://h.example/u/', '/U/']) {
        expect(loggedUrl(`${path}${hidden}`)).toMatch(/^\/[up]\/\[token\]$/);
      }
      expect(loggedUrl('/v1/contacts')).toBe('/v1/contacts');
    } finally {
      await logged.close();
    }
  });
});

describe('requests the HTTP parser refuses', () => {
  it('answer problem+json too: a URL with raw UTF-8, headers too large', async () => {
    const served = await openTestApp();
    const app = served.app;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const raw = (request: Buffer) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let answer = '';
        socket.on('data', (d) => {
          answer += d.toString('utf8');
        });
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    try {
      const utf8 = await raw(Buffer.from('GET /v1/contacts?email=zoë@example.fr HTTP/1.1\r\nHost: x\r\n\r\n', 'utf8'));
      expect(utf8).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
      expect(utf8).toContain('Content-Type: application/problem+json');
      const body = JSON.parse(utf8.slice(utf8.indexOf('\r\n\r\n') + 4));
      expect(body).toMatchObject({ type: 'urn:assent:problem:bad-request', status: 400, code: 'BAD_REQUEST' });
      expect(body.detail).toContain('must be percent-encoded');
      const huge = await raw(Buffer.from(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      expect(huge).toMatch(/^HTTP\/1.1 431 /);
    } finally {
      await served.close();
    }
  });
});
