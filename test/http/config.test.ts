// Server settings: flags, then PORT/HOST and ASSENT_* variables, then documented defaults.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

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
      trustProxy: true,
    });
    expect(loadConfig({ port: '7000', host: '::1' }, env).server).toMatchObject({ port: 7000, host: '::1' });
    expect(loadConfig({}, { DATABASE_URL: '' }).databaseUrl).toBeNull();
    expect(loadConfig({}, { ASSENT_RETENTION_PURGE_HOURS: '24' }).server.retentionPurgeMs).toBe(86_400_000);
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
