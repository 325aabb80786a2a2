// DNS rebinding: a delivery connects to the addresses its host name was checked at, never resolving the name again.
// Real receivers on loopback: `localhost` really is 127.0.0.1 (the "internal" target) while the check is told
// 127.0.0.2 (the "public" answer of a hostile DNS server); Linux routes all of 127.0.0.0/8 to this machine.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebhookDispatcher } from '../../src/services/webhooks/dispatcher.js';
import { pinnedLookup, pinnedSender } from '../../src/services/webhooks/send.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';
import { type Receiver, startReceiver } from './receiver.js';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
if (sqlite === undefined) throw new Error('no sqlite dialect');

/** A self-signed certificate for `name`, made by the openssl command line in a temporary folder; null without it. */
function selfSigned(name: string): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'assent-webhook-tls-'));
  try {
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1'];
    const more = ['-subj', `/CN=${name}`, '-addext', `subjectAltName=DNS:${name}`];
    const files = ['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')];
    execFileSync('openssl', [...args, ...more, ...files], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const tls = selfSigned('hooks.assent.test');

describe('webhook delivery pinned to the checked addresses', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let contact: string;
  const receivers: Receiver[] = [];

  /** A receiver that accepts every signed message of `secret()`. */
  async function receiver(secret: () => string, where: { address?: string; port?: number; tls?: typeof tls }) {
    const r = await startReceiver({
      secret,
      nowS: () => Math.floor(Date.now() / 1000),
      behave: () => 200,
      address: where.address,
      port: where.port,
      tls: where.tls ?? undefined,
    });
    receivers.push(r);
    return r;
  }
  const log = async (id: string) =>
    (await store.webhookDeliveries(id, { limit: 10 })).reverse().map((d) => [d.status, d.lastError]);
  const consent = () =>
    store.appendEvents([
      {
        contactId: contact,
        type: 'consent.given',
        at: '2026-10-01T10:00:00Z',
        data: { channel: 'email' },
        recordedBy: 't',
      },
    ]);

  beforeEach(async () => {
    ({ store, cleanup } = await sqlite.open());
    contact = (await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'jane@example.fr' })).id;
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await cleanup();
  });

  it('sends to the address the check saw, not where the name points when connecting; checks again each time', async () => {
    let secret = '';
    const checked = await receiver(() => secret, { address: '127.0.0.2' });
    const internal = await receiver(() => secret, { address: '127.0.0.1', port: checked.port });
    const created = await store.createWebhook({ url: `http://localhost:${checked.port}/hooks`, topics: ['*'] });
    secret = created.secret;
    // A rebinding name: a harmless address for the first delivery's check, the metadata service's for the next.
    const answers = [['127.0.0.2'], ['127.0.0.2', '169.254.169.254']];
    const asked: string[] = [];
    const resolve = async (host: string) => {
      asked.push(host);
      return answers[asked.length - 1] ?? [];
    };
    const d = startWebhookDispatcher({ store, resolve, intervalMs: 0, random: () => 0 });
    await consent();
    await d.drain();
    await consent();
    await d.drain();
    await d.stop();

    expect(internal.received).toEqual([]);
    expect(checked.received.map((r) => [r.valid, r.host])).toEqual([[true, `localhost:${checked.port}`]]);
    expect(asked).toEqual(['localhost', 'localhost']); // checked once per attempt
    expect(await log(created.webhook.id)).toEqual([
      ['delivered', null],
      ['pending', 'localhost resolves to 169.254.169.254, a link-local address (instance metadata): not sent'],
    ]);
  });

  it('keeps one connection for the deliveries to a subscriber, and closes it when stopped', async () => {
    let secret = '';
    const r = await receiver(() => secret, {});
    const created = await store.createWebhook({ url: r.url, topics: ['*'] });
    secret = created.secret;
    const d = startWebhookDispatcher({ store, intervalMs: 0 });
    for (let i = 0; i < 3; i++) {
      await consent();
      await d.drain();
    }
    expect(r.received.map((m) => m.valid)).toEqual([true, true, true]);
    expect(r.connections()).toBe(1);
    await d.stop();
    await r.allClosed(); // the kept-alive connection does not outlive the dispatcher
  });

  it('tries every checked address, and only those, and says why each failed', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const created = await store.createWebhook({ url: `http://localhost:${port}/hooks`, topics: ['*'] });
    const resolve = async () => ['127.0.0.2', '127.0.0.3'];
    const d = startWebhookDispatcher({ store, resolve, intervalMs: 0 });
    await consent();
    await d.drain();
    await d.stop();
    const refused = (a: string) => `connect ECONNREFUSED ${a}:${port}`;
    expect(await log(created.webhook.id)).toEqual([['pending', `${refused('127.0.0.2')}; ${refused('127.0.0.3')}`]]);
  });

  it('fails on a redirect and does not follow it (it could send the signed body anywhere)', async () => {
    let secret = '';
    const target = await receiver(() => secret, {});
    const redirecting = createServer((_req, res) => res.writeHead(307, { location: target.url }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = redirecting.address() as AddressInfo;
      const created = await store.createWebhook({ url: `http://127.0.0.1:${port}/hooks`, topics: ['*'] });
      secret = created.secret;
      const d = startWebhookDispatcher({ store, intervalMs: 0 });
      await consent();
      await d.drain();
      await d.stop();
      expect(await log(created.webhook.id)).toEqual([['pending', 'HTTP 307']]);
      expect(target.received).toEqual([]);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });

  it.skipIf(tls === null)('keeps https checking the certificate and sending SNI for the host name', async () => {
    if (tls === null) return;
    const secrets = new Map<string, string>();
    const r = await receiver(() => secrets.get('hooks') ?? '', { tls });
    const url = (name: string) => `https://${name}.assent.test:${r.port}/hooks`;
    const good = await store.createWebhook({ url: url('hooks'), topics: ['*'] });
    const other = await store.createWebhook({ url: url('other'), topics: ['*'] }); // not the certificate's name
    secrets.set('hooks', good.secret);
    // .test names resolve nowhere: only the addresses given to the check can be connected to.
    const resolve = async () => ['127.0.0.1'];
    const send = pinnedSender({ ca: tls.cert });
    const d = startWebhookDispatcher({ store, resolve, send, intervalMs: 0 });
    await consent();
    await d.drain();
    await d.stop();

    expect(r.received.map((m) => [m.valid, m.servername, m.host])).toEqual([
      [true, 'hooks.assent.test', `hooks.assent.test:${r.port}`],
    ]);
    // Each name has its own pool: the certificate of one never answers for the other.
    expect(r.connections()).toBe(2);
    send.close();
    expect(await log(good.webhook.id)).toEqual([['delivered', null]]);
    const [[status, error] = []] = await log(other.webhook.id);
    expect(status).toBe('pending');
    expect(error).toMatch(/other\.assent\.test.*altnames/);
  });
});

describe('pinnedSender pools', () => {
  it('lets a request finish when its pool is let go, and keys pools by the set of addresses, not their order', async () => {
    let quick = 0;
    let releaseSlow: () => void = () => {};
    const connections: string[] = [];
    const server = createServer((req, res) => {
      if (req.url === '/slow') releaseSlow = () => res.writeHead(200).end();
      else {
        res.writeHead(204).end();
        if (++quick === 65) releaseSlow(); // every other pool made meanwhile: the slow one's was let go
      }
    });
    server.on('connection', (socket) => connections.push(socket.localAddress ?? ''));
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const { port } = server.address() as AddressInfo;
    const send = pinnedSender();
    const post = (path: string, addresses: string[]) =>
      send({
        url: `http://hooks.test:${port}${path}`,
        addresses,
        headers: {},
        body: '{}',
        signal: AbortSignal.timeout(10_000),
      });
    try {
      const slow = post('/slow', ['127.0.0.1']);
      for (let i = 2; i <= 66; i++) expect(await post('/quick', [`127.0.0.${i}`])).toBe(204);
      expect(await slow).toBe(200);
      // One pool for a name answering two addresses in either order: its connection is reused.
      const before = connections.length;
      expect(await post('/quick', ['127.0.0.70', '127.0.0.71'])).toBe(204);
      expect(await post('/quick', ['127.0.0.71', '127.0.0.70'])).toBe(204);
      expect(connections.length).toBe(before + 1);
    } finally {
      send.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('pinnedLookup', () => {
  const lookup = (addresses: string[], all: boolean) =>
    new Promise((resolve, reject) =>
      pinnedLookup(addresses)('anything.example', { all }, (err, address, family) =>
        err ? reject(err) : resolve(all ? address : [address, family]),
      ),
    );

  it.each([
    { addresses: ['203.0.113.7'], all: false, answer: ['203.0.113.7', 4] },
    { addresses: ['[2001:db8::7]', '203.0.113.7'], all: false, answer: ['2001:db8::7', 6] },
    {
      addresses: ['203.0.113.7', '[2001:db8::7]'],
      all: true,
      answer: [
        { address: '203.0.113.7', family: 4 },
        { address: '2001:db8::7', family: 6 },
      ],
    },
  ])('answers $addresses whatever the name (all: $all)', async ({ addresses, all, answer }) => {
    expect(await lookup(addresses, all)).toEqual(answer);
  });

  it('refuses what is not an address, and no address at all', () => {
    expect(() => pinnedLookup(['hooks.example.com'])).toThrow(/"hooks.example.com" is not an IP address/);
    expect(() => pinnedLookup([])).toThrow(/no address/);
  });
});
