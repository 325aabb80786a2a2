// Table-driven legal cases: test/fixtures/decisions/<jurisdiction>/<topic>.json, one case per row.
// The schema is strict (unknown fields fail), ids are unique across files, and failures name the file.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decide } from '../../src/policy/decide.js';
import type { TraceEntry } from '../../src/policy/evaluate.js';
import { buildRegistry, PACKS } from '../../src/policy/packs/index.js';

const root = fileURLToPath(new URL('../fixtures/decisions', import.meta.url));
const packs = buildRegistry();

interface Case {
  id: string;
  title: string;
  request: unknown;
  expect: {
    decision?: 'allow' | 'deny';
    code?: string;
    rules?: string;
    obligations?: string[];
    ruleId?: string;
    error?: string;
  };
}

const CASE_KEYS = new Set(['id', 'title', 'request', 'expect']);
const EXPECT_KEYS = new Set(['decision', 'code', 'rules', 'obligations', 'ruleId', 'error']);

function load(): { file: string; cases: Case[] }[] {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((f) => {
    const file = relative(root, join(root, f));
    const cases = JSON.parse(readFileSync(join(root, f), 'utf8')) as Case[];
    if (!Array.isArray(cases)) throw new Error(`${file}: a fixture file is a JSON array of cases`);
    for (const [i, c] of cases.entries()) {
      const where = `${file} case ${i} (${c.id ?? 'no id'})`;
      for (const k of Object.keys(c)) if (!CASE_KEYS.has(k)) throw new Error(`${where}: unknown field "${k}"`);
      for (const k of Object.keys(c.expect ?? {}))
        if (!EXPECT_KEYS.has(k)) throw new Error(`${where}: unknown expect field "${k}"`);
      if (typeof c.id !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(c.id))
        throw new Error(`${where}: id must be kebab-case`);
      if (typeof c.title !== 'string' || c.title === '') throw new Error(`${where}: title is required`);
      if (c.expect.error === undefined && (c.expect.decision === undefined || c.expect.code === undefined)) {
        throw new Error(`${where}: expect needs decision and code, or error`);
      }
    }
    if (!/^[a-z]{2}\/[a-z0-9]+(-[a-z0-9]+)*\.json$/.test(file))
      throw new Error(`${file}: name files <jurisdiction>/<kebab-topic>.json`);
    return { file, cases };
  });
}

const suites = load();
const granted = new Set<string>();
const blocked = new Set<string>();

describe('fixture files', () => {
  it('have ids unique across files', () => {
    const seen = new Map<string, string>();
    for (const { file, cases } of suites) {
      for (const c of cases) {
        expect(seen.has(c.id), `${c.id} in ${file} is also in ${seen.get(c.id)}`).toBe(false);
        seen.set(c.id, file);
      }
    }
  });
});

for (const { file, cases } of suites) {
  describe(file, () => {
    for (const c of cases) {
      it(`${c.id}: ${c.title}`, () => {
        const trace: TraceEntry[] = [];
        const answer = decide(c.request, packs, { trace });
        for (const t of trace) {
          if (t.outcome === 'granted') granted.add(t.rule.id);
          if (t.outcome === 'blocked') blocked.add(t.rule.id);
        }
        if (c.expect.error !== undefined) {
          expect('error' in answer ? answer.error.path : answer, `${file} ${c.id}`).toBe(c.expect.error);
          return;
        }
        if ('error' in answer) throw new Error(`${file} ${c.id}: unexpected error ${JSON.stringify(answer.error)}`);
        const main = answer.decision === 'allow' ? answer.basis : answer.reasons[0]?.code;
        expect({ decision: answer.decision, code: main }, `${file} ${c.id}: ${JSON.stringify(answer.reasons)}`).toEqual(
          {
            decision: c.expect.decision,
            code: c.expect.code,
          },
        );
        if (c.expect.rules !== undefined) expect(answer.rules).toBe(c.expect.rules);
        // One obligation per code (as one reason per code): a consumer acts on codes.
        const codes = answer.obligations.map((o) => o.code);
        expect(codes, `${file} ${c.id}: obligation codes`).toEqual([...new Set(codes)]);
        if (c.expect.obligations !== undefined) {
          expect(answer.obligations.map((o) => o.code)).toEqual(expect.arrayContaining(c.expect.obligations));
        }
        if (c.expect.ruleId !== undefined) {
          const decider =
            answer.decision === 'allow' ? trace.find((t) => t.outcome === 'granted')?.rule.id : answer.reasons[0]?.rule;
          expect(decider, `${file} ${c.id}: deciding rule`).toBe(c.expect.ruleId);
        }
      });
    }
  });
}

describe('coverage of the rule packs by the fixtures', () => {
  it('every rule of every pack decides at least one case', () => {
    const missing = PACKS.flatMap((p) => p.rules)
      .filter((r) => !(r.effect === 'permit' ? granted : blocked).has(r.id))
      .map((r) => `${r.id} (${r.effect === 'permit' ? 'never grants' : 'never blocks'})`);
    expect(missing).toEqual([]);
  });
});
