// The dispatcher against real HTTP receivers on loopback that fail on purpose; the clock is injected, so a day of
// backoff takes no time (only the one timeout below is waited for, 300 ms).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NewLedgerEvent } from '../../src/domain/ledger.js';
import { startWebhookDispatcher } from '../../src/services/webhooks/dispatcher.js';
import type { SendWebhook } from '../../src/services/webhooks/send.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';
import { type Behaviour, type Receiver, startReceiver } from './receiver.js';

const event = (contactId: string, type: NewLedgerEvent['type'], channel = 'email'): NewLedgerEvent => ({
  contactId,
  type,
  at: '2026-10-01T10:00:00Z',
  data: { channel },
  recordedBy: 'test',
});

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
if (sqlite === undefined) throw new Error('no sqlite dialect');

describe('webhook delivery', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let contact: string;
  let clock: number;
  const receivers: Receiver[] = [];
  const now = (): Date => new Date(clock);

  /** A subscription served by a scripted receiver that checks signatures with its secret at our clock. */
  async function subscriber(behave: (n: number) => Behaviour, topics = ['*']) {
    let secret = '';
    const receiver = await startReceiver({ secret: () => secret, nowS: () => Math.floor(clock / 1000), behave });
    receivers.push(receiver);
    const created = await store.createWebhook({ url: receiver.url, topics });
    secret = created.secret;
    return { receiver, webhook: created.webhook };
  }
  const log = async (id: string) =>
    (await store.webhookDeliveries(id, { limit: 100 })).reverse().map((d) => ({
      status: d.status,
      attempts: d.attempts,
      next: d.nextAttemptAt === null ? null : Date.parse(d.nextAttemptAt) - clock,
      error: d.lastError,
    }));

  beforeEach(async () => {
    ({ store, cleanup } = await sqlite.open());
    contact = (await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'jane@example.fr' })).id;
  });
  afterEach(async () => {
    for (const r of receivers.splice(0)) await r.close();
    await cleanup();
  });

  it('delivers every event once, in order, signed, through 500s and a timeout, on the backoff schedule', async () => {
    const { receiver, webhook } = await subscriber((n) => (n <= 2 ? 500 : n === 3 ? 'hang' : 200));
    const events = await store.appendEvents([
      event(contact, 'consent.given'),
      event(contact, 'consent.withdrawn'),
      event(contact, 'objection', 'sms'),
    ]);
    clock = Date.now();
    const d = startWebhookDispatcher({ store, now, intervalMs: 0, timeoutMs: 300, random: () => 0.5 });
    await d.drain();
    expect(receiver.received).toHaveLength(1);
    expect((await log(webhook.id))[0]).toEqual({ status: 'pending', attempts: 1, next: 10_000, error: 'HTTP 500' });
    clock += 9_999;
    await d.drain();
    expect(receiver.received).toHaveLength(1); // not due yet, and the others wait behind it
    clock += 1;
    await d.drain();
    expect((await log(webhook.id))[0]).toEqual({ status: 'pending', attempts: 2, next: 30_000, error: 'HTTP 500' });
    clock += 30_000;
    await d.drain();
    expect((await log(webhook.id))[0]).toEqual({
      status: 'pending',
      attempts: 3,
      next: 120_000,
      error: 'no answer within 300 ms',
    });
    clock += 120_000;
    await d.drain();
    await d.stop();

    expect(receiver.received).toHaveLength(6);
    expect(receiver.received.every((r) => r.valid)).toBe(true);
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    expect(new Set(bodies.slice(0, 4).map((b) => b.id)).size).toBe(1); // one message, retried under one Webhook-Id
    expect(receiver.received.map((r) => r.id)).toEqual(bodies.map((b) => b.id));
    const acked = receiver.acknowledged().map((id) => bodies.find((b) => b.id === id));
    expect(acked.map((b) => [b.event.seq, b.topic])).toEqual([
      [events[0]?.seq, 'consent.changed'],
      [events[1]?.seq, 'consent.changed'],
      [events[2]?.seq, 'objection.recorded'],
    ]);
    expect(await log(webhook.id)).toEqual([
      { status: 'delivered', attempts: 4, next: null, error: null },
      { status: 'delivered', attempts: 1, next: null, error: null },
      { status: 'delivered', attempts: 1, next: null, error: null },
    ]);
  });

  it('gives a message up as dead after its last retry; nothing else is lost, other subscribers are not held', async () => {
    let up = false;
    const down = await subscriber(() => (up ? 204 : 503));
    const healthy = await subscriber(() => 200);
    await store.appendEvents([event(contact, 'consent.given'), event(contact, 'purchase')]);
    clock = Date.now();
    const d = startWebhookDispatcher({ store, now, intervalMs: 0, retryDelaysMs: [1_000, 2_000], jitter: 0 });
    await d.drain();
    expect(healthy.receiver.acknowledged()).toHaveLength(2);
    clock += 1_000;
    await d.drain();
    clock += 2_000;
    await d.drain();
    expect(await log(down.webhook.id)).toEqual([
      { status: 'dead', attempts: 3, next: null, error: 'HTTP 503' },
      { status: 'pending', attempts: 1, next: 1_000, error: 'HTTP 503' },
    ]);
    up = true;
    clock += 1_000;
    await d.drain();
    await d.stop();
    expect((await log(down.webhook.id)).map((r) => r.status)).toEqual(['dead', 'delivered']);
    expect(down.receiver.received).toHaveLength(5); // 3 for the dead one, 2 for the next
    expect(healthy.receiver.received).toHaveLength(2);
  });

  it('spreads retries by the jitter and records why a request failed', async () => {
    const { webhook } = await store.createWebhook({ url: 'http://127.0.0.1:9/never', topics: ['*'] });
    await store.appendEvents([event(contact, 'consent.given')]);
    clock = Date.now();
    const refused = vi.fn<SendWebhook>(async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:9');
    });
    const d = startWebhookDispatcher({ store, now, send: refused, intervalMs: 0, random: () => 0 });
    await d.drain();
    await d.stop();
    expect(await log(webhook.id)).toEqual([
      { status: 'pending', attempts: 1, next: 8_000, error: 'connect ECONNREFUSED 127.0.0.1:9' },
    ]);
    expect(refused.mock.calls[0]?.[0]).toMatchObject({ url: 'http://127.0.0.1:9/never', addresses: ['127.0.0.1'] });
  });

  it('sends nothing to a host name that resolves to a link-local address (instance metadata), and says why', async () => {
    const { webhook } = await store.createWebhook({ url: 'https://hooks.example.com/assent', topics: ['*'] });
    const ok = await store.createWebhook({ url: 'https://ok.example.com/assent', topics: ['*'] });
    await store.appendEvents([event(contact, 'consent.given')]);
    clock = Date.now();
    const sent = vi.fn<SendWebhook>(async () => 204);
    const resolve = async (host: string) =>
      host === 'hooks.example.com' ? ['203.0.113.7', '[::ffff:169.254.169.254]'] : ['203.0.113.8', '[2001:db8::8]'];
    const d = startWebhookDispatcher({ store, now, send: sent, resolve, intervalMs: 0, random: () => 0 });
    await d.drain();
    await d.stop();
    expect(await log(webhook.id)).toEqual([
      {
        status: 'pending',
        attempts: 1,
        next: 8_000,
        error:
          'hooks.example.com resolves to [::ffff:169.254.169.254], a link-local address (instance metadata): not sent',
      },
    ]);
    // Sent only where the check looked: the addresses it vetted, all of them.
    expect(sent.mock.calls.map(([r]) => [r.url, r.addresses])).toEqual([
      ['https://ok.example.com/assent', ['203.0.113.8', '[2001:db8::8]']],
    ]);
    expect((await log(ok.webhook.id))[0]?.status).toBe('delivered');
  });

  it('counts a name lookup that never answers in the attempt’s timeout, and sends nothing', async () => {
    const { webhook } = await store.createWebhook({ url: 'https://slow-dns.example.com/assent', topics: ['*'] });
    await store.appendEvents([event(contact, 'consent.given')]);
    clock = Date.now();
    const sent = vi.fn<SendWebhook>(async () => 204);
    const resolve = () => new Promise<string[]>(() => {}); // a resolver that hangs
    const d = startWebhookDispatcher({
      store,
      now,
      send: sent,
      resolve,
      intervalMs: 0,
      timeoutMs: 50,
      random: () => 0,
    });
    await d.drain();
    await d.stop();
    expect(await log(webhook.id)).toEqual([
      { status: 'pending', attempts: 1, next: 8_000, error: 'no answer within 50 ms' },
    ]);
    expect(sent).not.toHaveBeenCalled();
  });

  it('stop() waits for the delivery in flight, records it, and claims nothing more', async () => {
    const { receiver, webhook } = await subscriber((n) => (n === 1 ? 'hang' : 200));
    await store.appendEvents([event(contact, 'consent.given'), event(contact, 'objection')]);
    clock = Date.now();
    const d = startWebhookDispatcher({ store, now, intervalMs: 0, timeoutMs: 10_000 });
    const arrived = receiver.nextRequest();
    const ticking = d.tick();
    await arrived;
    let stopped = false;
    const stopping = d.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stopped).toBe(false);
    receiver.release(200);
    await stopping;
    expect(await ticking).toBe(1);
    expect((await log(webhook.id)).map((r) => r.status)).toEqual(['delivered', 'pending']);
    expect(await d.tick()).toBe(0);
    expect(receiver.received).toHaveLength(1);
  });

  it('polls by itself on its interval', async () => {
    const { receiver } = await subscriber(() => 200);
    const d = startWebhookDispatcher({ store, intervalMs: 10 });
    await store.appendEvents([event(contact, 'consent.given')]);
    await vi.waitFor(() => expect(receiver.acknowledged()).toHaveLength(1), { timeout: 5_000 });
    await d.stop();
  });
});
