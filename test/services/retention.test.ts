// The retention purge erases exactly the contacts decisions already refuse for RETENTION_EXPIRED, keeps the ledger as
// proof, and keeps a refusal or objection alive through the suppression list.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { NewLedgerEvent } from '../../src/domain/ledger.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { proofMarkdown, proofOf } from '../../src/services/proof.js';
import { FIRST_PURGE_MS, type PurgeReport, purgeExpired, startRetentionPurge } from '../../src/services/retention.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';

const packs = buildRegistry();
const now = () => new Date('2026-12-06T10:00:00Z');
const event = (contactId: string, type: NewLedgerEvent['type'], at: string, data: object = {}): NewLedgerEvent => ({
  contactId,
  type,
  at,
  data: { channel: 'email', ...data },
  recordedBy: 'test',
});

for (const dialect of DIALECTS) {
  describe(`retention purge: ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'retention purge'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
      const add = async (name: string, init: object, events: [NewLedgerEvent['type'], string, object?][]) => {
        const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', ...init });
        ids[name] = c.id;
        if (events.length > 0) await store.appendEvents(events.map(([t, at, d]) => event(c.id, t, at, d)));
      };
      // Last active contact 2023-12-05: usable through 2026-12-05, expired on the 6th.
      await add('lapsed', { email: 'lapsed@example.fr', phone: '0611111111' }, [
        ['consent.given', '2023-12-05T10:00:00Z'],
      ]);
      // Through 2026-12-06 itself: still usable today (the anniversary day is included).
      await add('anniversary', { email: 'anniv@example.fr' }, [['consent.given', '2023-12-06T10:00:00Z']]);
      await add('refused', { email: 'refused@example.fr', phone: '0622222222' }, [
        ['consent.refused', '2023-01-10T10:00:00Z'],
        ['purchase', '2023-02-01T10:00:00Z'],
      ]);
      // A "no" to partners only, and an objection to SMS: only the number is kept on the suppression list.
      await add('partnersOnly', { email: 'partners@example.fr', phone: '0633333333' }, [
        ['consent.refused', '2023-01-10T10:00:00Z', { scope: 'partners' }],
        ['objection', '2023-01-11T10:00:00Z', { channel: 'sms' }],
        ['purchase', '2023-02-01T10:00:00Z'],
      ]);
      // A contract in progress keeps the relationship current, however old.
      await add('client', { email: 'client@example.fr' }, [
        ['contract.started', '2020-01-01T00:00:00Z', { contract: 'c1' }],
      ]);
      await add('fresh', { email: 'fresh@example.fr' }, [['consent.given', '2026-06-01T10:00:00Z']]);
      // No pack rule on retention outside FR: never purged by this rule.
      const de = await store.createContact({ type: 'individual', jurisdiction: 'DE', email: 'old@example.de' });
      ids.de = de.id;
      await store.appendEvents([event(de.id, 'consent.given', '2019-01-01T10:00:00Z')]);
    });
    afterAll(async () => cleanup());

    it('lists without erasing in a dry run, including what expires later', async () => {
      const report = await purgeExpired(store, packs, {
        asOf: new Date('2027-01-01T12:00:00Z'),
        dryRun: true,
        recordedBy: 'dpo',
        pageSize: 2,
        now,
      });
      expect(report).toMatchObject({ dryRun: true, examined: 7, erased: 0 });
      expect(report.expired.map((e) => e.contactId).sort()).toEqual(
        [ids.lapsed, ids.anniversary, ids.refused, ids.partnersOnly].sort(),
      );
      expect(report.expired.find((e) => e.contactId === ids.lapsed)).toMatchObject({
        rule: 'fr.retention',
        why: expect.stringContaining('2023-12-05'),
        suppressed: 0,
      });
      expect(await store.findContact({ kind: 'email', value: 'lapsed@example.fr' })).not.toBeNull();
    });

    it('erases only as of today: another day, later or earlier, is a dry run only', async () => {
      // An earlier day would not see a consent given since (the engine reads the history up to the day judged).
      for (const asOf of [new Date('2027-01-01T12:00:00Z'), new Date('2024-01-01T00:00:00Z')]) {
        await expect(purgeExpired(store, packs, { asOf, dryRun: false, recordedBy: 'dpo', now })).rejects.toThrow(
          'another day than now is only listed (dry run)',
        );
      }
      expect(await store.findContact({ kind: 'email', value: 'fresh@example.fr' })).not.toBeNull();
    });

    it('erases the expired, keeps the proof, suppresses only a refusal or objection; a second run finds nothing', async () => {
      const report = await purgeExpired(store, packs, { dryRun: false, recordedBy: 'dpo', now });
      expect(report.erased).toBe(3);
      expect(report.expired.map((e) => [e.contactId, e.suppressed]).sort()).toEqual(
        [
          [ids.lapsed, 0],
          [ids.refused, 1], // refused on email: the email, not the number
          [ids.partnersOnly, 1],
        ].sort(),
      );
      expect(await store.findContact({ kind: 'email', value: 'lapsed@example.fr' })).toBeNull();
      expect(await store.findContact({ kind: 'email', value: 'anniv@example.fr' })).not.toBeNull();
      expect(await store.findContact({ kind: 'email', value: 'client@example.fr' })).not.toBeNull();
      expect(await store.findContact({ kind: 'email', value: 'old@example.de' })).not.toBeNull();
      const hashes = [
        suppressionHash('email', 'lapsed@example.fr'),
        suppressionHash('phone', '+33611111111'),
        suppressionHash('email', 'refused@example.fr'),
        suppressionHash('phone', '+33622222222'),
        suppressionHash('email', 'partners@example.fr'),
        suppressionHash('phone', '+33633333333'),
      ];
      expect([...(await store.suppressedAmong(hashes))].sort()).toEqual([hashes[2], hashes[5]].sort());
      const proof = await store.historyOf(ids.lapsed as string);
      expect(proof.map((e) => e.type)).toEqual(['consent.given', 'contact.erased']);
      // The record says why, as the purge's answer (which is not kept) did: the proof of a lawful erasure (art. 5(2)).
      expect(proof[1]).toMatchObject({
        data: {
          reason: 'retention',
          suppressed: 0,
          why: report.expired.find((e) => e.contactId === ids.lapsed)?.why,
          rule: 'fr.retention',
        },
        recordedBy: 'dpo',
      });
      expect(proof[1]?.data.why).toContain('2023-12-05');
      const md = proofMarkdown(await proofOf(store, ids.lapsed as string, now()));
      expect(md).toContain('- Reason: `retention`: the retention period ran out');
      expect(md).toMatch(/- Why: `[^`]*2023-12-05[^`]*` \(rule `fr.retention`\)/);
      expect((await store.verifyLedger()).broken).toBeNull();
      const again = await purgeExpired(store, packs, { dryRun: false, recordedBy: 'dpo', now });
      expect(again).toMatchObject({ examined: 4, expired: [], erased: 0 });
    });

    it('keeps an expired contact whose access or rectification request is open, until it is answered', async () => {
      const owed = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'owed@example.fr' });
      await store.appendEvents([event(owed.id, 'consent.given', '2022-01-10T10:00:00Z')]);
      const { request } = await store.createRightsRequest({ contactId: owed.id, kind: 'access', nonce: 'owed-1' });
      // An open erasure request does not hold it: the purge does what it asks.
      const asked = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'asked@example.fr' });
      await store.appendEvents([event(asked.id, 'consent.given', '2022-01-10T10:00:00Z')]);
      await store.createRightsRequest({ contactId: asked.id, kind: 'erasure', nonce: 'asked-1' });
      // A request filed under a record merged into an expired person holds that person too.
      const survivor = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'surv@example.fr' });
      await store.appendEvents([event(survivor.id, 'consent.given', '2022-01-10T10:00:00Z')]);
      const twin = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'twin@example.fr' });
      const { request: viaTwin } = await store.createRightsRequest({
        contactId: twin.id,
        kind: 'rectification',
        nonce: 'twin-1',
        details: 'my name is Twin',
      });
      await store.mergeContacts(survivor.id, twin.id, 'test');
      const report = await purgeExpired(store, packs, { dryRun: false, recordedBy: 'dpo', now });
      expect(report).toMatchObject({ erased: 1, held: 2 });
      expect(report.expired.find((e) => e.contactId === survivor.id)).toMatchObject({ heldFor: viaTwin.id });
      expect(report.expired.find((e) => e.contactId === owed.id)).toMatchObject({ heldFor: request.id });
      expect(await store.findContact({ kind: 'email', value: 'owed@example.fr' })).not.toBeNull();
      expect(await store.findContact({ kind: 'email', value: 'asked@example.fr' })).toBeNull();
      await store.settleRightsRequest(request.id, {
        status: 'done',
        by: 'dpo',
        at: now().toISOString(),
        answer: 'sent',
      });
      await store.settleRightsRequest(viaTwin.id, {
        status: 'done',
        by: 'dpo',
        at: now().toISOString(),
        answer: 'fixed',
      });
      const after = await purgeExpired(store, packs, { dryRun: false, recordedBy: 'dpo', now });
      expect(after).toMatchObject({ erased: 2, held: 0 });
      expect(after.expired.map((e) => e.heldFor)).toEqual([null, null]);
      expect(await store.findContact({ kind: 'email', value: 'owed@example.fr' })).toBeNull();
    });

    it('counts the period of a contact with no dated active contact from when it was stored', async () => {
      const undated = await store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: 'undated@example.fr',
      });
      const stored = undated.createdAt.slice(0, 10);
      const judged = async (year: number) =>
        (
          await purgeExpired(store, packs, {
            asOf: new Date(`${year}${undated.createdAt.slice(4, 10)}T12:00:00Z`),
            dryRun: true,
            recordedBy: 'dpo',
            now,
          })
        ).expired.find((e) => e.contactId === undated.id);
      const year = Number(stored.slice(0, 4));
      expect(await judged(year + 3)).toBeUndefined(); // through the anniversary day
      // The day in the person's zone (Paris): the UTC day of storage, or the next one late in the evening.
      expect((await judged(year + 4))?.why).toMatch(
        /^no active contact from the person since they were first recorded on \d{4}-\d{2}-\d{2}, more than 3 years ago$/,
      );
    });

    it('judges each erasure again from the ledger as it is then: an objection or a click recorded meanwhile counts', async () => {
      const objector = await store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: 'late-no@example.fr',
      });
      const clicker = await store.createContact({
        type: 'individual',
        jurisdiction: 'FR',
        email: 'late-yes@example.fr',
      });
      const asker = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'late-ask@example.fr' });
      await store.appendEvents([
        event(objector.id, 'consent.given', '2022-01-10T10:00:00Z'),
        event(clicker.id, 'consent.given', '2022-01-10T10:00:00Z'),
        event(asker.id, 'consent.given', '2022-01-10T10:00:00Z'),
      ]);
      // The writes of another process, landing after the purge judged its page and looked for open requests, and
      // before it erases: an objection, a click, and a person asking for their data.
      let raced = false;
      const racing = new Proxy(store, {
        get(target, prop) {
          if (prop === 'listRightsRequests') {
            return async (q: Parameters<Store['listRightsRequests']>[0]) => {
              const page = await target.listRightsRequests(q);
              if (!raced && q.contactIds?.includes(objector.id)) {
                raced = true;
                await target.appendEvents([
                  event(objector.id, 'objection', '2026-12-06T09:00:00Z'),
                  event(clicker.id, 'interaction', '2026-12-06T09:00:00Z', { kind: 'click' }),
                ]);
                await target.createRightsRequest({ contactId: asker.id, kind: 'access', nonce: 'race-access' });
              }
              return page;
            };
          }
          const value = Reflect.get(target, prop, target);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const report = await purgeExpired(racing, packs, { dryRun: false, recordedBy: 'dpo', now });
      expect(raced).toBe(true);
      expect(report.expired.find((e) => e.contactId === objector.id)).toMatchObject({ suppressed: 1 });
      expect(await store.suppressedAmong([suppressionHash('email', 'late-no@example.fr')])).toHaveProperty('size', 1);
      expect(report.expired.find((e) => e.contactId === clicker.id)).toBeUndefined();
      expect((await store.findContact({ id: clicker.id }))?.erasedAt).toBeUndefined();
      expect(report.expired.find((e) => e.contactId === asker.id)?.heldFor).toEqual(expect.any(String));
      expect((await store.findContact({ id: asker.id }))?.erasedAt).toBeUndefined();
    });
  });
}

describe('the scheduled retention purge', () => {
  it('runs a minute after start, then every period, and stops', async () => {
    const dialect = DIALECTS.find((d) => d.name === 'sqlite');
    const { store, cleanup } = await (dialect as (typeof DIALECTS)[number]).open();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    try {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'gone@example.fr' });
      await store.appendEvents([event(c.id, 'consent.given', '2020-01-01T10:00:00Z')]);
      const reports: (PurgeReport | Error)[] = [];
      let done: () => void = () => {};
      const purge = startRetentionPurge({
        store,
        packs,
        everyMs: 3_600_000,
        report: (r) => {
          reports.push(r);
          done();
        },
      });
      vi.advanceTimersByTime(FIRST_PURGE_MS - 1);
      expect(reports).toEqual([]);
      const first = new Promise<void>((ok) => {
        done = ok;
      });
      vi.advanceTimersByTime(1);
      await first;
      expect(reports[0]).toMatchObject({ erased: 1, expired: [{ contactId: c.id }] });
      expect((await store.historyOf(c.id)).at(-1)).toMatchObject({
        type: 'contact.erased',
        recordedBy: 'retention-purge',
      });
      const second = new Promise<void>((ok) => {
        done = ok;
      });
      vi.advanceTimersByTime(3_600_000);
      await second;
      expect(reports[1]).toMatchObject({ erased: 0, expired: [] });
      await purge.stop();
      vi.advanceTimersByTime(3 * 3_600_000);
      expect(reports).toHaveLength(2);
    } finally {
      vi.useRealTimers();
      await cleanup();
    }
  });
});
