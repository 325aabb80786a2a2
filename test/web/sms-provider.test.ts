// The SMS provider adapter against a real local HTTP receiver: the JSON it posts, its bearer token, and a refusal.
import { once } from 'node:events';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSmsProvider } from '../../src/services/forms/senders.js';

const received: { headers: IncomingMessage['headers']; body: unknown }[] = [];
let status = 202;
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8').on('data', (chunk: string) => {
    body += chunk;
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body: JSON.parse(body) });
    res.writeHead(status).end();
  });
});
let url: string;

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
});
afterAll(() => {
  server.close();
});

describe('httpSmsProvider', () => {
  it('posts the number and text as JSON with the bearer token', async () => {
    await httpSmsProvider(url, 'tok-1').send({ to: '+33612345678', text: 'Confirmez : https://x.example/c' });
    expect(received.at(-1)?.body).toEqual({ to: '+33612345678', text: 'Confirmez : https://x.example/c' });
    expect(received.at(-1)?.headers.authorization).toBe('Bearer tok-1');
    expect(received.at(-1)?.headers['content-type']).toBe('application/json');
  });

  it('sends no authorization without a token, and fails when the provider refuses', async () => {
    await httpSmsProvider(url, null).send({ to: '+491701234567', text: 'Bitte bestätigen' });
    expect(received.at(-1)?.headers.authorization).toBeUndefined();
    status = 503;
    await expect(httpSmsProvider(url, null).send({ to: '+491701234567', text: 'x' })).rejects.toThrow(
      'SMS provider answered 503',
    );
  });
});
