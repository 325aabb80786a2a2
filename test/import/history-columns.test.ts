// The CSV columns for what a CRM export holds beside consents: a purchase (the client exception, CPCE L34-5 al. 4),
// an objection (GDPR art. 21(2)-(3)), a contract, the last contact from the person (the CNIL retention clock). Each
// becomes the decision contract's history event, idempotently, under the safeguards of the other columns.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { eraseContact } from '../../src/services/erasure.js';
import { importFile } from '../../src/services/import/run-import.js';
import { decideStoredBatch } from '../../src/services/stored-decisions.js';
import type { Store } from '../../src/store/store.js';
import { dialectReady } from '../store/dialects.js';
import { IMPORT_DIALECTS, options, rejectsOf, tempDir, write } from './helpers.js';

const packs = buildRegistry();

/** Each column set, and the events (type, at, data) one row of it records. */
const RECORDED: { columns: string; cells: string; events: [string, string, Record<string, unknown>][] }[] = [
  { columns: 'purchase_at', cells: '2025-02-01', events: [['purchase', '2025-02-01', {}]] },
  {
    columns: 'purchase_at,purchase_category',
    cells: '2025-02-01,shoes',
    events: [['purchase', '2025-02-01', { category: 'shoes' }]],
  },
  {
    columns: 'objection_email,objection_sms,objection_at',
    cells: 'YES,yes,2025-03-01T10:00:00Z',
    events: [
      ['objection', '2025-03-01T10:00:00Z', { channel: 'email' }],
      ['objection', '2025-03-01T10:00:00Z', { channel: 'sms' }],
    ],
  },
  {
    columns: 'objection_phone,objection_at,objection_purpose',
    cells: 'yes,2025-03-01,offers',
    events: [['objection', '2025-03-01', { channel: 'phone', purpose: 'offers' }]],
  },
  // A CRM's "not unsubscribed": nothing to record.
  { columns: 'objection_email', cells: 'no', events: [] },
  {
    columns: 'contract_started_at,contract_ended_at,contract',
    cells: '2024-01-01,2025-01-01,gym',
    events: [
      ['contract.started', '2024-01-01', { contract: 'gym' }],
      ['contract.ended', '2025-01-01', { contract: 'gym' }],
    ],
  },
  { columns: 'contract_started_at', cells: '2024-01-01', events: [['contract.started', '2024-01-01', {}]] },
  {
    columns: 'last_contact_at,last_contact_kind',
    cells: '2025-04-01,Reply',
    events: [['interaction', '2025-04-01', { kind: 'reply' }]],
  },
];

/** Each bad row, and the reason the rejects file gives for it. */
const REJECTED: { columns: string; cells: string; reason: string }[] = [
  { columns: 'purchase_category', cells: 'shoes', reason: 'purchase_at is required when purchase_category is set' },
  {
    columns: 'purchase_at',
    cells: '2025-13-01',
    reason: 'purchase_at has month 13, which does not exist; got "2025-13-01"',
  },
  { columns: 'objection_email', cells: 'yes', reason: 'objection_at is required when objection_email is set' },
  {
    columns: 'objection_email,objection_at',
    cells: 'no,2025-03-01',
    reason: 'objection_at is set, but no objection_<channel> column says yes: say on which channel the person objected',
  },
  {
    columns: 'objection_purpose',
    cells: 'offers',
    reason:
      'objection_purpose is set, but no objection_<channel> column says yes: say on which channel the person objected',
  },
  {
    columns: 'objection_fax,objection_at',
    cells: 'unsubscribed,2025-03-01',
    reason: 'objection_fax must be one of yes, no; got "unsubscribed"',
  },
  {
    columns: 'contract',
    cells: 'gym',
    reason: 'contract_started_at or contract_ended_at is required when contract is set',
  },
  {
    columns: 'last_contact_at',
    cells: '2025-04-01',
    reason: 'last_contact_kind is required when last_contact_at is set',
  },
  {
    columns: 'last_contact_kind',
    cells: 'visit',
    reason: 'last_contact_at is required when last_contact_kind is set',
  },
  {
    columns: 'last_contact_at,last_contact_kind',
    cells: '2025-04-01,call',
    reason: 'last_contact_kind must be one of click, reply, request, visit; got "call"',
  },
  {
    columns: 'contract_ended_at',
    cells: '2099-01-01',
    reason: 'contract_ended_at is in the future',
  },
];

for (const dialect of IMPORT_DIALECTS) {
  describe(`CSV history columns on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'CSV history columns'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    const dir = tempDir();
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });
    const historyOf = async (email: string) => {
      const contact = await store.findContact({ kind: 'email', value: email });
      return (await store.historyOf(contact?.id ?? '')).map((e) => [e.type, e.at, e.data]);
    };

    it('records each column set as its event, and adds nothing when the file is imported again', async () => {
      for (const [i, t] of RECORDED.entries()) {
        const file = write(dir, `recorded-${i}.csv`, [
          `email,jurisdiction,${t.columns}`,
          `r${i}@example.fr,FR,${t.cells}`,
        ]);
        const outcome = await importFile(store, options(file));
        expect(outcome, t.columns).toMatchObject({ events: t.events.length, run: { accepted: 1, rejected: 0 } });
        expect(await historyOf(`r${i}@example.fr`), t.columns).toEqual(t.events);
        const again = await importFile(store, options(file, { again: true }));
        expect(again, t.columns).toMatchObject({ created: 0, updated: 0, events: 0, run: { accepted: 1 } });
        expect(await historyOf(`r${i}@example.fr`), t.columns).toEqual(t.events);
      }
    });

    it('rejects a bad row naming its line and column, and writes nothing of it', async () => {
      for (const [i, t] of REJECTED.entries()) {
        const file = write(dir, `rejected-${i}.csv`, [
          `email,jurisdiction,${t.columns}`,
          `x${i}@example.fr,FR,${t.cells}`,
        ]);
        expect(await importFile(store, options(file)), t.columns).toMatchObject({ events: 0, run: { rejected: 1 } });
        const [reject] = rejectsOf(`${file}.rejects.csv`);
        expect(reject?.line, t.columns).toBe('2');
        expect(reject?.reason.startsWith(t.reason), `${t.columns}: ${reject?.reason}`).toBe(true);
        expect(await store.findContact({ kind: 'email', value: `x${i}@example.fr` })).toBeNull();
      }
    });

    it('reads the new columns under a file’s own names with --map', async () => {
      const file = write(dir, 'mapped.csv', [
        'Mail,Country,Last order,Unsubscribed,Unsubscribed on,Last seen,Seen how',
        'mapped@example.fr,FR,2025-05-01,yes,2025-06-01,2025-06-02,click',
      ]);
      const map = new Map([
        ['Mail', 'email'],
        ['Country', 'jurisdiction'],
        ['Last order', 'purchase_at'],
        ['Unsubscribed', 'objection_email'],
        ['Unsubscribed on', 'objection_at'],
        ['Last seen', 'last_contact_at'],
        ['Seen how', 'last_contact_kind'],
      ]);
      expect(await importFile(store, options(file, { map }))).toMatchObject({ events: 3, run: { accepted: 1 } });
      expect(await historyOf('mapped@example.fr')).toEqual([
        ['objection', '2025-06-01', { channel: 'email' }],
        ['purchase', '2025-05-01', {}],
        ['interaction', '2025-06-02', { kind: 'click' }],
      ]);
    });

    it('makes a FR client emailable under the client exception, and an imported objection closes it at once', async () => {
      const decide = async () =>
        (
          await decideStoredBatch(
            [
              {
                at: '2026-01-15T10:00:00Z',
                contact: { email: 'client@example.fr' },
                message: { channel: 'email', purpose: 'offers', offer: { similarToPurchases: true } },
              },
            ],
            store,
            packs,
            () => new Date('2026-01-15T10:00:00Z'),
          )
        )[0] as { decision: string; basis: string | null; reasons: { code: string }[] };
      const collected = write(dir, 'client.csv', [
        'email,jurisdiction,source,collected_at,informed',
        'client@example.fr,FR,direct,2025-09-01,true',
      ]);
      await importFile(store, options(collected));
      expect((await decide()).decision).toBe('deny'); // collected, no purchase: no basis for an email

      const bought = write(dir, 'client-purchase.csv', [
        'email,jurisdiction,purchase_at,purchase_category',
        'client@example.fr,FR,2025-09-01,shoes',
      ]);
      expect(await importFile(store, options(bought))).toMatchObject({ updated: 0, events: 1 });
      expect(await decide()).toMatchObject({ decision: 'allow', basis: 'CLIENT_EXCEPTION' });

      const objected = write(dir, 'client-objection.csv', [
        'email,jurisdiction,objection_email,objection_at',
        'client@example.fr,FR,yes,2025-12-01',
      ]);
      expect(await importFile(store, options(objected))).toMatchObject({ events: 1 });
      const after = await decide();
      expect(after).toMatchObject({ decision: 'deny' });
      expect(after.reasons[0]?.code).toBe('WITHDRAWN');
    });

    it('records an objection of a merged-away identifier on the survivor, and brings no erased person back', async () => {
      const kept = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'kept@example.fr' });
      const gone = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'gone@example.fr' });
      await store.mergeContacts(kept.id, gone.id, 'test');
      const erased = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'erased@example.fr' });
      await eraseContact(store, erased.id, { at: new Date(), recordedBy: 'dpo' });
      const file = write(dir, 'objections-merged-erased.csv', [
        'email,jurisdiction,objection_email,objection_at,purchase_at',
        'gone@example.fr,FR,yes,2025-06-01,',
        'erased@example.fr,FR,yes,2025-06-01,2025-05-01',
      ]);
      expect(await importFile(store, options(file))).toMatchObject({ created: 0, run: { accepted: 1, rejected: 1 } });
      expect((await store.historyOf(kept.id)).map((e) => [e.contactId, e.type, e.data])).toContainEqual([
        kept.id,
        'objection',
        { channel: 'email' },
      ]);
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
        ['3', 'email is on the company suppression list (erased or objected): not imported'],
      ]);
      expect(await store.findContact({ kind: 'email', value: 'erased@example.fr' })).toBeNull();
    });

    it('keeps an imported objection against a later CRM consent without proof of a new collection', async () => {
      const file = write(dir, 'objection-then-consent.csv', [
        'email,jurisdiction,objection_email,objection_at,consent_email,consent_at,consent_method',
        'olga@example.fr,FR,yes,2025-06-01,,,',
        'olga@example.fr,FR,,,yes,2025-06-05,checkbox',
        // In one row too: the objection is "earlier in the same row".
        'pia@example.fr,FR,yes,2025-06-01,yes,2025-06-05,checkbox',
      ]);
      expect(await importFile(store, options(file))).toMatchObject({ run: { accepted: 1, rejected: 2 } });
      const reasons = rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason]);
      expect(reasons.map(([line]) => line)).toEqual(['3', '4']);
      for (const [, reason] of reasons)
        expect(reason).toMatch(/says no \(objection of 2025-06-01\) before the consent/);
      expect(await historyOf('olga@example.fr')).toEqual([['objection', '2025-06-01', { channel: 'email' }]]);
      // Stored now: a later file's consent without proof is refused as well.
      const later = write(dir, 'consent-later.csv', [
        'email,jurisdiction,consent_email,consent_at',
        'olga@example.fr,FR,yes,2025-07-01',
      ]);
      expect(await importFile(store, options(later))).toMatchObject({ events: 0, run: { rejected: 1 } });
      expect(rejectsOf(`${later}.rejects.csv`)[0]?.reason).toMatch(/^contact \S+ said no \(objection of 2025-06-01\)/);
    });
  });
}
