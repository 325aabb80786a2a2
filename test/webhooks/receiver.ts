// A real HTTP(S) receiver on a loopback port, scripted to fail on purpose, that checks signatures as a subscriber would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { verifyWebhook } from '../../src/services/webhooks/signature.js';

/** What the receiver does with a request: answer with a status, or hang (until `release` or the server closes). */
export type Behaviour = number | 'hang';

export interface Received {
  id: string;
  timestamp: string;
  body: string;
  /** The signature checked against the secret, at the receiver's clock. */
  valid: boolean;
  answered: Behaviour;
  /** The Host header, and the name the client asked for in TLS's SNI (https only). */
  host: string | undefined;
  servername: string | undefined;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** The ids acknowledged with a 2xx, in order of acknowledgement. */
  acknowledged: () => string[];
  /** Answers the hanging requests with this status. */
  release: (status: number) => void;
  /** Resolves when the next request arrives. */
  nextRequest: () => Promise<Received>;
  /** TCP connections accepted so far, and a promise of the moment none is open any more. */
  connections: () => number;
  allClosed: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startReceiver(opts: {
  secret: () => string;
  nowS: () => number;
  behave: (n: number, request: Received) => Behaviour;
  /** The address and port listened on. Default 127.0.0.1, any free port. */
  address?: string;
  port?: number;
  /** Serves https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}): Promise<Receiver> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  let waiting: ((r: Received) => void)[] = [];
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const headers = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
      };
      const r: Received = {
        id: headers.id,
        timestamp: headers.timestamp,
        body,
        valid: verifyWebhook(opts.secret(), headers, body, { nowS: opts.nowS() }),
        answered: 0,
        host: req.headers.host,
        servername: (req.socket as Partial<TLSSocket>).servername || undefined,
      };
      r.answered = opts.behave(received.length + 1, r);
      received.push(r);
      for (const w of waiting) w(r);
      waiting = [];
      if (r.answered === 'hang') hanging.push(res);
      else res.writeHead(r.answered).end();
    });
  };
  const server = opts.tls === undefined ? createServer(handle) : createTlsServer(opts.tls, handle);
  let accepted = 0;
  let open = 0;
  const onAllClosed: (() => void)[] = [];
  server.on('connection', (socket) => {
    accepted++;
    open++;
    socket.on('close', () => {
      open--;
      if (open === 0) for (const f of onAllClosed.splice(0)) f();
    });
  });
  const address = opts.address ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject); // a port taken: say so rather than hang
    server.listen(opts.port ?? 0, address, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls === undefined ? 'http' : 'https'}://${address}:${port}/hooks`,
    port,
    received,
    acknowledged: () =>
      received.filter((r) => typeof r.answered === 'number' && r.answered < 300 && r.answered >= 200).map((r) => r.id),
    release: (status) => {
      for (const res of hanging.splice(0)) if (!res.destroyed) res.writeHead(status).end();
    },
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    connections: () => accepted,
    allClosed: () => (open === 0 ? Promise.resolve() : new Promise<void>((resolve) => onAllClosed.push(resolve))),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
