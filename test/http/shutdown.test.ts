// Graceful shutdown on a real socket: a request in flight is answered, new connections are refused, and the
// store is closed only after the last answer.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../../src/adapters/http/server.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { makeKey } from './helpers.js';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('finishes the request in flight when shutdown begins, then closes the store', async () => {
  const store = await openStore({ databaseUrl: null, sqliteFile: join(dir, 'assent.db') });
  const key = await makeKey(store, ['read']);
  const events: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let entered!: () => void;
  const inFlight = new Promise<void>((resolve) => {
    entered = resolve;
  });
  // verifyLedger waits for the test: the request stays in flight as long as the test wants.
  const slow = new Proxy(store, {
    get(target, name, receiver) {
      if (name === 'verifyLedger') {
        return async () => {
          entered();
          await gate;
          events.push('answered');
          return target.verifyLedger();
        };
      }
      if (name === 'close') {
        return async () => {
          events.push('store closed');
          await target.close();
        };
      }
      return Reflect.get(target, name, receiver);
    },
  }) as Store;
  const config = loadConfig({ db: join(dir, 'assent.db'), port: '0', host: '127.0.0.1' }, {});
  const logged: string[] = [];
  const server = await startServer({ config, store: slow, logger: false, log: (l) => logged.push(l) });
  expect(logged.join('')).toContain(`serving ${server.url}`);

  const request = fetch(`${server.url}/v1/ledger/verify`, { headers: { authorization: `Bearer ${key}` } });
  await inFlight;
  const stopped = server.shutdown().then(() => events.push('shutdown done'));
  await new Promise((resolve) => setTimeout(resolve, 100));
  // no new connection is accepted while the last answer is pending
  await expect(fetch(`${server.url}/healthz`, { headers: { connection: 'close' } })).rejects.toThrow();
  expect(events).toEqual([]);

  release();
  const res = await request;
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ intact: true });
  await stopped;
  expect(events).toEqual(['answered', 'store closed', 'shutdown done']);
});

it('prints how to make the first key when the store has none', async () => {
  const config = loadConfig({ db: join(dir, 'empty.db'), port: '0' }, {});
  const logged: string[] = [];
  const server = await startServer({
    config,
    logger: false,
    log: (l) => logged.push(l),
    dbFlag: join(dir, 'empty.db'),
  });
  await server.shutdown();
  expect(logged.join('')).toContain('keys create --name admin --scope admin');
  expect(logged.join('')).toContain('no API key exists yet');
});

it('warns at start when the register profile it names cannot be used', async () => {
  const profile = join(dir, 'profile.json');
  writeFileSync(profile, '{"controler": {}}');
  const config = loadConfig({ db: join(dir, 'warn.db'), port: '0' }, { ASSENT_REGISTER_PROFILE: profile });
  const logged: string[] = [];
  const server = await startServer({ config, logger: false, log: (l) => logged.push(l) });
  await server.shutdown();
  expect(logged.join('')).toContain(
    `assent: warning: ASSENT_REGISTER_PROFILE ${profile}: /controler: is not a field here`,
  );
});

it('ends only once the large answers in flight are written out (assent serve, SIGTERM)', async () => {
  const db = join(dir, 'batches.db');
  const store = await openStore({ databaseUrl: null, sqliteFile: db });
  const key = await makeKey(store, ['decide']);
  await store.close();
  const server = spawn(process.execPath, [bin, '--db', db, 'serve', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  server.stderr.setEncoding('utf8').on('data', (c: string) => {
    err += c;
  });
  const url = await new Promise<string>((resolve, reject) => {
    server.once('exit', () => reject(new Error(`server exited: ${err}`)));
    const poll = setInterval(() => {
      const m = /serving (http:\/\/[^\s]+)/.exec(err);
      if (m) {
        clearInterval(poll);
        resolve(m[1] as string);
      }
    }, 20);
  });
  // Answers of about 4 MB each: requests across jurisdictions and channels, each answered with its reasons.
  const places = ['FR', 'DE', 'GB', 'US', 'ES', 'IT', 'BE', 'NL', 'AT', 'CH'];
  const channels = ['phone', 'email', 'sms', 'postal', 'automated_call'];
  const body = JSON.stringify(
    Array.from({ length: 10_000 }, (_, i) => ({
      id: `r${i}`,
      jurisdiction: places[i % places.length],
      at: '2026-09-01T11:00:00+02:00',
      message: { channel: channels[i % channels.length] },
      contact: { type: 'individual' },
    })),
  );
  let answering!: () => void;
  const firstAnswer = new Promise<void>((resolve) => {
    answering = resolve;
  });
  // Three batches of 10,000 in flight when the signal comes.
  const answers = [1, 2, 3].map(
    () =>
      new Promise<{ expected: number; received: number }>((resolve, reject) => {
        const req = httpRequest(
          `${url}/v1/evaluate`,
          {
            method: 'POST',
            agent: false,
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          },
          (res) => {
            answering();
            // A client slower than the server: 20 ms between chunks, as over a slow link.
            let received = 0;
            res.on('data', (c: Buffer) => {
              received += c.length;
              res.pause();
              setTimeout(() => res.resume(), 20);
            });
            res.on('close', () => resolve({ expected: Number(res.headers['content-length']), received }));
          },
        );
        req.on('error', reject);
        req.end(body);
      }),
  );
  // The signal comes once a first answer is being written (the slow client has it only in part).
  await firstAnswer;
  const exited = once(server, 'exit');
  server.kill('SIGTERM');
  for (const a of await Promise.all(answers)) expect(a.received).toBe(a.expected);
  const [code] = await exited;
  expect(code).toBe(0);
});
