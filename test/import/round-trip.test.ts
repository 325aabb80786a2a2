// Exports moved back and forth between Assent databases: an event names itself by the hash its source chained it
// under, and each earlier database by its own (evidence.movedFrom), so an import recognises the acts it holds already
// (docs/import.md, "Already here"), on every store dialect.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash, evidenceHash } from '../../src/domain/ledger.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { eraseContact } from '../../src/services/erasure.js';
import { exportContacts } from '../../src/services/import/export.js';
import { importFile } from '../../src/services/import/run-import.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { answerRightsRequest, recordRightsRequest } from '../../src/services/rights-requests.js';
import { decideStoredBatch } from '../../src/services/stored-decisions.js';
import type { Store } from '../../src/store/store.js';
import { IMPORT_DIALECTS, ndjson, options, rejectsOf, tempDir, write } from './helpers.js';

type Event = Record<string, unknown>;
type Line = Record<string, unknown> & { events: Event[] };

async function exportTo(store: Store, file: string): Promise<Line[]> {
  let text = '';
  await exportContacts(store, async (t) => {
    text += t;
  });
  writeFileSync(file, text);
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line)
    .filter((l) => Array.isArray(l.events));
}

const count = async (store: Store) => ({
  contacts: (await store.listContacts({ after: null, limit: 100 })).length,
  events: (await store.verifyLedger()).events,
});

/** An exported event with other fields, hashed again as the export would have written it. */
function rehashed(event: Event, change: Event): Event {
  const { hash: _, evidence, ...rest } = { ...event, ...change };
  return { ...rest, evidence, hash: eventHash(rest as never) };
}

for (const dialect of IMPORT_DIALECTS) {
  describe(`exports moved between databases, on ${dialect.name}`, async () => {
    const unavailable = await dialect.available();
    if (unavailable !== null) {
      if (process.env.CI) it('has its database', () => expect.fail(`${unavailable}: CI runs imports on it too`));
      else it.skip(`${dialect.name}: ${unavailable}`, () => {});
      return;
    }
    const opened: { store: Store; cleanup: () => Promise<void> }[] = [];
    const open = async () => {
      const s = await dialect.open();
      opened.push(s);
      return s.store;
    };
    const dir = tempDir();
    let a: Store;
    let fromA: string;
    beforeAll(async () => {
      a = await open();
      const people = write(
        dir,
        'people.ndjson',
        ndjson([
          {
            email: 'ana@example.fr',
            jurisdiction: 'FR',
            events: [{ type: 'consent.given', at: '2025-01-10T10:00:00Z', channel: 'email', method: 'double_opt_in' }],
          },
          { email: 'bob@example.fr', jurisdiction: 'FR', events: [{ type: 'purchase', at: '2025-01-05' }] },
          {
            email: 'dan@example.fr',
            jurisdiction: 'FR',
            events: [{ type: 'consent.given', at: '2025-01-12T10:00:00Z', channel: 'sms', method: 'checkbox' }],
          },
        ]),
      );
      expect(await importFile(a, options(people))).toMatchObject({ created: 3, run: { rejected: 0 } });
      const ana = await a.findContact({ kind: 'email', value: 'ana@example.fr' });
      await eraseContact(a, ana?.id as string, { at: new Date('2025-03-01T12:00:00Z'), recordedBy: 'dpo' });
      fromA = join(dir, 'a.ndjson');
      await exportTo(a, fromA);
    });
    afterAll(async () => {
      for (const s of opened) await s.cleanup();
    });

    it('A → B → A: an erased or live contact whose events A holds is already stored, not created again', async () => {
      const b = await open();
      expect(await importFile(b, options(fromA))).toMatchObject({ created: 3, run: { rejected: 0 } });
      // In A, Bob's address was rectified since: B's line names none of his identifiers here.
      const bob = await a.findContact({ kind: 'email', value: 'bob@example.fr' });
      await a.updateContact(bob?.id as string, {
        add: [{ kind: 'email', value: 'bob@example.com' }],
        remove: [{ kind: 'email', value: 'bob@example.fr' }],
      });
      const fromB = join(dir, 'b.ndjson');
      await exportTo(b, fromB);
      const before = await count(a);
      const back = await importFile(a, options(fromB));
      expect(back).toMatchObject({ created: 0, updated: 0, events: 0, stored: 2, rejectsFile: null });
      expect(back.run).toMatchObject({ accepted: 3, rejected: 0 });
      expect(await count(a)).toEqual(before);
      expect((await a.listContacts({ after: null, limit: 100 })).filter((c) => c.erasedAt !== undefined)).toHaveLength(
        1,
      );
      expect(await a.findContact({ kind: 'email', value: 'bob@example.fr' })).toBeNull();
      expect((await a.verifyLedger()).broken).toBeNull();
      // And B's export back into B, and A's into B again: nothing either.
      for (const file of [fromB, fromA]) {
        const again = await importFile(b, options(file, { again: true }));
        expect(again).toMatchObject({ created: 0, events: 0, rejectsFile: null });
      }
      expect(await count(b)).toEqual({ contacts: 3, events: 4 });
    });

    // GDPR art. 18(2): a person restricted in the source is only stored there; a move must not free their data.
    it('files again, as open requests, the restrictions in force in the source; not an ended one, not twice', async () => {
      const src = await open();
      const people = ['eve', 'fay', 'gil'].map((n) => ({ email: `${n}@example.fr`, jurisdiction: 'FR' }));
      await importFile(src, options(write(dir, 'restricted.ndjson', ndjson(people))));
      const ids: Record<string, string> = {};
      for (const n of ['eve', 'fay', 'gil'])
        ids[n] = (await src.findContact({ kind: 'email', value: `${n}@example.fr` }))?.id as string;
      const restrict = async (n: string, day: string) =>
        (
          await recordRightsRequest(src, {
            contactId: ids[n] as string,
            kind: 'restriction',
            nonce: `r-${n}`,
            at: new Date(`${day}T09:00:00Z`),
            recordedBy: 'dpo',
          })
        ).request;
      const eve = await restrict('eve', '2026-02-01'); // open
      const fay = await restrict('fay', '2026-02-02'); // granted, not lifted
      await answerRightsRequest(src, fay.id, { status: 'done', by: 'dpo', at: new Date('2026-02-03'), answer: null });
      const gil = await restrict('gil', '2026-02-04'); // refused: ended
      await answerRightsRequest(src, gil.id, {
        status: 'refused',
        by: 'dpo',
        at: new Date('2026-02-05'),
        answer: 'ok',
      });
      const file = join(dir, 'restricted-export.ndjson');
      await exportTo(src, file);

      const dst = await open();
      expect(await importFile(dst, options(file))).toMatchObject({ created: 3, run: { rejected: 0 } });
      const filed = async (n: string) => {
        const c = await dst.findContact({ kind: 'email', value: `${n}@example.fr` });
        return dst.listRightsRequests({ limit: 10, contactIds: [c?.id as string] });
      };
      expect(await filed('eve')).toMatchObject([
        { kind: 'restriction', status: 'open', requestedAt: eve.requestedAt, evidence: { movedFrom: eve.id } },
      ]);
      expect(await filed('fay')).toMatchObject([
        { kind: 'restriction', status: 'open', evidence: { movedFrom: fay.id } },
      ]);
      expect(await filed('gil')).toEqual([]);
      const decided = await decideStoredBatch(
        ['eve', 'gil'].map((n) => ({ contact: { email: `${n}@example.fr` }, message: { channel: 'postal' } })),
        dst,
        buildRegistry(),
        () => new Date('2026-03-03T10:00:00Z'),
      );
      expect(decided[0]).toMatchObject({ error: { code: 'PROCESSING_RESTRICTED' } });
      expect(decided[1]).toMatchObject({ decision: 'allow' });
      // Its record is in the new ledger; imported again, nothing more; back into the source, nothing at all.
      const eveHere = (await dst.findContact({ kind: 'email', value: 'eve@example.fr' }))?.id as string;
      expect((await dst.historyOf(eveHere)).map((e) => e.type)).toEqual(['contact.restricted']);
      await importFile(dst, options(file, { again: true }));
      expect(await filed('eve')).toHaveLength(1);
      expect((await dst.verifyLedger()).broken).toBeNull();
      await importFile(src, options(file, { again: true }));
      expect(await src.listRightsRequests({ limit: 10, contactIds: [ids.eve as string] })).toHaveLength(1);
    });

    it('C synced from A, then the person erased in A: the erased line is refused until C erases its copy', async () => {
      const c = await open();
      expect(await importFile(c, options(fromA))).toMatchObject({ created: 3, run: { rejected: 0 } });
      const danA = (await a.findContact({ kind: 'email', value: 'dan@example.fr' }))?.id as string;
      const danC = (await c.findContact({ kind: 'email', value: 'dan@example.fr' }))?.id as string;
      await a.appendEvents([
        { contactId: danA, type: 'objection', at: '2025-02-01T10:00:00Z', data: { channel: '*' }, recordedBy: 'crm' },
      ]);
      await eraseContact(a, danA, { at: new Date('2025-03-05T12:00:00Z'), recordedBy: 'dpo' });
      const file = join(dir, 'a-after.ndjson');
      await exportTo(a, file);
      const before = await count(c);
      const refused = await importFile(c, options(file));
      expect(refused).toMatchObject({ created: 0, events: 0, run: { rejected: 1 } });
      const dan = rejectsOf(`${file}.rejects.csv`).map((r) => r.reason);
      expect(dan).toEqual([
        `this erased line is contact ${danC} of this database (its events were moved from the same source), which is live here: the person was erased on 2025-03-05 in the source; erase them here too (assent contacts erase ${danC}: GDPR art. 17(1), 19), then import the line again to add its proof`,
      ]);
      expect(await count(c)).toEqual(before);
      expect((await c.findContact({ id: danC }))?.erasedAt).toBeUndefined();

      // Erased in C, the line adds its proof (the objection C never had) to C's erased copy, and nothing else.
      await eraseContact(c, danC, { at: new Date(), recordedBy: 'dpo', reason: 'erased in A' });
      const added = await importFile(c, options(file, { again: true }));
      expect(added).toMatchObject({ created: 0, events: 1, rejectsFile: null });
      expect((await c.historyOf(danC)).map((e) => e.type)).toEqual(['consent.given', 'contact.erased', 'objection']);
      const again = await importFile(c, options(file, { again: true }));
      // Ana, Dan, and Bob: his address rectified in A (the first test), his events are what C holds.
      expect(again).toMatchObject({ created: 0, events: 0, stored: 3, rejectsFile: null });
      expect((await c.verifyLedger()).broken).toBeNull();
      expect((await c.listContacts({ after: null, limit: 100 })).length).toBe(before.contacts);
    });

    it('refuses a second erased line of one contact with another erasedAt, naming the line and both dates', async () => {
      const gone = (await exportTo(a, join(dir, 'a-again.ndjson'))).find((l) => l.erasedAt !== undefined) as Line;
      const at = '2025-03-02T12:00:00.000Z';
      const other = {
        ...gone,
        erasedAt: at,
        events: gone.events.map((e) => (e.type === 'contact.erased' ? rehashed(e, { at }) : e)),
      };
      const file = write(dir, 'twice.ndjson', ndjson([gone, gone, other]));
      // In one batch, and in batches of one line.
      for (const batchSize of [1000, 1]) {
        const d = await open();
        const outcome = await importFile(d, options(file, { batchSize }));
        expect(outcome).toMatchObject({ created: 1, stored: 1, run: { accepted: 2, rejected: 1 } });
        expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
          [
            '3',
            `contact ${gone.id} is erased on ${at} on this line and on ${gone.erasedAt} on line 1: one erasure cannot have two dates (the file was changed after the export, or joins two exports); keep the line of the export you mean`,
          ],
        ]);
      }
    });

    it('a hand-made line whose movedFrom names an event here but records another act is imported, not skipped', async () => {
      const lines = await exportTo(a, join(dir, 'a-forge.ndjson'));
      const dan = lines.find((l) => l.erasedAt === undefined && l.events.length > 0) as Line;
      const own = dan.events[0] as Event;
      // Another act (its data changed), its movedFrom pointing at a live person's event as A chained it.
      const evidence = { ...(own.evidence as Event), movedFrom: [{ hash: own.hash, seq: own.seq }] };
      const data = { ...(own.data as Event), category: 'another' };
      const forged = rehashed(own, { data, evidence, evidenceHash: evidenceHash(evidence as never) });
      const line = {
        ...dan,
        id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
        identifiers: [{ kind: 'email', value: 'dana@example.fr' }],
        email: undefined,
        events: [forged],
      };
      const file = write(dir, 'forged.ndjson', ndjson([line]));
      const outcome = await importFile(a, options(file));
      expect(outcome).toMatchObject({ created: 1, stored: 0, run: { rejected: 0 } });
      expect(await a.findContact({ kind: 'email', value: 'dana@example.fr' })).not.toBeNull();
    });

    it('carries two events of one act recorded twice with other evidence (one citing its wording): both, not one', async () => {
      const eve = await a.createContact({ type: 'individual', jurisdiction: 'FR', email: 'eve@example.fr' });
      const consent = {
        contactId: eve.id,
        type: 'consent.given' as const,
        at: '2026-06-01T10:00:00Z',
        recordedBy: 'qa',
      };
      await a.appendEvents([
        { ...consent, data: { channel: 'email', method: 'checkbox' }, evidence: { method: 'cli' } },
        {
          ...consent,
          data: { channel: 'email', method: 'checkbox' },
          evidence: { method: 'api', pageUrl: 'https://shop.example/newsletter' },
        },
      ]);
      const file = join(dir, 'a-twice.ndjson');
      await exportTo(a, file);
      const b = await open();
      expect(await importFile(b, options(file))).toMatchObject({ run: { rejected: 0 } });
      const copy = await b.findContact({ kind: 'email', value: 'eve@example.fr' });
      const history = await b.historyOf(copy?.id as string);
      expect(history.map((e) => e.evidence?.pageUrl ?? null)).toEqual([null, 'https://shop.example/newsletter']);
      // Imported again (--again): both recognised, nothing added.
      expect(await importFile(b, options(file, { again: true }))).toMatchObject({ created: 0, run: { rejected: 0 } });
      expect(await b.historyOf(copy?.id as string)).toHaveLength(2);
    });

    it("carries the suppression list's lifts as a record, leaving the list of the database it arrives in as it is", async () => {
      const zoe = suppressionHash('email', 'zoe@example.fr');
      const yan = suppressionHash('email', 'yan@example.fr');
      const src = await open();
      await src.addSuppressions([
        { hash: zoe, reason: 'objection', at: '2025-02-01T00:00:00.000Z' },
        { hash: yan, reason: 'erased', at: '2025-02-02T00:00:00.000Z' },
      ]);
      const lift = { at: '2025-06-01T09:00:00.000Z', via: 'contacts add --returning', by: 'dpo' };
      expect(await src.liftSuppressions([zoe], lift)).toBe(1);
      const file = join(dir, 'lifts.ndjson');
      await exportTo(src, file);
      const liftLines = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{"suppressionLift"'));
      expect(liftLines.map((l) => JSON.parse(l))).toEqual([
        { suppressionLift: { hash: zoe, reason: 'objection', suppressedAt: '2025-02-01T00:00:00.000Z', ...lift } },
      ]);
      // The destination has Zoe on its own list since after the lift: the lift's record arrives, her entry stays.
      const dest = await open();
      await dest.addSuppressions([{ hash: zoe, reason: 'objection', at: '2025-09-01T00:00:00.000Z' }]);
      expect(await importFile(dest, options(file))).toMatchObject({ lifts: 1, run: { rejected: 0 } });
      expect(await dest.suppressionLifts([zoe])).toEqual(await src.suppressionLifts([zoe]));
      expect([...(await dest.suppressedAmong([zoe, yan]))].sort()).toEqual([zoe, yan].sort());
      // Imported again: the lift is not kept twice.
      expect(await importFile(dest, options(file, { again: true }))).toMatchObject({ run: { rejected: 0 } });
      expect(await dest.suppressionLifts([zoe])).toHaveLength(1);
      // A lift line without its author is refused, naming the field; nothing is kept of it.
      const bad = write(
        dir,
        'bad-lift.ndjson',
        ndjson([
          { suppressionLift: { hash: yan, reason: 'erased', suppressedAt: '2025-02-02', at: '2025-07-01', via: 'x' } },
        ]),
      );
      const refused = await importFile(dest, options(bad));
      expect(refused.run).toMatchObject({ accepted: 0, rejected: 1 });
      expect(rejectsOf((refused as { rejectsFile: string }).rejectsFile)[0]?.reason).toContain(
        'suppressionLift.by must be a text; got undefined',
      );
      expect(await dest.suppressionLifts([yan])).toEqual([]);
      // Instants written with an offset or as a date are kept as the store writes its own (UTC), so that the same
      // lift written two ways is one, and lifts sort by time.
      const spelled = (at: string) =>
        ndjson([
          { suppressionLift: { hash: yan, reason: 'erased', suppressedAt: '2025-02-02', at, via: 'x', by: 'dpo' } },
        ]);
      await importFile(dest, options(write(dir, 'lift-offset.ndjson', spelled('2025-07-01T11:00:00+02:00'))));
      await importFile(dest, options(write(dir, 'lift-utc.ndjson', spelled('2025-07-01T09:00:00Z'))));
      expect(await dest.suppressionLifts([yan])).toEqual([
        {
          hash: yan,
          reason: 'erased',
          suppressedAt: '2025-02-02T00:00:00.000Z',
          at: '2025-07-01T09:00:00.000Z',
          via: 'x',
          by: 'dpo',
        },
      ]);
    });

    // The source keeps whatever author it was given (`contacts add --returning --by ""`, a long name): its export must
    // arrive whole, not be refused as a line missing its author.
    it('carries a lift whose author is empty or long, as the source kept it', async () => {
      const ugo = suppressionHash('email', 'ugo@example.fr');
      const vic = suppressionHash('email', 'vic@example.fr');
      const src = await open();
      await src.addSuppressions([
        { hash: ugo, reason: 'erased', at: '2025-02-01T00:00:00.000Z' },
        { hash: vic, reason: 'objection', at: '2025-02-01T00:00:00.000Z' },
      ]);
      await src.liftSuppressions([ugo], { at: '2025-06-01T09:00:00.000Z', via: 'contacts add --returning', by: '' });
      await src.liftSuppressions([vic], {
        at: '2025-06-01T09:00:00.000Z',
        via: 'contacts add --returning',
        by: 'x'.repeat(600),
      });
      const file = join(dir, 'odd-lifts.ndjson');
      await exportTo(src, file);
      const dest = await open();
      expect(await importFile(dest, options(file))).toMatchObject({ lifts: 2, run: { rejected: 0 } });
      expect(await dest.suppressionLifts([ugo, vic])).toEqual(await src.suppressionLifts([ugo, vic]));
    });
  });
}
