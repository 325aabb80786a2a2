// One spelling per mailbox and per CRM id: an email typed in NFD or with its domain in punycode is the contact stored
// in NFC and Unicode, and migration 0015 rewrites what older builds stored in another spelling.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeExternal } from '../../src/domain/contact.js';
import { identifierSpellings } from '../../src/store/migrations/0015-identifier-spellings.js';
import { openStore } from '../../src/store/open-store.js';
import { sqliteKysely } from '../../src/store/sqlite-driver.js';

const dir = mkdtempSync(join(tmpdir(), 'assent-spellings-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const nfd = (s: string) => s.normalize('NFD');

describe('identifier spellings', () => {
  it('reads an email composed, with its domain in DNS Unicode form, and a CRM id composed', () => {
    expect(normalizeEmail(nfd(' Élodie.Été@Exemple.fr '))).toBe('élodie.été@exemple.fr');
    expect(normalizeEmail('jean@xn--exmple-cva.fr')).toBe('jean@exémple.fr');
    expect(normalizeEmail(nfd('jean@exémple.fr'))).toBe('jean@exémple.fr');
    expect(normalizeEmail('ana@example.fr')).toBe('ana@example.fr');
    expect(normalizeExternal(nfd('crm-é1'))).toBe('crm-é1');
  });

  it('finds one contact whichever way the address is written, and refuses the second spelling as taken', async () => {
    const store = await openStore({ databaseUrl: null, sqliteFile: join(dir, 'one.db') });
    try {
      const c = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'élodie.été@exemple.fr' });
      expect((await store.findContact({ kind: 'email', value: nfd('élodie.été@exemple.fr') }))?.id).toBe(c.id);
      await expect(
        store.createContact({ type: 'individual', jurisdiction: 'FR', email: nfd('élodie.été@exemple.fr') }),
      ).rejects.toThrow();
      const j = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'jean@exémple.fr' });
      expect((await store.findContact({ kind: 'email', value: 'jean@xn--exmple-cva.fr' }))?.id).toBe(j.id);
    } finally {
      await store.close();
    }
  });

  it('migration 0015 rewrites spellings an older build stored, and leaves one whose new spelling is taken', async () => {
    const file = join(dir, 'legacy.db');
    let store = await openStore({ databaseUrl: null, sqliteFile: file });
    const a = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'zoé@example.fr' });
    const b = await store.createContact({ type: 'individual', jurisdiction: 'FR', externalId: 'crm-é2' });
    const twin = await store.createContact({ type: 'individual', jurisdiction: 'FR', email: 'léa@example.fr' });
    await store.close();
    const legacy = sqliteKysely(file);
    const set = legacy.raw.prepare('update identifiers set value = ? where value = ?');
    set.run(nfd('zoé@example.fr'), 'zoé@example.fr');
    set.run(nfd('crm-é2'), 'crm-é2');
    // The same person stored twice by an older build: the NFD row stays with its contact.
    legacy.raw
      .prepare("insert into identifiers (kind, value, contact_id) values ('email', ?, ?)")
      .run(nfd('léa@example.fr'), a.id);
    await identifierSpellings().up(legacy.db as never);
    const values = legacy.raw.prepare('select value from identifiers where contact_id = ?').pluck();
    expect(values.all(a.id)).toEqual(expect.arrayContaining(['zoé@example.fr', nfd('léa@example.fr')]));
    legacy.raw.close();
    store = await openStore({ databaseUrl: null, sqliteFile: file });
    try {
      expect((await store.findContact({ kind: 'email', value: 'zoé@example.fr' }))?.id).toBe(a.id);
      expect((await store.findContact({ kind: 'external', value: 'crm-é2' }))?.id).toBe(b.id);
      expect((await store.findContact({ kind: 'email', value: 'léa@example.fr' }))?.id).toBe(twin.id);
    } finally {
      await store.close();
    }
  });
});
