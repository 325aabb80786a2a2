// AJV's type errors in words: "must be an object or null", and the batch routes' "a request object or an array".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, openTestApp, type TestApp } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp({});
});
afterAll(async () => {
  await t.close();
});

describe('type errors', () => {
  it('say the types in words, all of them where alternatives failed', async () => {
    for (const url of ['/v1/evaluate', '/v1/decisions']) {
      const res = await t.call({
        method: 'POST',
        url,
        payload: '"x"',
        headers: { 'content-type': 'application/json' },
      });
      expect(expectProblem(res, 400, '').detail).toBe('the body must be a request object or an array of them');
    }
    const event = {
      contact: { email: 'ty@example.fr' },
      type: 'consent.given',
      at: '2026-10-01T10:00:00Z',
      channel: 'sms',
      evidence: 5,
    };
    const res = await t.call({ method: 'POST', url: '/v1/events', payload: event });
    expect(expectProblem(res, 400, '/evidence').detail).toBe('/evidence must be an object or null');
    const named = await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 5, email: 'a@b.fr' } });
    expect(expectProblem(named, 400, '/jurisdiction').detail).toBe('/jurisdiction must be a string');
  });
});
