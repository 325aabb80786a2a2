import { CHANNELS, type Channel } from '../domain/channels.js';
import { startOfLocalDay } from './local-time.js';
import { AUDIENCES, type Audience, type ObligationRule, type Rule, type RulePack } from './rule-pack.js';

/** A rule with its period as instants: [start, end). */
export interface TimedRule<R> {
  rule: R;
  start: number;
  end: number;
}

/** A pack ready for fast evaluation: rules indexed by channel and audience, versions by instant. */
export interface CompiledPack {
  pack: RulePack;
  /** Versions of the pack: each day a rule starts or ends, ascending. */
  versions: readonly { start: number; label: string }[];
  rules: ReadonlyMap<string, readonly TimedRule<Rule>[]>;
  obligations: ReadonlyMap<string, readonly TimedRule<ObligationRule>[]>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function nextDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export const indexKey = (channel: Channel, audience: Audience): string => `${channel}|${audience}`;

/** Checks a pack's rows and indexes them; a malformed pack is a programming error and throws at start-up. */
export function compilePack(pack: RulePack): CompiledPack {
  const ids = new Set<string>();
  const changeDays = new Set<string>();
  const period = (r: { from: string; until?: string }, what: string): [number, number] => {
    if (!DATE.test(r.from) || (r.until !== undefined && !DATE.test(r.until))) {
      throw new Error(`${pack.jurisdiction} ${what}: from/until must be YYYY-MM-DD`);
    }
    changeDays.add(r.from);
    const end = r.until === undefined ? Number.POSITIVE_INFINITY : startOfLocalDay(nextDay(r.until), pack.timeZone);
    if (r.until !== undefined) changeDays.add(nextDay(r.until));
    return [startOfLocalDay(r.from, pack.timeZone), end];
  };
  // An unknown zone would make every calling-hours check throw (a RULE_ERROR deny): refuse the pack instead.
  const zones = [pack.timeZone, ...(pack.zonesWhenUnknown ?? [])];
  for (const r of Object.values(pack.regions ?? {}))
    zones.push(...(r.timeZone ? [r.timeZone] : []), ...(r.zones ?? []));
  for (const zone of zones) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      throw new Error(`${pack.jurisdiction}: unknown time zone ${zone}`);
    }
  }
  const rules = new Map<string, TimedRule<Rule>[]>();
  for (const rule of pack.rules) {
    if (ids.has(rule.id)) throw new Error(`${pack.jurisdiction}: duplicate rule id ${rule.id}`);
    if (!rule.ref.trim()) throw new Error(`${rule.id}: a rule must cite its legal reference`);
    ids.add(rule.id);
    const [start, end] = period(rule, rule.id);
    for (const channel of rule.channels) {
      for (const audience of rule.audiences) {
        const key = indexKey(channel, audience);
        rules.set(key, [...(rules.get(key) ?? []), { rule, start, end }]);
      }
    }
  }
  const obligations = new Map<string, TimedRule<ObligationRule>[]>();
  for (const o of pack.obligations) {
    const [start, end] = period(o, o.code);
    for (const channel of o.channels) {
      for (const audience of o.audiences ?? AUDIENCES) {
        const key = indexKey(channel, audience);
        obligations.set(key, [...(obligations.get(key) ?? []), { rule: o, start, end }]);
      }
    }
  }
  for (const c of CHANNELS) {
    for (const a of AUDIENCES) {
      if (!pack.rules.some((r) => r.effect === 'permit' && r.channels.includes(c) && r.audiences.includes(a))) {
        throw new Error(`${pack.jurisdiction}: no permit rule for ${c} × ${a}; every pair must be decided`);
      }
    }
  }
  const versions = [...changeDays]
    .sort()
    .map((d) => ({ start: startOfLocalDay(d, pack.timeZone), label: `${pack.jurisdiction}@${d}` }));
  return { pack, versions, rules, obligations };
}

/** The pack version in force at an instant, or null before the pack's first rule. */
export function versionAt(compiled: CompiledPack, at: number): string | null {
  const v = compiled.versions;
  let label: string | null = null;
  for (let i = 0; i < v.length; i++) {
    const entry = v[i] as { start: number; label: string };
    if (entry.start > at) break;
    label = entry.label;
  }
  return label;
}
