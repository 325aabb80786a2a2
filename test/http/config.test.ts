// Server settings: flags, then PORT/HOST and ASSENT_* variables, then documented defaults.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openTestApp } from './helpers.js';

describe('server configuration', () => {
  it('defaults to 127.0.0.1:8080 and documented limits', () => {
    expect(loadConfig({}, {}).server).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      bodyLimit: 1 << 20,
      batchBodyLimit: 16 << 20,
      rateLimit: { max: 6000, windowMs: 60_000 },
      trustProxy: false,
      keyCacheMs: 5000,
      registerProfile: null,
      retentionPurgeMs: 0,
    });
  });

  it('takes flags over the environment, and the environment over defaults', () => {
    const env = { PORT: '9000', HOST: '0.0.0.0', ASSENT_RATE_LIMIT: '50', ASSENT_TRUST_PROXY: 'true' };
    expect(loadConfig({}, env).server).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      rateLimit: { max: 50 },
      trustProxy: 1, // `true` is the nearest proxy, not every address in X-Forwarded-For
    });
    expect(loadConfig({ port: '7000', host: '::1' }, env).server).toMatchObject({ port: 7000, host: '::1' });
    expect(loadConfig({}, { DATABASE_URL: '' }).databaseUrl).toBeNull();
    expect(loadConfig({}, { ASSENT_RETENTION_PURGE_HOURS: '24' }).server.retentionPurgeMs).toBe(86_400_000);
    expect([loadConfig({}, { ASSENT_WORKER: '2' }).server.worker, loadConfig({}, {}).server.worker]).toEqual([2, null]);
  });

  it('is the one place that reads the environment', () => {
    const src = fileURLToPath(new URL('../../src/', import.meta.url));
    const readers = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && f !== 'config.ts' && readFileSync(join(src, f), 'utf8').includes('process.env'),
    );
    expect(readers).toEqual([]);
  });

  it('names the setting it cannot use', () => {
    expect(() => loadConfig({}, { PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ port: '70000' }, {})).toThrow(/--port/);
    expect(() => loadConfig({}, { ASSENT_BODY_LIMIT: '-1' })).toThrow(/ASSENT_BODY_LIMIT/);
    expect(() => loadConfig({}, { ASSENT_RETENTION_PURGE_HOURS: 'daily' })).toThrow(
      'ASSENT_RETENTION_PURGE_HOURS must be a whole number from 0 to 596; got "daily"',
    );
    // Node's timers hold 2^31-1 ms: a monthly setting (720 h) would fire back to back.
    expect(() => loadConfig({}, { ASSENT_RETENTION_PURGE_HOURS: '720' })).toThrow(/from 0 to 596/);
  });

  it('reads ASSENT_TRUST_PROXY as off, a hop count or proxy addresses, and refuses anything else', () => {
    const trust = (v: string) => loadConfig({}, { ASSENT_TRUST_PROXY: v }).server.trustProxy;
    for (const off of ['', 'false', 'FALSE', '0']) expect(trust(off), off).toBe(false);
    expect(trust('true')).toBe(1);
    expect(trust('1')).toBe(1);
    expect(trust(' 2 ')).toBe(2);
    expect(trust('10.0.0.1, 192.168.0.0/16,::1,fd00::/8')).toEqual(['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8']);
    for (const bad of ['yes', '-1', '1.5', '33', '10.0.0.1,', '10.0.0.0/33', '10.0.0.0/0', 'fd00::/129', 'proxy.lan']) {
      expect(() => trust(bad), bad).toThrow(`ASSENT_TRUST_PROXY must be false, true (1 hop)`);
      expect(() => trust(bad), bad).toThrow(`got "${bad}"`);
    }
  });

  it('believes only the trusted proxies in X-Forwarded-For: a client cannot pick its own IP', async () => {
    const ipFor = async (setting: string, remoteAddress: string, forwarded: string) => {
      const trustProxy = loadConfig({}, { ASSENT_TRUST_PROXY: setting }).server.trustProxy;
      const served = await openTestApp({ config: { trustProxy } });
      try {
        served.app.get('/test/ip', { config: { scope: 'public' } }, async (request) => ({ ip: request.ip }));
        const res = await served.app.inject({
          url: '/test/ip',
          remoteAddress,
          headers: { 'x-forwarded-for': forwarded },
        });
        return (res.json() as { ip: string }).ip;
      } finally {
        await served.close();
      }
    };
    // 6.6.6.6 is what the client wrote; 10.0.0.5 is what the proxy at 127.0.0.1 saw.
    expect(await ipFor('true', '127.0.0.1', '6.6.6.6, 10.0.0.5')).toBe('10.0.0.5');
    expect(await ipFor('1', '127.0.0.1', '6.6.6.6, 10.0.0.5')).toBe('10.0.0.5');
    expect(await ipFor('2', '127.0.0.1', '6.6.6.6, 10.0.0.5, 10.0.0.9')).toBe('10.0.0.5');
    expect(await ipFor('127.0.0.1', '127.0.0.1', '6.6.6.6, 10.0.0.5')).toBe('10.0.0.5');
    expect(await ipFor('127.0.0.1,10.0.0.0/8', '127.0.0.1', '6.6.6.6, 10.0.0.5')).toBe('6.6.6.6');
    // Not from a listed proxy: the header is ignored.
    expect(await ipFor('10.0.0.1', '203.0.113.7', '6.6.6.6')).toBe('203.0.113.7');
    expect(await ipFor('false', '127.0.0.1', '6.6.6.6')).toBe('127.0.0.1');
  });

  it('takes one sender address in ASSENT_MAIL_FROM, and refuses a name alone or two addresses', () => {
    const from = (v: string) => loadConfig({}, { ASSENT_MAIL_FROM: v }).server.forms;
    expect(from('Shop <news@shop.example>')).toMatchObject({ mailFrom: 'Shop <news@shop.example>', mailFromSet: true });
    expect(from(' news@shop.example ').mailFrom).toBe('news@shop.example');
    expect(loadConfig({}, {}).server.forms.mailFromSet).toBe(false);
    for (const bad of ['Boutique Exemple', '   ', 'a@shop.example, b@shop.example', 'Shop <news>']) {
      expect(() => from(bad), bad).toThrow('ASSENT_MAIL_FROM must be one sender address');
    }
  });

  it('makes `assent serve --port abc` a usage error (exit 64)', () => {
    const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
    const r = spawnSync(process.execPath, [bin, 'serve', '--port', 'abc'], { encoding: 'utf8' });
    expect(r.status).toBe(64);
    expect(r.stderr).toContain('--port must be a whole number');
  });
});
