import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS } from '../../src/domain/channels.js';
import type { Decision } from '../../src/domain/decision.js';
import { EVENT_TYPES } from '../../src/domain/request.js';
import { decide } from '../../src/policy/decide.js';
import { FR } from '../../src/policy/packs/fr.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import type { Rule, RulePack } from '../../src/policy/rule-pack.js';

const packs = buildRegistry();

const event = fc.record({
  at: fc
    .date({ min: new Date('2019-01-01'), max: new Date('2027-12-31'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  type: fc.constantFrom(...EVENT_TYPES),
  channel: fc.oneof(fc.constantFrom(...CHANNELS), fc.constant('*'), fc.subarray([...CHANNELS], { minLength: 1 })),
  purpose: fc.option(fc.constantFrom('newsletter', 'offers', 'marketing'), { nil: undefined }),
  scope: fc.constantFrom('own', 'partners'),
  partners: fc.option(fc.subarray(['acme', 'globex']), { nil: undefined }),
  method: fc.option(fc.constantFrom('checkbox', 'double_opt_in', 'bundled'), { nil: undefined }),
  outcome: fc.constantFrom('answered', 'no_answer', 'refused'),
});

const request = fc.record({
  jurisdiction: fc.constantFrom('FR', 'DE', 'AT', 'CH', 'ZZ'),
  at: fc
    .date({ min: new Date('2020-01-01'), max: new Date('2028-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  message: fc.record({
    channel: fc.constantFrom(...CHANNELS),
    purpose: fc.constantFrom('newsletter', 'offers', 'marketing'),
    sender: fc.constant('own'),
    offer: fc.record({
      similarToPurchases: fc.boolean(),
      relatedToProfession: fc.boolean(),
      relatedToContract: fc.boolean(),
      sector: fc.option(fc.constantFrom('energy_renovation', 'retail'), { nil: undefined }),
    }),
  }),
  contact: fc.record({
    type: fc.constantFrom('individual', 'professional'),
    address: fc.constantFrom('named', 'generic'),
    lists: fc.subarray([{ name: 'bloctel' }, { name: 'robinson' }, { name: 'ecg' }]),
    directory: fc.constantFrom('listed', 'starred', 'unlisted'),
  }),
  history: fc.array(event, { maxLength: 10 }),
});

describe('engine properties', () => {
  it('is deterministic and ignores the order of history events', () => {
    fc.assert(
      fc.property(request, fc.integer(), (req, seed) => {
        const first = decide(req, packs);
        const shuffled = { ...req, history: shuffle(req.history, seed) };
        expect(decide(structuredClone(shuffled), packs)).toEqual(first);
      }),
      { numRuns: 400 },
    );
  });

  it('answers every well-formed request with the contract shape', () => {
    fc.assert(
      fc.property(request, (req) => {
        const d = decide(req, packs) as Decision;
        expect(['allow', 'deny']).toContain(d.decision);
        if (d.decision === 'allow') {
          expect(d.basis).not.toBeNull();
          expect(d.reasons).toEqual([]);
          expect(d.obligations.length).toBeGreaterThan(0);
        } else {
          expect(d.basis).toBeNull();
          expect(d.reasons.length).toBeGreaterThan(0);
          for (const r of d.reasons) expect(r.ref).not.toBe('');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('never allows after an objection on the channel with no later consent', () => {
    fc.assert(
      fc.property(request, (req) => {
        const objection = { at: '2019-06-01T00:00:00Z', type: 'objection', channel: req.message.channel };
        const history = req.history.filter((e) => !['consent.given', 'consent.confirmed'].includes(e.type));
        const d = decide({ ...req, history: [...history, objection] }, packs) as Decision;
        expect(d.decision).toBe('deny');
      }),
      { numRuns: 300 },
    );
  });
});

describe('fail closed', () => {
  it('denies with RULE_ERROR when a rule throws, naming the rule', () => {
    const broken: Rule = {
      ...(FR.rules.find((r) => r.id === 'fr.postal') as Rule),
      id: 'fr.broken',
      effect: 'forbid',
      code: 'WITHDRAWN',
      check: 'retention',
      params: null as never,
    };
    const pack: RulePack = { ...FR, rules: [...FR.rules, broken] };
    const d = decide(
      {
        jurisdiction: 'FR',
        at: '2026-03-02T10:00:00Z',
        message: { channel: 'postal' },
        history: [{ at: '2026-01-01', type: 'purchase' }],
      },
      buildRegistry([pack]),
    ) as Decision;
    expect(d.decision).toBe('deny');
    expect(d.reasons[0]).toMatchObject({ code: 'RULE_ERROR', rule: 'fr.broken' });
  });

  it('refuses to load a pack that leaves a channel and audience undecided', () => {
    const pack: RulePack = { ...FR, rules: FR.rules.filter((r) => r.id !== 'fr.postal') };
    expect(() => buildRegistry([pack])).toThrow(/no permit rule for postal/);
  });

  it('refuses a pack with a duplicate rule id or a rule without a reference', () => {
    const first = FR.rules[0] as Rule;
    expect(() => buildRegistry([{ ...FR, rules: [...FR.rules, first] }])).toThrow(/duplicate rule id/);
    expect(() => buildRegistry([{ ...FR, rules: [...FR.rules, { ...first, id: 'x', ref: ' ' }] }])).toThrow(
      /legal reference/,
    );
  });
});

function shuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
