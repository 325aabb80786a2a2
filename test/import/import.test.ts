// The import service on every store dialect: CSV and NDJSON rows become contacts and ledger events with import
// evidence; re-imports add nothing; rows update the contact their identifiers name; a batch is all or nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventHash, evidenceHash } from '../../src/domain/ledger.js';
import { eraseContact } from '../../src/services/erasure.js';
import { ImportInputError, MAX_LINE_CHARS } from '../../src/services/import/reader.js';
import { importFile } from '../../src/services/import/run-import.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import type { ConsentText, Store } from '../../src/store/store.js';
import { IMPORT_DIALECTS, ndjson, options, rejectsOf, tempDir, write } from './helpers.js';

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

const HEADER =
  'external_id,email,phone,type,jurisdiction,time_zone,region,source,provider,collected_at,informed,' +
  'consent_email,consent_sms,consent_phone,consent_at,consent_method,consent_purpose,consent_text_id';

for (const dialect of IMPORT_DIALECTS) {
  describe(`import on ${dialect.name}`, async () => {
    const unavailable = await dialect.available();
    if (unavailable !== null) {
      if (process.env.CI) it('has its database', () => expect.fail(`${unavailable}: CI runs imports on it too`));
      else it.skip(`${dialect.name}: ${unavailable}`, () => {});
      return;
    }
    let store: Store;
    let cleanup: () => Promise<void>;
    let text: ConsentText;
    const dir = tempDir();
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
      text = await store.putConsentText({ key: 'newsletter', version: '1', language: 'fr', body: 'Oui, envoyez-moi…' });
    });
    afterAll(async () => {
      await cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });
    const count = async () => ({
      contacts: (await store.listContacts({ after: null, limit: 10_000 })).length,
      events: (await store.verifyLedger()).events,
    });

    it('imports CSV rows: normalised identifiers, collection and consent events with import evidence', async () => {
      const file = write(dir, 'crm.csv', [
        HEADER,
        'crm-1,Ana@Example.FR,06 12 34 56 78,,FR,Indian/Reunion,fr-974,acquired,DataCo,2025-01-10,TRUE,yes,no,,2025-01-10T10:00:00Z,checkbox,newsletter,newsletter:1:fr',
        'crm-2,contact@acme.fr,,professional,FR,,,,,,,,,,,,,',
        'crm-3,,030 12345678,,DE,,,,,,,,,Yes,2025-02-01,written,,',
      ]);
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ status: 'imported', created: 3, updated: 0, events: 4, rejectsFile: null });
      expect(outcome.run).toMatchObject({ status: 'done', accepted: 3, rejected: 0, linesDone: 4 });
      expect(existsSync(`${file}.rejects.csv`)).toBe(false);

      const ana = await store.findContact({ kind: 'external', value: 'crm-1' });
      expect(ana).toMatchObject({
        type: 'individual',
        jurisdiction: 'FR',
        timeZone: 'Indian/Reunion',
        region: 'FR-974',
      });
      expect(ana?.identifiers).toEqual([
        { kind: 'email', value: 'ana@example.fr' },
        { kind: 'external', value: 'crm-1' },
        { kind: 'phone', value: '+33612345678' },
      ]);
      expect((await store.findContact({ kind: 'email', value: 'contact@acme.fr' }))?.address).toBe('generic');
      expect(await store.findContact({ kind: 'phone', value: '+493012345678' })).toMatchObject({ jurisdiction: 'DE' });

      const history = await store.historyOf(ana?.id ?? '');
      const evidence = {
        method: 'import',
        importBatch: String(outcome.run.id),
        sourceFile: 'crm.csv',
        sourceSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      };
      expect(history.map((e) => [e.type, e.at, e.data])).toEqual([
        ['data.collected', '2025-01-10', { source: 'acquired', provider: 'DataCo', informed: true }],
        ['consent.given', '2025-01-10T10:00:00Z', { channel: 'email', method: 'checkbox', purpose: 'newsletter' }],
        ['consent.refused', '2025-01-10T10:00:00Z', { channel: 'sms', purpose: 'newsletter' }],
      ]);
      expect(history[0]?.evidence).toEqual(evidence);
      expect(history[1]?.evidence).toEqual({ ...evidence, textId: 'newsletter:1:fr', textSha256: text.sha256 });
      expect(
        history.every((e) => e.recordedBy === 'import:test' && /^[0-9a-f]{64}$/.test(e.idempotencyKey ?? '')),
      ).toBe(true);
      expect((await store.verifyLedger()).broken).toBeNull();
    });

    it('re-imports without adding anything, and updates the contact a row names instead of creating one', async () => {
      const before = await count();
      const again = await importFile(store, options(`${dir}/crm.csv`, { again: true }));
      expect(again).toMatchObject({ status: 'imported', created: 0, updated: 0, events: 0 });
      expect(await count()).toEqual(before);

      const file = write(dir, 'update.csv', [
        'external_id,phone,jurisdiction,consent_email,consent_at,consent_method,consent_purpose,time_zone',
        // Same consent as crm.csv (other evidence, same act): not added. A new phone and time zone: an update.
        'crm-1,+33 6 11 22 33 44,FR,yes,2025-01-10T10:00:00Z,checkbox,newsletter,Europe/Paris',
      ]);
      expect(await importFile(store, options(file))).toMatchObject({ created: 0, updated: 1, events: 0 });
      const ana = await store.findContact({ kind: 'phone', value: '+33611223344' });
      expect(ana).toMatchObject({ timeZone: 'Europe/Paris', jurisdiction: 'FR' });
      expect(ana?.identifiers.filter((i) => i.kind === 'phone')).toHaveLength(2);
      expect(await count()).toEqual(before);
    });

    it('imports NDJSON rows, merging each event’s own evidence with the import’s', async () => {
      const file = write(
        dir,
        'shop.ndjson',
        ndjson([
          {
            externalId: 'n-1',
            email: 'nina@example.fr',
            jurisdiction: 'FR',
            events: [
              {
                type: 'consent.given',
                at: '2025-03-01T09:00:00Z',
                channel: ['email', 'sms'],
                method: 'double_opt_in',
                evidence: { method: 'form', pageUrl: 'https://shop.example/signup', importBatch: 'forged' },
              },
              { type: 'purchase', at: '2025-03-02', category: 'shoes' },
            ],
          },
          { phone: '+33 6 98 76 54 32', type: 'professional', address: 'named', jurisdiction: 'FR' },
        ]),
      );
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ created: 2, events: 2, run: { accepted: 2, rejected: 0 } });
      const nina = await store.findContact({ kind: 'email', value: 'nina@example.fr' });
      const [given, purchase] = await store.historyOf(nina?.id ?? '');
      expect(given?.data).toEqual({ channel: ['email', 'sms'], method: 'double_opt_in' });
      expect(given?.evidence).toMatchObject({
        method: 'form',
        pageUrl: 'https://shop.example/signup',
        importBatch: String(outcome.run.id),
        sourceFile: 'shop.ndjson',
      });
      expect(purchase).toMatchObject({ type: 'purchase', data: { category: 'shoes' }, evidence: { method: 'import' } });
      expect(await store.findContact({ kind: 'phone', value: '+33698765432' })).toMatchObject({
        type: 'professional',
        address: 'named',
      });
    });

    it('keeps an exported contact’s first-record date, which its retention runs from; rejects a bad one', async () => {
      const file = write(
        dir,
        'moved.ndjson',
        ndjson([
          { id: 'old-id', email: 'olga@example.fr', jurisdiction: 'FR', createdAt: '2022-05-02T10:00:00.000Z' },
          { email: 'otto@example.fr', jurisdiction: 'FR', createdAt: '2999-01-01T00:00:00Z' },
          { email: 'oona@example.fr', jurisdiction: 'FR', createdAt: 'last spring' },
        ]),
      );
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ created: 1, run: { accepted: 1, rejected: 2 } });
      expect((await store.findContact({ kind: 'email', value: 'olga@example.fr' }))?.createdAt).toBe(
        '2022-05-02T10:00:00.000Z',
      );
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => r.reason)).toEqual([
        'createdAt is in the future',
        'createdAt is not an ISO 8601 date or date-time',
      ]);
    });

    it('keeps an exported event’s evidence and says where it was first recorded; rejects one without that', async () => {
      // As assent export writes an event: every field its hash covers, the hash computed from them.
      const exported = (over: Record<string, unknown>) => {
        const evidence = { method: 'form', pageUrl: 'https://shop.example/signup', ip: '203.0.113.7' };
        const e = {
          seq: 7,
          id: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
          contactId: 'source-contact-1',
          type: 'consent.given' as const,
          at: '2024-03-01T10:00:00Z',
          data: { channel: 'email', method: 'checkbox' },
          evidenceHash: evidenceHash(evidence),
          recordedAt: '2024-03-01T10:00:01.000Z',
          recordedBy: 'form:signup',
          idempotencyKey: null,
          prevHash: 'cd'.repeat(32),
        };
        return { ...e, evidence, hash: eventHash(e), ...over };
      };
      const hash = exported({}).hash;
      const file = write(
        dir,
        'carried.ndjson',
        ndjson([
          { email: 'emma@example.fr', jurisdiction: 'FR', events: [exported({})] },
          { email: 'enzo@example.fr', jurisdiction: 'FR', events: [exported({ recordedAt: undefined })] },
          { email: 'elsa@example.fr', jurisdiction: 'FR', events: [exported({ recordedBy: 7, hash: 'x' })] },
          // Edited after the export: a refusal made a consent, evidence changed by hand.
          { email: 'eric@example.fr', jurisdiction: 'FR', events: [exported({ type: 'consent.refused' })] },
          {
            email: 'eve@example.fr',
            jurisdiction: 'FR',
            events: [
              exported({ evidence: { method: 'form', pageUrl: 'https://shop.example/signup', ip: '198.51.100.1' } }),
            ],
          },
        ]),
      );
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ created: 1, run: { accepted: 1, rejected: 4 } });
      expect(await store.findContact({ kind: 'email', value: 'eric@example.fr' })).toBeNull();
      const emma = await store.findContact({ kind: 'email', value: 'emma@example.fr' });
      const [event] = await store.historyOf(emma?.id as string);
      expect(event?.evidence).toEqual({
        method: 'form',
        pageUrl: 'https://shop.example/signup',
        ip: '203.0.113.7',
        movedFrom: [
          {
            importBatch: expect.any(String),
            sourceFile: 'carried.ndjson',
            sourceSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
            recordedAt: '2024-03-01T10:00:01.000Z',
            recordedBy: 'form:signup',
            hash,
            seq: 7,
          },
        ],
      });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => r.reason)).toEqual([
        'events.0.recordedAt must be an ISO 8601 instant (an event with "data" is read as written by assent export)',
        'events.0.recordedBy must be the text the export wrote (1 to 200 characters, no NUL) (an event with "data" is read as written by assent export); events.0.hash must be the SHA-256 (64 hex digits) the export wrote',
        'events.0.hash does not match the event: the line was changed after the export, and is not its proof (an event with "data" is read as written by assent export)',
        'events.0.evidenceHash does not match the evidence: the line was changed after the export, and is not its proof (an event with "data" is read as written by assent export)',
      ]);
    });

    it('rejects every spelling of an erased identifier in one file, not only the last one read', async () => {
      const zed = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'zéphyr@exämple.fr' });
      await eraseContact(store, zed.id, { at: new Date(), recordedBy: 'dpo' });
      const nfd = 'zéphyr@exämple.fr'.normalize('NFD');
      const file = write(dir, 'spellings.csv', [
        'email,jurisdiction',
        'zéphyr@exämple.fr,FR',
        `${nfd},FR`,
        'zéphyr@xn--exmple-cua.fr,FR',
      ]);
      expect(await importFile(store, options(file))).toMatchObject({ created: 0, run: { accepted: 0, rejected: 3 } });
      expect(await store.findContact({ kind: 'email', value: 'zéphyr@exämple.fr' })).toBeNull();
    });

    it('does not bring back, from the same file, a person erased since it was imported (a retention purge)', async () => {
      const file = write(
        dir,
        'old-crm.ndjson',
        ndjson([
          {
            email: 'rae@example.fr',
            jurisdiction: 'FR',
            events: [{ type: 'consent.given', at: '2023-01-10T10:00:00Z', channel: 'email', method: 'checkbox' }],
          },
          { email: 'sol@example.fr', jurisdiction: 'FR', events: [{ type: 'purchase', at: '2026-01-10T10:00:00Z' }] },
        ]),
      );
      await importFile(store, options(file));
      const rae = await store.findContact({ kind: 'email', value: 'rae@example.fr' });
      // Erased without suppression, as the retention purge erases people who never objected.
      await eraseContact(store, rae?.id as string, { at: new Date(), recordedBy: 'retention', suppress: null });
      const again = await importFile(store, options(file, { again: true }));
      expect(again).toMatchObject({ created: 0, events: 0, run: { accepted: 1, rejected: 1 } });
      expect(await store.findContact({ kind: 'email', value: 'rae@example.fr' })).toBeNull();
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => r.reason)).toEqual([
        `this row's events were imported before for contact ${rae?.id}, since erased: the person's data is not brought back (the proof stays under that id)`,
      ]);
      // The same row with a CRM id added: its events were keyed by the email the first time.
      const withId = write(
        dir,
        'old-crm-2.ndjson',
        ndjson([
          {
            externalId: 'crm-rae',
            email: 'rae@example.fr',
            jurisdiction: 'FR',
            events: [{ type: 'consent.given', at: '2023-01-10T10:00:00Z', channel: 'email', method: 'checkbox' }],
          },
        ]),
      );
      expect(await importFile(store, options(withId))).toMatchObject({ created: 0, run: { rejected: 1 } });
    });

    it('keeps the "no" of a row refused for the unproven consent after it', async () => {
      const ida = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ida@example.fr' });
      const row = (email: string) =>
        JSON.stringify({
          email,
          jurisdiction: 'FR',
          events: [
            { type: 'objection', at: '2026-10-01T10:00:00Z', channel: 'email' },
            { type: 'consent.given', at: '2026-10-02T10:00:00Z', channel: 'email', method: 'checkbox' },
          ],
        });
      const file = write(dir, 'no-then-yes.ndjson', [row('nd3@example.fr'), row('ida@example.fr')]);
      expect(await importFile(store, options(file))).toMatchObject({ events: 1, run: { accepted: 0, rejected: 2 } });
      const reasons = rejectsOf(`${file}.rejects.csv`).map((r) => r.reason);
      expect(reasons[0]).toMatch(/; not imported; its "no" was kept: nd3@example\.fr joined the suppression list$/);
      expect(reasons[1]).toMatch(
        new RegExp(`; not imported; its "no" \\(objection\\) was recorded on contact ${ida.id}$`),
      );
      expect(await store.findContact({ kind: 'email', value: 'nd3@example.fr' })).toBeNull();
      const hash = suppressionHash('email', 'nd3@example.fr');
      expect(await store.suppressedAmong([hash])).toEqual(new Set([hash]));
      expect((await store.historyOf(ida.id)).map((e) => e.type)).toEqual(['objection']);
    });

    it('does not let a CRM file re-open, with an undated-proof consent, what a stored person closed', async () => {
      const tom = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'tom@example.fr' });
      await store.appendEvents([
        {
          contactId: tom.id,
          type: 'objection',
          at: '2026-11-20T10:00:00Z',
          data: { channel: 'email' },
          recordedBy: 'one-click',
        },
      ]);
      const file = write(dir, 'crm-sync.csv', [
        'email,jurisdiction,consent_email,consent_at,consent_method',
        'tom@example.fr,FR,yes,2026-11-25T08:00:00Z,checkbox', // the CRM stamps its export date: refused
        'tom@example.fr,FR,yes,2026-11-26T08:00:00Z,double_opt_in', // confirmed again: imported
      ]);
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ events: 1, run: { accepted: 1, rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => [r.line, r.reason])).toEqual([
        [
          '2',
          `contact ${tom.id} said no (objection of 2026-11-20) before the consent this row records on 2026-11-25: a consent after it needs the proof of the new collection (method double_opt_in, or evidence with pageUrl, formId, ip, recording, textId); not imported`,
        ],
      ]);
      // A consent on another channel, or dated before the objection, re-opens nothing: imported.
      const other = write(dir, 'crm-sync-2.csv', [
        'email,jurisdiction,consent_sms,consent_email,consent_at',
        'tom@example.fr,FR,yes,,2026-11-25T08:00:00Z',
        'tom@example.fr,FR,,yes,2026-11-01T08:00:00Z',
      ]);
      expect(await importFile(store, options(other))).toMatchObject({ run: { accepted: 2, rejected: 0 } });
      // Evidence that says nothing (a CRM's empty columns) is no proof.
      const blank = (evidence: Record<string, unknown>, day: number) =>
        JSON.stringify({
          email: 'tom@example.fr',
          jurisdiction: 'FR',
          events: [{ type: 'consent.given', at: `2026-11-${day}T08:00:00Z`, channel: 'email', evidence }],
        });
      const empty = write(dir, 'crm-blank.ndjson', [
        blank({ pageUrl: '' }, 27),
        blank({ pageUrl: null }, 28),
        blank({ formId: 0 }, 29),
        blank({ ip: 'not-an-ip', pageUrl: ' ' }, 30),
        blank({ pageUrl: 'N/A' }, 30),
        blank({ pageUrl: 'NULL' }, 30),
        blank({ pageUrl: '\u200b' }, 30),
        blank({ ip: '0.0.0.0' }, 30),
        blank({ ip: '::ffff:0.0.0.0' }, 30),
        blank({ pageUrl: '#N/A' }, 30),
        blank({ pageUrl: '(null)' }, 30),
        blank({ pageUrl: '\\N' }, 30),
        blank({ pageUrl: 'ＮＵＬＬ' }, 30),
        blank({ pageUrl: '\u3164' }, 30),
        blank({ ip: '203.0.113.9' }, 30),
      ]);
      expect(await importFile(store, options(empty))).toMatchObject({ run: { accepted: 1, rejected: 14 } });
      // Named by an identifier an earlier row of the same batch gave them: still the same person, still no.
      const twoRows = write(dir, 'crm-two-rows.ndjson', [
        JSON.stringify({ email: 'tom@example.fr', jurisdiction: 'FR', externalId: 'crm-tom' }),
        JSON.stringify({
          externalId: 'crm-tom',
          jurisdiction: 'FR',
          events: [{ type: 'consent.given', at: '2026-12-01T08:00:00Z', channel: 'email', method: 'checkbox' }],
        }),
      ]);
      expect(await importFile(store, options(twoRows))).toMatchObject({ events: 0, run: { accepted: 1, rejected: 1 } });
      // The "no" in an earlier row of the same file (or earlier in the row), for a person new or stored: the same.
      const inFile = write(dir, 'crm-in-file.csv', [
        'email,jurisdiction,consent_email,consent_at',
        'ursula@example.fr,FR,no,2026-11-20T10:00:00Z',
        'ursula@example.fr,FR,yes,2026-11-25T10:00:00Z',
      ]);
      expect(await importFile(store, options(inFile))).toMatchObject({ run: { accepted: 1, rejected: 1 } });
      const ursula = await store.findContact({ kind: 'email', value: 'ursula@example.fr' });
      expect((await store.historyOf(ursula?.id as string)).map((e) => e.type)).toEqual(['consent.refused']);
      const oneRow = write(dir, 'crm-one-row.ndjson', [
        JSON.stringify({
          email: 'viktor@example.fr',
          jurisdiction: 'FR',
          events: [
            { type: 'objection', at: '2026-11-20T10:00:00Z', channel: 'email' },
            { type: 'consent.given', at: '2026-11-25T10:00:00Z', channel: 'email' },
          ],
        }),
      ]);
      expect(await importFile(store, options(oneRow))).toMatchObject({ created: 0, run: { rejected: 1 } });
    });

    it('rejects an NDJSON line longer than the limit without reading it, and refuses a CSV row that long', async () => {
      const huge = JSON.stringify({ email: 'big@example.fr', jurisdiction: 'FR', notes: 'x'.repeat(MAX_LINE_CHARS) });
      const file = write(dir, 'huge.ndjson', [
        JSON.stringify({ email: 'before@example.fr', jurisdiction: 'FR' }),
        huge,
        JSON.stringify({ email: 'after@example.fr', jurisdiction: 'FR' }),
      ]);
      expect(await importFile(store, options(file))).toMatchObject({ created: 2, run: { accepted: 2, rejected: 1 } });
      const [reject] = rejectsOf(`${file}.rejects.csv`);
      expect(reject?.line).toBe('2');
      expect(reject?.reason).toMatch(/^is longer than 8 Mi characters/);
      expect(reject?.raw.length).toBeLessThan(300);
      const csv = write(dir, 'huge.csv', [
        'email,jurisdiction',
        'ok@example.fr,FR',
        `"${'y'.repeat(MAX_LINE_CHARS)}",FR`,
      ]);
      await expect(importFile(store, options(csv))).rejects.toThrow(
        'the CSV row from line 3 is longer than 8 Mi characters',
      );
    });

    it('refuses a merge, erasure or rectification record sent in a row: Assent writes those itself', async () => {
      const file = write(
        dir,
        'forged.ndjson',
        ndjson([
          {
            email: 'forged@example.fr',
            jurisdiction: 'FR',
            events: [{ type: 'contact.rectified', at: '2025-03-01T09:00:00Z', removed: ['email'], old: 'x@y.fr' }],
          },
        ]),
      );
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ created: 0, events: 0, run: { accepted: 0, rejected: 1 } });
      expect(await store.findContact({ kind: 'email', value: 'forged@example.fr' })).toBeNull();
    });

    it('refuses a row event that brings its own record of a move (evidence.movedFrom): the import writes it', async () => {
      const moved = { movedFrom: [{ hash: 'ab'.repeat(32), seq: 1, recordedAt: '2025-01-01T00:00:00Z' }] };
      const file = write(
        dir,
        'moved.ndjson',
        ndjson([
          {
            email: 'moved@example.fr',
            jurisdiction: 'FR',
            events: [{ type: 'consent.given', at: '2025-03-01T09:00:00Z', channel: 'email', evidence: moved }],
          },
        ]),
      );
      expect(await importFile(store, options(file))).toMatchObject({ created: 0, run: { accepted: 0, rejected: 1 } });
      expect(rejectsOf(`${file}.rejects.csv`).map((r) => r.reason)).toEqual([
        'events.0.evidence.movedFrom is written by Assent when it moves an exported event (assent export, then import), not sent with an event',
      ]);
    });

    it('renames columns with --map, and stops on an unknown column before writing anything', async () => {
      const file = write(dir, 'mapped.csv', ['Mail,CRM Id,Country,Notes', 'mia@example.fr,m-1,FR,likes cats']);
      await expect(importFile(store, options(file))).rejects.toBeInstanceOf(ImportInputError);
      await expect(importFile(store, options(file))).rejects.toThrow(/unknown column "Mail"/);
      expect(await store.latestImport(sha256(file))).toBeNull();
      const map = new Map([
        ['mail', 'email'],
        ['CRM Id', 'external_id'],
        ['Country', 'Jurisdiction'],
        ['notes', '-'],
      ]);
      expect(await importFile(store, options(file, { map }))).toMatchObject({ created: 1, run: { accepted: 1 } });
      expect((await store.findContact({ kind: 'external', value: 'm-1' }))?.identifiers).toContainEqual({
        kind: 'email',
        value: 'mia@example.fr',
      });
    });

    it('rejects a row whose identifiers belong to two contacts, in the store or earlier in the batch', async () => {
      const file = write(dir, 'conflicts.csv', [
        'external_id,email,jurisdiction',
        'crm-1,nina@example.fr,FR', // crm-1 is Ana's, nina@ is Nina's
        'k-1,kim@example.fr,FR',
        'k-2,kai@example.fr,FR',
        'k-1,kai@example.fr,FR', // two rows of this batch
        'k-1,KIM@example.fr,FR', // the same person again: accepted
      ]);
      const outcome = await importFile(store, options(file));
      expect(outcome).toMatchObject({ created: 2, run: { accepted: 3, rejected: 2 } });
      const rejects = rejectsOf(`${file}.rejects.csv`);
      expect(rejects.map((r) => r.line)).toEqual(['2', '5']);
      expect(rejects[0]?.reason).toMatch(
        /^identifier conflict: external crm-1 belongs to contact [0-9a-f-]{36}, email nina@example\.fr belongs to contact [0-9a-f-]{36}/,
      );
      expect(rejects[1]?.reason).toMatch(/the contact of line 3.*the contact of line 4/);
      expect(rejects[1]?.raw).toBe('k-1,kai@example.fr,FR');
    });

    it('never leaves half a batch: a failure inside a batch undoes its contacts, events and journal step', async () => {
      const rows = Array.from({ length: 6 }, (_, i) => `h-${i},h${i}@example.fr,FR,yes,2025-04-01`);
      const file = write(dir, 'halves.csv', ['external_id,email,jurisdiction,consent_email,consent_at', ...rows]);
      const before = await count();
      // A store whose journal update fails for the second batch (lines 5-7), after its contacts and events were written.
      const failing = new Proxy(store, {
        get: (target, p, receiver) =>
          p === 'transaction'
            ? (fn: (tx: Store) => Promise<unknown>) =>
                target.transaction((tx) =>
                  fn(
                    new Proxy(tx, {
                      get: (t, q, r) =>
                        q === 'recordImport'
                          ? async (id: number, progress: { linesDone: number; status: string }) => {
                              if (progress.linesDone > 4 && progress.status === 'running') throw new Error('disk full');
                              return t.recordImport(id, progress as never);
                            }
                          : Reflect.get(t, q, r),
                    }),
                  ),
                )
            : Reflect.get(target, p, receiver),
      });
      await expect(importFile(failing, options(file, { batchSize: 3 }))).rejects.toThrow('disk full');
      expect(await count()).toEqual({ contacts: before.contacts + 3, events: before.events + 3 });
      expect(await store.latestImport(sha256(file))).toMatchObject({ status: 'running', linesDone: 4, accepted: 3 });
      const resumed = await importFile(store, options(file, { batchSize: 3 }));
      expect(resumed).toMatchObject({ resumedAfter: 4, created: 3, events: 3, run: { status: 'done', accepted: 6 } });
      expect(await count()).toEqual({ contacts: before.contacts + 6, events: before.events + 6 });
      expect(basename(file)).toBe(resumed.run.source);
    });
  });
}
