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

// A template of 1 MB of unclosed tags: each `<` was searched to the end again (quadratic: hours). It must return,
// with what the complete email gives: a tag left open at the end is none, and an unclosed link shows nothing.
describe('lintTemplate on a 1 MB hostile template', () => {
  const complete = cases.find((c) => c.name === 'complete email')?.template as { email: Record<string, string> };
  it.each([
    ['unclosed links', '<a href='],
    ['links to the unsubscribe slot never closed', '<a href="{{unsubscribeUrl}}">x'],
    ['tags without an end', '<p x'],
    ['quoted values holding tags', `<p title="<p title='<a href=`],
    ['stylesheets hiding a class', '<style>.u{display:none} '],
  ])('%s', (_name, unit) => {
    const html = complete.email.html + unit.repeat(Math.ceil(2 ** 20 / unit.length));
    const problems = lintTemplate({ ...complete, email: { ...complete.email, html } }, 'email');
    expect(problems).toEqual([]); // the tags left open at the end are none: the complete email above is all there is
  });
});

// Thousands of hiding rules sharing a first class, and thousands of elements of that class: every element was
// compared with every rule (16,000 of each: 95 s). Elements alike are judged once; beyond a bounded number of
// comparisons the stylesheet counts as hiding (fail closed). Both must return.
describe('lintTemplate on a stylesheet of many rules sharing a class', () => {
  const complete = cases.find((c) => c.name === 'complete email')?.template as { email: Record<string, string> };
  const n = 16_000;
  const rules = `<style>${Array.from({ length: n }, (_, k) => `.a.b${k}{display:none}`).join('')}</style>`;
  const lint = (elements: string) =>
    lintTemplate({ ...complete, email: { ...complete.email, html: rules + elements + complete.email.html } }, 'email');
  it('elements alike: judged once, nothing hidden', () => {
    expect(lint('<i class="a">x</i>'.repeat(n))).toEqual([]);
  });
  it('elements all different: past the bound, what holds the mentions counts as hidden', () => {
    const others = Array.from({ length: n }, (_, k) => `<i class="a c${k}">x</i>`).join('');
    const problems = lintTemplate(
      {
        ...complete,
        email: { ...complete.email, html: `${rules}${others}<div class="a last">${complete.email.html}</div>` },
      },
      'email',
    );
    expect(problems.map((p) => p.message).join('\n')).toContain('a stylesheet too large to judge');
  });
});
