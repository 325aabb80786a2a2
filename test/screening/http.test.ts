import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, type TestApp } from '../http/helpers.js';
import { seedMixed } from './helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp();
  await seedMixed(t.store);
});
afterAll(() => t.close());

const at = '2026-03-03T11:00:00+01:00';

describe('POST /v1/screenings', () => {
  it('answers the summary and the excluded rows (scope decide)', async () => {
    const res = await t.call({
      method: 'POST',
      url: '/v1/screenings',
      key: t.keys.decide,
      payload: {
        channel: 'email',
        purpose: 'offers',
        at,
        jurisdiction: 'FR',
        rows: [
          { email: 'ana@example.fr' },
          { email: 'bob@example.fr' },
          { email: 'nobody@example.fr' },
          { email: 'contact@acme.fr' },
          { phone: '12' },
          { externalId: 'crm-carla', channel: 'sms' },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.summary).toMatchObject({ rows: 6, allowed: 2, excluded: 4, byBasis: { CONSENT: 1, LEGAL_PERSON: 1 } });
    expect(body.excluded.map((e: { row: number; reason: string }) => [e.row, e.reason])).toEqual([
      [2, 'REFUSED_AT_COLLECTION'],
      [3, 'CONTACT_NOT_FOUND'],
      [5, 'INVALID_ROW'],
      [6, 'NO_CONSENT'],
    ]);
  });

  it('refuses a phone screening while a required list is missing (409), unless dryRun', async () => {
    const payload = { channel: 'phone', at, jurisdiction: 'FR', rows: [{ phone: '06 12 34 56 70' }] };
    const res = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys.decide, payload });
    expect(res.statusCode).toBe(409);
    expect(res.json().detail).toMatch(/bloctel list is required/);
    const dry = await t.call({
      method: 'POST',
      url: '/v1/screenings',
      key: t.keys.decide,
      payload: { ...payload, dryRun: true },
    });
    expect(dry.statusCode).toBe(200);
    expect(dry.json().summary).toMatchObject({ allowed: 1, listProblems: [{ name: 'bloctel', problem: 'missing' }] });
  });

  it.each([
    ['an unknown channel', 'decide', { channel: 'pigeon', rows: [] }, 400],
    ['a malformed date', 'decide', { channel: 'email', at: 'soon', rows: [] }, 400],
    ['a key without the decide scope', 'read', { channel: 'email', rows: [] }, 403],
  ] as const)('refuses %s', async (_what, scope, payload, status) => {
    const res = await t.call({ method: 'POST', url: '/v1/screenings', key: t.keys[scope], payload });
    expect(res.statusCode).toBe(status);
  });
});
