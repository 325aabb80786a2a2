// Restriction of processing (GDPR art. 18): from the receipt of a `restriction` request until it is refused or,
// granted, lifted (the person told first, art. 18(3)), a stored contact gets PROCESSING_RESTRICTED instead of a
// decision, which screenings exclude and campaigns skip; the retention purge keeps them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecisionError } from '../../src/domain/decision.js';
import { runCampaign } from '../../src/services/campaigns/send.js';
import { DecisionCache } from '../../src/services/decision-cache.js';
import { eraseContact } from '../../src/services/erasure.js';
import { proofMarkdown, proofOf } from '../../src/services/proof.js';
import { purgeExpired } from '../../src/services/retention.js';
import { answerRightsRequest, liftRestriction, recordRightsRequest } from '../../src/services/rights-requests.js';
import { screenAudience } from '../../src/services/screening/screen.js';
import type { RowOutcome } from '../../src/services/screening/summary.js';
import { decideStoredBatch } from '../../src/services/stored-decisions.js';
import type { Store } from '../../src/store/store.js';
import { topicOf } from '../../src/store/webhook-rows.js';
import { signer, template } from '../campaigns/helpers.js';
import { AT, fakeLists, packs, tempDir } from '../screening/helpers.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';

const now = () => AT;
const ask = (email: string) => ({ id: email, contact: { email }, message: { channel: 'email', purpose: 'offers' } });

for (const dialect of DIALECTS) {
  describe(`restriction of processing on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'restriction of processing'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    const ids: Record<string, string> = {};
    /** A French contact `<name>@example.fr` who consented to email on 2026-01-10; its id. */
    const consenting = async (name: string): Promise<string> => {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: `${name}@example.fr` });
      await store.appendEvents([
        {
          contactId: c.id,
          type: 'consent.given',
          at: '2026-01-10T10:00:00Z',
          data: { channel: 'email', method: 'checkbox' },
          recordedBy: 'test',
        },
      ]);
      return c.id;
    };
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
      for (const name of ['ana', 'bob', 'carl', 'dora', 'dora2']) ids[name] = await consenting(name);
    });
    afterAll(() => cleanup());

    /** `name`'s restriction request, received on 2026-02-01 at 09:00 UTC unless `at` says otherwise. */
    const restrict = async (name: string, at = new Date('2026-02-01T09:00:00Z')) =>
      (
        await recordRightsRequest(store, {
          contactId: ids[name] as string,
          kind: 'restriction',
          nonce: `r-${name}`,
          at,
          recordedBy: 'dpo',
        })
      ).request;
    const decide = (...emails: string[]) => decideStoredBatch(emails.map(ask), store, packs, now);

    // The purge asks for every expired person at once: the ids are read a thousand at a time (bounded IN lists).
    it('finds a restriction among twenty thousand contacts asked at once', async () => {
      const eve = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'eve@example.fr' });
      const { request: r } = await recordRightsRequest(store, {
        contactId: eve.id,
        kind: 'restriction',
        nonce: 'r-eve',
        at: new Date('2026-02-01T09:00:00Z'),
        recordedBy: 'dpo',
      });
      const many = [...Array.from({ length: 20_000 }, (_, i) => `no-such-${i}`), eve.id];
      expect([...(await store.restrictionsOf(many))]).toEqual([
        [eve.id, [{ request: r.id, since: r.requestedAt, until: null }]],
      ]);
    });

    // A screening or dry run dated in the past (an audit) is judged by the restrictions of that day, as by its ledger.
    it("judges a restriction at the decision's instant: not before its receipt, nor after its refusal", async () => {
      const fay = await consenting('fay');
      const { request: r } = await recordRightsRequest(store, {
        contactId: fay,
        kind: 'restriction',
        nonce: 'r-fay',
        at: new Date('2026-02-01T09:00:00Z'),
        recordedBy: 'dpo',
      });
      await answerRightsRequest(store, r.id, {
        status: 'refused',
        by: 'dpo',
        at: new Date('2026-02-20T09:00:00Z'),
        answer: 'the data is accurate',
      });
      const at = (when: string) => ({ ...ask('fay@example.fr'), at: when });
      const answers = await decideStoredBatch(
        [at('2026-01-15T10:00:00Z'), at('2026-02-10T10:00:00Z'), at('2026-02-25T10:00:00Z')],
        store,
        packs,
        now,
      );
      expect(answers.map((a) => ('error' in a ? a.error.code : a.decision))).toEqual([
        'allow',
        'PROCESSING_RESTRICTED',
        'allow',
      ]);
    });

    it('restricts from receipt: PROCESSING_RESTRICTED, not a decision; another contact is unaffected', async () => {
      expect((await decide('ana@example.fr'))[0]).toMatchObject({ decision: 'allow' });
      // A cache warmed before the restriction is recorded must not go on answering from before it.
      const before = new DecisionCache();
      expect((await decideStoredBatch([ask('ana@example.fr')], store, packs, now, before))[0]).toMatchObject({
        decision: 'allow',
      });
      const r = await restrict('ana');
      expect((await decideStoredBatch([ask('ana@example.fr')], store, packs, now, before))[0]).toMatchObject({
        error: { code: 'PROCESSING_RESTRICTED' },
      });
      const [ana, bob] = await decide('ana@example.fr', 'bob@example.fr');
      expect(ana).toEqual({
        id: 'ana@example.fr',
        error: {
          code: 'PROCESSING_RESTRICTED',
          message: expect.stringContaining(
            `restricted since 2026-02-01T09:00:00.000Z (GDPR art. 18(2)): rights request ${r.id}`,
          ),
          path: '/contact/email',
        },
      });
      expect(bob).toMatchObject({ decision: 'allow' });
      // By id too, and through a cache warmed after it.
      const byId = await decideStoredBatch(
        [{ contact: { id: ids.ana }, message: { channel: 'email' } }],
        store,
        packs,
        now,
      );
      expect((byId[0] as DecisionError).error.code).toBe('PROCESSING_RESTRICTED');
      const cache = new DecisionCache();
      for (let i = 0; i < 2; i++) {
        const warm = await decideStoredBatch([ask('ana@example.fr')], store, packs, now, cache);
        expect((warm[0] as DecisionError).error.code).toBe('PROCESSING_RESTRICTED');
      }
    });

    it('ends when refused; continues when granted (done) until lifted, the person told first', async () => {
      const carl = await restrict('carl');
      expect((await decide('carl@example.fr'))[0]).toMatchObject({ error: { code: 'PROCESSING_RESTRICTED' } });
      await answerRightsRequest(store, carl.id, { status: 'refused', by: 'dpo', at: AT, answer: 'data is accurate' });
      expect((await decide('carl@example.fr'))[0]).toMatchObject({ decision: 'allow' });
      await expect(liftRestriction(store, carl.id, { by: 'dpo', at: AT, informedAt: AT })).rejects.toMatchObject({
        code: 'CONFLICT',
      });

      const [ana] = await store.listRightsRequests({ limit: 5, contactId: ids.ana as string });
      const lift = (informedAt: Date) => liftRestriction(store, ana?.id as string, { by: 'dpo', at: AT, informedAt });
      await expect(lift(AT)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/not answered yet/),
      });
      const cache = new DecisionCache();
      await answerRightsRequest(store, ana?.id as string, { status: 'done', by: 'dpo', at: AT, answer: 'restricted' });
      expect((await decideStoredBatch([ask('ana@example.fr')], store, packs, now, cache))[0]).toMatchObject({
        error: { code: 'PROCESSING_RESTRICTED' },
      });
      // Told after the lift, or before the request was received: refused.
      await expect(lift(new Date(AT.getTime() + 3_600_000))).rejects.toMatchObject({ code: 'INVALID' });
      await expect(lift(new Date('2026-01-15T00:00:00Z'))).rejects.toMatchObject({ code: 'INVALID' });
      const lifted = await lift(new Date('2026-03-01T00:00:00Z'));
      expect(lifted).toMatchObject({
        status: 'done',
        liftedAt: AT.toISOString(),
        liftedBy: 'dpo',
        informedAt: '2026-03-01T00:00:00.000Z',
      });
      expect((await decideStoredBatch([ask('ana@example.fr')], store, packs, now, cache))[0]).toMatchObject({
        decision: 'allow',
      });
      await expect(lift(AT)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringMatching(/lifted already/),
      });
      const [access] = [
        (
          await recordRightsRequest(store, {
            contactId: ids.bob as string,
            kind: 'access',
            nonce: 'a-bob',
            at: AT,
            recordedBy: 'dpo',
          })
        ).request,
      ];
      await expect(
        liftRestriction(store, access?.id as string, { by: 'dpo', at: AT, informedAt: AT }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
    });

    it('follows a merge: a restriction filed under a merged record restricts its survivor', async () => {
      await restrict('dora2');
      await store.mergeContacts(ids.dora as string, ids.dora2 as string, 'dpo');
      expect((await decide('dora@example.fr'))[0]).toMatchObject({ error: { code: 'PROCESSING_RESTRICTED' } });
    });

    it('a screening excludes the row with that code; a campaign leaves the person out', async () => {
      const outcomes: RowOutcome[] = [];
      async function* rows() {
        yield { row: { line: 2, email: 'dora@example.fr' }, source: 2 };
        yield { row: { line: 3, email: 'bob@example.fr' }, source: 3 };
      }
      const summary = await screenAudience(
        rows(),
        { channel: 'email', purpose: 'offers', at: AT, jurisdiction: 'FR', dryRun: false },
        { store, packs, lists: fakeLists() },
        { row: (_s, _r, o) => void outcomes.push(o) },
      );
      expect(outcomes[0]).toMatchObject({ status: 'excluded', code: 'PROCESSING_RESTRICTED' });
      expect(outcomes[1]).toMatchObject({ status: 'allowed' });
      expect(summary.byReason).toEqual({ PROCESSING_RESTRICTED: 1 });

      const dir = join(tempDir(), 'out');
      async function* audience() {
        yield { row: { line: 2, email: 'dora@example.fr' }, vars: { firstName: 'Dora' } };
        yield { row: { line: 3, email: 'bob@example.fr' }, vars: { firstName: 'Bob' } };
      }
      const r = await runCampaign(
        audience(),
        {
          template: template('email'),
          channel: 'email',
          purpose: 'offers',
          jurisdiction: null,
          dryRunDir: dir,
          at: AT,
        },
        { store, packs, lists: fakeLists(), signer, publicUrl: 'http://assent.test', mailFrom: 'shop@example.fr' },
      );
      expect(r.sent).toBe(1);
      expect(r.screening.byReason).toEqual({ PROCESSING_RESTRICTED: 1 });
      const to = readFileSync(join(dir, 'messages.ndjson'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).to);
      expect(to).toEqual(['bob@example.fr']);
    });

    it('the retention purge keeps a person whose restriction was granted and not lifted', async () => {
      const [dora] = await store.listRightsRequests({ limit: 5, contactId: ids.dora2 as string });
      await answerRightsRequest(store, dora?.id as string, { status: 'done', by: 'dpo', at: AT, answer: null });
      const report = await purgeExpired(store, packs, {
        dryRun: true,
        asOf: new Date('2031-01-01T00:00:00Z'),
        recordedBy: 'test',
        now,
      });
      const held = report.expired.find((e) => e.contactId === ids.dora);
      expect(held?.heldFor).toBe(dora?.id);
      expect(report.expired.find((e) => e.contactId === ids.carl)?.heldFor).toBe(null);
    });

    // Art. 5(2), 19: the ledger proves when a restriction began and ended, and webhook subscribers are told.
    it('records the restriction and its end in the ledger, outside the history decisions read', async () => {
      const records = async (id: string) =>
        (await store.historyOf(id))
          .filter((e) => e.type.startsWith('contact.'))
          .map((e) => ({ type: e.type, at: e.at, data: e.data }));
      ids.ivy = await consenting('ivy');
      const ivy = ids.ivy;
      const r = await restrict('ivy');
      const restricted = {
        type: 'contact.restricted' as const,
        at: '2026-02-01T09:00:00.000Z',
        data: { request: r.id },
      };
      expect(await records(ivy)).toEqual([restricted]);
      expect(topicOf(restricted)).toBe('contact.updated');
      await answerRightsRequest(store, r.id, { status: 'done', by: 'dpo', at: AT, answer: 'restricted' });
      expect(await records(ivy)).toEqual([restricted]); // granted: it goes on
      const informedAt = new Date('2026-03-01T00:00:00Z');
      await liftRestriction(store, r.id, { by: 'dpo', at: AT, informedAt });
      const lifted = {
        type: 'contact.unrestricted',
        at: AT.toISOString(),
        data: { request: r.id, ended: 'lifted', informedAt: informedAt.toISOString() },
      };
      expect(await records(ivy)).toEqual([restricted, lifted]);
      const statement = proofMarkdown(await proofOf(store, ivy, AT));
      expect(statement).toContain(`2026-02-01T09:00:00.000Z: Processing restricted (GDPR art. 18)`);
      expect(statement).toContain('- Ended: lifted, the person told on `2026-03-01T00:00:00.000Z`');
      expect((await decide('ivy@example.fr'))[0]).toMatchObject({ decision: 'allow', basis: 'CONSENT' });

      ids.jon = await consenting('jon');
      const jon = ids.jon;
      const q = await restrict('jon', AT);
      await answerRightsRequest(store, q.id, { status: 'refused', by: 'dpo', at: AT, answer: 'accurate' });
      expect((await records(jon)).map((e) => [e.type, e.data])).toEqual([
        ['contact.restricted', { request: q.id }],
        ['contact.unrestricted', { request: q.id, ended: 'refused' }],
      ]);
      // The same request recorded again (its nonce spent) records nothing more.
      await restrict('jon', AT);
      expect(await records(jon)).toHaveLength(2);
    });

    // Art. 18(2): only storage while restricted; erasure is processing (art. 4(2)), so it needs the person's own
    // erasure request made since, or the restriction lifted first (the person told, art. 18(3)).
    it('refuses to erase a restricted person unless it answers their erasure request made since', async () => {
      const gus = await consenting('gus');
      const at = new Date('2026-02-10T09:00:00Z');
      const filed = async (kind: 'restriction' | 'erasure', day: string) =>
        (
          await recordRightsRequest(store, {
            contactId: gus,
            kind,
            nonce: `${kind}-${day}-gus`,
            at: new Date(`${day}T09:00:00Z`),
            recordedBy: 'dpo',
          })
        ).request;
      const before = await filed('erasure', '2026-01-20');
      const restriction = await filed('restriction', '2026-02-01');
      const erase = (request?: string) =>
        eraseContact(store, gus, { at, recordedBy: 'dpo', ...(request ? { request } : {}) });
      await expect(erase()).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`rights request ${restriction.id}, GDPR art. 18(2)`),
      });
      // An erasure request older than the restriction is not the person's say-so: they restricted since.
      await expect(erase(before.id)).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store.findContact({ id: gus }))?.erasedAt).toBeUndefined();
      const since = await filed('erasure', '2026-02-05');
      expect(await erase(since.id)).toMatchObject({ erasedNow: true, request: { id: since.id, status: 'done' } });
    });

    it('erases a person once their restriction is lifted', async () => {
      ids.hal = await consenting('hal');
      const hal = ids.hal;
      const r = await restrict('hal');
      const erase = () => eraseContact(store, hal, { at: AT, recordedBy: 'dpo' });
      // Each refusal says the way out that works: an open restriction cannot be lifted, only answered.
      const refusal = async () => ((await erase().catch((e: unknown) => e)) as Error).message;
      expect(await refusal()).toContain(`answered refused it ends (assent rights answer ${r.id} --status refused`);
      expect(await refusal()).not.toContain('rights lift');
      await answerRightsRequest(store, r.id, { status: 'done', by: 'dpo', at: AT, answer: 'restricted' });
      await expect(erase()).rejects.toMatchObject({ code: 'CONFLICT' });
      expect(await refusal()).toContain(`assent rights lift ${r.id} --informed`);
      await liftRestriction(store, r.id, { by: 'dpo', at: AT, informedAt: AT });
      expect(await erase()).toMatchObject({ erasedNow: true });
    });
  });
}
