// The same suite against every store dialect (Kysely's way): contacts, identifiers, merges, the chained ledger,
// tampering caught by verification, consent texts, and all-or-nothing transactions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NewLedgerEvent, sha256 } from '../../src/domain/ledger.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { eraseContact } from '../../src/services/erasure.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { rectifyContact } from '../../src/services/rectification.js';
import { decideStoredBatch } from '../../src/services/stored-decisions.js';
import type { Store } from '../../src/store/store.js';
import { snapshot } from '../http/helpers.js';
import { DIALECTS } from './dialects.js';

const consent = (contactId: string, at: string, extra: Record<string, unknown> = {}): NewLedgerEvent => ({
  contactId,
  type: 'consent.given',
  at,
  data: { channel: 'email', method: 'checkbox', ...extra },
  evidence: { method: 'form', pageUrl: 'https://shop.example/signup', ip: '203.0.113.7', userAgent: 'Firefox' },
  recordedBy: 'test',
});

for (const dialect of DIALECTS) {
  describe(`store conformance: ${dialect.name}`, async () => {
    const unavailable = await dialect.available();
    if (unavailable !== null) {
      if (process.env.CI) {
        it('has its database', () => {
          throw new Error(`${unavailable}: CI must run the store suite on PostgreSQL too`);
        });
      } else {
        console.warn(`SKIPPED store conformance on ${dialect.name}: ${unavailable} (set TEST_DATABASE_URL)`);
        it.skip(`${dialect.name}: ${unavailable}`, () => {});
      }
      return;
    }
    let store: Store;
    let raw: (sql: string) => Promise<unknown[]>;
    let cleanup: () => Promise<void>;
    beforeAll(async () => {
      ({ store, raw, cleanup } = await dialect.open());
    });
    afterAll(async () => cleanup?.());

    it('refuses a contact without any identifier, and stores nothing', async () => {
      const before = (await raw('select count(*) as n from contacts')) as { n: unknown }[];
      await expect(store.createContact({ type: 'individual', jurisdiction: 'FR' })).rejects.toMatchObject({
        code: 'INVALID',
        message: expect.stringMatching(/at least one identifier/),
      });
      await expect(
        store.createContact({ type: 'individual', jurisdiction: 'ZZ', email: 'zz@example.fr' }),
      ).rejects.toMatchObject({
        code: 'INVALID',
        message: 'jurisdiction: "ZZ" is not an ISO 3166-1 alpha-2 country code such as FR',
      });
      expect(await raw('select count(*) as n from contacts')).toEqual(before);
    });

    it('creates a contact and finds it by every identifier, normalised', async () => {
      const c = await store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: '  Jane.Doe@Example.FR ',
        phone: '06 12 34 56 78',
        externalId: 'crm-1',
        postal: '1 rue de la Paix  75002 Paris',
      });
      expect(c.identifiers).toEqual(
        expect.arrayContaining([
          { kind: 'email', value: 'jane.doe@example.fr' },
          { kind: 'phone', value: '+33612345678' },
          { kind: 'external', value: 'crm-1' },
        ]),
      );
      for (const by of [
        { kind: 'email' as const, value: 'JANE.DOE@example.fr' },
        { kind: 'phone' as const, value: '+33 6 12 34 56 78' },
        { kind: 'phone' as const, value: '0612345678', jurisdiction: 'FR' },
        { kind: 'external' as const, value: 'crm-1' },
        { kind: 'postal' as const, value: '1 RUE DE LA PAIX 75002 PARIS' },
      ]) {
        expect((await store.findContact(by))?.id).toBe(c.id);
      }
      expect(await store.findContact({ kind: 'email', value: 'nobody@example.fr' })).toBeNull();
    });

    it('refuses an identifier that belongs to someone else, and a malformed one, naming it', async () => {
      await expect(
        store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'jane.doe@example.fr' }),
      ).rejects.toThrow(/email jane.doe@example.fr already belongs to contact/);
      await expect(store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '12' })).rejects.toThrow(
        /not a valid phone number/,
      );
      await expect(
        store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'not-an-email' }),
      ).rejects.toThrow(/not an email address/);
    });

    it('detects generic role addresses of professionals, and lets a person override', async () => {
      const generic = await store.createContact({ type: 'professional', jurisdiction: 'FR', email: 'contact@acme.fr' });
      expect(generic).toMatchObject({ address: 'generic', addressSource: 'detected' });
      const named = await store.createContact({
        type: 'professional',
        jurisdiction: 'FR',
        email: 'paul.martin@acme.fr',
      });
      expect(named).toMatchObject({ address: 'named', addressSource: 'detected' });
      const fixed = await store.updateContact(generic.id, { address: 'named' });
      expect(fixed).toMatchObject({ address: 'named', addressSource: 'set' });
    });

    it('appends events to a chain and reads them back in order', async () => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'chain@example.fr' });
      const added = await store.appendEvents([
        consent(c.id, '2026-01-15T12:00:00Z'),
        {
          contactId: c.id,
          type: 'objection',
          at: '2026-02-01T00:00:00Z',
          data: { channel: 'email' },
          recordedBy: 'test',
        },
      ]);
      expect(added[1]?.prevHash).toBe(added[0]?.hash);
      const history = await store.historyOf(c.id);
      expect(history.map((e) => e.type)).toEqual(['consent.given', 'objection']);
      expect(history[0]?.evidence).toMatchObject({ ip: '203.0.113.7' });
      expect((await store.verifyLedger()).broken).toBeNull();
    });

    it('appends an idempotency key once', async () => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'idem@example.fr' });
      const e = { ...consent(c.id, '2026-01-15T12:00:00Z'), idempotencyKey: 'import:abc' };
      expect(await store.appendEvents([e, e])).toHaveLength(1);
      expect(await store.appendEvents([e])).toHaveLength(0);
      expect(await store.historyOf(c.id)).toHaveLength(1);
    });

    it('refuses an event the engine could not read, and writes nothing of its batch', async () => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'bad@example.fr' });
      await expect(
        store.appendEvents([
          consent(c.id, '2026-01-15T12:00:00Z'),
          { ...consent(c.id, '2026-01-16'), data: { channel: 'pigeon' } },
        ]),
      ).rejects.toThrow(/events\.1\.channel/);
      expect(await store.historyOf(c.id)).toHaveLength(0);
    });

    it('rolls a failed transaction back whole', async () => {
      await expect(
        store.transaction(async (tx) => {
          const c = await tx.createContact({ type: 'individual', jurisdiction: 'FR', email: 'rollback@example.fr' });
          await tx.appendEvents([consent(c.id, '2026-01-15T12:00:00Z')]);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.findContact({ kind: 'email', value: 'rollback@example.fr' })).toBeNull();
      expect((await store.verifyLedger()).broken).toBeNull();
    });

    it('merges two records of one person without losing history', async () => {
      const a = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'merge-a@example.fr' });
      const b = await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '+33699887766' });
      await store.appendEvents([consent(a.id, '2026-01-10')]);
      await store.appendEvents([{ contactId: b.id, type: 'purchase', at: '2026-01-20', data: {}, recordedBy: 'test' }]);
      const merged = await store.mergeContacts(a.id, b.id, 'dpo');
      expect(merged.merged).toEqual([b.id]);
      expect((await store.findContact({ kind: 'phone', value: '+33699887766' }))?.id).toBe(a.id);
      expect((await store.findContact({ id: b.id }))?.id).toBe(a.id);
      expect((await store.historyOf(a.id)).map((e) => e.type)).toEqual(['consent.given', 'purchase', 'contact.merged']);
      // The decision read is the same history, projected to what the engine reads.
      const full = (await store.historiesOf([a.id])).get(a.id) ?? [];
      expect((await store.decisionHistoriesOf([a.id])).get(a.id)).toEqual(
        full.map((e) => ({ type: e.type, at: e.at, data: e.data })),
      );
    });

    it('versions consent texts: stored once, immutable per version', async () => {
      const t = await store.putConsentText({
        key: 'newsletter',
        version: '1',
        language: 'fr',
        body: "J'accepte de recevoir…",
      });
      expect(t.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(
        await store.putConsentText({ key: 'newsletter', version: '1', language: 'fr', body: "J'accepte de recevoir…" }),
      ).toEqual(t);
      await expect(
        store.putConsentText({ key: 'newsletter', version: '1', language: 'fr', body: 'autre' }),
      ).rejects.toThrow(/new version/);
      expect((await store.getConsentText('newsletter:1:fr'))?.body).toBe("J'accepte de recevoir…");
    });

    it('erases a person: identifiers gone and suppressed, the ledger kept as proof and still verified', async () => {
      const zoe = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'zoe@example.fr' });
      const old = await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '0612121212' });
      await store.appendEvents([consent(zoe.id, '2026-01-05T10:00:00Z'), consent(old.id, '2026-01-06T10:00:00Z')]);
      await store.mergeContacts(zoe.id, old.id, 'test');
      const erased = await eraseContact(store, zoe.id, { at: new Date('2026-03-01T09:00:00Z'), recordedBy: 'dpo' });
      expect(erased).toEqual({
        contactId: zoe.id,
        erasedAt: '2026-03-01T09:00:00.000Z',
        erasedNow: true,
        identifiersRemoved: 2,
        suppressed: 2,
        requestsAnswered: 0,
      });
      expect(await store.findContact({ kind: 'email', value: 'zoe@example.fr' })).toBeNull();
      expect(await store.findContact({ kind: 'phone', value: '+33612121212' })).toBeNull();
      expect(await store.findContact({ id: zoe.id })).toMatchObject({ identifiers: [], erasedAt: erased.erasedAt });
      expect(
        await store.suppressedAmong([
          suppressionHash('email', 'zoe@example.fr'),
          suppressionHash('phone', '+33612121212'),
        ]),
      ).toHaveProperty('size', 2);
      // With their reason and date, and traced back to this erasure by the hashes its record names.
      const zoeHash = suppressionHash('email', 'zoe@example.fr');
      expect(await store.suppressionsAmong([zoeHash, 'f'.repeat(64)])).toEqual([
        { hash: zoeHash, reason: 'erased', at: erased.erasedAt },
      ]);
      const records = await store.erasureRecordsAt(erased.erasedAt);
      expect(records.map((e) => [e.contactId, e.type])).toEqual([[zoe.id, 'contact.erased']]);
      expect(JSON.stringify(records[0]?.data.suppressedHashes)).toContain(zoeHash);
      // Both consents and the merge stay, with the erasure itself: the proof an auditor asks for.
      expect((await store.historyOf(zoe.id)).map((e) => e.type)).toEqual([
        'consent.given',
        'consent.given',
        'contact.merged',
        'contact.erased',
      ]);
      expect((await store.verifyLedger()).broken).toBeNull();
      // Nothing more is recorded or decided for the person; erasing again changes nothing.
      await expect(store.updateContact(zoe.id, { region: 'FR-75' })).rejects.toThrow(/was erased/);
      // Merged either way, an erased ledger would decide for someone else, or swallow them.
      const eve = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'eve@example.fr' });
      await expect(store.mergeContacts(eve.id, zoe.id, 'test')).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`contact ${zoe.id} was erased on 2026-03-01: it cannot be merged`),
      });
      await expect(store.mergeContacts(zoe.id, eve.id, 'test')).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store.findContact({ kind: 'email', value: 'eve@example.fr' }))?.id).toBe(eve.id);
      expect(await store.historyOf(eve.id)).toEqual([]);
      const [answer] = await decideStoredBatch(
        [{ contact: { id: zoe.id }, message: { channel: 'email' } }],
        store,
        buildRegistry(),
        () => new Date('2026-03-02T10:00:00Z'),
      );
      expect(answer).toMatchObject({ error: { code: 'CONTACT_NOT_FOUND' } });
      const again = await eraseContact(store, zoe.id, { at: new Date('2026-04-01T00:00:00Z'), recordedBy: 'dpo' });
      expect(again).toMatchObject({ erasedNow: false, erasedAt: erased.erasedAt, identifiersRemoved: 0 });
      expect((await store.historyOf(zoe.id)).filter((e) => e.type === 'contact.erased')).toHaveLength(1);
      // A merged-away record is the same person: its survivor's erasure answers.
      expect(await eraseContact(store, old.id, { at: new Date(), recordedBy: 'dpo' })).toMatchObject({
        contactId: zoe.id,
        erasedNow: false,
      });
    });

    it('refuses an erasure whose reason or author quotes the person, and erases the answers to their requests', async () => {
      const una = await store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: 'una@example.fr',
        phone: '0655443322',
      });
      const { request } = await store.createRightsRequest({ contactId: una.id, kind: 'access', nonce: 'una-1' });
      await store.settleRightsRequest(request.id, {
        status: 'done',
        by: 'dpo',
        at: '2026-03-02T09:00:00.000Z',
        answer: 'copy sent to una@example.fr',
      });
      const before = await snapshot(store);
      const at = new Date('2026-03-03T09:00:00Z');
      for (const [o, field] of [
        [{ reason: 'Una@Example.fr asked by phone from 06 55 44 33 22' }, 'reason'],
        [{ recordedBy: 'dpo re una@example.fr' }, 'by'],
      ] as const) {
        await expect(eraseContact(store, una.id, { at, recordedBy: 'dpo', ...o })).rejects.toMatchObject({
          code: 'INVALID',
          message: expect.stringMatching(new RegExp(`^${field} quotes the contact's (email|phone)`)),
        });
      }
      expect(await snapshot(store)).toBe(before);
      await eraseContact(store, una.id, { at, recordedBy: 'dpo', reason: 'request by phone, ticket 881' });
      const [answered] = await store.listRightsRequests({ contactId: una.id, status: 'done', limit: 10 });
      expect(answered).toMatchObject({ status: 'done', settledBy: 'dpo', answer: '(erased)' });
      // Answered after the erasure: not kept either.
      const late = await store.createRightsRequest({ contactId: una.id, kind: 'access', nonce: 'una-2' });
      expect(
        await store.settleRightsRequest(late.request.id, {
          status: 'refused',
          by: 'dpo',
          at: '2026-03-04T09:00:00.000Z',
          answer: 'nothing to correct at una@example.fr any more',
        }),
      ).toMatchObject({ status: 'refused', answer: '(erased)' });
    });

    it('finds contacts by id in bulk: a merged id gives its survivor, erased and unknown ids are left out', async () => {
      const [a, b, c] = await Promise.all(
        ['bulk-a', 'bulk-b', 'bulk-c'].map((x) =>
          store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: x }),
        ),
      );
      await store.mergeContacts(a?.id as string, b?.id as string, 'test');
      await eraseContact(store, c?.id as string, { at: new Date(), recordedBy: 'test' });
      const found = await store.contactsByIds([a?.id as string, b?.id as string, c?.id as string, 'nobody']);
      expect([...found.keys()].sort()).toEqual([a?.id, b?.id].sort());
      expect(found.get(b?.id as string)?.id).toBe(a?.id);
    });

    it('keeps a person together: merged requests listed, the earlier first record kept, a pro address detected', async () => {
      const older = await store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'merge-old' });
      const newer = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'contact@newer.fr' });
      const { request } = await store.createRightsRequest({ contactId: older.id, kind: 'access', nonce: 'm-1' });
      const merged = await store.mergeContacts(newer.id, older.id, 'test');
      expect(merged.createdAt).toBe(older.createdAt);
      expect((await store.findContact({ id: newer.id }))?.createdAt).toBe(older.createdAt);
      const all = await store.listRightsRequests({ limit: 10, contactIds: [merged.id, ...merged.merged] });
      expect(all.map((r) => r.id)).toEqual([request.id]);
      // Becoming a professional detects the kind of the address held (a role mailbox here).
      expect(await store.updateContact(newer.id, { type: 'professional' })).toMatchObject({
        address: 'generic',
        addressSource: 'detected',
      });
      // An erased person has nothing left to correct or erase.
      await eraseContact(store, newer.id, { at: new Date(), recordedBy: 'test' });
      await expect(
        store.createRightsRequest({ contactId: newer.id, kind: 'rectification', nonce: 'm-2', details: 'x' }),
      ).rejects.toThrow(`contact ${newer.id} was erased: no rectification is left to do`);
    });

    it('lets one run claim a campaign’s message to a contact, until it gives the claim back', async () => {
      expect(await store.claimSend('camp-1', 'c-1')).toBe(true);
      expect(await Promise.all([store.claimSend('camp-1', 'c-1'), store.claimSend('camp-2', 'c-1')])).toEqual([
        false,
        true,
      ]);
      await store.releaseSend('camp-1', 'c-1');
      expect(await store.claimSend('camp-1', 'c-1')).toBe(true);
    });

    it('keeps the first-record date of a carried-over contact, and refuses a bad or future one', async () => {
      const [kept, fresh] = await store.createContacts([
        {
          type: 'individual',
          jurisdiction: 'FR',
          identifiers: [{ kind: 'email', value: 'old@example.fr' }],
          createdAt: '2021-04-01T08:00:00+02:00',
        },
        { type: 'individual', jurisdiction: 'FR', identifiers: [{ kind: 'email', value: 'new@example.fr' }] },
      ]);
      expect(kept?.createdAt).toBe('2021-04-01T06:00:00.000Z');
      expect(Date.parse(fresh?.createdAt ?? '')).toBeGreaterThan(Date.parse('2026-01-01'));
      const one = (createdAt: string) =>
        store.createContacts([
          {
            type: 'individual',
            jurisdiction: 'FR',
            identifiers: [{ kind: 'email', value: 'x@example.fr' }],
            createdAt,
          },
        ]);
      await expect(one('2999-01-01')).rejects.toMatchObject({ code: 'INVALID', path: '/createdAt' });
      await expect(one('yesterday')).rejects.toThrow('createdAt is not an ISO 8601 date or date-time; got "yesterday"');
      expect(await store.findContact({ kind: 'email', value: 'x@example.fr' })).toBeNull();
    });

    it('refuses an event field the contract does not know, and a contact field no decision could read', async () => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'typo@example.fr' });
      const typo = { ...consent(c.id, '2026-11-01T10:00:00Z'), data: { channel: 'email', purpse: 'partners' } };
      await expect(store.appendEvents([typo])).rejects.toThrow(
        'events.0.purpse is not a field of a history event (known: channel, purpose,',
      );
      expect(await store.historyOf(c.id)).toEqual([]);
      for (const [patch, message] of [
        [{ type: 'company' }, 'type must be individual or professional; got "company"'],
        [{ timeZone: 'Mars/Olympus' }, 'timeZone is not an IANA time zone'],
        [{ timeZone: '' }, 'timeZone is not an IANA time zone'],
        [{ region: 'XX-9999' }, 'region is not an ISO 3166-2 subdivision'],
      ] as const) {
        await expect(store.updateContact(c.id, patch as object)).rejects.toThrow(message);
      }
      await expect(
        store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'tz@example.fr', timeZone: 'Paris' }),
      ).rejects.toThrow('timeZone is not an IANA time zone');
      expect(await store.findContact({ id: c.id })).toMatchObject({ type: 'individual', timeZone: null, region: null });
    });

    it('erases a person in answer to their erasure request, and refuses another kind or an answered one', async () => {
      const ivy = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ivy@example.fr' });
      const { request: asked } = await store.createRightsRequest({
        contactId: ivy.id,
        kind: 'erasure',
        nonce: 'ivy-1',
      });
      const { request: copy } = await store.createRightsRequest({ contactId: ivy.id, kind: 'access', nonce: 'ivy-2' });
      await store.createRightsRequest({ contactId: ivy.id, kind: 'erasure', nonce: 'ivy-3' });
      const at = new Date('2026-12-01T09:00:00Z');
      // An erasure request is not "done" while the person is still there.
      await expect(
        store.settleRightsRequest(asked.id, { status: 'done', by: 'dpo', at: at.toISOString(), answer: 'erased' }),
      ).rejects.toThrow(`rights request ${asked.id} asks for erasure and contact ${ivy.id} is not erased`);
      await expect(eraseContact(store, ivy.id, { at, recordedBy: 'dpo', request: copy.id })).rejects.toThrow(
        /asks for access, not erasure/,
      );
      await expect(eraseContact(store, ivy.id, { at, recordedBy: 'dpo', request: 'nope' })).rejects.toThrow(
        /no rights request nope from contact/,
      );
      expect((await store.findContact({ id: ivy.id }))?.erasedAt).toBeUndefined();
      const erased = await eraseContact(store, ivy.id, { at, recordedBy: 'dpo', request: asked.id });
      expect(erased).toMatchObject({
        erasedNow: true,
        request: {
          id: asked.id,
          status: 'done',
          settledBy: 'dpo',
          answer: expect.stringMatching(/^erased on 2026-12-01/),
        },
        requestsAnswered: 2, // the second erasure request too; the access request stays for the DPO
      });
      const left = await store.listRightsRequests({ contactId: ivy.id, status: 'open', limit: 10 });
      expect(left.map((r) => r.id)).toEqual([copy.id]);
      expect((await store.historyOf(ivy.id)).at(-1)?.data).toMatchObject({ request: asked.id });
      await expect(eraseContact(store, ivy.id, { at, recordedBy: 'dpo', request: asked.id })).rejects.toThrow(
        /answered already \(done/,
      );
    });

    it('takes a rectification reason with numbers that are not the contact’s, or a word containing a value', async () => {
      const zoe = await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '0611223399' });
      const fixed = await rectifyContact(
        store,
        zoe.id,
        { add: [{ kind: 'external', value: 'crm-9' }] },
        { recordedBy: 'dpo', reason: 'tickets 611 and 22339900, request crm-90' },
      );
      expect(fixed.identifiers).toHaveLength(2);
    });

    it('rectifies identifiers: removed and added in one step, recorded without their values', async () => {
      const pro = await store.createContact({
        type: 'professional',
        jurisdiction: 'FR',
        email: 'contact@typo.fr',
        phone: '0611223344',
      });
      expect(pro).toMatchObject({ address: 'generic', addressSource: 'detected' });
      await store.appendEvents([consent(pro.id, '2026-01-05T10:00:00Z')]);
      const fixed = await rectifyContact(
        store,
        pro.id,
        {
          remove: [{ kind: 'email', value: 'contact@typo.fr' }],
          add: [{ kind: 'email', value: 'lea.roux@typo.fr' }],
        },
        { recordedBy: 'dpo', reason: 'request 42' },
      );
      expect(fixed.identifiers).toEqual([
        { kind: 'email', value: 'lea.roux@typo.fr' },
        { kind: 'phone', value: '+33611223344' },
      ]);
      // The address kind detected from the old email follows the new one.
      expect(fixed).toMatchObject({ address: 'named', addressSource: 'detected' });
      expect(await store.findContact({ kind: 'email', value: 'contact@typo.fr' })).toBeNull();
      // A reason that quotes an identifier would keep it in the ledger after an erasure: refused, nothing changed.
      for (const reason of [
        'was LEA.ROUX@typo.fr',
        'number 06 11 22 33 44 given back',
        'now +33 6 11-22-33-44',
        'was 06/11/22/33/44',
        'lea . roux @ typo . fr',
        '０６１１２２３３４４', // full-width digits
      ]) {
        await expect(
          rectifyContact(
            store,
            pro.id,
            { remove: [{ kind: 'phone', value: '+33611223344' }] },
            { recordedBy: 'dpo', reason },
          ),
        ).rejects.toMatchObject({ code: 'INVALID', message: expect.stringMatching(/^reason quotes the contact's/) });
      }
      expect((await store.findContact({ id: pro.id }))?.identifiers).toHaveLength(2);
      const history = await store.historyOf(pro.id);
      expect(history.map((e) => e.type)).toEqual(['consent.given', 'contact.rectified']);
      expect(history[1]).toMatchObject({
        data: { added: ['email'], removed: ['email'], reason: 'request 42' },
        recordedBy: 'dpo',
      });
      expect(JSON.stringify(history[1])).not.toContain('typo.fr');
      expect((await store.verifyLedger()).broken).toBeNull();
      // The record is not history: the consent still decides.
      const [answer] = await decideStoredBatch(
        [{ contact: { email: 'lea.roux@typo.fr' }, message: { channel: 'email', purpose: 'marketing' } }],
        store,
        buildRegistry(),
        () => new Date('2026-03-02T10:00:00Z'),
      );
      expect(answer).not.toHaveProperty('error');
      // An identifier the contact does not have, or removing the last one, is refused and changes nothing.
      await expect(
        store.updateContact(pro.id, { remove: [{ kind: 'email', value: 'someone@else.fr' }] }),
      ).rejects.toThrow(/email someone@else.fr is not an identifier of contact/);
      await expect(
        store.updateContact(pro.id, {
          remove: [
            { kind: 'email', value: 'lea.roux@typo.fr' },
            { kind: 'phone', value: '+33611223344' },
          ],
        }),
      ).rejects.toThrow(/no identifier left/);
      expect((await store.findContact({ id: pro.id }))?.identifiers).toHaveLength(2);
      // A field change is recorded by name; the same value again records nothing.
      await rectifyContact(store, pro.id, { region: 'FR-69' }, { recordedBy: 'dpo' });
      await rectifyContact(store, pro.id, { region: 'FR-69' }, { recordedBy: 'dpo' });
      const records = (await store.historyOf(pro.id)).slice(2);
      expect(records.map((e) => e.data)).toEqual([{ added: [], removed: [], changed: ['region'] }]);
      // The same identifier added and removed at once is refused: the record would say it went while it stayed.
      await expect(
        store.updateContact(pro.id, {
          add: [{ kind: 'phone', value: '+33611223344' }],
          remove: [{ kind: 'phone', value: '+33611223344' }],
        }),
      ).rejects.toThrow('phone +33611223344 is both added and removed');
    });

    it('keeps a professional address named while one email names a person, and re-detects only when emails change', async () => {
      const jean = await store.createContact({
        type: 'professional',
        jurisdiction: 'FR',
        email: 'jean.dupont@dupont-sa.fr',
      });
      const both = await store.updateContact(jean.id, { add: [{ kind: 'email', value: 'contact@dupont-sa.fr' }] });
      expect(both).toMatchObject({ address: 'named', addressSource: 'detected' });
      expect(await store.updateContact(jean.id, { timeZone: 'Europe/Paris' })).toMatchObject({ address: 'named' });
      const roleOnly = await store.updateContact(jean.id, {
        remove: [{ kind: 'email', value: 'jean.dupont@dupont-sa.fr' }],
      });
      expect(roleOnly).toMatchObject({ address: 'generic', addressSource: 'detected' });
      // Set by hand, it stays whatever the emails.
      await store.updateContact(jean.id, { address: 'named' });
      const kept = await store.updateContact(jean.id, { add: [{ kind: 'email', value: 'info@dupont-sa.fr' }] });
      expect(kept).toMatchObject({ address: 'named', addressSource: 'set' });
    });

    it('expires a double opt-in confirmation still pending at a removed address', async () => {
      const typo = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'lea@exmaple.fr' });
      await store.updateContact(typo.id, { add: [{ kind: 'email', value: 'lea@example.fr' }] });
      const form = await store.createConsentForm({ name: 'signup', settings: {} });
      const pending = (destination: string, nonce: string) =>
        store.createConsentRequest({
          formId: form.id,
          contactId: typo.id,
          nonce,
          via: 'email',
          destination,
          language: 'fr',
          items: [],
          requestedAt: '2026-12-01T10:00:00.000Z',
          requestedMs: Date.parse('2026-12-01T10:00:00Z'),
          expiresMs: Date.parse('2026-12-08T10:00:00Z'),
          lastSentMs: Date.parse('2026-12-01T10:00:00Z'),
        });
      await pending(' Lea@Exmaple.fr', 'typo-nonce'); // as typed in the form
      await pending('lea@example.fr', 'good-nonce');
      await store.updateContact(typo.id, { remove: [{ kind: 'email', value: 'lea@exmaple.fr' }] });
      expect((await store.getConsentRequestByNonce('typo-nonce'))?.status).toBe('expired');
      expect((await store.getConsentRequestByNonce('good-nonce'))?.status).toBe('pending');
    });

    describe('ledger verification catches tampering done directly in the database', () => {
      it('an edited row', async () => {
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'tamper@example.fr' });
        const [e] = await store.appendEvents([consent(c.id, '2026-01-15'), consent(c.id, '2026-01-16')]);
        await raw(`update ledger_events set data = '{"channel":"sms","method":"checkbox"}' where id = '${e?.id}'`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          seq: e?.seq,
          problem: expect.stringContaining('altered'),
        });
        await raw(`update ledger_events set data = '{"channel":"email","method":"checkbox"}' where id = '${e?.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
      });

      it('altered evidence', async () => {
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'evidence@example.fr' });
        const [e] = await store.appendEvents([consent(c.id, '2026-01-15')]);
        const before = (await raw(`select evidence from ledger_events where id = '${e?.id}'`)) as {
          evidence: string;
        }[];
        await raw(`update ledger_events set evidence = '{"ip":"198.51.100.1"}' where id = '${e?.id}'`);
        expect((await store.verifyLedger()).broken).toMatchObject({ seq: e?.seq, problem: 'its evidence was altered' });
        await raw(`update ledger_events set evidence = '${before[0]?.evidence}' where id = '${e?.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
        // Removed evidence leaves the chain whole (its SHA-256 is chained) but is reported: Assent never removes it.
        await raw(`update ledger_events set evidence = null where id = '${e?.id}'`);
        const removed = await store.verifyLedger();
        expect(removed.broken).toBeNull();
        expect(removed.evidenceRemoved).toEqual({ events: 1, firstSeq: e?.seq });
        await raw(`update ledger_events set evidence = '${before[0]?.evidence}' where id = '${e?.id}'`);
        expect((await store.verifyLedger()).evidenceRemoved).toEqual({ events: 0, firstSeq: null });
      });

      it('a merge undone or invented in contacts.merged_into, outside the chain', async () => {
        const a = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-merge-a@example.fr',
        });
        const b = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-merge-b@example.fr',
        });
        const c = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-merge-c@example.fr',
        });
        await store.mergeContacts(b.id, c.id, 'test'); // c into b, then b into a: c's column says a (kept flat)
        await store.mergeContacts(a.id, b.id, 'test');
        expect((await store.verifyLedger()).broken).toBeNull();
        await raw(`update contacts set merged_into = null where id = '${c.id}'`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          problem: expect.stringContaining(
            `contact ${c.id} merged into ${b.id} (now ${a.id}), but contacts.merged_into says not merged`,
          ),
        });
        await raw(`update contacts set merged_into = '${a.id}' where id = '${c.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
        const d = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-merge-d@example.fr',
        });
        await raw(`update contacts set merged_into = '${a.id}' where id = '${d.id}'`);
        expect((await store.verifyLedger()).broken?.problem).toContain(`contact ${d.id} is marked merged into ${a.id}`);
        await raw(`update contacts set merged_into = null where id = '${d.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
      });

      it('an erasure undone or invented in contacts.erased_at, outside the chain', async () => {
        const gone = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-erased@example.fr',
        });
        await eraseContact(store, gone.id, { at: new Date('2026-02-01T00:00:00Z'), recordedBy: 'dpo' });
        expect((await store.verifyLedger()).broken).toBeNull();
        const [row] = (await raw(`select erased_at from contacts where id = '${gone.id}'`)) as { erased_at: string }[];
        await raw(`update contacts set erased_at = null where id = '${gone.id}'`);
        expect((await store.verifyLedger()).broken?.problem).toBe(
          `it records contact ${gone.id} erased, but contacts.erased_at says not erased: the column was edited`,
        );
        await raw(`update contacts set erased_at = '${row?.erased_at}' where id = '${gone.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
        const live = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-live@example.fr',
        });
        await raw(`update contacts set erased_at = '2026-02-02T00:00:00.000Z' where id = '${live.id}'`);
        expect((await store.verifyLedger()).broken?.problem).toContain(`contact ${live.id} is marked erased`);
        await raw(`update contacts set erased_at = null where id = '${live.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
      });

      it('a head whose hash was edited is named as such', async () => {
        const c = await store.createContact({
          type: 'individual',
          jurisdiction: 'FR',
          email: 'tamper-head@example.fr',
        });
        await store.appendEvents([consent(c.id, '2026-01-15')]);
        const [head] = (await raw('select hash from ledger_head where id = 1')) as { hash: string }[];
        await raw(`update ledger_head set hash = '${'0'.repeat(64)}' where id = 1`);
        expect((await store.verifyLedger()).broken?.problem).toContain('with another hash than the chain');
        await raw(`update ledger_head set hash = '${head?.hash}' where id = 1`);
        expect((await store.verifyLedger()).broken).toBeNull();
      });

      it('the wording of a cited consent text, edited with or without its SHA-256', async () => {
        const text = await store.putConsentText({ key: 'sms', version: '3', language: 'fr', body: 'Oui aux SMS.' });
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'wording@example.fr' });
        const [e] = await store.appendEvents([
          { ...consent(c.id, '2026-01-15'), evidence: { method: 'form', textId: text.id, textSha256: text.sha256 } },
        ]);
        await raw(`update consent_texts set body = 'Oui aux SMS et aux appels.' where id = '${text.id}'`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          seq: e?.seq,
          problem: expect.stringContaining(`wording of consent text ${text.id} it cites was altered`),
        });
        const forged = sha256('Oui aux SMS et aux appels.');
        await raw(`update consent_texts set sha256 = '${forged}' where id = '${text.id}'`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          seq: e?.seq,
          problem: expect.stringContaining(`consent text ${text.id} is not the wording it recorded`),
        });
        await raw(`update consent_texts set body = 'Oui aux SMS.', sha256 = '${text.sha256}' where id = '${text.id}'`);
        expect((await store.verifyLedger()).broken).toBeNull();
      });

      it('a deleted row, two swapped rows, and a removed tail', async () => {
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'order@example.fr' });
        const events = await store.appendEvents([
          consent(c.id, '2026-01-15'),
          consent(c.id, '2026-01-16'),
          consent(c.id, '2026-01-17'),
        ]);
        const [x, y, z] = events;
        await raw(`update ledger_events set seq = -1 where seq = ${x?.seq}`);
        await raw(`update ledger_events set seq = ${x?.seq} where seq = ${y?.seq}`);
        await raw(`update ledger_events set seq = ${y?.seq} where seq = -1`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          seq: x?.seq,
          problem: expect.stringContaining('predecessor'),
        });
        await raw(`update ledger_events set seq = -1 where seq = ${x?.seq}`);
        await raw(`update ledger_events set seq = ${x?.seq} where seq = ${y?.seq}`);
        await raw(`update ledger_events set seq = ${y?.seq} where seq = -1`);
        expect((await store.verifyLedger()).broken).toBeNull();

        const saved = (await raw(`select * from ledger_events where seq = ${y?.seq}`)) as Record<string, unknown>[];
        await raw(`delete from ledger_events where seq = ${y?.seq}`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          seq: y?.seq,
          id: null,
          problem: expect.stringContaining('missing'),
        });
        const row = saved[0] as Record<string, unknown>;
        const cols = Object.keys(row);
        const vals = cols.map((k) =>
          row[k] === null ? 'null' : typeof row[k] === 'number' ? String(row[k]) : `'${String(row[k])}'`,
        );
        await raw(`insert into ledger_events (${cols.join(',')}) values (${vals.join(',')})`);
        expect((await store.verifyLedger()).broken).toBeNull();

        const head = (await raw('select seq from ledger_head where id = 1')) as { seq: number | string }[];
        const last = Number(head[0]?.seq);
        await raw(`update ledger_head set seq = ${last - 1} where id = 1`);
        // The head set back, not an event removed: said so, at the first event past the head.
        expect((await store.verifyLedger()).broken).toMatchObject({
          seq: last,
          problem: `the chain ends at ${last} but the head records ${last - 1}: the head was altered, or events ${last}–${last} were written without it`,
        });
        await raw(`update ledger_head set seq = ${last} where id = 1`);
        expect((await store.verifyLedger()).broken).toBeNull();

        await raw(`delete from ledger_events where seq = ${z?.seq}`);
        expect((await store.verifyLedger()).broken).toMatchObject({
          problem: expect.stringContaining('removed from the end'),
        });
      });
    });

    it('refuses a NUL character in the text it keeps, on SQLite as PostgreSQL must', async () => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'nul@example.fr' });
      const invalid = { name: 'StoreError', code: 'INVALID' };
      await expect(
        store.appendEvents([
          { contactId: c.id, type: 'objection', at: '2026-01-01', data: { channel: 'email' }, recordedBy: 'a\u0000b' },
        ]),
      ).rejects.toMatchObject({
        ...invalid,
        message: 'events.0.recordedBy holds a NUL character (\\u0000) at position 2',
      });
      await expect(
        store.putConsentText({ key: 'k', version: '1', language: 'fr', body: 'Oui\u0000' }),
      ).rejects.toMatchObject(invalid);
      await expect(
        store.createRightsRequest({ contactId: c.id, kind: 'rectification', nonce: 'nul-1', details: 'x\u0000' }),
      ).rejects.toMatchObject(invalid);
      expect(await store.historyOf(c.id)).toEqual([]);
    });
  });
}

describe('recording events with a consent wording', async () => {
  const { recordEvents } = await import('../../src/services/record-events.js');
  const dialect = DIALECTS[0] as (typeof DIALECTS)[number];
  it('ties evidence to the stored text by SHA-256, and refuses an unknown or mismatched text', async () => {
    const { store, cleanup } = await dialect.open();
    try {
      const text = await store.putConsentText({
        key: 'offers',
        version: '3',
        language: 'en',
        body: 'I agree to receive offers.',
      });
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'words@example.fr' });
      const [e] = await recordEvents(store, [
        { ...consent(c.id, '2026-02-01'), evidence: { method: 'form', textId: text.id } },
      ]);
      expect(e?.evidence).toMatchObject({ textId: 'offers:3:en', textSha256: text.sha256 });
      await expect(
        recordEvents(store, [{ ...consent(c.id, '2026-02-01'), evidence: { textId: 'offers:9:en' } }]),
      ).rejects.toThrow(/not a stored consent text/);
      await expect(
        recordEvents(store, [
          { ...consent(c.id, '2026-02-01'), evidence: { textId: text.id, textSha256: 'f'.repeat(64) } },
        ]),
      ).rejects.toThrow(/does not match/);
    } finally {
      await cleanup();
    }
  });
});
