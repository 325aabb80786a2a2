import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '../../src/services/webhooks/signature.js';

// The Standard Webhooks specification's published test vector: matching it lets receivers use its libraries.
const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const timestamp = 1614265330;
const body = '{"test": 2432232314}';
const signature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('webhook signatures', () => {
  it('signs like the Standard Webhooks test vector', () => {
    expect(signWebhook(secret, id, timestamp, body)).toBe(signature);
  });

  it('verifies ours, among several, and refuses a changed body, id, secret or an old timestamp', () => {
    const headers = { id, timestamp: String(timestamp), signature: `v1,bm90IGl0 ${signature}` };
    expect(verifyWebhook(secret, headers, body, { nowS: timestamp + 60 })).toBe(true);
    expect(verifyWebhook(secret, headers, `${body} `, { nowS: timestamp })).toBe(false);
    expect(verifyWebhook(secret, { ...headers, id: 'msg_other' }, body, { nowS: timestamp })).toBe(false);
    expect(verifyWebhook('whsec_b3RoZXI=', headers, body, { nowS: timestamp })).toBe(false);
    expect(verifyWebhook(secret, headers, body, { nowS: timestamp + 301 })).toBe(false);
    expect(verifyWebhook(secret, { ...headers, timestamp: 'soon' }, body, { nowS: timestamp })).toBe(false);
  });
});
