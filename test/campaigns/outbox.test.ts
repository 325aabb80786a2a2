// Which send failures say the server cannot be reached (a campaign stops after a few in a row) and which are one
// message's (it goes on): nodemailer's error codes, and fetch's for the SMS provider.
import { describe, expect, it } from 'vitest';
import { serverUnreachable } from '../../src/services/campaigns/outbox.js';

const smtp = (code: string, command: string, message = 'x') => Object.assign(new Error(message), { code, command });

const CASES: [string, unknown, boolean][] = [
  ['no greeting', Object.assign(smtp('ETIMEDOUT', 'CONN'), { timeoutType: 'GREETING_TIMEOUT' }), true],
  ['connection refused', smtp('ESOCKET', 'CONN', 'connect ECONNREFUSED 127.0.0.1:9'), true],
  ['connection closed', smtp('ECONNECTION', 'CONN'), true],
  ['host not found', smtp('EDNS', 'CONN'), true],
  ['TLS failed', smtp('ETLS', 'STARTTLS'), true],
  ['login refused', smtp('EAUTH', 'AUTH PLAIN'), true],
  ['not an SMTP greeting', smtp('EPROTOCOL', 'CONN'), true],
  ['a garbled answer to RSET', smtp('EPROTOCOL', 'RSET'), false],
  ['recipient refused', Object.assign(smtp('EENVELOPE', 'RCPT TO'), { responseCode: 550 }), false],
  ['sender refused', Object.assign(smtp('EENVELOPE', 'MAIL FROM'), { responseCode: 553 }), false],
  ['message refused', Object.assign(smtp('EMESSAGE', 'DATA'), { responseCode: 554 }), false],
  ['SMS provider down', new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') }), true],
  [
    'SMS provider silent past the timeout',
    new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
    true,
  ],
  ['SMS send stopped by the campaign', new DOMException('This operation was aborted', 'AbortError'), false],
  ['SMS number refused', Object.assign(new Error('SMS provider answered 400'), { status: 400 }), false],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')"), false],
  ['not an error', 'boom', false],
  ['null', null, false],
];

describe('serverUnreachable', () => {
  it.each(CASES)('%s', (_name, error, expected) => {
    expect(serverUnreachable(error)).toBe(expected);
  });
});
