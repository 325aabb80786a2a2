// Delivers the webhook outbox (docs/webhooks.md): claims due messages, POSTs them signed, retries with backoff.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Store } from '../../store/store.js';
import { isLinkLocal } from '../../store/webhook-rows.js';
import type { ClaimedDelivery } from '../../store/webhooks.js';
import { pinnedSender, type SendWebhook } from './send.js';
import { signWebhook } from './signature.js';

/**
 * Waits before retries 1, 2, 3…: about 23 hours from the first attempt to the tenth and last, so a receiver down
 * for a day loses nothing; the message is then `dead`.
 */
export const RETRY_DELAYS_MS: readonly number[] = [10, 30, 120, 600, 1_800, 3_600, 10_800, 21_600, 43_200].map(
  (s) => s * 1000,
);

export interface WebhookDispatcherOptions {
  store: Store;
  /** The clock (injected by tests: no sleeping for a backoff). */
  now?: () => Date;
  /** Sends one request to the checked addresses only. Default: node:http(s) with the addresses pinned. */
  send?: SendWebhook;
  /** A host name's addresses, as a URL spells them (IPv6 in brackets). Default: the system resolver, every address. */
  resolve?: (host: string) => Promise<string[]>;
  /** How often due messages are looked for; 0: never by itself (the caller runs `tick` or `drain`). Default 1 s. */
  intervalMs?: number;
  /** One request's deadline; a receiver that does not answer in time has failed. Default 10 s. */
  timeoutMs?: number;
  retryDelaysMs?: readonly number[];
  /** Each delay is spread by ±jitter (a fraction), so receivers coming back are not hit all at once. Default 0.2. */
  jitter?: number;
  random?: () => number;
  /** Messages sent to one subscription in one tick before the tick ends. Default 100. */
  perTick?: number;
  /** Settled messages (delivered, dead, cancelled) are deleted after this long. Default 30 days. */
  retainMs?: number;
  /** Errors of ticks run by the timer (a database down), the next tick trying again. Default: a line on stderr. */
  onError?: (error: unknown) => void;
}

export interface WebhookDispatcher {
  /** Sends what is due now; resolves to the number of attempts made. */
  tick(): Promise<number>;
  /** Ticks until nothing is due at the clock's time. */
  drain(): Promise<void>;
  /** Stops claiming, and resolves once the deliveries in flight are sent and recorded. */
  stop(): Promise<void>;
}

const LEASE_MARGIN_MS = 60_000; // a claim outlives its request's deadline, so no other dispatcher sends it twice
const PRUNE_EVERY_MS = 3_600_000;

/** Starts delivering the outbox of `d.store`, polling every `intervalMs` (one tick at a time). */
export function startWebhookDispatcher(d: WebhookDispatcherOptions): WebhookDispatcher {
  const now = d.now ?? (() => new Date());
  // Its own sender's kept-alive connections are closed on stop; a sender handed in is the caller's to close.
  const own = d.send === undefined ? pinnedSender() : null;
  const send = d.send ?? (own as SendWebhook);
  const resolve = d.resolve ?? resolveHost;
  const timeoutMs = d.timeoutMs ?? 10_000;
  const delays = d.retryDelaysMs ?? RETRY_DELAYS_MS;
  const jitter = d.jitter ?? 0.2;
  const random = d.random ?? Math.random;
  const perTick = d.perTick ?? 100;
  const retainMs = d.retainMs ?? 30 * 86_400_000;
  let stopped = false;
  let lastPrune = Number.NEGATIVE_INFINITY;
  let queue: Promise<unknown> = Promise.resolve();
  let busy = false;

  /** One attempt: true when the receiver answered 2xx in time. Recorded whatever happens. */
  async function attempt(c: ClaimedDelivery): Promise<boolean> {
    const id = c.delivery.id;
    const timestamp = Math.floor(now().getTime() / 1000);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let status: number | null = null;
    let error: string | null = null;
    try {
      // The lookup counts in the attempt's time: a slow resolver would outlast the claim's lease, and another process
      // would deliver the same message meanwhile.
      const vetted = await untilAborted(vettedAddresses(c.url, resolve), controller.signal);
      if (typeof vetted === 'string') throw new Error(vetted);
      status = await send({
        url: c.url,
        addresses: vetted,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Assent-Webhooks/1',
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': signWebhook(c.secret, id, timestamp, c.body),
        },
        body: c.body,
        signal: controller.signal,
      });
      // A redirect is a failure too (not followed): it could point the signed body anywhere.
      if (status < 200 || status > 299) error = `HTTP ${status}`;
    } catch (e) {
      error = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : reason(e);
    } finally {
      clearTimeout(timer);
    }
    const at = now();
    const attempts = c.delivery.attempts + 1;
    const delay = delays[attempts - 1];
    if (error === null) await d.store.recordWebhookAttempt(id, { outcome: 'delivered', at, status, error });
    else if (delay === undefined) await d.store.recordWebhookAttempt(id, { outcome: 'dead', at, status, error });
    else {
      const nextAttemptMs = at.getTime() + Math.round(delay * (1 + jitter * (2 * random() - 1)));
      await d.store.recordWebhookAttempt(id, { outcome: 'retry', at, status, error, nextAttemptMs });
    }
    return error === null;
  }

  /** A subscription's due messages, one at a time and in order; a failure stops it until the message's retry. */
  async function deliver(subscriptionId: string): Promise<number> {
    let n = 0;
    while (!stopped && n < perTick) {
      const claimed = await d.store.claimWebhookDelivery(subscriptionId, {
        nowMs: now().getTime(),
        leaseMs: timeoutMs + LEASE_MARGIN_MS,
      });
      if (claimed === null) break;
      n++;
      if (!(await attempt(claimed))) break;
    }
    return n;
  }

  async function runTick(): Promise<number> {
    if (stopped) return 0;
    const nowMs = now().getTime();
    if (nowMs - lastPrune >= PRUNE_EVERY_MS) {
      lastPrune = nowMs;
      await d.store.pruneWebhookOutbox(new Date(nowMs - retainMs));
    }
    const subscriptions = await d.store.listWebhooks();
    const sent = await Promise.all(subscriptions.map((s) => deliver(s.id)));
    return sent.reduce((a, b) => a + b, 0);
  }

  // Ticks run one after another, whoever asks (the timer, drain, a test).
  const tick = (): Promise<number> => {
    const next = queue.then(runTick);
    queue = next.catch(() => {});
    return next;
  };

  const interval = d.intervalMs ?? 1000;
  const timer =
    interval > 0
      ? setInterval(() => {
          if (busy) return;
          busy = true;
          tick()
            .catch(d.onError ?? ((e: unknown) => process.stderr.write(`assent: webhook dispatcher: ${reason(e)}\n`)))
            .finally(() => {
              busy = false;
            });
        }, interval)
      : null;
  timer?.unref();

  return {
    tick,
    async drain() {
      while ((await tick()) > 0) {}
    },
    async stop() {
      stopped = true;
      if (timer !== null) clearInterval(timer);
      await queue;
      own?.close();
    },
  };
}

async function resolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => (a.family === 6 ? `[${a.address}]` : a.address));
}

/**
 * The addresses a delivery may connect to, or why it may not be sent: a host name resolving to a link-local address
 * (the instance metadata service) is refused whatever its other addresses. Checked again before each delivery, as a
 * subscription's name may be pointed there after it was accepted (the URL check sees only addresses written out);
 * the request then connects to these addresses only (`pinnedLookup`), so DNS rebinding cannot slip one in between.
 */
async function vettedAddresses(
  url: string,
  resolve: (host: string) => Promise<string[]>,
): Promise<readonly string[] | string> {
  const host = new URL(url).hostname;
  if (isIP(host.replace(/^\[|\]$/g, '')) !== 0) return [host]; // an address written out: checked when subscribed
  const addresses = await resolve(host);
  if (addresses.length === 0) return `${host} resolves to no address: not sent`;
  // In the form a URL gives an address (the form the URL check reads: [::ffff:a9fe:a9fe] for ::ffff:169.254.169.254).
  const bad = addresses.find((a) => isLinkLocal(new URL(`http://${a}/`).hostname));
  return bad === undefined
    ? addresses
    : `${host} resolves to ${bad}, a link-local address (instance metadata): not sent`;
}

/** The cause of a failed request, without the stack: "connect ECONNREFUSED 127.0.0.1:9". */
function reason(e: unknown): string {
  // Several addresses tried (Happy Eyeballs): an AggregateError without a message of its own, one error per address.
  if (e instanceof AggregateError && e.errors.length > 0) return e.errors.map(reason).join('; ');
  const cause = (e as { cause?: unknown }).cause;
  if (cause instanceof Error) return reason(cause);
  return e instanceof Error ? e.message : String(e);
}

/** `work`, or a rejection once `signal` aborts (the work itself is left to finish unheard). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('aborted'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
