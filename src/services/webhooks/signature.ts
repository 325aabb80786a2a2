// Standard Webhooks signatures (https://www.standardwebhooks.com/): what a receiver checks to trust a message.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** The HMAC key of a `whsec_…` secret: the base64 after the prefix (Standard Webhooks' secret format). */
function keyOf(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, the `Webhook-Signature` header. */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  return `v1,${createHmac('sha256', keyOf(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * True when one of the space-separated signatures of `header` is ours and the timestamp is within `toleranceS` of
 * `nowS` (a replayed old message is refused). What a receiver runs; used by the tests as a receiver would.
 */
export function verifyWebhook(
  secret: string,
  headers: { id: string; timestamp: string; signature: string },
  body: string,
  opts: { nowS?: number; toleranceS?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  const nowS = opts.nowS ?? Math.floor(Date.now() / 1000);
  if (!Number.isInteger(timestamp) || Math.abs(nowS - timestamp) > (opts.toleranceS ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, headers.id, timestamp, body));
  return headers.signature.split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
