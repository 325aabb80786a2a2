// `assent serve --workers 2` as a user runs it: two processes on one port, an objection recorded through one is
// honoured by the very next decision of either, and a stop signal ends them all after their requests.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { workerCount } from '../../src/adapters/http/cluster.js';
import { openStore } from '../../src/store/open-store.js';
import { makeKey } from './helpers.js';

const bin = fileURLToPath(new URL('../../bin/assent', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'assent-cluster-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One request on a connection of its own (no keep-alive), so the cluster may hand each to either worker. */
function call(
  url: string,
  method: string,
  key: string,
  body?: unknown,
): Promise<{ status: number; json: unknown; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method, agent: false, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          text += c;
        });
        res.on('end', () => {
          const json = /json/.test(String(res.headers['content-type'])) && text ? JSON.parse(text) : null;
          resolve({ status: res.statusCode ?? 0, json, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

describe('assent serve --workers', () => {
  it('reads its count as a number from 1 to 64 or auto', () => {
    expect(workerCount(undefined)).toBe(1);
    expect(workerCount('3')).toBe(3);
    expect(workerCount('auto')).toBeGreaterThanOrEqual(1);
    for (const bad of ['0', '65', '1.5', 'two', '']) expect(() => workerCount(bad)).toThrow(/--workers/);
  });

  it('serves from two processes that share the store, and stops them all on SIGTERM', async () => {
    const db = join(dir, 'assent.db');
    const store = await openStore({ databaseUrl: null, sqliteFile: db });
    const key = await makeKey(store, ['admin']);
    const contact = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
    await store.appendEvents([
      {
        contactId: contact.id,
        type: 'consent.given',
        at: '2026-01-10T09:00:00Z',
        data: { channel: 'email', purpose: 'marketing' },
        recordedBy: 'test',
      },
    ]);
    await store.close();

    const child: ChildProcess = spawn(process.execPath, [bin, '--db', db, 'serve', '--port', '0', '--workers', '2'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });
    try {
      const lines: string[] = [];
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stderr! }).on('line', (line) => {
          lines.push(line);
          const m = /serving (http:\/\/[\d.]+:\d+) with 2 workers/.exec(line);
          if (m?.[1]) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${lines.join('\n')}`)));
      });
      const decide = () =>
        call(`${url}/v1/decisions`, 'POST', key, {
          contact: { email: 'ana@example.fr' },
          at: '2026-03-02T10:00:00Z',
          message: { channel: 'email', purpose: 'marketing' },
        });
      // Connections go to the workers in turn (node:cluster's round robin), so both answer and have the contact's
      // inputs cached before the objection; after it, the one that did not record it must see it too.
      for (let i = 0; i < 8; i++) expect(await decide()).toMatchObject({ status: 200, json: { decision: 'allow' } });
      const recorded = await call(`${url}/v1/events`, 'POST', key, {
        contact: { id: contact.id },
        type: 'objection',
        at: '2026-03-01T08:00:00Z',
        channel: 'email',
      });
      expect(recorded.status).toBeLessThan(300);
      for (let i = 0; i < 8; i++) {
        expect(await decide()).toMatchObject({ status: 200, json: { decision: 'deny' } });
      }
      // Whichever worker answers the scrape, the counters are the cluster's: the sum over both, the same each time.
      for (let i = 0; i < 4; i++) {
        const scraped = await call(`${url}/metrics`, 'GET', key);
        expect(scraped.status).toBe(200);
        expect(scraped.text).toMatch(/^assent_decisions_total\{outcome="allow"\} 8$/m);
        expect(scraped.text).toMatch(/^assent_decisions_total\{outcome="deny"\} 8$/m);
      }

      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(0);
      expect(lines.join('\n')).toContain('SIGTERM: the workers finish their requests in flight, then stop');
      await expect(call(`${url}/healthz`, 'GET', key)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('exits 69 when the port is taken, as one process does, rather than waiting with no worker listening', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const port = (taken.address() as { port: number }).port;
    try {
      const child = spawn(
        process.execPath,
        [bin, '--db', join(dir, 'taken.db'), 'serve', '--port', String(port), '--workers', '2'],
        { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LOG_LEVEL: 'warn' } },
      );
      let stderr = '';
      child.stderr?.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      const [code] = (await once(child, 'exit')) as [number | null];
      expect(code).toBe(69);
      expect(stderr).toMatch(/EADDRINUSE/);
      expect(stderr).toMatch(/worker \d could not start \(exit 69\): stopping/);
    } finally {
      taken.close();
    }
  }, 30_000);
});
