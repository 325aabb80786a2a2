// Property tests: malformed and hostile bodies, params, queries and headers at every route never cause a 500,
// always answer problem+json when refused, and a refused request changes no data.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { openTestApp, snapshot, type TestApp } from './helpers.js';
import { ROUTES } from './routes-table.js';

for (const dialect of DIALECTS) {
  describe(`HTTP hostile input on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'HTTP hostile input'))) return;
    let t: TestApp;
    let before: string;
    beforeAll(async () => {
      t = await openTestApp({ dialect, config: { rateLimit: { max: 1_000_000, windowMs: 60_000 } } });
      const c = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
      await t.store.appendEvents([
        {
          contactId: c.id,
          type: 'consent.given',
          at: '2026-01-01T00:00:00Z',
          data: { channel: 'email' },
          recordedBy: 't',
        },
      ]);
      await t.store.putConsentText({ key: 'nl', version: '1', language: 'fr', body: 'Oui' });
      before = await snapshot(t.store);
    });
    afterAll(() => t.close());

    const nasty = fc.constantFrom(
      '__proto__',
      'constructor',
      '../../etc/passwd',
      '%00',
      '%E0%A4%A',
      '%2F..%2F',
      "'; drop table contacts; --",
      '\u0000',
      '\ud800',
      'a'.repeat(5000),
      '{}',
      '[]',
      'null',
    );
    const text = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), nasty);
    const hostileJson = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.dictionary(
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'contact', 'message', 'id'),
        fc.jsonValue({ maxDepth: 3 }),
      ),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 30 }),
      fc.constant({ __proto__: { admin: true }, jurisdiction: 'FR' }),
      fc.constant(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}')),
      fc.constant(Array.from({ length: 10_001 }, () => 0)),
    );
    const rawBody = fc.oneof(
      hostileJson.map((v) => JSON.stringify(v) ?? 'null'),
      text,
      fc.constantFrom('{"a":', '{"a":1}}', '\u0000\u0001', '['.repeat(10_000), '{"a":"\\ud800"}', '1e999999', ''),
    );
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON',
      'application/problem+json',
      'text/plain',
      'text/csv',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      '',
    );

    function safeEncode(s: string): string {
      try {
        return encodeURIComponent(s);
      } catch {
        return 'lone-surrogate';
      }
    }

    /** The route's own valid-looking body with one field made hostile: gets past the first checks. */
    function nearBody(body: unknown) {
      if (typeof body !== 'object' || body === null) return rawBody;
      const fields = Object.keys(body);
      return fc
        .record({ field: fc.constantFrom(...fields, '__proto__', 'extra'), value: hostileJson })
        .map(({ field, value }) => JSON.stringify({ ...body, [field]: value }));
    }

    /** A request at one of the routes, its parameters, query, headers and body hostile or malformed. */
    const hostileRequest = fc.constantFrom(...ROUTES).chain((route) =>
      fc.record({
        route: fc.constant(route),
        id: fc.oneof(text.map(safeEncode), nasty),
        query: fc.option(
          fc.dictionary(
            fc.constantFrom(
              'email',
              'phone',
              'externalId',
              'limit',
              'after',
              'jurisdiction',
              'channel',
              'x',
              '__proto__',
            ),
            text,
          ),
          { nil: undefined },
        ),
        body: fc.option(fc.oneof(rawBody, nearBody(route.body), nearBody(route.body)), { nil: undefined }),
        contentType,
        key: fc.constantFrom('admin', 'admin', 'admin', 'decide', 'read', 'write', 'revoked', 'none', 'garbage'),
        extraHeaders: fc.dictionary(
          fc.constantFrom('x-request-id', 'idempotency-key', 'accept', 'x-forwarded-for', 'x-api-key'),
          fc.string({ maxLength: 30 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
        ),
      }),
    );

    describe('hostile requests at every route', () => {
      it('never get a 500, always problem+json when refused, and a refused one changes nothing', async () => {
        await fc.assert(
          fc.asyncProperty(hostileRequest, async (h) => {
            const path = h.route.path.replace('{id}', h.id);
            const query = h.query === undefined ? '' : `?${new URLSearchParams(h.query).toString()}`;
            const key = h.key === 'none' ? null : h.key === 'garbage' ? 'Basic Zm9vOmJhcg==' : t.keys[h.key as 'admin'];
            const headers: Record<string, string> = { ...h.extraHeaders };
            if (h.body !== undefined && h.contentType !== '') headers['content-type'] = h.contentType;
            let res: Awaited<ReturnType<TestApp['call']>>;
            try {
              res = await t.call({
                method: h.route.method,
                url: `${path}${query}`,
                key: key === 'Basic Zm9vOmJhcg==' ? null : key,
                headers: key === 'Basic Zm9vOmJhcg==' ? { ...headers, authorization: key } : headers,
                ...(h.body === undefined ? {} : { payload: h.body }),
              });
            } catch (error) {
              // light-my-request refuses some URLs before they reach the app (as an HTTP parser would)
              if (error instanceof TypeError || /Invalid|URI/i.test(String(error))) return;
              throw error;
            }
            expect(res.statusCode, `${h.route.method} ${path}${query} ${res.body.slice(0, 300)}`).toBeLessThan(500);
            if (res.statusCode >= 400) {
              expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
              expect(res.json()).toMatchObject({ status: res.statusCode });
              expect(await snapshot(t.store)).toBe(before);
            } else {
              before = await snapshot(t.store);
            }
            expect(({} as Record<string, unknown>).polluted).toBeUndefined();
            expect(({} as Record<string, unknown>).admin).toBeUndefined();
          }),
          { numRuns: 600 },
        );
      });
    });

    describe('valid JSON nested thousands deep', () => {
      // A recursive reader or error message would overflow the stack: a 500, and a batch's good answers lost.
      const list = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
      const object = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
      const good = '{"id":"ok","jurisdiction":"FR","at":"2026-09-01T11:00:00+02:00","message":{"channel":"email"}}';

      it('gets its own error in place in a batch, the good request its answer', async () => {
        for (const deep of [list(5_000), object(5_000)]) {
          const res = await t.call({
            method: 'POST',
            url: '/v1/evaluate',
            key: t.keys.decide,
            headers: { 'content-type': 'application/json' },
            payload: `[${good},${deep}]`,
          });
          expect(res.statusCode, res.body).toBe(200);
          const [ok, bad] = res.json();
          expect(ok).toMatchObject({ id: 'ok', decision: 'deny' });
          expect(bad).toMatchObject({ error: { code: 'INVALID_REQUEST' } });
        }
      });

      it('is refused, never a 500, where a field takes it', async () => {
        const at = '"at":"2026-01-02T00:00:00Z"';
        for (const [url, body] of [
          ['/v1/evaluate', `{"jurisdiction":"FR",${at},"message":{"channel":"email"},"history":${list(5_000)}}`],
          ['/v1/decisions', `{"contact":{"email":"ana@example.fr"},"message":{"channel":${object(5_000)}}}`],
          ['/v1/events', `{"contact":{"email":"ana@example.fr"},"type":"purchase",${at},"evidence":${object(5_000)}}`],
          ['/v1/contacts', `{"jurisdiction":"FR","email":${list(5_000)}}`],
        ]) {
          const res = await t.call({
            method: 'POST',
            url: url as string,
            key: t.keys.admin,
            headers: { 'content-type': 'application/json' },
            payload: body as string,
          });
          expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }
        expect(await snapshot(t.store)).toBe(before);
      });
    });
  });
}
