// The register of processing activities (GDPR art. 30): the profile file is checked field by field, and the rest is
// what the database holds — people, data, purposes, partners, sources, recipients — with the packs' retention periods.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { eraseContact } from '../../src/services/erasure.js';
import {
  buildRegister,
  type ProcessingRegister,
  parseRegisterProfile,
  profileWarnings,
  type RegisterEntry,
  readRegisterProfile,
  registerMarkdown,
} from '../../src/services/register.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS, dialectReady } from '../store/dialects.js';

const PROFILE = {
  controller: { name: 'Boutique Lumière SAS', address: '3 rue de la Paix, 75002 Paris', email: 'contact@lumiere.fr' },
  dpo: { name: 'Claire Martin', email: 'dpo@lumiere.fr' },
  processors: [{ name: 'Brevo', service: 'email sending', country: 'FR' }],
  transfers: [],
  securityMeasures: ['access to the CRM by named accounts with two-factor authentication'],
};

describe('the register profile', () => {
  it.each([
    [[], ': must be an object'],
    [{ controler: {} }, '/controler: is not a field here'],
    [{ controller: { email: 'x@y.fr' } }, '/controller/name: must be a non-empty string'],
    [{ processors: [{ name: 'Brevo' }] }, '/processors/0/service: must be a non-empty string'],
    [{ transfers: {} }, '/transfers: must be a list'],
    [{ securityMeasures: ['ok', 3] }, '/securityMeasures/1: must be a non-empty string'],
    [{ transfers: [{ country: 'DE', recipient: 'x', safeguards: 'y' }] }, '/transfers/0/country: DE is in the EEA'],
    [{ transfers: [{ country: 'Narnia', recipient: 'x', safeguards: 'y' }] }, 'must be an ISO 3166-1 alpha-2 code'],
    [{ controller: { name: 'X', email: 'not-an-email' } }, '/controller/email: is not an email address'],
  ])('refuses %j naming the field', (raw, message) => {
    expect(() => parseRegisterProfile(raw)).toThrow(message);
  });

  it('reads a file, and names a missing or broken one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assent-register-'));
    try {
      const good = join(dir, 'profile.json');
      writeFileSync(good, JSON.stringify(PROFILE));
      expect(await readRegisterProfile(good)).toEqual(PROFILE);
      expect(await readRegisterProfile(null)).toEqual({});
      await expect(readRegisterProfile(join(dir, 'none.json'))).rejects.toThrow(/none.json: cannot be read \(ENOENT\)/);
      writeFileSync(join(dir, 'bad.json'), '{"controller": ');
      await expect(readRegisterProfile(join(dir, 'bad.json'))).rejects.toThrow(/bad.json: is not JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of DIALECTS) {
  describe(`the register from the database: ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'register'))) return;
    let store: Store;
    let cleanup: () => Promise<void>;
    let full: ProcessingRegister;
    let bare: ProcessingRegister;
    const item = (entries: RegisterEntry[], prefix: string) => entries.find((e) => e.item.startsWith(prefix));
    beforeAll(async () => {
      ({ store, cleanup } = await dialect.open());
      const ana = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' });
      const pro = await store.createContact({ type: 'professional', jurisdiction: 'DE', email: 'info@firma.de' });
      const gone = await store.createContact({ type: 'individual', jurisdiction: 'FR', phone: '0611111111' });
      await store.appendEvents([
        {
          contactId: ana.id,
          type: 'consent.given',
          at: '2026-10-01T10:00:00Z',
          data: { channel: 'email', purpose: 'newsletter', partners: ['Acme Voyages'] },
          evidence: { method: 'form', ip: '203.0.113.9', userAgent: 'Firefox' },
          recordedBy: 'test',
        },
        {
          contactId: pro.id,
          type: 'data.collected',
          at: '2026-09-01T10:00:00Z',
          data: { source: 'acquired', provider: 'Fichiers Pro SA' },
          recordedBy: 'test',
        },
        { contactId: ana.id, type: 'purchase', at: '2026-10-02T10:00:00Z', data: {}, recordedBy: 'test' },
        {
          contactId: ana.id,
          type: 'consent.given',
          at: '2026-10-03T10:00:00Z',
          data: { channel: 'sms', purpose: 'newsletter', partners: ['globex'] },
          // The name shown beside the box: the register names the partner by it, not by its id alone.
          evidence: { method: 'form', partnerNames: ['Globex SA'] },
          recordedBy: 'test',
        },
        {
          contactId: gone.id,
          type: 'objection',
          at: '2026-10-03T10:00:00Z',
          data: { channel: 'sms' },
          recordedBy: 't',
        },
      ]);
      // A duplicate record merged into the person: one person, counted once after erasure.
      const dup = await store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'crm-dup' });
      await store.mergeContacts(gone.id, dup.id, 'test');
      await eraseContact(store, gone.id, { at: new Date('2026-11-01T00:00:00Z'), recordedBy: 'dpo' });
      // Three runs of two files: one imported twice (--again), one whose every row was rejected.
      for (const [file, accepted] of [
        ['a'.repeat(64), 3],
        ['a'.repeat(64), 3],
        ['b'.repeat(64), 0],
      ] as const) {
        const run = await store.startImport({ fileSha256: file, source: 'x.csv' });
        await store.recordImport(run.id, { status: 'done', linesDone: 3, accepted, rejected: 3 - accepted });
      }
      // A copy asked for on 1 October, still not sent on 6 December.
      await store.createRightsRequest({ contactId: ana.id, kind: 'access', nonce: 'n', at: new Date('2026-10-01') });
      const now = new Date('2026-12-06T10:00:00Z');
      full = await buildRegister(store, buildRegistry(), parseRegisterProfile(PROFILE), now);
      bare = await buildRegister(store, buildRegistry(), {}, now);
    });
    afterAll(async () => cleanup());

    it('counts the people held, by category, and the erased apart', () => {
      const s = full.activity.dataSubjects;
      expect(item(s, 'Individuals')).toMatchObject({
        count: 1,
        detail: '1 purchase or contract record(s) in the ledger',
      });
      expect(item(s, 'Generic professional')).toMatchObject({ count: 1 });
      expect(item(s, 'Erased')).toMatchObject({ count: 1 });
      expect(item(s, 'By jurisdiction')).toMatchObject({ detail: 'DE 1, FR 1' });
    });

    it('names data categories, purposes, partners, sources and recipients from the ledger', () => {
      expect(item(full.activity.dataCategories, 'Identification')).toMatchObject({ count: 2, detail: 'email 2' });
      expect(item(full.activity.dataCategories, 'Proof')).toMatchObject({
        detail: 'ip, method, partnerNames, userAgent',
      });
      expect(item(full.activity.purposes, 'Prospecting')?.detail).toMatch(/channels: email, sms; .*newsletter/);
      // The objection names no purpose: it covers every one, as the access report's `*` says.
      expect(item(full.activity.purposes, 'Prospecting')?.detail).toMatch(
        /purposes consented to or objected to: every purpose, newsletter$/,
      );
      // Named as the form showed them, with the id the ledger keeps (a partner recorded without names: its id).
      expect(item(full.activity.purposes, 'Passing contact details to partners')).toMatchObject({
        detail: 'Acme Voyages, Globex SA (globex)',
      });
      expect(full.activity.recipients.map((r) => r.item)).toEqual([
        'Partner: Acme Voyages',
        'Partner: Globex SA (globex)',
        'Processor: Brevo',
      ]);
      expect(full.activity.sources.map((r) => r.item)).toContain('Provider named in the ledger: Fichiers Pro SA');
      // Files that brought data in, not import runs (it said 3).
      expect(item(full.activity.sources, 'Files imported')).toMatchObject({ count: 1 });
      // Two hashes: the erased person's email and the CRM id of the record merged into them.
      expect(item(full.activity.purposes, 'Honouring objections')).toMatchObject({ count: 2 });
      expect(item(full.activity.purposes, "Answering people's requests")).toMatchObject({
        count: 1,
        detail: '1 open, 1 past the month to answer, 0 answered late (art. 12(3))',
      });
    });

    it('gives the retention period of each jurisdiction held, and says where the pack sets none', () => {
      expect(item(full.activity.retention, 'Prospect and former-client data (FR)')).toMatchObject({
        detail: expect.stringContaining('3 years after the last active contact'),
        ref: expect.stringContaining('CNIL'),
      });
      expect(item(full.activity.retention, 'Prospect and former-client data (DE)')?.detail).toMatch(/no period/);
      // An erasure on request is no purge: the purge is off by default, and the register says it never ran.
      expect(item(full.activity.retention, 'Retention purge')?.detail).toMatch(/^never run on this database/);
    });

    it('says how many people the retention purge erased, and when it last did', async () => {
      const old = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'old@example.fr' });
      await eraseContact(store, old.id, {
        at: new Date('2026-11-15T03:00:00Z'),
        recordedBy: 'purge',
        reason: 'retention',
      });
      const after = await buildRegister(store, buildRegistry(), {}, new Date('2026-12-06T10:00:00Z'));
      expect(item(after.activity.retention, 'Retention purge')).toMatchObject({
        detail: '1 person erased at the end of their period, the last on 2026-11-15',
        ref: 'GDPR art. 5(1)(e)',
      });
    });

    it('lists what the profile does not give yet, and nothing when it is complete', () => {
      expect(full.missing).toEqual([]);
      expect(full.controller).toMatchObject({ name: 'Boutique Lumière SAS' });
      expect(bare.missing.map((m) => m.field)).toEqual([
        'controller',
        'dpo',
        'transfers',
        'processors',
        'securityMeasures',
      ]);
      expect(bare.activity.transfers).toEqual([{ item: 'Not declared yet (profile: transfers)' }]);
      expect(full.activity.transfers).toEqual([]);
    });

    it('warns of a processor outside the EEA with no transfer declared (art. 44-46), and not once one is', async () => {
      const abroad = {
        ...PROFILE,
        processors: [...PROFILE.processors, { name: 'Twilio', service: 'SMS', country: 'us' }],
      };
      const r = await buildRegister(store, buildRegistry(), parseRegisterProfile(abroad), new Date('2026-12-06'));
      const warning =
        'processor Twilio is in US, outside the EEA, and no transfer to it is declared: declare it in transfers with its safeguards (GDPR art. 44-46)';
      expect(r.warnings).toEqual([warning]);
      expect(profileWarnings(parseRegisterProfile(abroad))).toEqual([warning]);
      expect(r.activity.transfers).toEqual([{ item: `Warning: ${warning}` }]);
      const md = registerMarkdown(r);
      expect(md).not.toMatch(/### Transfers outside the EEA \(art\. 30\(1\)\(e\)\)\n\n- _none_/);
      expect(md).toContain('- **Warning**: processor Twilio is in US, outside the EEA');
      expect(full.warnings).toEqual([]);
      const declared = parseRegisterProfile({
        ...abroad,
        transfers: [{ country: 'US', recipient: 'Twilio Inc.', safeguards: 'EU-US Data Privacy Framework' }],
      });
      expect(profileWarnings(declared)).toEqual([]);
      // A country that is no ISO code cannot be checked: said too.
      expect(profileWarnings({ processors: [{ name: 'X', service: 'y', country: 'United States' }] })).toEqual([
        expect.stringMatching(/^processor X: country "United States" is not an ISO 3166-1 alpha-2 code/),
      ]);
    });

    it('renders a Markdown document with every art. 30(1) heading and no personal data', () => {
      const md = registerMarkdown(bare);
      for (const h of ['(b)', '(c)', '(d)', '(e)', '(f)', '(g)']) expect(md).toContain(`(art. 30(1)${h})`);
      expect(md).toContain('## Still to complete');
      expect(md).not.toMatch(/ana@example|0611111111|203\.0\.113/);
      expect(JSON.stringify(full)).not.toMatch(/ana@example|info@firma|203\.0\.113/);
      // Profile text stays text: no heading or link of its own.
      const forged = registerMarkdown({
        ...full,
        controller: { name: 'Shop\n# Injected', address: '[click](https://x.example)' },
      });
      expect(forged).not.toMatch(/^# Injected/m);
      expect(forged).toContain('Shop \\# Injected, \\[click\\](https://x.example)');
    });
  });
}
