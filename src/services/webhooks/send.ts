// Sends one webhook request to addresses already checked, never resolving the subscriber's host name again.
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';

/** One signed delivery, with where it may connect. */
export interface WebhookRequest {
  url: string;
  /**
   * The addresses the URL's host was resolved to and checked, as a URL spells them (IPv6 in brackets); the
   * connection goes to one of these and nowhere else. For a URL whose host is an address, that address.
   */
  addresses: readonly string[];
  headers: Record<string, string>;
  body: string;
  /** Aborts the request (the deadline). */
  signal: AbortSignal;
}

/** Sends a request and resolves to the receiver's HTTP status; redirects are not followed (a 3xx is the status). */
export type SendWebhook = (request: WebhookRequest) => Promise<number>;

/**
 * A `lookup` for node:net that answers with the checked addresses whatever name it is asked: the socket connects to
 * what was checked, closing DNS rebinding (a name answering a public address to the check, then 169.254.169.254 or
 * 127.0.0.1 to the connection). Answers both forms net asks for: one address, or all (Happy Eyeballs, Node ≥ 20).
 */
export function pinnedLookup(addresses: readonly string[]): LookupFunction {
  const all = addresses.map((a) => {
    const address = a.replace(/^\[|\]$/g, '');
    const family = isIP(address);
    if (family === 0) throw new Error(`webhook: ${JSON.stringify(a)} is not an IP address, so cannot be connected to`);
    return { address, family };
  });
  const first = all[0];
  if (first === undefined) throw new Error('webhook: no address to connect to');
  return (_host, options, callback) => {
    if (options.all === true) callback(null, all);
    else callback(null, first.address, first.family);
  };
}

/** A sender that keeps connections open between deliveries; `close` ends them (the dispatcher's stop). */
export type PooledSender = SendWebhook & { close(): void };

/** How long a receiver may take to finish an answer's body once its status is in, before the connection is dropped. */
const BODY_GRACE_MS = 2_000;
/** An answer's body read at most this far (to keep the connection); a longer one costs its connection. */
const BODY_LIMIT = 64 * 1024;
/** Kept-alive pools, one per host and checked addresses; beyond this the least recently used is let go. */
const MAX_POOLS = 64;
/** How long a kept-alive connection may idle. */
const IDLE_MS = 4_000;

/** Closes a pool's idle connections, leaving those serving a request to finish. */
function closeIdle(agent: HttpAgent): void {
  for (const sockets of Object.values(agent.freeSockets)) for (const socket of sockets ?? []) socket.destroy();
}

/**
 * The sender over node:http and node:https. The URL is left as it is, so the Host header, TLS's SNI and the
 * certificate check are all for the subscriber's host name; only the socket's address is pinned. Connections are
 * kept alive between deliveries (an https subscriber paid a handshake per message), in a pool per host name and
 * set of checked addresses: a pooled connection was opened to an address the same check allowed, and a name that
 * now resolves elsewhere gets a pool, and connections, of its own. `ca` replaces the trusted roots (tests: a
 * self-signed receiver); default the system's.
 */
export function pinnedSender(tls: { ca?: string } = {}): PooledSender {
  const pools = new Map<string, HttpAgent>();
  const poolFor = (url: URL, addresses: readonly string[]): HttpAgent => {
    // The set of addresses, not their order: a round-robin name answers them in another order each time.
    const key = `${url.protocol}//${url.host}|${[...addresses].sort().join(',')}`;
    let agent = pools.get(key);
    if (agent !== undefined) {
      pools.delete(key); // the most recently used last: the one evicted is the least recently used
    } else {
      // Idle connections are closed before receivers usually close them (~5 s), not under a request.
      const options = { keepAlive: true, timeout: IDLE_MS, lookup: pinnedLookup(addresses) };
      agent =
        url.protocol === 'https:'
          ? new HttpsAgent({ ...options, ...(tls.ca === undefined ? {} : { ca: tls.ca }) })
          : new HttpAgent(options);
      if (pools.size >= MAX_POOLS) {
        const [oldest, old] = pools.entries().next().value as [string, HttpAgent];
        pools.delete(oldest);
        closeIdle(old); // a request still running on it finishes; its connection then idles out
      }
    }
    pools.set(key, agent);
    return agent;
  };
  const send = (r: WebhookRequest, retried = false): Promise<number> =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(r.url);
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'content-length': String(Buffer.byteLength(r.body)), ...r.headers },
          // The pool's agent carries the pinned lookup and the trusted roots: an agent's options win over a
          // request's (node:http merges them so), so they are set there, once per pool.
          agent: poolFor(url, r.addresses),
          signal: r.signal,
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          // The status says it all; the body is read (and dropped) only so the connection can serve the next
          // delivery: a long or slow one costs the connection instead.
          let read = 0;
          const drop = setTimeout(() => res.destroy(), BODY_GRACE_MS);
          drop.unref();
          res.on('data', (chunk: Buffer) => {
            read += chunk.length;
            if (read > BODY_LIMIT) res.destroy();
          });
          res.on('close', () => clearTimeout(drop));
          res.on('error', () => {});
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        // A kept-alive connection the receiver closed as it was reused: nothing reached it, so send again, once,
        // on a new connection (Node's advice for keep-alive agents).
        if (!retried && req.reusedSocket && error.code === 'ECONNRESET' && !r.signal.aborted) {
          send(r, true).then(resolve, reject);
        } else reject(error);
      });
      req.end(r.body);
    });
  return Object.assign(send, {
    close() {
      for (const agent of pools.values()) agent.destroy();
      pools.clear();
    },
  });
}
