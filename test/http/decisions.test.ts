// POST /v1/evaluate and POST /v1/decisions: the CLI's answers, one or in batches, and problems naming the field.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerJson } from '../../src/adapters/answer-json.js';
import { DecisionRequestSchema } from '../../src/adapters/http/schemas/decision.js';
import { KNOWN_FIELDS } from '../../src/domain/parse-request.js';
import { decide } from '../../src/policy/decide.js';
import { decideStored } from '../../src/services/stored-decisions.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { expectProblem, FR_PHONE, openTestApp, packs, type TestApp } from './helpers.js';

const root = fileURLToPath(new URL('../fixtures/decisions', import.meta.url));
const fixtureRequests: unknown[] = readdirSync(root, { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.json'))
  .sort()
  .flatMap((f) => (JSON.parse(readFileSync(join(root, f), 'utf8')) as { request: unknown }[]).map((c) => c.request));

for (const dialect of DIALECTS) {
  describe(`HTTP decisions on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'HTTP decisions'))) return;
    let t: TestApp;
    const NOW = new Date('2026-11-02T10:00:00Z');
    beforeAll(async () => {
      t = await openTestApp({ dialect, deps: { now: () => NOW }, config: { batchBodyLimit: 4 << 20 } });
    });
    afterAll(() => t.close());

    describe('POST /v1/evaluate', () => {
      it('answers one request as `assent decide` does, byte for byte', async () => {
        const res = await t.call({ method: 'POST', url: '/v1/evaluate', payload: FR_PHONE, key: t.keys.decide });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(res.body).toBe(answerJson(decide(FR_PHONE, packs)));
        expect(res.json()).toMatchObject({ id: 'r1', decision: 'deny', reasons: [{ code: 'NO_CONSENT' }] });
      });

      it('says which fields it did not read beside the answer (a misspelt list would fail open)', async () => {
        const listed = {
          ...FR_PHONE,
          at: '2026-03-03T11:00:00+01:00',
          contact: { type: 'individual', list: ['bloctel'] },
        };
        const res = await t.call({ method: 'POST', url: '/v1/evaluate', payload: listed });
        expect(res.body).toBe(answerJson(decide(listed, packs)));
        expect(res.json()).toMatchObject({
          decision: 'allow',
          warnings: [{ path: '/contact/list', message: expect.stringContaining('did you mean "lists"?') }],
        });
      });

      it('answers every legal fixture in one batch, in order, as the CLI would (malformed ones included)', async () => {
        const res = await t.call({ method: 'POST', url: '/v1/evaluate', payload: fixtureRequests });
        expect(res.statusCode).toBe(200);
        expect(fixtureRequests.length).toBeGreaterThan(300);
        expect(res.body).toBe(`[${fixtureRequests.map((r) => answerJson(decide(r, packs))).join(',')}]`);
      });

      it('refuses one malformed request with a 400 naming the field, from the schema or from the engine', async () => {
        const bad = { ...FR_PHONE, message: { channel: 'pigeon' } };
        expectProblem(await t.call({ method: 'POST', url: '/v1/evaluate', payload: bad }), 400, '/message/channel');
        const late = { ...FR_PHONE, at: '2026-13-45T99:00:00Z' };
        const p = expectProblem(await t.call({ method: 'POST', url: '/v1/evaluate', payload: late }), 400, '/at');
        expect(p.detail).toContain('at');
        const noJurisdiction = { at: FR_PHONE.at, message: FR_PHONE.message };
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/evaluate', payload: noJurisdiction }),
          400,
          '/jurisdiction',
        );
      });

      it('is never stricter than the engine: a single request is a 200 exactly when decide() decides it', async () => {
        const mutate = fc.record({
          at: fc.constantFrom('2026-03-03T10:00:00+01:00', '2026-03-03', null, 3, 'soon'),
          channel: fc.constantFrom('email', 'sms', 'phone', 'postal', 'pigeon', null),
          purpose: fc.constantFrom(undefined, null, 'newsletter', '', ' ', 7),
          lists: fc.constantFrom(
            undefined,
            null,
            ['bloctel'],
            [{ name: 'robinson', since: null }],
            [{ since: '2020' }],
            'x',
          ),
          type: fc.constantFrom(undefined, null, 'individual', 'professional', 'robot'),
          similar: fc.constantFrom(undefined, null, true, 'true'),
          history: fc.constantFrom(
            undefined,
            null,
            [],
            [{ at: '2026-01-01', type: 'purchase' }],
            [{ type: 'purchase' }],
            {},
          ),
        });
        await fc.assert(
          fc.asyncProperty(fc.constantFrom(...fixtureRequests.slice(0, 60)), mutate, async (base, m) => {
            const r = base as Record<string, unknown>;
            const req = {
              ...r,
              at: m.at,
              message: {
                ...(r.message as object),
                channel: m.channel,
                purpose: m.purpose,
                offer: { similarToPurchases: m.similar },
              },
              contact: { ...((r.contact as object) ?? {}), type: m.type, lists: m.lists },
              history: m.history,
            };
            const payload = JSON.parse(JSON.stringify(req)) as unknown;
            const res = await t.call({ method: 'POST', url: '/v1/evaluate', payload: payload as object });
            const answer = decide(payload, packs);
            expect(res.statusCode, JSON.stringify(payload)).toBe('error' in answer ? 400 : 200);
            if (!('error' in answer)) expect(res.body).toBe(answerJson(answer));
          }),
          { numRuns: 150 },
        );
      });

      it('refuses a batch over 10,000 requests, and a body over the batch limit', async () => {
        const many = Array.from({ length: 10_001 }, () => ({}));
        const p = expectProblem(await t.call({ method: 'POST', url: '/v1/evaluate', payload: many }), 400, '');
        expect(p.detail).toContain('10000');
        const big = JSON.stringify([{ ...FR_PHONE, id: 'x'.repeat(5 << 20) }]);
        const res = await t.call({
          method: 'POST',
          url: '/v1/evaluate',
          payload: big,
          headers: { 'content-type': 'application/json' },
        });
        expectProblem(res, 413);
      });
    });

    describe('POST /v1/decisions', () => {
      let ids: string[] = [];
      beforeAll(async () => {
        const a = await t.store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'ana@example.fr',
          externalId: 'crm-1',
        });
        const b = await t.store.createContact({ type: 'professional', jurisdiction: 'DE', email: 'info@firma.de' });
        const c = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '06 12 34 56 78' });
        const d = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'old@example.fr' });
        await t.store.appendEvents([
          {
            contactId: a.id,
            type: 'consent.given',
            at: '2026-10-01T10:00:00Z',
            data: { channel: 'email' },
            recordedBy: 't',
          },
          { contactId: c.id, type: 'objection', at: '2026-10-01T10:00:00Z', data: { channel: 'sms' }, recordedBy: 't' },
          {
            contactId: d.id,
            type: 'consent.given',
            at: '2026-10-01T10:00:00Z',
            data: { channel: 'sms' },
            recordedBy: 't',
          },
        ]);
        await t.store.mergeContacts(a.id, d.id, 'test');
        ids = [a.id, b.id, c.id, d.id];
      });

      const requests = () => [
        { id: 1, contact: { email: 'ANA@example.fr' }, message: { channel: 'email' } },
        { id: 2, contact: { externalId: 'crm-1' }, message: { channel: 'sms' }, at: '2026-11-03T10:00:00Z' },
        {
          id: 3,
          contact: { email: 'info@firma.de' },
          message: { channel: 'email', offer: { relatedToProfession: true } },
        },
        { id: 4, contact: { phone: '+33612345678' }, message: { channel: 'sms' } },
        { id: 5, contact: { id: ids[3] }, message: { channel: 'sms' } },
        { id: 6, contact: { id: ids[1] }, message: { channel: 'postal' }, jurisdiction: 'FR' },
        { id: 7, contact: { email: 'nobody@example.fr' }, message: { channel: 'email' } },
        { id: 8, contact: { email: 'not-an-email' }, message: { channel: 'email' } },
        { id: 9, contact: { email: '' }, message: { channel: 'email' } },
        { id: 10, contact: { email: 'ana@example.fr' }, message: { channel: 'pigeon' } },
        { id: 11, contact: { type: 'individual' }, message: { channel: 'email' } },
        { id: 12, contact: { email: 'ana@example.fr' }, history: [], message: { channel: 'email' } },
        'not a request',
        {
          id: 14,
          contact: { phone: '06 12 34 56 78' },
          jurisdiction: 'FR',
          message: { channel: 'sms' },
          contactLists: 1,
        },
      ];

      it('answers a batch as decideStored (the CLI) answers each request, in order', async () => {
        const res = await t.call({ method: 'POST', url: '/v1/decisions', payload: requests(), key: t.keys.decide });
        expect(res.statusCode).toBe(200);
        const expected = [];
        for (const r of requests()) {
          const stored =
            typeof r === 'object' &&
            'contact' in r &&
            !('history' in r) &&
            ['id', 'email', 'phone', 'externalId'].some((k) => k in r.contact);
          expected.push(stored ? await decideStored(r as never, t.store, packs, () => NOW) : null);
        }
        const answers = res.json() as Record<string, unknown>[];
        expect(answers).toHaveLength(requests().length);
        for (const [i, e] of expected.entries()) if (e !== null) expect(answers[i]).toEqual(e);
        // a merged record's consent (sms, id 5) is the survivor's; an objection (id 4) denies
        expect(answers.slice(0, 6).map((a) => a.decision)).toEqual([
          'allow',
          'allow',
          'deny',
          'deny',
          'allow',
          'allow',
        ]);
        expect(answers[6]).toMatchObject({ id: 7, error: { code: 'CONTACT_NOT_FOUND', path: '/contact/email' } });
        expect(answers[7]).toMatchObject({ id: 8, error: { code: 'INVALID_REQUEST', path: '/contact/email' } });
        expect(answers[10]).toMatchObject({ id: 11, error: { code: 'INVALID_REQUEST', path: '/contact' } });
        expect(answers[11]).toMatchObject({ id: 12, error: { code: 'INVALID_REQUEST', path: '/history' } });
        expect(answers[12]).toMatchObject({ id: null, error: { code: 'INVALID_REQUEST', path: '/contact' } });
        expect(res.body).toBe(JSON.stringify(answers));
      });

      it('answers one request with the decision, a 404 for an unknown contact, a 400 naming the field', async () => {
        const one = requests()[0] as object;
        const res = await t.call({ method: 'POST', url: '/v1/decisions', payload: one, key: t.keys.decide });
        expect(res.body).toBe(JSON.stringify(await decideStored(one as never, t.store, packs, () => NOW)));
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/decisions', payload: requests()[6] as object }),
          404,
          '/contact/email',
        );
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/decisions', payload: requests()[7] as object }),
          400,
          '/contact/email',
        );
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/decisions', payload: requests()[10] as object }),
          400,
          '/contact',
        );
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/decisions', payload: requests()[9] as object }),
          400,
          '/message/channel',
        );
        // A field the store answers for is not taken from the request, and not ignored either: said, with where.
        const one0 = one as { contact: object };
        for (const [field, value, text] of [
          ['timeZone', 'America/New_York', /comes from the stored contact, not the request: change it with PATCH/],
          ['type', 'professional', /comes from the stored contact/],
          ['colour', 'red', /is not a field of a stored contact's request/],
        ] as const) {
          const res = await t.call({
            method: 'POST',
            url: '/v1/decisions',
            payload: { ...one0, contact: { ...one0.contact, [field]: value } },
          });
          expect(expectProblem(res, 400, `/contact/${field}`).detail).toMatch(text);
        }
      });

      it('decides on the address the channel reaches, and refuses identifiers naming two people', async () => {
        const batch = [
          // Ana's email with the number of someone who sent STOP: the SMS would go to that number.
          { contact: { email: 'ana@example.fr', phone: '+33612345678' }, message: { channel: 'sms' } },
          { contact: { email: 'ana@example.fr', phone: '+33612345678' }, message: { channel: 'email' } },
          // The same person twice (a merged record's email counts as its survivor's): decided.
          { contact: { email: 'ANA@example.fr', externalId: 'crm-1' }, message: { channel: 'email' } },
          { contact: { id: ids[0], email: 'old@example.fr' }, message: { channel: 'email' } },
          // A number nobody stored: the SMS would go to a stranger.
          { contact: { email: 'ana@example.fr', phone: '+33699999999' }, message: { channel: 'sms' } },
        ];
        const answers = (await t.call({ method: 'POST', url: '/v1/decisions', payload: batch })).json();
        expect(answers[0]).toMatchObject({
          error: {
            code: 'INVALID_REQUEST',
            path: '/contact/email',
            message: `contact.email names contact ${ids[0]}, while contact.phone names contact ${ids[2]}`,
          },
        });
        expect(answers[1]).toMatchObject({ error: { code: 'INVALID_REQUEST', path: '/contact/phone' } });
        expect(answers[2]).toMatchObject({ decision: 'allow' });
        expect(answers[3]).toMatchObject({ decision: 'allow' });
        expect(answers[4]).toMatchObject({ error: { code: 'CONTACT_NOT_FOUND', path: '/contact/phone' } });
        const one = await t.call({ method: 'POST', url: '/v1/decisions', payload: batch[0] as object });
        expectProblem(one, 400, '/contact/email');
      });

      it('says which fields of a stored request it did not read', async () => {
        const ask = { contact: { email: 'ana@example.fr' }, message: { channel: 'email', purpse: 'offers' } };
        const stored = (await t.call({ method: 'POST', url: '/v1/decisions', payload: [ask] })).json();
        expect(stored[0]).toMatchObject({
          decision: 'allow',
          warnings: [{ path: '/message/purpse', message: expect.stringContaining('did you mean "purpose"?') }],
        });
      });

      it('sees an event recorded over HTTP in the very next decision', async () => {
        const ask = { contact: { email: 'ana@example.fr' }, message: { channel: 'email' } };
        expect((await t.call({ method: 'POST', url: '/v1/decisions', payload: ask })).json()).toMatchObject({
          decision: 'allow',
        });
        const objection = {
          contact: { email: 'ana@example.fr' },
          type: 'objection',
          at: '2026-11-01T09:00:00Z',
          channel: 'email',
        };
        expect((await t.call({ method: 'POST', url: '/v1/events', payload: objection })).statusCode).toBe(201);
        const after = (await t.call({ method: 'POST', url: '/v1/decisions', payload: [ask] })).json();
        expect(after[0]).toMatchObject({ decision: 'deny' });
        expect(after[0].reasons[0]).toMatchObject({ code: 'WITHDRAWN' });
      });

      it('counts decisions by outcome in /metrics', async () => {
        const text = (await t.call({ method: 'GET', url: '/metrics', key: t.keys.read })).body;
        expect(text).toMatch(/assent_decisions_total\{outcome="allow"\} [1-9]/);
        expect(text).toMatch(/assent_decisions_total\{outcome="error"\} [1-9]/);
      });
    });
  });
}

describe('the fields a decision request names', () => {
  // The request schema documents the contract's fields; the parser's list of known fields (whose others it names in
  // `warnings`) must be the same, or a documented field would be warned of, or an undocumented one read in silence.
  const keys = (o: { properties: object }) => Object.keys(o.properties).sort();
  const request = DecisionRequestSchema.properties;
  const contact = request.contact as unknown as {
    properties: { lists: { items: { anyOf: { properties?: object }[] } } };
  };
  it.each([
    ['request', keys(DecisionRequestSchema), KNOWN_FIELDS.request],
    ['message', keys(request.message), KNOWN_FIELDS.message],
    ['offer', keys(request.message.properties.offer), KNOWN_FIELDS.offer],
    ['contact', keys(request.contact), KNOWN_FIELDS.contact],
    ['list entry', Object.keys(contact.properties.lists.items.anyOf[1]?.properties ?? {}).sort(), KNOWN_FIELDS.list],
    ['history event', keys(request.history.items), KNOWN_FIELDS.event],
  ])('%s: the schema and the parser agree', (_, documented, known) => {
    expect(documented).toEqual([...known].sort());
  });
});
