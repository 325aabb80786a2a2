// A rectification's or an erasure's reason is chained in the ledger for good: it must hold no personal data at all,
// not only the contact's own identifiers (GDPR art. 5(1)(c), 17(1)).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { personalDataIn } from '../../src/domain/identifier-quotes.js';
import { eraseContact } from '../../src/services/erasure.js';
import { rectifyContact } from '../../src/services/rectification.js';
import { expectProblem, openTestApp, snapshot, type TestApp } from '../http/helpers.js';

let t: TestApp;
beforeAll(async () => {
  t = await openTestApp({});
});
afterAll(async () => {
  await t.close();
});

describe('personal data in ledger reasons', () => {
  it('sees email addresses (spelled out too), phone numbers and street addresses; not ids, dates or tickets', () => {
    for (const [text, seen] of [
      ['was jane.doe@example.fr', 'an email address'],
      ['was Jane.Doe @ Example.fr', 'an email address'],
      ['jane.martin at example.fr', 'an email address'],
      ['jane at example dot fr', 'an email address'],
      ['jane [at] example [dot] fr', 'an email address'],
      ['jane(at)example(dot)fr', 'an email address'],
      ['12 rue de la Paix', 'a postal address'],
      ['moved to Hauptstraße 5', 'a postal address'],
      ['call 06 11 22 33 44', 'a phone number'],
      ['+33 6 11-22-33-44', 'a phone number'],
      ['611223344', 'a phone number'],
      ['0049 30 1234567', 'a phone number'],
      ['+45 1234 5678', 'a phone number'],
      ['12 34 56 78', 'a phone number'],
      ['０６１１２２３３４４', 'a phone number'],
    ] as const) {
      expect([text, personalDataIn(text)]).toEqual([text, seen]);
    }
    for (const text of [
      'request 12',
      'rights request 8f2c',
      'tickets 611 and 22339900, request crm-90',
      'lives in Berlin',
      'request of 2026-03-02 10:00, answered 02/03/2026',
      'request 0195f2a1-3c4d-7e8f-9abc-def012345678',
      'met at the office',
      'request 42 at 10.30',
      'retention',
    ]) {
      expect([text, personalDataIn(text)]).toEqual([text, null]);
    }
  });

  it('a rectification or an erasure whose reason holds an address or number is refused, CLI/service and API', async () => {
    const jane = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'jane.doe@example.fr' });
    const crm = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'crm-7788' });
    const before = await snapshot(t.store);
    const patch = {
      remove: [{ kind: 'email' as const, value: 'jane.doe@example.fr' }],
      add: [{ kind: 'email' as const, value: 'jane.martin@example.fr' }],
    };
    for (const reason of [
      'jane.martin at example.fr',
      'was jane at example dot fr',
      '12 rue de la Paix',
      'her mother 0611223344',
    ]) {
      await expect(rectifyContact(t.store, jane.id, patch, { recordedBy: 'dpo', reason })).rejects.toMatchObject({
        code: 'INVALID',
        message: expect.stringMatching(
          /^reason (quotes the contact's email|seems to hold (an email address|a postal address|a phone number)): it /,
        ),
      });
    }
    // A CRM id is named as such.
    await expect(
      rectifyContact(t.store, crm.id, { region: 'FR-75' }, { recordedBy: 'dpo', reason: 'ticket crm-7788' }),
    ).rejects.toThrow(/^reason quotes the contact's CRM id: /);
    // Another person's address: not the contact's, refused all the same.
    await expect(
      rectifyContact(t.store, jane.id, patch, { recordedBy: 'dpo', reason: 'typo, see bob@example.fr' }),
    ).rejects.toThrow(
      /^reason seems to hold an email address: it goes into the permanent, hash-chained ledger, kept after erasure, and must not quote personal data/,
    );
    const api = await t.call({
      method: 'PATCH',
      url: `/v1/contacts/${jane.id}`,
      payload: {
        remove: { email: 'jane.doe@example.fr' },
        add: { email: 'jane.martin@example.fr' },
        reason: 'was jane at example dot fr',
      },
    });
    expectProblem(api, 400, '/reason');
    expect(api.json().detail).toMatch(/^reason seems to hold an email address/);
    const erase = await t.call({
      method: 'DELETE',
      url: `/v1/contacts/${jane.id}?reason=${encodeURIComponent('call +33 6 11 22 33 44')}`,
    });
    expect(erase.statusCode).toBe(400);
    expect(erase.json().detail).toMatch(/^reason seems to hold a phone number/);
    // reason is a query parameter of DELETE: the problem says so, not "in the body".
    expect(expectProblem(erase, 400, '/reason').errors).toEqual([expect.objectContaining({ in: 'query' })]);
    const byQuery = await t.call({
      method: 'DELETE',
      url: `/v1/contacts/${jane.id}?by=${encodeURIComponent('dpo re jane.doe@example.fr')}`,
    });
    expect(expectProblem(byQuery, 400, '/by').errors).toEqual([expect.objectContaining({ in: 'query' })]);
    // The PATCH body's reason stays in the body.
    expect(expectProblem(api, 400, '/reason').errors).toEqual([expect.objectContaining({ in: 'body' })]);
    await expect(
      eraseContact(t.store, jane.id, { at: new Date(), recordedBy: 'dpo', reason: 'sister, 12 rue de la Paix' }),
    ).rejects.toThrow(/^reason seems to hold a postal address/);
    expect(await snapshot(t.store)).toBe(before);
    const fixed = await rectifyContact(t.store, jane.id, patch, {
      recordedBy: 'dpo',
      reason: 'request 12 of 2026-03-02',
    });
    expect(fixed.identifiers).toEqual([{ kind: 'email', value: 'jane.martin@example.fr' }]);
  });
});
