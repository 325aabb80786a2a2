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

// MJML 4 output (data/mjml4-email.html, written by hand on its model): `font-size:0px` on every column cell, the size
// set again on each block's <div>. Font size is inherited: a block that sets its own is seen; one that does not, or
// sets it in em or % of the zero above it, is not.
describe('lintTemplate on an MJML template', () => {
  const complete = cases.find((c) => c.name === 'complete email')?.template as { email: Record<string, string> };
  const mjml = readFileSync(new URL('./data/mjml4-email.html', import.meta.url), 'utf8');
  const footer = 'line-height:1.5;text-align:left;color:#777777;">Vos droits';
  const lint = (html: string) => lintTemplate({ ...complete, email: { ...complete.email, html } }, 'email');
  const withFooterSize = (size: string) => mjml.replace(`font-size:11px;${footer}`, `${size}${footer}`);

  it('is seen as a mail client shows it', () => {
    expect(mjml).toContain(`font-size:11px;${footer}`);
    expect(lint(mjml)).toEqual([]);
  });
  it.each(['font-size:0.8rem;', 'font-size:8pt;', 'font:11px/1.5 Arial;'])(
    'a block sized again by %s is seen',
    (size) => {
      expect(lint(withFooterSize(size))).toEqual([]);
    },
  );
  it.each([
    ['no size of its own', ''],
    ['an em of zero', 'font-size:1.2em;'],
    ['a % of zero', 'font-size:150%;'],
    ['the font shorthand of a zero size', 'font:0/0 a;'],
  ])('a block with %s keeps the cell’s zero size, and the message says where', (_name, size) => {
    const problems = lint(withFooterSize(size));
    const messages = problems.map((p) => p.message).join('\n');
    expect(messages).toContain('email.html has no visible link to {{unsubscribeUrl}}');
    expect(messages).toContain(
      size.startsWith('font:')
        ? 'font:0/0 a in the style of <div> at line 114'
        : 'font-size:0px in the style of <td> at line 113',
    );
    expect(messages).toContain('has {{accessContact}} only where the reader does not see it (hidden by');
  });
});
