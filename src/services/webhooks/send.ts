// Sends one webhook request to addresses already checked, never resolving the subscriber's host name again.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
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

/**
 * The sender over node:http and node:https. The URL is left as it is, so the Host header, TLS's SNI and the
 * certificate check are all for the subscriber's host name; only the socket's address is pinned. A fresh connection
 * per request (`agent: false`): a pooled one could have been opened to an address an earlier resolution gave.
 * `ca` replaces the trusted roots (tests: a self-signed receiver); default the system's.
 */
export function pinnedSender(tls: { ca?: string } = {}): SendWebhook {
  return (r) =>
    new Promise<number>((resolve, reject) => {
      const url = new URL(r.url);
      const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = request(
        url,
        {
          method: 'POST',
          headers: { 'content-length': String(Buffer.byteLength(r.body)), ...r.headers },
          lookup: pinnedLookup(r.addresses),
          agent: false,
          signal: r.signal,
          ...(tls.ca === undefined ? {} : { ca: tls.ca }),
        },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.destroy(); // the answer's body is not read: the status says it all
        },
      );
      req.on('error', reject);
      req.end(r.body);
    });
}
