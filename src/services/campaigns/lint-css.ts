// What the template linter (lint.ts) reads of CSS, without a CSS engine: the declarations that hide an element, and
// the rules of a `<style>` element that hide elements by simple selectors. It errs on the side of "hidden": a rule it
// cannot judge is taken to apply (docs/campaigns.md, "The linter", lists what it does not read).

import { ABSOLUTE_PX, fontPx, fraction, inheritedCss, MIN_FONT_PX, MIN_OPACITY } from './lint-css-inherited.js';

/**
 * Marks a character written as a CSS escape that is no letter, digit, `-` or `_`: `\3a` is a colon in a name, never
 * the colon of a declaration, and `\{` never opens a block.
 */
const ESCAPED = '\ue000';

/**
 * CSS as its tokenizer reads it: comments gone (`display:/**\/none`) and escapes decoded (`\6e one` and `dis\play` are
 * `none` and `display`); an escaped punctuation character keeps the ESCAPED mark before it.
 */
export function decodeCss(css: string): string {
  let out = '';
  let i = 0;
  while (i < css.length) {
    const c = css[i] as string;
    if (c === '/' && css[i + 1] === '*') {
      const end = css.indexOf('*/', i + 2);
      i = end === -1 ? css.length : end + 2;
    } else if (c === '\\') {
      const hex = /^[0-9a-fA-F]{1,6}/.exec(css.slice(i + 1, i + 7));
      let ch: string;
      if (hex !== null) {
        const n = Number.parseInt(hex[0], 16);
        ch = n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff) ? '\ufffd' : String.fromCodePoint(n);
        i += 1 + hex[0].length;
        if (css[i] === '\r' && css[i + 1] === '\n') i += 2;
        else if (/\s/.test(css[i] ?? '')) i++;
      } else if (i + 1 >= css.length) {
        ch = '\ufffd';
        i++;
      } else {
        ch = String.fromCodePoint(css.codePointAt(i + 1) as number);
        i += 1 + ch.length;
      }
      out += /^[A-Za-z0-9_-]$/.test(ch) || (ch.codePointAt(0) as number) >= 0x80 ? ch : `${ESCAPED}${ch}`;
    } else {
      out += c === ESCAPED ? '\ufffd' : c;
      i++;
    }
  }
  return out;
}

/**
 * Declarations that hide the element and all it holds, whatever its descendants say: no display, no visibility, a
 * zero height or width (`0`, `0px`, `0.0em`). Font size, line height and colour are inherited, and a descendant may set
 * them again: inheritedCss reads them.
 */
const HIDING_DECLARATION =
  /(?:^|[;{\s])(?:display\s*:\s*none|visibility\s*:\s*hidden|(?:height|width|max-height|max-width)\s*:\s*[-+]?(?:0|\.0)(?![.\d]*[1-9]))|visibility\s*:\s*collapse|content-visibility\s*:\s*hidden|mso-hide\s*:\s*all/i;
/** Properties that move an element, and their values: a large negative one puts it off-screen. */
const OFFSET =
  /(?:^|[;{\s])(left|top|right|bottom|inset(?:-[a-z-]+)?|text-indent|margin(?:-left|-top)?|translate|transform)\s*:([^;}]*)/gi;
/** Pixels in one unit, roughly; `%` and viewport units count as a hundredth of what they measure (100 is all of it). */
const PX: Readonly<Record<string, number>> = {
  ...ABSOLUTE_PX,
  em: 16,
  rem: 16,
  ex: 8,
  ch: 8,
  lh: 16,
  rlh: 16,
};
const RELATIVE = /^(?:%|[sld]?v(?:w|h|i|b|min|max))$/;

/** The declaration `m` matched, as written (for messages): `left:-9999px`. */
const written = (m: RegExpMatchArray): string => m[0].replace(/^[;{\s]+/, '').trim();

/** A negative offset of at least 100px (or 100% / 100vw…): `left:-9999px`, `text-indent:-200em`, `translate(-100%)`. */
function offScreen(css: string): string | null {
  for (const m of css.matchAll(OFFSET)) {
    // A transform moves by its translate functions only: rotate(-180deg) or skew(-20deg) moves nothing away.
    const value = /^(?:transform)$/i.test(m[1] as string)
      ? [...(m[2] as string).matchAll(/translate(?:[xyz]|3d)?\s*\(([^)]*)\)/gi)].map((t) => t[1]).join(' ')
      : (m[2] as string);
    // A negative number is `-` glued to its digits: in calc(100% - 200px) the `-` is a subtraction.
    for (const n of value.matchAll(/(?<![\w%.)])-(\d*\.?\d+)([a-z%]*)/gi)) {
      const amount = Number(n[1]);
      const unit = (n[2] as string).toLowerCase();
      // Lengths only (a bare number is pixels to a mail client in quirks mode); an angle or a time moves nothing.
      if (RELATIVE.test(unit) ? amount >= 100 : unit in PX || unit === '' ? amount * (PX[unit] ?? 1) >= 100 : false) {
        return written(m);
      }
    }
  }
  return null;
}

/**
 * A scale or zoom to under a tenth (MIN_OPACITY's share: a 600px footer in under 60px): `transform:scale(0)`,
 * `scale(1, 0.01)`, `scaleY(.0)`, `scale:5%`, `zoom:0.01`. Engines have read `zoom:0` as no zoom or as nothing:
 * it counts, the linter erring towards refusing.
 */
function scaledAway(css: string): string | null {
  const factor = (a: string) => (a.endsWith('%') ? Number.parseFloat(a) / 100 : Number.parseFloat(a));
  const tiny = (args: string) => args.split(/[\s,]+/).some((a) => a !== '' && Math.abs(factor(a)) < MIN_OPACITY);
  for (const m of css.matchAll(/\bscale(?:x|y|z|3d)?\s*\(([^()]*)\)/gi)) if (tiny(m[1] as string)) return m[0];
  for (const m of css.matchAll(/(?:^|[;{\s])scale\s*:([^;}]*)/gi)) if (tiny(m[1] as string)) return written(m);
  for (const m of css.matchAll(/(?:^|[;{\s])zoom\s*:([^;}]*)/gi)) {
    const z = factor((m[1] as string).trim());
    if (z >= 0 && z < MIN_OPACITY) return written(m);
  }
  return null;
}

/** An opacity under MIN_OPACITY: `opacity:0.05`, `opacity:2%`, `filter:opacity(0)`, the old `filter:alpha(opacity=5)`. */
function faded(css: string): string | null {
  for (const m of css.matchAll(/(?:^|[;{\s])opacity\s*:([^;}]*)/gi)) {
    if (fraction(m[1] as string) < MIN_OPACITY) return written(m);
  }
  for (const m of css.matchAll(/\bopacity\s*\(([^()]*)\)/gi)) if (fraction(m[1] as string) < MIN_OPACITY) return m[0];
  for (const m of css.matchAll(/\balpha\s*\(\s*opacity\s*=\s*([\d.]+)/gi)) {
    if (Number(m[1]) / 100 < MIN_OPACITY) return m[0];
  }
  return null;
}

/** An absolute length in px (a bare number is px, as in quirks mode); NaN for any other value (`auto`, `1em`, `50%`). */
export function pixels(value: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+))([a-z]*)\s*(?:!\s*important\s*)?$/i.exec(value);
  const unit = (m?.[2] ?? '').toLowerCase();
  if (m === null || /^(?:r?em|ex|ch|r?lh)$/.test(unit)) return Number.NaN;
  return unit === '' ? Number(m[1]) : Number(m[1]) * (PX[unit] ?? Number.NaN);
}

/**
 * A box of 1px or less that cuts what overflows it (`width:1px;height:1px;overflow:hidden`, the "visually hidden"
 * pattern). Without `overflow:hidden` a table cell grows to its content, and `width:1px` is the usual way to
 * shrink-wrap one: no problem then. (A zero size hides whatever the overflow: HIDING_DECLARATION.)
 */
function squeezed(css: string): string | null {
  const cut = /(?:^|[;{\s])overflow(?:-[xy])?\s*:\s*(?:hidden|clip)\b/i.exec(css);
  if (cut === null) return null;
  for (const m of css.matchAll(/(?:^|[;{\s])(?:max-)?(?:height|width)\s*:([^;}]*)/gi)) {
    if (pixels(m[1] as string) <= 1) return `${written(m)} with ${written(cut)}`;
  }
  return null;
}

/**
 * A clip that leaves nothing: `clip:rect(0 0 0 0)` or `rect(1px,1px,1px,1px)` (1px or less between opposite edges;
 * the property clips absolutely placed elements only, and the position may come from another rule, but nobody clips
 * an element to nothing but to hide it), `clip-path:inset(50%)` (opposite insets of 98% or more), `circle(0)` or
 * `ellipse(0 0)`.
 */
function clippedAway(css: string): string | null {
  for (const m of css.matchAll(/(?:^|[;{\s])clip\s*:\s*rect\s*\(([^)]*)\)/gi)) {
    const [top, right, bottom, left] = (m[1] as string)
      .trim()
      .split(/\s*,\s*|\s+/)
      .map(pixels);
    const flat = (a = Number.NaN, b = Number.NaN) => b - a <= 1;
    if (flat(top, bottom) || flat(left, right)) return written(m);
  }
  for (const m of css.matchAll(/(?:^|[;{\s])(?:-webkit-)?clip-path\s*:([^;}]*)/gi)) {
    const value = m[1] as string;
    const inset = /\binset\s*\(([^)]*)\)/i.exec(value);
    const sides =
      (inset?.[1] ?? '')
        .split(/\s+round\s/i)[0]
        ?.trim()
        .split(/\s+/) ?? [];
    const [t = Number.NaN, r = t, b = t, l = r] = sides.map((v) => (v.endsWith('%') ? fraction(v) : Number.NaN));
    // Opposite insets of 98 % or more leave a sliver (49.9 % each side: 1px of a 600px footer).
    if (t + b >= 0.98 || l + r >= 0.98) return written(m);
    const round = /\b(?:circle|ellipse)\s*\(\s*([^)\s]*)/i.exec(value);
    if (round !== null && Number.parseFloat(round[1] as string) === 0) return written(m);
  }
  return null;
}

/**
 * What in declarations (CSS already decoded by decodeCss) hides their element and all it holds, as written
 * (`display:none`, `opacity:0.05`); null when nothing does.
 */
export function hidingCss(declarations: string): string | null {
  const m = HIDING_DECLARATION.exec(declarations);
  if (m !== null) return written(m);
  return (
    offScreen(declarations) ??
    scaledAway(declarations) ??
    faded(declarations) ??
    squeezed(declarations) ??
    clippedAway(declarations)
  );
}

/** The rightmost compound of a selector, as far as it is judged: its tag, ids and classes (lower-case). */
export interface Compound {
  /** The selector as written in the stylesheet, for messages. */
  text: string;
  tag: string | null;
  ids: string[];
  classes: string[];
}

export interface Stylesheet {
  /** Compounds of the selectors whose rules hide: an element they match is hidden (unjudged parts taken to match). */
  hiding: Compound[];
  /**
   * Compounds of the selectors whose rules make text unseen, in the element and what it holds unless set again there
   * (inherited): a font size of MIN_FONT_PX or less (read on a 16px parent), a zero line height, a transparent colour.
   * A rule that sets them back to a visible value is not weighed: the linter cannot tell it applies.
   */
  tinyFont: Compound[];
  zeroLine: Compound[];
  transparent: Compound[];
  /** `@import`: rules the linter cannot read. */
  imports: boolean;
}

/** Pseudo-elements that style generated content, not the element: a rule hiding them hides none of its text. */
const GENERATED = /::?(?:before|after|marker|placeholder|selection|backdrop|file-selector-button|cue)\b/i;

/** At-rules whose block holds rules that apply (under a condition, taken as met); others' blocks are skipped. */
const GROUPING = /^@(?:media|supports|container|layer|document|scope|-moz-document)\b/i;

interface Block {
  prelude: string | null;
  declarations: string;
  /** Inside an at-rule that holds no style rules (`@keyframes`: `0%{opacity:0}` is no selector). */
  skipped: boolean;
}

/** The rules of a `<style>` element's text that hide elements; conditions (`@media`) are taken as met. */
export function readStylesheet(raw: string): Stylesheet {
  const sheet: Stylesheet = { hiding: [], tinyFont: [], zeroLine: [], transparent: [], imports: false };
  const css = decodeCss(raw);
  // One pass, blocks found by braces outside strings; a block's own declarations are its text outside nested blocks.
  // `prelude`: the selectors of a rule; null for the top level, a grouping rule (`@media`) or one skipped (`@font-face`).
  const open: Block[] = [{ prelude: null, declarations: '', skipped: false }];
  const close = (end: number, start: number) => {
    const block = open.pop() as Block;
    const declarations = block.declarations + css.slice(start, end);
    if (block.prelude === null) return;
    const lists: Compound[][] = [];
    if (hidingCss(declarations) !== null) lists.push(sheet.hiding);
    else {
      const inherited = inheritedCss(declarations);
      if (inherited.fontSizes.some((f) => fontPx(f.value, 16, 16) <= MIN_FONT_PX)) lists.push(sheet.tinyFont);
      if (inherited.lineHeights.some((l) => l.value)) lists.push(sheet.zeroLine);
      if ([...inherited.colors, ...inherited.fills].some((c) => c.value)) lists.push(sheet.transparent);
    }
    if (lists.length === 0) return;
    for (const selector of splitTopLevel(block.prelude)) {
      if (selector === '' || GENERATED.test(selector)) continue;
      const compound = rightmost(selector);
      for (const list of lists) list.push(compound);
    }
  };
  let start = 0;
  let i = 0;
  while (i < css.length) {
    const c = css[i];
    const block = open[open.length - 1] as Block;
    if (c === ESCAPED) {
      i += 2;
    } else if (c === '"' || c === "'") {
      const end = css.indexOf(c, i + 1);
      i = end === -1 ? css.length : end + 1;
    } else if (c === ';') {
      if (/^\s*@import\b/i.test(css.slice(start, i))) sheet.imports = true;
      block.declarations += `${css.slice(start, i)};`;
      start = ++i;
    } else if (c === '{') {
      const head = css.slice(start, i).trim();
      const skipped = block.skipped || (head.startsWith('@') && !GROUPING.test(head));
      open.push({ prelude: skipped || head.startsWith('@') ? null : head, declarations: '', skipped });
      start = ++i;
    } else if (c === '}') {
      if (open.length > 1) close(i, start);
      start = ++i; // a stray one: CSS drops it
    } else {
      i++;
    }
  }
  while (open.length > 1) {
    close(css.length, start);
    start = css.length;
  }
  return sheet;
}

/** A selector list's selectors: split at commas outside parentheses and brackets. */
function splitTopLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let from = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === ESCAPED) i++;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(list.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(list.slice(from).trim());
  return out;
}

/** A name in a selector (`u` of `.u`), escapes decoded; where it ends. */
function ident(s: string, i: number): [string, number] {
  let name = '';
  while (i < s.length) {
    const c = s[i] as string;
    if (c === ESCAPED) {
      name += s[i + 1] ?? '';
      i += 2;
    } else if (/[A-Za-z0-9_-]/.test(c) || (c.codePointAt(0) as number) >= 0x80) {
      name += c;
      i++;
    } else break;
  }
  return [name, i];
}

/**
 * The last compound of a selector (`.footer a.u:hover` → `a.u`): an element it hides must match it. Attribute
 * selectors, pseudo-classes and `&` are not judged (taken to match), so `a:not(.u)` counts as hiding `a.u` too.
 */
function rightmost(selector: string): Compound {
  let last = 0;
  let depth = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i] as string;
    if (c === ESCAPED) i++;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && /[\s>+~]/.test(c)) last = i + 1;
  }
  const s = selector.slice(last);
  const compound: Compound = { text: selector.replaceAll(ESCAPED, '\\'), tag: null, ids: [], classes: [] };
  let i = 0;
  if (/[A-Za-z_-]/.test(s[0] ?? '') || s[0] === ESCAPED || (s.codePointAt(0) ?? 0) >= 0x80) {
    const [tag, end] = ident(s, 0);
    compound.tag = tag.toLowerCase();
    i = end;
  }
  while (i < s.length) {
    const c = s[i];
    if (c === '.' || c === '#') {
      const [name, end] = ident(s, i + 1);
      (c === '.' ? compound.classes : compound.ids).push(name.toLowerCase());
      i = end;
    } else if (c === '[' || c === '(') {
      let depth = 1;
      for (i++; i < s.length && depth > 0; i++) {
        if (s[i] === ESCAPED) i++;
        else if (s[i] === '[' || s[i] === '(') depth++;
        else if (s[i] === ']' || s[i] === ')') depth--;
      }
    } else {
      i++; // `*`, `&`, `:`, a pseudo-class's name: not judged
    }
  }
  return compound;
}

/** Whether an element (its tag, id and classes as written) may be matched by a compound; unjudged parts match. */
export function mayMatch(c: Compound, tag: string, id: string | null, classes: readonly string[]): boolean {
  if (c.tag !== null && c.tag !== tag) return false;
  // Case-insensitive: an email without a doctype is read in quirks mode, where class and id names are.
  const own = new Set(classes.map((k) => k.toLowerCase()));
  return c.ids.every((x) => x === id?.toLowerCase()) && c.classes.every((k) => own.has(k));
}

/** The addresses CSS (decoded by decodeCss) loads: `url(…)` and `@import "…"`, as CSS reads them. */
export function cssAddresses(css: string): string[] {
  const out: string[] = [];
  for (const m of css.matchAll(/\burl\(\s*(?:"([^"]*)"?|'([^']*)'?|([^)]*))/gi)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  for (const m of css.matchAll(/@import\s*(?:"([^"]*)"?|'([^']*)'?)/gi)) out.push(m[1] ?? m[2] ?? '');
  return out.map((a) => a.replaceAll(ESCAPED, '').trim());
}
