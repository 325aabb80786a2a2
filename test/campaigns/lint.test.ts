// The template linter, table-driven: data/lint-cases.json lists templates and the problems expected of each.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/domain/channels.js';
import { lintTemplate } from '../../src/services/campaigns/lint.js';

interface Case {
  name: string;
  channel: Channel;
  template: unknown;
  expected: { path: string; includes: string; ref?: string }[];
}

const cases = JSON.parse(readFileSync(new URL('./data/lint-cases.json', import.meta.url), 'utf8')) as Case[];

describe('lintTemplate', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const problems = lintTemplate(c.template, c.channel);
    expect(problems.length, JSON.stringify(problems, null, 2)).toBe(c.expected.length);
    for (const want of c.expected) {
      const hit = problems.find((p) => p.path === want.path && p.message.includes(want.includes));
      expect(hit, `${want.path}: ${want.includes} in ${JSON.stringify(problems, null, 2)}`).toBeDefined();
      if (want.ref !== undefined) expect(hit?.ref ?? '').toContain(want.ref);
    }
  });
});
