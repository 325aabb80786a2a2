// A real HTTP receiver on a loopback port, scripted to fail on purpose, that checks signatures as a subscriber would.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
}

export interface Receiver {
  url: string;
  received: Received[];
  /** The ids acknowledged with a 2xx, in order of acknowledgement. */
  acknowledged: () => string[];
  /** Answers the hanging requests with this status. */
  release: (status: number) => void;
  /** Resolves when the next request arrives. */
  nextRequest: () => Promise<Received>;
  close: () => Promise<void>;
}

export async function startReceiver(opts: {
  secret: () => string;
  nowS: () => number;
  behave: (n: number, request: Received) => Behaviour;
}): Promise<Receiver> {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  let waiting: ((r: Received) => void)[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
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
      };
      r.answered = opts.behave(received.length + 1, r);
      received.push(r);
      for (const w of waiting) w(r);
      waiting = [];
      if (r.answered === 'hang') hanging.push(res);
      else res.writeHead(r.answered).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    acknowledged: () =>
      received.filter((r) => typeof r.answered === 'number' && r.answered < 300 && r.answered >= 200).map((r) => r.id),
    release: (status) => {
      for (const res of hanging.splice(0)) if (!res.destroyed) res.writeHead(status).end();
    },
    nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
    close: () =>
      new Promise((resolve) => {
        for (const res of hanging.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
