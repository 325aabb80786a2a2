// A sector or an opposition list the jurisdiction's rules do not name was read as none, in silence: a spelling of
// a banned sector, or a misspelt list, failed open. Spellings of a sector now read as the rules name it, and what
// no rule names is said in the answer's `warnings` (the contract leaves both values open: not refused).
import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/domain/decision.js';
import { sectorId } from '../../src/domain/parse-request.js';
import { decide } from '../../src/policy/decide.js';
import { buildRegistry } from '../../src/policy/packs/index.js';

const packs = buildRegistry();
const call = (jurisdiction: string, message: object, contact: object = {}) =>
  decide(
    {
      jurisdiction,
      at: '2026-03-03T11:00:00+01:00',
      message: { channel: 'phone', ...message },
      contact: { type: 'individual', ...contact },
    },
    packs,
  ) as Decision;

describe('sectors and lists the rules do not name', () => {
  it.each([
    ['Energy-Renovation', 'energy_renovation'],
    ['énergy renovation', 'energy_renovation'],
    ['  PRESS  ', 'press'],
    ['energy_renovation', 'energy_renovation'],
    ['---', '---'],
  ])('reads the sector %j as %j', (given, id) => expect(sectorId(given)).toBe(id));

  it('bans a spelling of a banned sector as the sector itself', () => {
    const d = call('FR', { offer: { sector: 'Energy-Renovation' } });
    expect([d.decision, d.reasons[0]?.code, d.warnings]).toEqual(['deny', 'SECTOR_BAN', undefined]);
  });

  it.each([
    [
      'FR',
      { offer: { sector: 'energy-renov' } },
      {},
      '/message/offer/sector',
      /no FR rule names the sector "energy_renov"/,
    ],
    ['FR', {}, { lists: [{ name: 'blocktel', since: '2025-01-01' }] }, '/contact/lists/0/name', /list "blocktel"/],
    ['GB', {}, { lists: [{ name: 'bloctel', since: '2025-01-01' }] }, '/contact/lists/0/name', /no GB rule reads/],
  ])('warns of what no %s rule names, keeping the decision', (j, message, contact, path, text) => {
    const d = call(j, message, contact);
    expect(d.warnings).toEqual([{ path, message: expect.stringMatching(text) }]);
    // The decision is the one made without the value.
    const without = call(j, {}, {});
    expect([d.decision, d.basis, d.reasons.map((r) => r.code)]).toEqual([
      without.decision,
      without.basis,
      without.reasons.map((r) => r.code),
    ]);
  });

  it('points at a list given as a plain string, not at a name it does not have', () => {
    expect(call('FR', {}, { lists: ['blocktel'] }).warnings).toEqual([
      { path: '/contact/lists/0', message: expect.stringContaining('"blocktel"') },
    ]);
  });

  it('says nothing of sectors and lists the rules name, or of an unsupported jurisdiction', () => {
    expect(
      call('FR', { offer: { sector: 'press' } }, { lists: [{ name: 'Bloctel', since: '2025-01-01' }] }).warnings,
    ).toBeUndefined();
    expect(call('ZZ', { offer: { sector: 'anything' } }).warnings).toBeUndefined();
  });
});
