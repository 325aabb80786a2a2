// What a reader sees of a template's HTML (lint.ts): its elements walked once, in order, each hidden whole (`hidden`,
// `display:none`, a hiding <style> rule…) or seen with what it inherits (font size, line height, colour, a closed
// <details>), so that a descendant setting a visible font size again is seen (MJML's `font-size:0px` cells).

import { type Compound, decodeCss, hidingCss, mayMatch, readStylesheet, type Stylesheet } from './lint-css.js';
import { type FontSize, fontPx, type Inherited, inheritedCss, MIN_FONT_PX } from './lint-css-inherited.js';
import { type AttributeValue, attribute, attributesOf, COMMENT, rawContent, type Tag, tagsOf } from './lint-html.js';
import { placeholders } from './templates.js';

/** What hides a placeholder from the reader. */
export interface Reason {
  /** A declaration and where it is (`font-size:0px in the style of <td> at line 12`), or a rule's selector. */
  text: string;
  /** A rule of a <style> element (text is its selector). */
  rule: boolean;
}

export interface Shown {
  /** The HTML without comments, hidden elements and unseen text (each left as a space); the tags of what shows. */
  html: string;
  /** Each placeholder found where the reader does not see it, with what hides it there (each reason once). */
  hiddenBy: Map<string, Reason[]>;
}

/**
 * Why an element's attributes hide it and what it holds from the reader: `hidden`, `aria-hidden="true"`, or its
 * style; null when they do not. Attributes as HTML reads them: `style=x` inside another attribute's value is no
 * style, and `title="not hidden"` is no `hidden`.
 */
function hiddenByAttributes(attributes: Map<string, AttributeValue>): string | null {
  if (attributes.has('hidden')) return 'the hidden attribute';
  if (attribute(attributes, 'aria-hidden')?.trim().toLowerCase() === 'true') return 'aria-hidden="true"';
  const style = attribute(attributes, 'style');
  // As a mail client reads it: character references decoded (display&#58;none), then CSS comments and escapes
  // (display:/**/none, display:\6e one, dis\play:none).
  const why = style === null ? null : hidingCss(decodeCss(style));
  return why === null ? null : `${why} in the style`;
}

/** The `<style>` elements of HTML without comments, read together: what their rules hide. */
export function stylesheetOf(text: string, tags: readonly Tag[]): Stylesheet {
  const sheets = tags.flatMap((t, k) => (t.name === 'style' && !t.closing ? [rawContent(text, tags, k)] : []));
  return readStylesheet(sheets.join('\n}\n'));
}

/**
 * Rules of a stylesheet by what an element must have for them to match: an id, else a class, else a tag (`*` none),
 * so an element is compared with the rules that may apply to it only.
 */
interface RuleIndex {
  byKey: Map<string, Compound[]>;
  /** Each element kind's answer (tag, id, classes): a template repeats them, so each is worked out once. */
  memo: Map<string, string | null>;
  /** Rule comparisons left, shared by a template's indexes, before its stylesheet counts as hiding everything. */
  budget: { left: number };
}

/**
 * Rule comparisons a template's stylesheet may cost. Rules sharing a first class are compared with every element of
 * that class: thousands of each made the linter quadratic (16,000 of each: 95 s). Beyond this, the linter cannot
 * judge the stylesheet, which then counts as hiding (fail closed).
 */
const RULE_COMPARISONS = 2_000_000;

function ruleIndex(compounds: readonly Compound[], budget: { left: number }): RuleIndex {
  const index = new Map<string, Compound[]>();
  const seen = new Set<string>(); // the same compound twice matches the same elements
  for (const c of compounds) {
    const signature = JSON.stringify([c.tag, c.ids, c.classes]);
    if (seen.has(signature)) continue;
    seen.add(signature);
    const key =
      c.ids[0] !== undefined ? `#${c.ids[0]}` : c.classes[0] !== undefined ? `.${c.classes[0]}` : (c.tag ?? '*');
    const list = index.get(key);
    if (list === undefined) index.set(key, [c]);
    else list.push(c);
  }
  return { byKey: index, memo: new Map(), budget };
}

/** An element as rules see it: its tag, id and classes as written. */
interface Subject {
  tag: string;
  id: string | null;
  classes: string[];
  /** Its kind, for the indexes' memos. */
  kind: string;
}

function subjectOf(tag: string, attributes: Map<string, AttributeValue>): Subject {
  const id = attribute(attributes, 'id');
  const classes = (attribute(attributes, 'class') ?? '').split(/\s+/).filter((k) => k !== '');
  return { tag, id, classes, kind: `${tag} ${id ?? ''} ${[...classes].sort().join(' ')}`.toLowerCase() };
}

/** The first rule of an index that may apply to this element (its selector), or null. */
function matchingRule(index: RuleIndex, s: Subject): string | null {
  if (index.byKey.size === 0 || s.tag === 'head') return null; // <head> is hidden anyway, and may be left open
  const known = index.memo.get(s.kind);
  if (known !== undefined) return known;
  const keys = [
    '*',
    s.tag,
    ...(s.id === null ? [] : [`#${s.id.toLowerCase()}`]),
    ...s.classes.map((k) => `.${k.toLowerCase()}`),
  ];
  let found: string | null = null;
  for (const key of new Set(keys)) {
    const hit = index.byKey.get(key)?.find((c) => index.budget.left-- < 0 || mayMatch(c, s.tag, s.id, s.classes));
    if (hit !== undefined) {
      found = index.budget.left < 0 ? 'a stylesheet too large to judge' : hit.text;
      break;
    }
  }
  index.memo.set(s.kind, found);
  return found;
}

/**
 * Elements whose content is never displayed as such (a `<template>` is inert, a `<title>` is not in the body). Not
 * `<head>`: HTML lets it end without `</head>`, and the body's text would then count as hidden.
 */
const NEVER_SHOWN = new Set(['template', 'script', 'style', 'title']);

/** Whether a `/>` closes this tag: in SVG or MathML (foreign content), not in HTML. */
function foreign(tag: string, open: ReadonlyMap<string, number>): boolean {
  return tag === 'svg' || tag === 'math' || (open.get('svg') ?? 0) > 0 || (open.get('math') ?? 0) > 0;
}
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr',
]);

/** An element open where the walk is, with what its text inherits. */
interface Open {
  name: string;
  fontPx: number;
  /** Why text right in this element is not seen, each null when it is: a font size of MIN_FONT_PX or less… */
  font: Reason | null;
  /** … a zero line height … */
  line: Reason | null;
  /** … a transparent colour … */
  color: Reason | null;
  fill: Reason | null;
  /** … or a closed <details> holding it: only its first <summary> shows (`summary`: that one is found). */
  details: { why: Reason; summary: boolean } | null;
  /** The placeholders of the address of the innermost link holding it: a link whose text is unseen shows nothing. */
  link: Set<string> | null;
}

/** The one of several declarations (of one element) that matters for hiding: a hiding one first (fail closed). */
function inherit(
  own: readonly { text: string; value: boolean }[],
  parent: Reason | null,
  where: (declaration: string) => Reason,
): Reason | null {
  const hiding = own.find((d) => d.value);
  if (hiding !== undefined) return where(hiding.text);
  return own.length > 0 ? null : parent;
}

/** The font size of an element and why it is too small to read (null: it is not), from its declarations. */
function sizeOf(
  sizes: Inherited['fontSizes'],
  parent: Open,
  rootPx: number,
  where: (declaration: string) => Reason,
): { px: number; why: Reason | null } {
  if (sizes.length === 0) return { px: parent.fontPx, why: parent.font };
  // The smallest of several (fail closed): `font-size:13px;font-size:0` counts as 0.
  const read = sizes.map((s) => ({ s, px: fontPx(s.value, parent.fontPx, rootPx) }));
  const least = read.reduce((a, b) => (b.px < a.px ? b : a));
  if (least.px > MIN_FONT_PX) return { px: least.px, why: null };
  // An em or % of a parent already too small: the parent's size is why.
  const relative = !('px' in (least.s.value as FontSize));
  return { px: least.px, why: relative && parent.font !== null ? parent.font : where(least.s.text) };
}

/**
 * What a reader sees of HTML: comments, hidden elements (`hidden`, `display:none`…, nested ones included) and text
 * not seen (a font size of MIN_FONT_PX or less, a zero line height, a transparent colour, inherited until a
 * descendant sets them again; a closed <details> outside its <summary>) are taken out. An element left open hides
 * the rest when it hides; one left open is closed by the end tag of an element that holds it, as HTML does.
 */
export function readShown(html: string): Shown {
  // Comments go, their line breaks stay: messages give line numbers.
  const text = html.replace(COMMENT, (c) => ` ${c.replace(/[^\n]/g, '')}`);
  const tags = tagsOf(text);
  const sheet = stylesheetOf(text, tags);
  const budget = { left: RULE_COMPARISONS };
  const rules = {
    hiding: ruleIndex(sheet.hiding, budget),
    tinyFont: ruleIndex(sheet.tinyFont, budget),
    zeroLine: ruleIndex(sheet.zeroLine, budget),
    transparent: ruleIndex(sheet.transparent, budget),
  };
  const hiddenBy = new Map<string, Map<string, Reason>>();
  const note = (names: Iterable<string>, why: Reason) => {
    for (const name of names) {
      const reasons = hiddenBy.get(name) ?? new Map<string, Reason>();
      reasons.set(why.text, why);
      hiddenBy.set(name, reasons);
    }
  };
  // Line numbers of tags, read forwards once (tags come in order).
  let counted = 0;
  let line = 1;
  const lineOf = (offset: number): number => {
    for (; counted < offset; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
  const stack: Open[] = [
    { name: '', fontPx: 16, font: null, line: null, color: null, fill: null, details: null, link: null },
  ];
  const open = new Map<string, number>(); // elements of each name on the stack: an end tag of none is ignored at once
  let rootPx = 16;
  let out = '';
  let from = 0;
  const textUpTo = (to: number) => {
    const top = stack[stack.length - 1] as Open;
    const segment = text.slice(from, to);
    const why = top.font ?? top.line ?? top.color ?? top.fill ?? top.details?.why ?? null;
    if (why === null) out += segment;
    else {
      out += ' ';
      note(placeholders(segment), why);
      if (top.link !== null && segment.trim() !== '') note(top.link, why);
    }
    from = to;
  };
  for (let k = 0; k < tags.length; k++) {
    const { name: tag, attributes: written, closing, start, end: tagEnd } = tags[k] as Tag;
    textUpTo(start);
    const parent = stack[stack.length - 1] as Open;
    // HTML ignores the `/` of `<div/>` (and of `<script/>`): the element stays open, and a `display:none` on it hides
    // what follows up to its end tag. Only void elements, and SVG or MathML ones, are closed by it.
    const empty = VOID.has(tag) || (written.trimEnd().endsWith('/') && foreign(tag, open));
    if (closing || empty) {
      if (closing && (open.get(tag) ?? 0) > 0) {
        for (let popped = ''; popped !== tag; ) {
          popped = (stack.pop() as Open).name;
          open.set(popped, (open.get(popped) ?? 1) - 1);
        }
      }
      out += text.slice(start, tagEnd);
      from = tagEnd;
      continue;
    }
    const at = `<${tag}> at line ${lineOf(start)}`;
    const where = (declaration: string): Reason => ({ text: `${declaration} in the style of ${at}`, rule: false });
    const attributes = attributesOf(written);
    let subject: Subject | null = null;
    const ruleWhy = (index: RuleIndex): Reason | null => {
      if (index.byKey.size === 0) return null;
      subject ??= subjectOf(tag, attributes);
      const selector = matchingRule(index, subject);
      return selector === null ? null : { text: selector, rule: true };
    };
    let whole: Reason | null = null;
    if (NEVER_SHOWN.has(tag)) whole = { text: `a ${at}`, rule: false };
    else if (parent.details !== null && (tag !== 'summary' || parent.details.summary)) whole = parent.details.why;
    else {
      const byAttributes = hiddenByAttributes(attributes);
      whole = byAttributes === null ? ruleWhy(rules.hiding) : { text: `${byAttributes} of ${at}`, rule: false };
    }
    if (whole !== null) {
      let depth = 1;
      let end = text.length;
      let next = tags.length;
      const selfClosing = foreign(tag, open);
      // Elements opened inside it, by name: an end tag of none of them and of an element holding it (`</p>` after
      // `<p><span style="display:none"/>`) closes it there, as in a browser.
      const inner = new Map<string, number>();
      for (let t = k + 1; t < tags.length; t++) {
        const other = tags[t] as Tag;
        if (other.name !== tag) {
          const n = inner.get(other.name) ?? 0;
          if (!other.closing) {
            if (!VOID.has(other.name)) inner.set(other.name, n + 1);
          } else if (n > 0) inner.set(other.name, n - 1);
          else if ((open.get(other.name) ?? 0) > 0) {
            end = other.start;
            next = t - 1;
            break;
          }
          continue;
        }
        if (other.closing) depth--;
        else if (!(selfClosing && other.attributes.trimEnd().endsWith('/'))) depth++;
        if (depth === 0) {
          end = other.end;
          next = t;
          break;
        }
      }
      const inside = text.slice(start, end);
      note(placeholders(inside), whole);
      if (parent.link !== null && inside.trim() !== '') note(parent.link, whole);
      out += ' ';
      from = end;
      k = next;
      continue;
    }
    if (tag === 'summary' && parent.details !== null) parent.details.summary = true;
    const style = attribute(attributes, 'style');
    const own = inheritedCss(style === null ? '' : decodeCss(style));
    // Said so that an MJML-like template can be mended: a descendant's own size in px, pt or rem is seen again.
    const size = sizeOf(own.fontSizes, parent, rootPx, (declaration) => ({
      text: `${where(declaration).text}, with no readable size (px, pt, rem) set again inside it`,
      rule: false,
    }));
    const element: Open = {
      name: tag,
      fontPx: size.px,
      font: ruleWhy(rules.tinyFont) ?? size.why,
      line: ruleWhy(rules.zeroLine) ?? inherit(own.lineHeights, parent.line, where),
      color: ruleWhy(rules.transparent) ?? inherit(own.colors, parent.color, where),
      fill: inherit(own.fills, parent.fill, where),
      details:
        tag === 'details' && !attributes.has('open')
          ? { why: { text: `a closed ${at} (no open attribute), outside its <summary>`, rule: false }, summary: false }
          : null,
      link: tag === 'a' ? placeholders(attribute(attributes, 'href') ?? '') : parent.link,
    };
    if (element.font?.rule) element.fontPx = 0;
    if (tag === 'html' && stack.length === 1) rootPx = element.fontPx;
    stack.push(element);
    open.set(tag, (open.get(tag) ?? 0) + 1);
    out += text.slice(start, tagEnd);
    from = tagEnd;
  }
  textUpTo(text.length);
  return { html: out, hiddenBy: new Map([...hiddenBy].map(([name, reasons]) => [name, [...reasons.values()]])) };
}
