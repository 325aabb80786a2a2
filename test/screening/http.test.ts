import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { type IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/adapters/http/app.js';
import { importList } from '../../src/services/lists/import-list.js';
import type { StoreConfig } from '../../src/store/open-store.js';
import { openTestApp, packs, type TestApp, testConfig } from '../http/helpers.js';
import { seedMixed } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await seedMixed(t.store);
});
afterAll(() => t.close());

const at = '2026-03-03T11:00:00+01:00';

/** The mixed audience as the JSON route takes it (the streamed route's CSV below holds the same rows). */
const MIXED = {
  channel: 'email',
  purpose: 'offers',
  at,
  jurisdiction: 'FR',
  rows: [
    { email: 'ana@example.fr' },
    { email: 'bob@example.fr' },
    { email: 'nobody@example.fr' },
    { email: 'contact@acme.fr' },
    { phone: '12' },
    { externalId: 'crm-carla', channel: 'sms' },
  ],
};

describe('POST /v1/screenings', () => {
  it('answers the summary and the excluded rows (scope decide)', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/screenings',
      key: t.keys.decide,
      payload: MIXED,
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.summary).toMatchObject({ rows: 6, allowed: 2, excluded: 4, byBasis: { CONSENT: 1, LEGAL_PERSON: 1 } });
    expect(body.excluded.map((e: { row: number; reason: string }) => [e.row, e.reason])).toEqual([
      [2, 'REFUSED_AT_COLLECTION'],
      [3, 'CONTACT_NOT_FOUND'],
      [5, 'INVALID_ROW'],
      [6, 'NO_CONSENT'],
    ]);
  });

  it('records each screening: GET /v1/screenings and /v1/screenings/{id} (scope read)', async () => {
    const res = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload: MIXED });
    const { summary } = res.json();
    expect(summary.startedAt).toEqual(expect.any(String));
    const list = await t.call({ method: 'GET', url: '/v1/screenings?limit=5', key: t.keys.read });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().screenings[0]).toMatchObject({ id: summary.id, via: 'api' });
    // Paged by the last id of a page: a second screening, then the page after it holds the first.
    const second = (await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload: MIXED })).json();
    const newest = (await t.call({ method: 'GET', url: '/v1/screenings?limit=1', key: t.keys.read })).json();
    expect(newest.screenings.map((x: { id: string }) => x.id)).toEqual([second.summary.id]);
    const next = await t.call({
      method: 'GET',
      url: `/v1/screenings?limit=1&before=${second.summary.id}`,
      key: t.keys.read,
    });
    expect(next.json().screenings.map((x: { id: string }) => x.id)).toEqual([summary.id]);
    const unknown = await t.call({ method: 'GET', url: '/v1/screenings?before=nope', key: t.keys.read });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toEqual([expect.objectContaining({ in: 'query', pointer: '/before' })]);
    const one = await t.call({ method: 'GET', url: `/v1/screenings/${summary.id}`, key: t.keys.read });
    expect(one.json()).toMatchObject({
      id: summary.id,
      ranAt: summary.startedAt,
      at: '2026-03-03T10:00:00.000Z',
      channel: 'email',
      purpose: 'offers',
      jurisdiction: 'FR',
      audienceSha256: createHash('sha256').update(JSON.stringify(MIXED.rows)).digest('hex'),
      audienceRows: 6,
      allowed: 2,
      excluded: 4,
      counts: { byReason: { REFUSED_AT_COLLECTION: 1, CONTACT_NOT_FOUND: 1, INVALID_ROW: 1, NO_CONSENT: 1 } },
      outDir: null,
    });
    const none = await t.call({ method: 'GET', url: '/v1/screenings/nope', key: t.keys.read });
    expect(none.statusCode).toBe(404);
  });

  it('takes the offer of the message as the decision contract writes it, and refuses a sector no rule names', async () => {
    const call = (offer: unknown) =>
      t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload: { ...MIXED, offer } });
    const plain = (await call({ relatedToProfession: false })).json().summary;
    const banned = await call({ sector: 'energy_renovation' });
    expect(banned.statusCode, banned.body).toBe(200);
    // Energy renovation may not be prospected to consumers by email (C. consom. L223-1 al. 5, since 2025-07-02):
    // ana's consent no longer lets it through; the business address still does.
    expect(plain.allowed).toBe(2);
    expect(banned.json().summary).toMatchObject({ allowed: 1, byReason: { SECTOR_BAN: 3 } });
    const typo = await call({ sector: 'energy_renovaton' });
    expect([typo.statusCode, typo.json().errors?.[0]?.pointer]).toEqual([400, '/offer/sector']);
    expect((await call({ cheap: true })).statusCode).toBe(400);
  });

  it('refuses a phone screening while a required list is missing (409), unless dryRun', async () => {
    const payload = { channel: 'phone', at, jurisdiction: 'FR', rows: [{ phone: '06 12 34 56 70' }] };
    const res = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/bloctel list is required/);
    const dry = await t.call({
      method: 'POST',
      url: '/v1/screenings',
      key: t.keys.decide,
      payload: { ...payload, dryRun: true },
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().summary).toMatchObject({ allowed: 1, listProblems: [{ name: 'bloctel', problem: 'missing' }] });
  });

  it.each([
    ['an unknown channel', 'decide', { channel: 'pigeon', rows: [] }, 400],
    ['a malformed date', 'decide', { channel: 'email', at: 'soon', rows: [] }, 400],
    ['a key without the decide scope', 'read', { channel: 'email', rows: [] }, 403],
  ] as const)('refuses %s', async (_what, scope, payload, status) => {
    const res = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys[scope], payload });
    expect(res.statusCode).toBe(status);
  });
});

describe('POST /v1/screenings/stream', () => {
  const CSV = [
    'email,phone,external_id,channel,note',
    'ana@example.fr,,,,first',
    'bob@example.fr,,,,"refused, at collection"',
    'nobody@example.fr,,,,',
    'contact@acme.fr,,,,',
    ',12,,,bad phone',
    ',,crm-carla,sms,',
  ].join('\n');
  const url = `/v1/screenings/stream?channel=email&purpose=offers&at=${encodeURIComponent(at)}&jurisdiction=FR`;
  const post = (path: string, payload: string, contentType = 'text/csv', key = t.keys.decide) =>
    t.call({ method: 'POST', url: path, key, payload, headers: { 'content-type': contentType } });
  const lines = (body: string) =>
    body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

  it('answers one NDJSON line per row, in order, then the summary; the same outcomes as the JSON route', async () => {
    const res = await post(url, CSV);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const out = lines(res.body);
    expect(out.slice(0, -1).map((o) => [o.line, o.status, o.basis ?? o.reason])).toEqual([
      [2, 'allowed', 'CONSENT'],
      [3, 'excluded', 'REFUSED_AT_COLLECTION'],
      [4, 'excluded', 'CONTACT_NOT_FOUND'],
      [5, 'allowed', 'LEGAL_PERSON'],
      [6, 'excluded', 'INVALID_ROW'],
      [7, 'excluded', 'NO_CONSENT'],
    ]);
    expect(out[0].obligations).toContain('UNSUBSCRIBE_LINK');
    // The source the message must name (acme's address was found on its website), as allowed.csv gives it.
    expect([out[0], out[3]].map((o) => [o.source, o.listProblem])).toEqual([
      [null, null],
      [{ kind: 'public', provider: null }, null],
    ]);
    expect(out.at(-1).summary).toMatchObject({ rows: 6, allowed: 2, excluded: 4 });
    const json = await t.call({
      method: 'POST',
      url: '/v1/screenings',
      key: t.keys.decide,
      payload: MIXED,
    });
    const { id: _i, startedAt: _a, finishedAt: _b, durationMs: _c, ...streamed } = out.at(-1).summary;
    const { id: _j, startedAt: _d, finishedAt: _e, durationMs: _f, ...whole } = json.json().summary;
    expect(streamed).toEqual(whole);
    // Both are recorded, the streamed one naming the CSV it received by its SHA-256.
    const recorded = await t.call({ method: 'GET', url: `/v1/screenings/${out.at(-1).summary.id}`, key: t.keys.read });
    expect(recorded.statusCode, recorded.body).toBe(200);
    expect(recorded.json()).toMatchObject({
      via: 'api-stream',
      audienceSha256: createHash('sha256').update(CSV).digest('hex'),
      audienceRows: 6,
      excluded: 4,
    });
  });

  it('numbers the lines as an editor does, after a CR alone in a cell', async () => {
    const res = await post(url, 'email,note\nana@example.fr,"a\rb"\nbob@example.fr,c\rd\n\nnobody@example.fr,e\n');
    expect(res.statusCode, res.body).toBe(200);
    expect(lines(res.body).map((o) => o.line)).toEqual([2, 3, 5, undefined]);
  });

  it('takes other separators and the offer of the message', async () => {
    const res = await post(
      '/v1/screenings/stream?channel=email&at=2026-03-03T10:00:00Z&delimiter=tab&offer=relatedToProfession',
      'email\tname\ncontact@acme.fr\tAcme\n',
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(lines(res.body)[0]).toMatchObject({ line: 2, status: 'allowed', basis: 'LEGAL_PERSON' });
  });

  it('refuses before reading: a missing required list (409), no identifier column, JSON, bad options, scope', async () => {
    const phone = await post(`/v1/screenings/stream?channel=phone&at=${encodeURIComponent(at)}`, 'phone\n0612345670\n');
    expect(phone.statusCode).toBe(409);
    expect(phone.json().detail).toMatch(/bloctel list is required/);
    const dry = await post(
      `/v1/screenings/stream?channel=phone&dryRun=true&at=${encodeURIComponent(at)}`,
      'phone\n0612345670\n',
    );
    expect(dry.statusCode).toBe(200);
    const noId = await post(url, 'name\nAna\n');
    expect(noId.statusCode).toBe(400);
    expect(noId.json().detail).toMatch(/the request body has no identifier column/);
    expect((await post(url, '{"rows":[]}', 'application/json')).statusCode).toBe(415);
    const noChannel = await post('/v1/screenings/stream?purpose=x', CSV);
    expect(noChannel.statusCode).toBe(400);
    expect(noChannel.json().errors?.[0]?.pointer ?? noChannel.body).toMatch(/channel/);
    expect((await post(`${url}&offer=cheap`, CSV)).statusCode).toBe(400);
    const blank = await post('/v1/screenings/stream?channel=email&purpose=%20%20', CSV);
    expect([blank.statusCode, blank.json().errors?.[0]?.pointer]).toEqual([400, '/purpose']);
    // A misspelt sector would let a banned offer through: refused, naming the parameter.
    const typo = await post(`${url}&sector=energy_renovaton`, CSV);
    expect(typo.statusCode).toBe(400);
    expect(typo.json().errors?.[0]).toMatchObject({ in: 'query', pointer: '/sector' });
    expect((await post(`${url}&sector=energy_renovation`, CSV)).statusCode).toBe(200);
    expect((await post(url, CSV, 'text/csv', t.keys.read)).statusCode).toBe(403);
    // A country whose numbers nobody knows: refused as the CLI's -j is, not 200 with every number INVALID_ROW.
    const xx = await post(`${url}&jurisdiction=XX`, CSV);
    expect([xx.statusCode, xx.json().errors?.[0]]).toEqual([
      400,
      expect.objectContaining({ in: 'query', pointer: '/jurisdiction' }),
    ]);
    const json = await t.call({
      method: 'POST',
      url: '/v1/screenings',
      payload: { channel: 'email', jurisdiction: 'xx', rows: [{ email: 'a@example.fr' }] },
      key: t.keys.decide,
    });
    expect([json.statusCode, json.json().errors?.[0]?.pointer]).toEqual([400, '/jurisdiction']);
  });

  it('ends with an error line, not the summary, when the CSV turns malformed midway', async () => {
    const broken = `email\n${Array.from({ length: 2_500 }, () => 'ana@example.fr').join('\n')}\n"unclosed,quote\n`;
    const res = await post(url, broken);
    expect(res.statusCode).toBe(200);
    const out = lines(res.body);
    expect(out.at(-1)).toMatchObject({
      error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/malformed CSV/) },
    });
    expect(out.some((o) => 'summary' in o)).toBe(false);
  });

  it('streams an audience over the body limit through a real socket, reading the answer as it comes', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const rows = 12_000;
    const pad = 'x'.repeat(100);
    async function* body() {
      yield 'email,note\n';
      for (let i = 0; i < rows; i += 1_000) {
        yield Array.from(
          { length: 1_000 },
          (_, k) => `${k % 10 === 0 ? 'ana@example.fr' : `p${i + k}@example.fr`},${pad}\n`,
        ).join('');
      }
    }
    const res = await fetch(`${address}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.decide}`, 'content-type': 'text/csv' },
      body: Readable.toWeb(Readable.from(body())) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(200);
    let count = 0;
    let last = '';
    let pending = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      pending += Buffer.from(chunk).toString('utf8');
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const p of parts) {
        count++;
        last = p;
      }
    }
    expect(count).toBe(rows + 1);
    expect(JSON.parse(last).summary).toMatchObject({
      rows,
      allowed: rows / 10,
      byReason: { CONTACT_NOT_FOUND: rows * 0.9 },
    });
  });

  /** A CSV upload on a real socket, written by the test; node:http, not fetch (undici opens a spare connection
   *  after an abort, which holds close() open). */
  const upload = async () => {
    const address = t.app.server.listening
      ? `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`
      : await t.app.listen({ port: 0, host: '127.0.0.1' });
    const req = request(`${address}${url}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.keys.decide}`, 'content-type': 'text/csv' },
    });
    const answered = new Promise<IncomingMessage>((resolve) => req.once('response', resolve));
    return { address, req, answered };
  };

  it('stops when the client goes away, and the server goes on answering', async () => {
    const { address, req, answered } = await upload();
    req.on('error', () => {}); // the abort below
    req.write('email\n');
    for (let i = 0; i < 40; i++)
      req.write(`${Array.from({ length: 500 }, (_, k) => `q${i}-${k}@example.fr`).join('\n')}\n`);
    const res = await answered;
    expect(res.statusCode).toBe(200);
    const [first] = (await once(res, 'data')) as [Buffer];
    expect(first.toString()).toMatch(/^\{"line":2,/);
    const closed = once(req.socket as Socket, 'close');
    req.destroy();
    await closed;
    const health = await fetch(`${address}/healthz`, { headers: { connection: 'close' } });
    expect(health.status).toBe(200);
  });

  it('logs a client that goes away before the header as gone, not as a server error', async () => {
    const lines: string[] = [];
    let settled: () => void = () => {};
    const answered = new Promise<void>((resolve) => {
      settled = resolve;
    });
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        if (/went away|request completed|"level":50/.test(String(chunk))) settled();
        done();
      },
    });
    const logged = await openTestApp({ deps: { logger: { stream, level: 'info' } } });
    try {
      const address = await logged.app.listen({ port: 0, host: '127.0.0.1' });
      const req = request(`${address}${url}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${logged.keys.decide}`,
          'content-type': 'text/csv',
          'content-length': '100000',
          expect: '100-continue', // the server's "continue" says it took the request in
        },
      });
      req.on('error', () => {}); // the abort below
      await once(req, 'continue');
      req.write('ema'); // half a header
      req.destroy();
      await answered;
      const levels = lines.map((l) => JSON.parse(l) as { level: number });
      expect(
        levels.filter((l) => l.level >= 50),
        lines.join(''),
      ).toEqual([]);
      expect(lines.join('')).toContain('went away before the audience header');
    } finally {
      await logged.close();
    }
  });

  it('answers a malformed header with a 400 and drains the rest of a large upload (its socket is not held)', async () => {
    const { req, answered } = await upload();
    const uploaded = once(req, 'finish');
    req.write('"email"x,phone\n');
    const line = `${'a'.repeat(1000)}@example.fr,1\n`;
    for (let i = 0; i < 5_000; i++) req.write(line); // 5 MB: far more than the socket buffers hold
    req.end();
    const res = await answered;
    let body = '';
    res.on('data', (c: Buffer) => {
      body += c.toString();
    });
    await once(res, 'end');
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(body).detail).toMatch(/malformed CSV/);
    await uploaded; // without the drain the upload stalls here, the server's socket paused for good
  });

  describe('on worker threads, for a body announced at 1 MiB or more', () => {
    /** 12,000 rows, 1.4 MB: one in ten is ana (consented), the others strangers. */
    const big = `email,note\n${Array.from({ length: 12_000 }, (_, i) => `${i % 10 === 0 ? 'ana@example.fr' : `p${i}@example.fr`},${'x'.repeat(100)}`).join('\n')}\n`;
    const withConfig = async (storeConfig: StoreConfig) => {
      const app = await buildApp({ store: t.store, packs, config: testConfig(), storeConfig });
      const call = (payload: string) =>
        app.inject({
          method: 'POST',
          url,
          payload,
          headers: { authorization: `Bearer ${t.keys.decide}`, 'content-type': 'text/csv' },
        });
      return { app, call };
    };

    it('gives the lines the server thread gives', async () => {
      const pooled = await withConfig(t.storeConfig);
      try {
        const threaded = lines((await post(url, big)).body);
        const res = await pooled.call(big);
        expect(res.statusCode).toBe(200);
        const out = lines(res.body);
        expect(out.slice(0, -1)).toEqual(threaded.slice(0, -1));
        expect(out.at(-1).summary).toMatchObject({ rows: 12_000, allowed: 1_200 });
      } finally {
        await pooled.app.close();
      }
    });

    it('takes the worker path only for a large body (a store the workers cannot open shows it)', async () => {
      const unreachable = await withConfig({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', sqliteFile: '' });
      try {
        const small = await unreachable.call(CSV);
        expect(lines(small.body).at(-1).summary).toMatchObject({ rows: 6 });
        const large = lines((await unreachable.call(big)).body);
        // The cause (ECONNREFUSED) goes to the server's log; the client gets the request id, as with a 500.
        expect(large.at(-1)).toMatchObject({ error: { code: 'INTERNAL', requestId: expect.any(String) } });
      } finally {
        await unreachable.app.close();
      }
    });

    it('the JSON route too, from 20,000 rows: the same answer as the server thread', async () => {
      const rows = Array.from({ length: 20_000 }, (_, i) => ({
        email: i % 10 === 0 ? 'ana@example.fr' : `p${i}@example.fr`,
      }));
      const payload = { ...MIXED, rows };
      const threaded = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload });
      const strip = (body: { summary: Record<string, unknown>; excluded: unknown[] }) => {
        const { id: _i, startedAt: _a, finishedAt: _b, durationMs: _c, ...summary } = body.summary;
        return { summary, excluded: body.excluded };
      };
      for (const [config, status] of [
        [t.storeConfig, 200],
        // Proof the workers ran: their store cannot be reached (503, the database down, worth retrying).
        [{ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', sqliteFile: '' }, 503],
      ] as const) {
        const { app } = await withConfig(config);
        try {
          const res = await app.inject({
            method: 'POST',
            url: '/v1/screenings',
            payload,
            headers: { authorization: `Bearer ${t.keys.decide}` },
          });
          expect(res.statusCode).toBe(status);
          if (status === 200) expect(strip(res.json())).toEqual(strip(threaded.json()));
        } finally {
          await app.close();
        }
      }
    });
  });
});

// Last: it imports Bloctel into the shared store, which the refusals above need missing.
describe('a screening without a jurisdiction', () => {
  it('needs France’s lists up front, as the CLI does: not every country’s', async () => {
    const payload = { channel: 'phone', at, rows: [{ phone: '06 12 34 56 70' }] };
    const missing = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload });
    expect(missing.statusCode).toBe(409);
    expect(missing.json().detail).toMatch(/^screening refused: the bloctel list is required/);
    expect(missing.json().detail).not.toMatch(/tps|dnc|robinson/);
    writeFileSync(join(t.dir, 'bloctel.txt'), '+33699999999\n');
    await importList(t.store, { file: join(t.dir, 'bloctel.txt'), name: 'bloctel', asOf: '2026-02-20', country: 'FR' });
    const res = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().summary).toMatchObject({ rows: 1, allowed: 1, byBasis: { OPT_OUT_REGIME: 1 } });
  });
});
