// Contacts, events, history, consent texts and ledger verification over HTTP: happy paths and problems.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyEventProperties } from '../../src/adapters/http/schemas/decision.js';
import { HISTORY_EVENT_FIELDS } from '../../src/domain/request.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { expectProblem, openTestApp, type TestApp } from './helpers.js';

for (const dialect of DIALECTS) {
  describe(`HTTP resources on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'HTTP resources'))) return;
    let t: TestApp;
    beforeAll(async () => {
      t = await openTestApp({ dialect });
    });
    afterAll(() => t.close());

    describe('contacts', () => {
      let ana: { id: string };
      it('creates a contact (201, Location) with normalised identifiers', async () => {
        const res = await t.call({
          method: 'POST',
          url: '/v1/contacts',
          key: t.keys.write,
          payload: { jurisdiction: 'fr', email: ' Ana@Example.FR ', phone: '06 12 34 56 78', externalId: 'crm-1' },
        });
        expect(res.statusCode).toBe(201);
        ana = res.json();
        expect(res.headers.location).toBe(`/v1/contacts/${ana.id}`);
        expect(res.json()).toMatchObject({
          type: 'individual',
          jurisdiction: 'FR',
          identifiers: [
            { kind: 'email', value: 'ana@example.fr' },
            { kind: 'external', value: 'crm-1' },
            { kind: 'phone', value: '+33612345678' },
          ],
        });
      });

      it('refuses a bad identifier, an unknown field, a taken identifier, a bad time zone, naming the field', async () => {
        const post = (payload: object) => t.call({ method: 'POST', url: '/v1/contacts', payload });
        expectProblem(await post({ jurisdiction: 'FR', email: 'not-an-email' }), 400, '/email');
        expectProblem(await post({ jurisdiction: 'FR', phone: '12' }), 400, '/phone');
        expectProblem(await post({ jurisdiction: 'FR', nickname: 'x' }), 400, '/nickname');
        expectProblem(await post({ email: 'x@example.fr' }), 400, '/jurisdiction');
        expectProblem(await post({ jurisdiction: 'FR', type: 'robot' }), 400, '/type');
        expectProblem(await post({ jurisdiction: 'FR', timeZone: 'Mars/Olympus' }), 400, '/timeZone');
        const taken = expectProblem(await post({ jurisdiction: 'FR', email: 'ana@example.fr' }), 409);
        expect(taken.code).toBe('CONFLICT');
      });

      it('reads, finds by identifier, lists a page at a time, and answers 404 problems', async () => {
        expect((await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}`, key: t.keys.read })).json()).toMatchObject(
          {
            id: ana.id,
          },
        );
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts/nobody' }), 404);
        const byPhone = await t.call({ method: 'GET', url: '/v1/contacts?phone=%2B33612345678', key: t.keys.read });
        expect(byPhone.json()).toMatchObject({ items: [{ id: ana.id }], next: null });
        const byEmail = await t.call({ method: 'GET', url: '/v1/contacts?email=ANA@example.fr' });
        expect(byEmail.json().items).toHaveLength(1);
        expect(byEmail.json().suppressed).toBe(false);
        expect((await t.call({ method: 'GET', url: '/v1/contacts?email=nobody@example.fr' })).json()).toEqual({
          items: [],
          next: null,
          suppressed: false,
        });
        const letter = await t.store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          postal: '12 rue de la Paix, 75002 Paris',
        });
        const byPostal = await t.call({
          method: 'GET',
          url: `/v1/contacts?postal=${encodeURIComponent('12 rue de la Paix, 75002 Paris')}`,
        });
        expect(byPostal.json()).toMatchObject({ items: [{ id: letter.id }] });
        expect((await t.call({ method: 'GET', url: '/v1/contacts?externalId=none' })).json()).toEqual({
          items: [],
          next: null,
          suppressed: false,
        });
        await t.call({
          method: 'POST',
          url: '/v1/contacts',
          payload: { jurisdiction: 'DE', email: 'info@firma.de', type: 'professional' },
        });
        const page1 = (await t.call({ method: 'GET', url: '/v1/contacts?limit=1' })).json();
        expect(page1.items).toHaveLength(1);
        const page2 = (await t.call({ method: 'GET', url: `/v1/contacts?limit=1&after=${page1.next}` })).json();
        expect(page2.items[0].id).not.toBe(page1.items[0].id);
        // Three contacts: a page of three is the last one (next null), a page of two is not.
        expect((await t.call({ method: 'GET', url: '/v1/contacts?limit=3' })).json()).toMatchObject({ next: null });
        expect((await t.call({ method: 'GET', url: '/v1/contacts?limit=2' })).json().next).toEqual(expect.any(String));
        // An erased person is no longer listed (their record is still reached by id, as proof).
        const gone = (
          await t.call({
            method: 'POST',
            url: '/v1/contacts',
            payload: { jurisdiction: 'FR', email: 'list-gone@example.fr' },
          })
        ).json().id;
        expect((await t.call({ method: 'DELETE', url: `/v1/contacts/${gone}` })).statusCode).toBe(200);
        const live = (await t.call({ method: 'GET', url: '/v1/contacts?limit=1000' }))
          .json()
          .items.map((c: { id: string }) => c.id);
        expect(live).toHaveLength(3);
        expect(live).not.toContain(gone);
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?after=garbage' }), 400, '/after');
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?email=a@b.fr&phone=1' }), 400, '/phone');
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?limit=0' }), 400, '/limit');
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?limit=many' }), 400, '/limit');
        const big = expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?limit=100000' }), 400, '/limit');
        expect(big.detail).toBe('query parameter limit must be from 1 to 1000'); // the range, not a pattern
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?email=nope' }), 400, '/email');
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts?colour=red' }), 400, '/colour');
      });

      it('changes a contact and adds identifiers; refuses an empty or bad patch', async () => {
        const res = await t.call({
          method: 'PATCH',
          url: `/v1/contacts/${ana.id}`,
          key: t.keys.write,
          payload: { timeZone: 'Indian/Reunion', region: 'fr-974', add: { email: 'ana.pro@example.fr' } },
        });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({ timeZone: 'Indian/Reunion', region: 'FR-974' });
        expect(res.json().identifiers).toContainEqual({ kind: 'email', value: 'ana.pro@example.fr' });
        const patch = (payload: object, id = ana.id) => t.call({ method: 'PATCH', url: `/v1/contacts/${id}`, payload });
        expectProblem(await patch({}), 400, '');
        expectProblem(await patch({ add: { email: 'bad' } }), 400, '/add/email');
        expectProblem(await patch({ add: { email: 'info@firma.de' } }), 409);
        expectProblem(await patch({ type: 'individual' }, 'nobody'), 404);
      });

      it('rectifies: removes an identifier, names one the contact lacks, and records the change without values', async () => {
        const patch = (payload: object) => t.call({ method: 'PATCH', url: `/v1/contacts/${ana.id}`, payload });
        const res = await patch({ remove: { email: 'ANA.PRO@example.fr' }, reason: 'request 7' });
        expect(res.statusCode).toBe(200);
        expect(res.json().identifiers).not.toContainEqual({ kind: 'email', value: 'ana.pro@example.fr' });
        const missing = await patch({ remove: { email: 'ana.pro@example.fr' } });
        expectProblem(missing, 400, '/remove');
        expect(missing.json().detail).toMatch(/email ana.pro@example.fr is not an identifier of contact/);
        expectProblem(await patch({ remove: { phone: '12' } }), 400, '/remove/phone');
        expectProblem(await patch({ remove: {} }), 400, '/remove');
        const history = (
          await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}/history`, key: t.keys.read })
        ).json();
        const records = history.events.filter((e: { type: string }) => e.type === 'contact.rectified');
        expect(records.map((e: { data: object }) => e.data)).toEqual([
          { added: ['email'], removed: [], changed: ['timeZone', 'region'] },
          { added: [], removed: ['email'], changed: [], reason: 'request 7' },
        ]);
        expect(JSON.stringify(records)).not.toContain('ana.pro');
        // null clears a zone or region set by mistake (the jurisdiction's then applies); a zone is still checked.
        const cleared = await patch({ timeZone: null, region: null });
        expect(cleared.statusCode, cleared.body).toBe(200);
        expect(cleared.json()).toMatchObject({ timeZone: null, region: null });
        expectProblem(await patch({ timeZone: 'Mars/Olympus' }), 400, '/timeZone');
      });

      it('refuses a query parameter on a route that takes none, naming it, as routes with parameters do', async () => {
        const paged = await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}/history?page=2`, key: t.keys.read });
        expect(expectProblem(paged, 400, '/page').detail).toBe('query parameter page is not a known field');
        expectProblem(await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}?fields=id`, key: t.keys.read }), 400);
        expectProblem(
          await t.call({ method: 'GET', url: '/v1/contacts?nickname=x', key: t.keys.read }),
          400,
          '/nickname',
        );
        expect((await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}`, key: t.keys.read })).statusCode).toBe(200);
      });

      it('merges two records and shows both ledgers as the history of the survivor', async () => {
        const dup = (
          await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'FR', externalId: 'crm-2' } })
        ).json();
        const event = { contact: { id: dup.id }, type: 'consent.given', at: '2026-10-01T10:00:00Z', channel: 'sms' };
        expect((await t.call({ method: 'POST', url: '/v1/events', payload: event })).statusCode).toBe(201);
        const merged = await t.call({
          method: 'POST',
          url: `/v1/contacts/${ana.id}/merge`,
          key: t.keys.write,
          payload: { from: dup.id, by: 'agent-7' },
        });
        expect(merged.statusCode).toBe(200);
        expect(merged.json().merged).toEqual([dup.id]);
        const history = (
          await t.call({ method: 'GET', url: `/v1/contacts/${dup.id}/history`, key: t.keys.read })
        ).json();
        expect(history.contactId).toBe(ana.id);
        expect(history.events.map((e: { type: string }) => e.type)).toEqual([
          'contact.rectified',
          'contact.rectified',
          'contact.rectified',
          'consent.given',
          'contact.merged',
        ]);
        expect(history.events[4].recordedBy).toMatch(/^api-key:.+\/agent-7$/);
        expect(history.next).toBeNull();
        // A page at a time, in ledger order across both records: `next` is the last event's seq, null at the end.
        const pages: string[][] = [];
        for (let after: number | null = null, n = 0; n < 5; n++) {
          const url: string = `/v1/contacts/${dup.id}/history?limit=2${after === null ? '' : `&after=${after}`}`;
          const page: { events: { id: string; seq: number }[]; next: number | null } = (
            await t.call({ method: 'GET', url, key: t.keys.read })
          ).json();
          pages.push(page.events.map((e: { id: string }) => e.id));
          after = page.next;
          if (after === null) break;
          expect(after).toBe(page.events[1]?.seq);
        }
        expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
        expect(pages.flat()).toEqual(history.events.map((e: { id: string }) => e.id));
        const exact = (await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}/history?limit=5` })).json();
        expect(exact.events).toHaveLength(5);
        expect(exact.next).toBeNull(); // a full last page says it is the last
        const big = expectProblem(
          await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}/history?limit=10001` }),
          400,
          '/limit',
        );
        expect(big.detail).toBe('query parameter limit must be from 1 to 10000');
        expectProblem(await t.call({ method: 'GET', url: `/v1/contacts/${ana.id}/history?after=x` }), 400, '/after');
        // Without `limit`, the whole ledger, as before paging existed: a client unaware of `next` loses nothing.
        const long = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'crm-long' });
        await t.store.appendEvents(
          Array.from({ length: 1_001 }, (_, i) => ({
            contactId: long.id,
            type: 'message.opened' as const,
            at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
            data: {},
            recordedBy: 'test',
          })),
        );
        const all = (await t.call({ method: 'GET', url: `/v1/contacts/${long.id}/history` })).json();
        expect([all.events.length, all.next]).toEqual([1_001, null]);
        const merge = (payload: object, id = ana.id) =>
          t.call({ method: 'POST', url: `/v1/contacts/${id}/merge`, payload });
        expectProblem(await merge({ from: ana.id }), 400, '/from');
        expectProblem(await merge({ from: dup.id }), 409);
        expectProblem(await merge({ from: 'nobody' }), 404);
        expectProblem(await merge({}), 400, '/from');
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts/nobody/history' }), 404);
      });
    });

    describe('events', () => {
      const consent = {
        contact: { email: 'ana@example.fr' },
        type: 'consent.given',
        at: '2026-10-02T10:00:00Z',
        channel: 'email',
        method: 'checkbox',
        evidence: { method: 'form', pageUrl: 'https://shop.example/signup', ip: '203.0.113.9' },
      };

      it('records an event with evidence, once per idempotency key (header or field)', async () => {
        const post = (payload: object, headers = {}) =>
          t.call({ method: 'POST', url: '/v1/events', payload, headers, key: t.keys.write });
        const first = await post(consent, { 'idempotency-key': 'signup-1' });
        expect(first.statusCode).toBe(201);
        expect(first.json().results[0]).toMatchObject({
          status: 'recorded',
          event: { type: 'consent.given', evidence: { ip: '203.0.113.9' } },
        });
        const again = await post(consent, { 'idempotency-key': 'signup-1' });
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual({ results: [{ status: 'duplicate', idempotencyKey: 'signup-1' }] });
        const batch = await post([
          { ...consent, idempotencyKey: 'k-a' },
          { ...consent, idempotencyKey: 'k-a' },
          { ...consent, type: 'purchase', channel: undefined, method: undefined },
        ]);
        expect(batch.statusCode).toBe(201);
        expect(batch.json().results.map((r: { status: string }) => r.status)).toEqual([
          'recorded',
          'duplicate',
          'recorded',
        ]);
        // The key of the consent reused for an objection: a 409 naming it, and nothing recorded (not a silent skip).
        const before = (await t.call({ method: 'GET', url: '/v1/ledger/verify', key: t.keys.read })).json().events;
        const objection = {
          contact: { email: 'ana@example.fr' },
          type: 'objection',
          at: '2026-10-03T10:00:00Z',
          channel: 'email',
        };
        const reused = await post([objection, { ...objection, channel: 'sms' }], { 'idempotency-key': 'fresh' });
        expect(reused.statusCode).toBe(201);
        const clash = await post(objection, { 'idempotency-key': 'signup-1' });
        expectProblem(clash, 409);
        expect(clash.json().detail).toMatch(
          /^idempotency key "signup-1" was used for another event \(seq \d+, consent.given of/,
        );
        // The key came from the header: the problem names the header; from the event: the event's field.
        const fromHeader = expectProblem(
          await post([{ ...objection, channel: 'postal' }, objection], { 'idempotency-key': 'fresh' }),
          409,
          '/Idempotency-Key',
        );
        expect((fromHeader.errors as { in: string }[])[0]?.in).toBe('header');
        expectProblem(await post([objection, { ...objection, idempotencyKey: 'k-a' }]), 409, '/1/idempotencyKey');
        // One new key on two different events of one request: the second (an objection) is refused, not skipped.
        const twice = await post([
          { ...consent, type: 'purchase', channel: undefined, method: undefined, idempotencyKey: 'k-y' },
          { ...objection, idempotencyKey: 'k-y' },
        ]);
        expectProblem(twice, 409, '/1/idempotencyKey');
        expect(twice.json().detail).toBe(
          'idempotency key "k-y" is also the key of event 0 of this request, another event: give each event its own key',
        );
        expect((await t.call({ method: 'GET', url: '/v1/ledger/verify', key: t.keys.read })).json().events).toBe(
          before + 2,
        );
      });

      it('ties evidence to a stored consent text, recording its SHA-256', async () => {
        const text = await t.call({
          method: 'POST',
          url: '/v1/consent-texts',
          key: t.keys.write,
          payload: { key: 'newsletter', version: '1', language: 'FR', body: "J'accepte." },
        });
        expect(text.statusCode).toBe(201);
        const { id, sha256 } = text.json();
        const res = await t.call({
          method: 'POST',
          url: '/v1/events',
          payload: { ...consent, evidence: { textId: id } },
        });
        expect(res.json().results[0].event.evidence).toEqual({ textId: id, textSha256: sha256 });
      });

      it('refuses, all or none, naming the field of the faulty event', async () => {
        const before = (await t.store.verifyLedger()).events;
        const post = (payload: unknown) => t.call({ method: 'POST', url: '/v1/events', payload: payload as object });
        expectProblem(await post({ ...consent, channel: 'pigeon' }), 400, '/channel');
        expectProblem(await post([consent, { ...consent, at: 'yesterday' }]), 400, '/1/at');
        expectProblem(
          await post([consent, { ...consent, contact: { email: 'nobody@example.fr' } }]),
          404,
          '/1/contact/email',
        );
        expectProblem(await post({ ...consent, contact: { email: 'bad' } }), 400, '/contact/email');
        expectProblem(await post({ ...consent, contact: {} }), 400, '/contact');
        expectProblem(await post({ ...consent, evidence: { textId: 'nope:1:fr' } }), 400, '/evidence/textId');
        expectProblem(
          await post({ ...consent, evidence: { textId: 'newsletter:1:fr', textSha256: '0'.repeat(64) } }),
          400,
          '/evidence/textSha256',
        );
        expectProblem(await post({ ...consent, colour: 'red' }), 400, '/colour');
        // The record of a move is the import's to write: a forged one would pass a later import's line off as stored.
        const moved = { movedFrom: [{ hash: 'ab'.repeat(32), seq: 1, recordedAt: '2025-01-01T00:00:00Z' }] };
        expectProblem(await post({ ...consent, evidence: moved }), 400, '/evidence/movedFrom');
        const ahead = await post({ ...consent, type: 'objection', at: '2099-01-01T00:00:00Z' });
        expectProblem(ahead, 400, '/at');
        expect(ahead.json().detail).toContain('is in the future');
        const ancient = await post({ ...consent, at: '0001-01-01T00:00:00Z' });
        expectProblem(ancient, 400, '/at');
        expect(ancient.json().detail).toBe('/at is before 1970 (0001-01-01T00:00:00Z): give the date the act happened');
        expectProblem(await post({ ...consent, type: 'contact.merged' }), 400, '/type');
        expectProblem(await post([]), 400, '');
        // One event, one person: an email of one contact and the phone of another is a conflict, not a guess.
        const other = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '0611223344' });
        const twoPeople = await post([
          consent,
          { ...consent, contact: { email: 'ana@example.fr', phone: '06 11 22 33 44' } },
        ]);
        expectProblem(twoPeople, 409, '/1/contact/phone');
        expect(twoPeople.json().detail).toContain(other.id);
        expect((await t.store.verifyLedger()).events).toBe(before);
      });
    });

    describe('consent texts and the ledger', () => {
      it('stores a wording once, lists and reads it; other wording under the same id is a 409', async () => {
        const payload = { key: 'partners', version: '2', language: 'de', body: 'Ich willige ein.' };
        expect((await t.call({ method: 'POST', url: '/v1/consent-texts', payload })).statusCode).toBe(201);
        expect((await t.call({ method: 'POST', url: '/v1/consent-texts', payload })).statusCode).toBe(200);
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/consent-texts', payload: { ...payload, body: 'Anders.' } }),
          409,
        );
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/consent-texts', payload: { ...payload, key: 'a b' } }),
          400,
          '/key',
        );
        expectProblem(
          await t.call({
            method: 'POST',
            url: '/v1/consent-texts',
            payload: { key: 'x', version: '1', language: 'fr' },
          }),
          400,
          '/body',
        );
        const list = (await t.call({ method: 'GET', url: '/v1/consent-texts', key: t.keys.read })).json();
        expect(list.items.map((i: { id: string }) => i.id)).toContain('partners:2:de');
        expect(list.items[0].body).toBeUndefined();
        const one = await t.call({ method: 'GET', url: '/v1/consent-texts/partners%3A2%3Ade', key: t.keys.read });
        expect(one.json()).toMatchObject({ id: 'partners:2:de', body: 'Ich willige ein.' });
        expectProblem(await t.call({ method: 'GET', url: '/v1/consent-texts/none:1:fr' }), 404);
      });

      it('verifies the ledger, and names the first broken link after an edit in the database', async () => {
        const ok = (await t.call({ method: 'GET', url: '/v1/ledger/verify', key: t.keys.read })).json();
        expect(ok).toMatchObject({ intact: true, broken: null });
        expect(ok.events).toBeGreaterThan(3);
        await t.raw(`update ledger_events set data = '{"channel":"fax"}' where seq = 2`);
        const broken = (await t.call({ method: 'GET', url: '/v1/ledger/verify' })).json();
        expect(broken).toMatchObject({ intact: false, broken: { seq: 2 } });
      });
    });

    describe('access (GDPR art. 15)', () => {
      it('answers everything held on one person in one document', async () => {
        const text = await t.store.putConsentText({
          key: 'partners',
          version: '2',
          language: 'fr',
          body: 'Oui aux partenaires.',
        });
        const noa = await t.store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'noa@example.fr' });
        await t.store.appendEvents([
          {
            contactId: noa.id,
            type: 'data.collected',
            at: '2026-01-02',
            data: { source: 'acquired', provider: 'listco' },
            recordedBy: 'test',
          },
          {
            contactId: noa.id,
            type: 'consent.given',
            at: '2026-01-03',
            data: { channel: 'email', purpose: 'offers', scope: 'partners', partners: ['acme'] },
            evidence: { method: 'form', textId: text.id, textSha256: text.sha256 },
            recordedBy: 'test',
          },
          // A partner box left unticked: that partner is no recipient.
          {
            contactId: noa.id,
            type: 'consent.refused',
            at: '2026-01-03',
            data: { channel: 'sms', purpose: 'offers', scope: 'partners', partners: ['zeta'] },
            recordedBy: 'test',
          },
        ]);
        const res = await t.call({ method: 'GET', url: `/v1/contacts/${noa.id}/access`, key: t.keys.read });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toMatchObject({
          contact: { id: noa.id, identifiers: [{ kind: 'email', value: 'noa@example.fr' }] },
          sources: [{ source: 'acquired', provider: 'listco' }],
          partners: ['acme'],
          purposes: ['offers'],
          consentTexts: [{ id: text.id, body: 'Oui aux partenaires.' }],
          messages: [],
          rightsRequests: [],
          // In French: the person read a French consent text (and lives in France).
          retention: expect.stringMatching(
            /^Utilisées pour la prospection pendant 3 ans .*: dernier contact actif ou collecte de vos données le 2026-01-03, utilisables jusqu’au 2029-01-03 inclus\. /,
          ),
          information: {
            language: 'fr',
            complaint: { authority: { name: expect.stringMatching(/^CNIL/) } },
            recipients: [{ kind: 'partner', name: 'acme' }],
          },
        });
        const inEnglish = await t.call({ method: 'GET', url: `/v1/contacts/${noa.id}/access?lang=en` });
        expect(inEnglish.json().retention).toMatch(
          /^Used for prospecting for 3 years .*: last active contact or collection of your details 2026-01-03, usable through 2029-01-03\. /,
        );
        expectProblem(await t.call({ method: 'GET', url: `/v1/contacts/${noa.id}/access?lang=xx` }), 400);
        expect(res.json().events).toHaveLength(3);
        // An objection naming no purpose covers them all: the report says so.
        await t.store.appendEvents([
          { contactId: noa.id, type: 'objection', at: '2026-01-04', data: { channel: 'sms' }, recordedBy: 'test' },
        ]);
        const after = await t.call({ method: 'GET', url: `/v1/contacts/${noa.id}/access`, key: t.keys.read });
        expect(after.json().purposes).toEqual(['*', 'offers']);
        // With no dated contact, the period runs from the day the contact was stored, as decisions count it.
        const zoe = (
          await t.call({
            method: 'POST',
            url: '/v1/contacts',
            payload: { jurisdiction: 'FR', email: 'zoe.undated@example.fr' },
          })
        ).json();
        expect((await t.call({ method: 'GET', url: `/v1/contacts/${zoe.id}/access` })).json().retention).toContain(
          ': aucun contact actif enregistré ; enregistrées pour la première fois le ',
        );
        // Germany's pack sets no period: the answer says so rather than quote the French one.
        const ben = (
          await t.call({
            method: 'POST',
            url: '/v1/contacts',
            payload: { jurisdiction: 'DE', email: 'ben@example.de' },
          })
        ).json();
        expect((await t.call({ method: 'GET', url: `/v1/contacts/${ben.id}/access` })).json().retention).toMatch(
          /^Keine feste Frist in den für DE geltenden Regeln/,
        );
        expectProblem(await t.call({ method: 'GET', url: '/v1/contacts/nobody/access' }), 404);
      });
    });

    describe('erasure (GDPR art. 17)', () => {
      it('erases a person with an admin key: gone for lookups, decisions and events, the ledger kept as proof', async () => {
        const lea = (
          await t.call({
            method: 'POST',
            url: '/v1/contacts',
            payload: { jurisdiction: 'FR', email: 'lea@example.fr' },
          })
        ).json();
        const given = {
          contact: { email: 'lea@example.fr' },
          type: 'consent.given',
          at: '2026-10-01T10:00:00Z',
          channel: 'email',
        };
        expect((await t.call({ method: 'POST', url: '/v1/events', payload: given })).statusCode).toBe(201);
        expectProblem(await t.call({ method: 'DELETE', url: `/v1/contacts/${lea.id}`, key: t.keys.write }), 403);
        const unknown = await t.call({ method: 'DELETE', url: `/v1/contacts/${lea.id}?request=rr-nope` });
        expectProblem(unknown, 404);
        expect(unknown.json().detail).toBe(`no rights request rr-nope from contact ${lea.id}`);
        const erased = await t.call({ method: 'DELETE', url: `/v1/contacts/${lea.id}?by=dpo&reason=rr-12` });
        expect(erased.statusCode).toBe(200);
        expect(erased.json()).toMatchObject({
          contactId: lea.id,
          erasedNow: true,
          identifiersRemoved: 1,
          suppressed: 1,
        });
        // Found by its address: no one, and said to be suppressed (a CRM must not take it for a new prospect).
        expect((await t.call({ method: 'GET', url: '/v1/contacts?email=LEA@example.fr' })).json()).toEqual({
          items: [],
          next: null,
          suppressed: true,
          // Why, since when, and whose erasure (its record names the hash).
          suppression: { reason: 'erased', since: erased.json().erasedAt, contactId: lea.id },
        });
        expect((await t.call({ method: 'GET', url: `/v1/contacts/${lea.id}` })).json()).toMatchObject({
          identifiers: [],
          erasedAt: erased.json().erasedAt,
        });
        const history = (await t.call({ method: 'GET', url: `/v1/contacts/${lea.id}/history` })).json();
        expect(history.events.map((e: { type: string }) => e.type)).toEqual(['consent.given', 'contact.erased']);
        // Which hashes it put on the list (of what kind), for the access report and `suppress check`.
        expect(history.events[1].data).toEqual({
          identifiers: 1,
          suppressed: 1,
          suppressedHashes: [{ kind: 'email', hash: expect.stringMatching(/^[0-9a-f]{64}$/), reason: 'erased' }],
          reason: 'rr-12',
        });
        // The access report no longer says the data is used until some day.
        expect(
          (await t.call({ method: 'GET', url: `/v1/contacts/${lea.id}/access?lang=en` })).json().retention,
        ).toMatch(/^Erased on \d{4}-\d{2}-\d{2}: no longer used for prospecting\. The record of each consent/);
        const decided = await t.call({
          method: 'POST',
          url: '/v1/decisions',
          payload: [{ contact: { id: lea.id }, message: { channel: 'email' } }],
        });
        expect(decided.json()[0]).toMatchObject({ error: { code: 'CONTACT_NOT_FOUND' } });
        // By the erased address: not found, and said to be suppressed, so no caller takes it for a new prospect.
        const byEmail = await t.call({
          method: 'POST',
          url: '/v1/decisions',
          payload: [
            { contact: { email: 'LEA@example.fr' }, message: { channel: 'email' } },
            { contact: { email: 'someone.else@example.fr' }, message: { channel: 'email' } },
          ],
        });
        expect(byEmail.json()[0].error).toEqual({
          code: 'CONTACT_NOT_FOUND',
          message:
            'no stored contact with email LEA@example.fr: it is on the company suppression list (its person was erased or objected), so it must not be contacted',
          path: '/contact/email',
        });
        expect(byEmail.json()[1].error.message).toBe('no stored contact with email someone.else@example.fr');
        const single = await t.call({
          method: 'POST',
          url: '/v1/decisions',
          payload: { contact: { email: 'lea@example.fr' }, message: { channel: 'email' } },
        });
        expect(expectProblem(single, 404).detail).toContain('on the company suppression list');
        expectProblem(
          await t.call({ method: 'POST', url: '/v1/events', payload: { ...given, contact: { id: lea.id } } }),
          409,
        );
        expect((await t.call({ method: 'DELETE', url: `/v1/contacts/${lea.id}` })).json()).toMatchObject({
          erasedNow: false,
        });
        expectProblem(await t.call({ method: 'DELETE', url: '/v1/contacts/nobody' }), 404);
        // A CRM re-sync does not bring the person back; the person coming back themselves does.
        const resync = await t.call({
          method: 'POST',
          url: '/v1/contacts',
          payload: { jurisdiction: 'FR', email: 'LEA@example.fr' },
        });
        expectProblem(resync, 409);
        expect(resync.json().detail).toContain('email lea@example.fr is on the company suppression list');
        const other = (
          await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'FR', externalId: 'crm-lea' } })
        ).json();
        expectProblem(
          await t.call({
            method: 'PATCH',
            url: `/v1/contacts/${other.id}`,
            payload: { add: { email: 'lea@example.fr' } },
          }),
          409,
        );
        const back = await t.call({
          method: 'POST',
          url: '/v1/contacts?returning=true',
          payload: { jurisdiction: 'FR', email: 'lea@example.fr' },
        });
        expect(back.statusCode).toBe(201);
        // Off the suppression list now: a screening decides on the returning person's own ledger.
        expect(await t.store.suppressedAmong([suppressionHash('email', 'lea@example.fr')])).toEqual(new Set());
      });
    });

    describe('retention purge', () => {
      it('lists, then erases, the contacts whose 3 years are over; admin only; a bad or future day is a 400', async () => {
        const old = (
          await t.call({
            method: 'POST',
            url: '/v1/contacts',
            payload: { jurisdiction: 'FR', email: 'old@example.fr' },
          })
        ).json();
        const given = { contact: { id: old.id }, type: 'consent.given', at: '2022-01-01T10:00:00Z', channel: 'email' };
        expect((await t.call({ method: 'POST', url: '/v1/events', payload: given })).statusCode).toBe(201);
        const purge = (payload: object | undefined, key?: string) =>
          t.call({ method: 'POST', url: '/v1/retention/purge', payload, ...(key ? { key } : {}) });
        expectProblem(await purge({ dryRun: true }, t.keys.write), 403);
        expectProblem(await purge({ dryRun: true, at: '2026-13-01' }), 400, '/at');
        expectProblem(await purge({ dryRun: false, at: '2020-01-01' }), 400, '/at'); // would not see what happened since
        const listed = await purge({ dryRun: true });
        expect(listed.statusCode).toBe(200);
        expect(listed.json()).toMatchObject({
          dryRun: true,
          erased: 0,
          expired: [{ contactId: old.id, rule: 'fr.retention' }],
        });
        expectProblem(await purge({ by: 'dpo' }), 400, '/dryRun'); // never a purge by default
        const done = await purge({ dryRun: false, by: 'dpo' });
        expect(done.json()).toMatchObject({ erased: 1, expired: [{ contactId: old.id, suppressed: 0 }] });
        const history = (await t.call({ method: 'GET', url: `/v1/contacts/${old.id}/history` })).json();
        expect(history.events[1]).toMatchObject({ type: 'contact.erased', data: { reason: 'retention' } });
        expect(history.events[1].recordedBy).toMatch(/\/dpo$/);
        expect((await purge({ dryRun: false })).json()).toMatchObject({ erased: 0, expired: [] });
      });
    });

    describe('register of processing activities', () => {
      it('answers JSON or Markdown to an admin key, and names what the profile lacks', async () => {
        expectProblem(await t.call({ method: 'GET', url: '/v1/register', key: t.keys.read }), 403);
        const json = await t.call({ method: 'GET', url: '/v1/register' });
        expect(json.statusCode).toBe(200);
        expect(json.json()).toMatchObject({ ref: 'GDPR art. 30(1)', controller: null });
        expect(json.json().missing.map((m: { field: string }) => m.field)).toContain('controller');
        const md = await t.call({ method: 'GET', url: '/v1/register?format=markdown' });
        expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
        expect(md.body).toMatch(/^# Register of processing activities \(GDPR art. 30\)\n/);
        expectProblem(await t.call({ method: 'GET', url: '/v1/register?format=pdf' }), 400);
      });

      it('reads the profile the operator named, and says which field of it is wrong', async () => {
        const file = join(t.dir, 'profile.json');
        const app = await openTestApp({ config: { registerProfile: file } });
        try {
          writeFileSync(file, JSON.stringify({ controller: { name: 'Lumière SAS', email: 'dpo@lumiere.fr' } }));
          expect((await app.call({ method: 'GET', url: '/v1/register' })).json().controller).toEqual({
            name: 'Lumière SAS',
            email: 'dpo@lumiere.fr',
          });
          writeFileSync(file, JSON.stringify({ controller: { name: '' } }));
          const broken = await app.call({ method: 'GET', url: '/v1/register' });
          expectProblem(broken, 503);
          expect(broken.json().detail).toBe(
            `ASSENT_REGISTER_PROFILE ${file}: /controller/name: must be a non-empty string`,
          );
        } finally {
          await app.close();
        }
      });
    });

    describe('the event schema', () => {
      it('takes exactly the history fields the ledger takes', () => {
        expect(Object.keys(historyEventProperties).sort()).toEqual([...HISTORY_EVENT_FIELDS].sort());
      });
    });
    it('records an event whose time has a comma fraction, as ISO 8601 allows (10:00:00,5Z)', async () => {
      const c = await t.call({
        method: 'POST',
        url: '/v1/contacts',
        key: t.keys.write,
        payload: { jurisdiction: 'FR', email: 'comma@example.fr' },
      });
      const res = await t.call({
        method: 'POST',
        url: '/v1/events',
        key: t.keys.write,
        payload: { contact: { id: c.json().id }, type: 'interaction', kind: 'click', at: '2026-10-04T10:00:00,5Z' },
      });
      expect(res.statusCode, res.body).toBe(201);
    });
  });
}
