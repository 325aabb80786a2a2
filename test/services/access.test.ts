// The access report (GDPR art. 15): what art. 15(1)(a)-(g) and 15(2) say the person is told, from the ledger and the
// register profile, in the person's language; and the rights requests of art. 18, 20 and 21 with their month to answer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { accessReport } from '../../src/services/access.js';
import { eraseContact } from '../../src/services/erasure.js';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import type { RegisterProfile } from '../../src/services/register.js';
import { answerRightsRequest } from '../../src/services/rights-requests.js';
import type { Store } from '../../src/store/store.js';
import { DIALECTS } from '../store/dialects.js';

const sqlite = DIALECTS.find((d) => d.name === 'sqlite');
if (sqlite === undefined) throw new Error('no sqlite dialect');
const packs = buildRegistry();
const NOW = new Date('2027-01-10T10:00:00Z');

const PROFILE: RegisterProfile = {
  controller: { name: 'Boutique Lumière SAS', address: '3 rue de la Paix, 75002 Paris' },
  dpo: { name: 'Claire Martin', email: 'dpo@lumiere.fr' },
  processors: [
    { name: 'Brevo', service: 'email sending', country: 'FR' },
    { name: 'Twilio', service: 'SMS sending', country: 'US' },
  ],
  transfers: [],
};

describe('the access report', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let ana: string;
  let tom: string;
  beforeAll(async () => {
    ({ store, cleanup } = await sqlite.open());
    ana = (await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'ana@example.fr' })).id;
    tom = (await store.createContact({ type: 'individual', jurisdiction: 'US', email: 'tom@example.com' })).id;
    await store.appendEvents([
      {
        contactId: ana,
        type: 'data.collected',
        at: '2026-10-01T09:00:00Z',
        data: { source: 'acquired', provider: 'Fichiers SA' },
        recordedBy: 'test',
      },
      {
        contactId: ana,
        type: 'consent.given',
        at: '2026-10-01T10:00:00Z',
        data: { channel: 'email', purpose: 'newsletter', scope: 'partners', partners: ['Acme Voyages'] },
        recordedBy: 'test',
      },
    ]);
  });
  afterAll(async () => cleanup());

  it('tells an FR person, in French, the purposes and bases, recipients, retention, rights, CNIL, source, transfers', async () => {
    const r = await accessReport(store, packs, ana, NOW, { profile: PROFILE });
    const info = r.information;
    expect(info.language).toBe('fr');
    // (d) the 3-year rule of the FR pack, in French (it was English only).
    expect(r.retention).toMatch(
      /^Utilisées pour la prospection pendant 3 ans .*: dernier contact actif ou collecte de vos données le 2026-10-01, utilisables jusqu’au 2029-10-01 inclus\. /,
    );
    expect(info.retention).toBe(r.retention);
    const later = await accessReport(store, packs, ana, new Date('2030-12-01T10:00:00Z'), { profile: PROFILE });
    expect(later.retention).toContain(
      ': votre dernier contact actif, ou la collecte de vos données, date du 2026-10-01, il y a plus de 3 ans. ',
    );
    // (a) each purpose with its legal basis: consent for this person's prospecting and the partners.
    // In the person's words: a common purpose id in French, never the raw id (GDPR art. 12(1)).
    expect(info.purposes[0]).toMatchObject({
      purpose: expect.stringContaining('lettre d’information'),
      bases: ['CONSENT'],
    });
    expect(info.purposes[0]?.purpose).not.toMatch(/\bnewsletter\b/);
    expect(info.purposes[0]?.legalBasis).toContain('votre consentement');
    expect(info.purposes.map((p) => p.ref).join(' ')).toContain('6(1)(c)');
    // (b) the categories of data held: her address and her consents (no purchase, no message yet).
    expect(info.categories).toEqual([
      'Vos coordonnées : adresse électronique',
      expect.stringMatching(/^Vos consentements, refus et oppositions/),
    ]);
    // (h) no decision based solely on automated processing with legal or similar effects (art. 22).
    expect(info.automatedDecisions).toMatchObject({
      text: expect.stringMatching(/^Aucune décision/),
      ref: 'GDPR art. 15(1)(h), 22',
    });
    // (e) portability is said with its condition (art. 20(1)(a)).
    expect(info.rights.find((x) => x.right === 'portability')?.text).toContain('consentement ou d’un contrat');
    // (c) partners and processors.
    expect(info.recipients.map((x) => [x.kind, x.name])).toEqual([
      ['partner', 'Acme Voyages'],
      ['processor', 'Brevo'],
      ['processor', 'Twilio'],
    ]);
    expect(info.recipientsNote).toBeNull();
    // (e) the rights, and whom to write to.
    expect(info.rights.map((x) => x.right)).toEqual(
      expect.arrayContaining(['rectification', 'erasure', 'restriction', 'objection']),
    );
    expect(info.howToExercise).toContain('dpo@lumiere.fr');
    // (f) the authority of the person's jurisdiction.
    expect(info.complaint.authority?.name).toMatch(/^CNIL/);
    // (g) the source.
    expect(info.source).toEqual(['Obtenues le 2026-10-01 auprès de Fichiers SA.']);
    // 15(2): a processor in the US with no transfer declared is said, not hidden.
    expect(info.transfers).toEqual([
      { country: 'US', recipient: 'Twilio', safeguards: null, text: expect.stringContaining('(US)') },
    ]);
    expect(info.notDeclared).toEqual([]);
  });

  it('follows the language asked for, and says plainly what the profile does not declare', async () => {
    const en = await accessReport(store, packs, ana, NOW, { lang: 'en' });
    expect(en.information.language).toBe('en');
    expect(en.retention).toMatch(
      /^Used for prospecting for 3 years .*: last active contact or collection of your details 2026-10-01, usable through/,
    );
    expect(en.information.recipients.map((x) => x.kind)).toEqual(['partner']);
    expect(en.information.recipientsNote).toMatch(/not declared in this system/);
    expect(en.information.transfersNote).toMatch(
      /^Whether your data is transferred outside the European Economic Area/,
    );
    expect(en.information.notDeclared).toHaveLength(4);
    expect(en.information.howToExercise).toMatch(/its contact details are not declared/);
    // Declared transfers, and none: each said.
    const covered = await accessReport(store, packs, ana, NOW, {
      lang: 'en',
      profile: { ...PROFILE, transfers: [{ country: 'US', recipient: 'Twilio Inc.', safeguards: 'EU-US DPF' }] },
    });
    expect(covered.information.transfers).toEqual([
      { country: 'US', recipient: 'Twilio Inc.', safeguards: 'EU-US DPF', text: expect.stringContaining('EU-US DPF') },
    ]);
    const none = await accessReport(store, packs, ana, NOW, { lang: 'de', profile: { transfers: [] } });
    expect(none.information.transfersNote).toBe(
      'Ihre Daten werden nicht außerhalb des Europäischen Wirtschaftsraums übermittelt.',
    );
    // No authority known for the person's country: where they live or work.
    const us = await accessReport(store, packs, tom, NOW, {});
    expect(us.information).toMatchObject({ language: 'en', complaint: { authority: null } });
    expect(us.information.purposes[0]?.bases).toEqual([]);
  });

  it('tracks restriction, portability and objection requests with their month, and answers an objection by recording it', async () => {
    for (const kind of ['restriction', 'portability', 'objection'] as const) {
      const { request } = await store.createRightsRequest({
        contactId: ana,
        kind,
        nonce: `n-${kind}`,
        at: new Date('2027-01-31T10:00:00Z'),
      });
      expect(request).toMatchObject({ kind, status: 'open', dueBy: '2027-02-28' });
    }
    const [objection] = await store
      .listRightsRequests({ limit: 10, contactId: ana, status: 'open' })
      .then((all) => all.filter((x) => x.kind === 'objection'));
    if (objection === undefined) throw new Error('no objection request');
    const answered = await answerRightsRequest(store, objection.id, {
      status: 'done',
      by: 'dpo',
      at: new Date('2027-02-01T10:00:00Z'),
      answer: 'objection recorded',
    });
    expect(answered).toMatchObject({ status: 'done', settledBy: 'dpo' });
    const last = (await store.historyOf(ana)).at(-1);
    expect(last).toMatchObject({
      type: 'objection',
      data: { channel: '*' },
      evidence: { method: 'rights-request', request: objection.id },
      recordedBy: 'dpo',
    });
    // A restriction answered records nothing in the ledger (it stops decisions until lifted: docs/rights.md).
    const [restriction] = (await store.listRightsRequests({ limit: 10, contactId: ana, status: 'open' })).filter(
      (x) => x.kind === 'restriction',
    );
    const before = (await store.historyOf(ana)).length;
    await answerRightsRequest(store, restriction?.id ?? '', { status: 'done', by: 'dpo', at: NOW, answer: null });
    expect(await store.historyOf(ana)).toHaveLength(before);
  });

  it("shows an erased person's entries on the suppression list: the hashes their erasure recorded, why and since when", async () => {
    const { id } = await store.createContact({
      type: 'individual',
      jurisdiction: 'FR',
      email: 'zoe@example.fr',
      phone: '+33612345678',
    });
    const at = new Date('2026-11-02T09:00:00Z');
    await eraseContact(store, id, { at, recordedBy: 'dpo', reason: 'rights request' });
    const r = await accessReport(store, packs, id, NOW, { lang: 'fr' });
    expect(r.contact.identifiers).toEqual([]);
    expect(r.suppressed).toEqual(
      [
        {
          kind: 'email',
          value: null,
          hash: suppressionHash('email', 'zoe@example.fr'),
          reason: 'erased',
          since: at.toISOString(),
        },
        {
          kind: 'phone',
          value: null,
          hash: suppressionHash('phone', '+33612345678'),
          reason: 'erased',
          since: at.toISOString(),
        },
      ].sort((a, b) => (a.hash < b.hash ? -1 : 1)),
    );
    expect(r.suppressedNote).toBeNull();
    // A live person's own identifiers: with the value, the reason and the date.
    const { id: liv } = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'liv@example.fr' });
    await store.addSuppressions([
      { hash: suppressionHash('email', 'liv@example.fr'), reason: 'objection', at: '2026-12-01T00:00:00Z' },
    ]);
    expect((await accessReport(store, packs, liv, NOW)).suppressed).toEqual([
      {
        kind: 'email',
        value: 'liv@example.fr',
        hash: suppressionHash('email', 'liv@example.fr'),
        reason: 'objection',
        since: '2026-12-01T00:00:00Z',
      },
    ]);
  });

  it('says plainly why an erasure recorded before its hashes cannot show them', async () => {
    const { id } = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'old@example.fr' });
    const at = '2025-06-01T00:00:00.000Z';
    await store.eraseContact(id, at);
    await store.addSuppressions([{ hash: suppressionHash('email', 'old@example.fr'), reason: 'erased', at }]);
    // The record as erasures wrote it before: counts only.
    await store.appendEvents([
      { contactId: id, type: 'contact.erased', at, data: { identifiers: 1, suppressed: 1 }, recordedBy: 'dpo' },
    ]);
    const r = await accessReport(store, packs, id, NOW, { lang: 'en' });
    expect(r.suppressed).toEqual([]);
    expect(r.suppressedNote).toBe(
      'Erased identifiers were put on our suppression list (1 on 2025-06-01); which ones was not recorded at the time, and the identifiers themselves are gone: a hash cannot be turned back into them.',
    );
  });

  // The general purpose is what the sentence says: not "messages de prospection (messages de prospection)".
  it('names the general marketing purpose once, in the sentence itself', async () => {
    const leo = (await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'leo@example.fr' })).id;
    await store.appendEvents([
      {
        contactId: leo,
        type: 'consent.given',
        at: '2026-10-01T10:00:00Z',
        data: { channel: 'email', purpose: 'marketing', method: 'checkbox' },
        recordedBy: 'test',
      },
    ]);
    const r = await accessReport(store, packs, leo, NOW, { profile: PROFILE });
    expect(r.information.purposes[0]?.purpose).toBe('Vous adresser des messages de prospection');
  });

  it('names a partner as the form showed it (evidence.partnerNames), not by its id (GDPR art. 15(1)(c))', async () => {
    const zoe = (await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'zoe@example.fr' })).id;
    const partnerConsent = (partners: string[], partnerNames: unknown) => ({
      contactId: zoe,
      type: 'consent.given' as const,
      at: '2026-10-01T10:00:00Z',
      data: { channel: ['email'], purpose: 'offers', scope: 'partners', partners },
      evidence: { method: 'form', partnerNames },
      recordedBy: 'test',
    });
    await store.appendEvents([
      partnerConsent(['acme', 'p-17'], ['ACME SA', 'Voyages Soleil SARL']),
      // Names that do not line up with the ids are not guessed at: the id stays.
      partnerConsent(['zed'], ['Zed Ltd', 'Other']),
    ]);
    const info = (await accessReport(store, packs, zoe, NOW, { profile: PROFILE, lang: 'en' })).information;
    expect(info.recipients.filter((x) => x.kind === 'partner').map((x) => x.name)).toEqual([
      'ACME SA',
      'Voyages Soleil SARL',
      'zed',
    ]);
    expect(info.purposes.find((p) => p.purpose.includes('partners'))?.purpose).toContain(
      'ACME SA, Voyages Soleil SARL, zed',
    );
  });
});
