// Graceful shutdown on a real socket: a request in flight is answered, new connections are refused, and the
// store is closed only after the last answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { startServer } from '../../src/adapters/http/server.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/open-store.js';
import type { Store } from '../../src/store/store.js';
import { makeKey } from './helpers.js';

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
