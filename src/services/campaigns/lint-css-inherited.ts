// The inherited properties the template linter (lint-shown.ts) follows down the elements: font size, line height and
// colour. A zero one hides the text right inside the element and in descendants that do not set it again; a
// descendant that does is seen again. MJML writes `font-size:0px` on its column cells (to remove the gaps between
// inline-block columns) and sets the size again on each block (`<div style="font-size:13px">`): read this way, its
// templates are seen as a mail client shows them.

/**
 * Below this opacity an element is not seen: at a tenth, text on a white ground is a faint grey blur, and an opacity
 * that low has no use in a message but hiding. `opacity:0.05` hides; `opacity:.5` does not. Colours use it
 * too (`rgba(0,0,0,.05)`).
 */
export const MIN_OPACITY = 0.1;

/** A number, or a percentage as a fraction (`50%` is 0.5), `!important` allowed; NaN when it is neither. */
export function fraction(value: string): number {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)(%?)\s*(?:!\s*important\s*)?$/i.exec(value);
  return m === null ? Number.NaN : Number(m[1]) / (m[2] === '%' ? 100 : 1);
}

/** A font size as declared: pixels, or a factor of the parent's size, or of the root's (`rem`). */
export type FontSize = { px: number } | { parent: number } | { root: number };

export interface Declared<T> {
  /** The declaration as written, for messages: `font-size:0px`, `font:0/0 a`. */
  text: string;
  value: T;
}

/** What declarations (decoded by decodeCss) set of the inherited properties the linter follows, in order. */
export interface Inherited {
  fontSizes: Declared<FontSize>[];
  /** Line heights, true when zero (`line-height:0`: the lines are stacked on one another). */
  lineHeights: Declared<boolean>[];
  /** Colours, true when transparent (an alpha under MIN_OPACITY: `transparent`, `rgba(0,0,0,0)`, `#fff0`). */
  colors: Declared<boolean>[];
  /**
   * `-webkit-text-fill-color`, true when transparent: it paints the letters over `color` (WebKit, Blink and Gecko
   * read it), so a `color` set inside does not show them again; only another fill colour does.
   */
  fills: Declared<boolean>[];
}

/**
 * A text of this size or less is not read: 1px letters are a line of dots, and a link set in 2 to 5px is a smudge
 * nobody can find or tap. Real templates go that small only in spacers, which hold no placeholder.
 */
export const MIN_FONT_PX = 5;

const KEYWORD_PX: Readonly<Record<string, number>> = {
  'xx-small': 9,
  'x-small': 10,
  small: 13,
  medium: 16,
  large: 18,
  'x-large': 24,
  'xx-large': 32,
  'xxx-large': 48,
  initial: 16,
};
/** Absolute units in px. */
export const ABSOLUTE_PX: Readonly<Record<string, number>> = {
  px: 1,
  pt: 4 / 3,
  pc: 16,
  in: 96,
  cm: 37.8,
  mm: 3.78,
  q: 0.945,
};
/** Font size units in px; viewport units are read for a 320px-wide phone (1vw = 3.2px), the smallest common screen. */
const UNIT_PX: Readonly<Record<string, number>> = {
  '': 1, // a bare number is pixels in quirks mode, as a mail without a doctype is read
  ...ABSOLUTE_PX,
  vw: 3.2,
  vh: 3.2,
  vmin: 3.2,
  vmax: 3.2,
  vi: 3.2,
  vb: 3.2,
};
/** Units relative to the parent's font size, as factors of it. */
const PARENT_FACTOR: Readonly<Record<string, number>> = {
  em: 1,
  '%': 0.01,
  ex: 0.5,
  ch: 0.5,
  cap: 0.7,
  ic: 1,
  lh: 1.2,
};

/** A font-size value (`13px`, `0`, `1.2em`, `small`); null when it sets nothing the linter can judge (`inherit`, `calc(…)`). */
function fontSize(raw: string, shorthand: boolean): FontSize | null {
  const value = raw
    .replace(/!\s*important\s*$/i, '')
    .trim()
    .toLowerCase();
  const px = KEYWORD_PX[value];
  if (px !== undefined) return { px };
  if (value === 'smaller') return { parent: 1 / 1.2 };
  if (value === 'larger') return { parent: 1.2 };
  const m = /^([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)([a-z%]*)$/.exec(value);
  if (m === null) return null;
  const n = Number(m[1]);
  const unit = m[2] as string;
  if (n < 0) return null; // invalid, so ignored: the size is inherited
  if (n === 0) return { px: 0 }; // zero in any unit, or none
  // In the `font` shorthand a bare number is a weight (`font: 700 13px a`), never a size.
  if (shorthand && unit === '') return null;
  if (unit === 'rem' || unit === 'rlh') return { root: n * (unit === 'rlh' ? 1.2 : 1) };
  const factor = PARENT_FACTOR[unit];
  if (factor !== undefined) return { parent: n * factor };
  const perUnit = UNIT_PX[unit];
  return perUnit === undefined ? null : { px: n * perUnit };
}

/**
 * The size, and line height after its `/`, of a `font` shorthand (`font: bold 0/0 a`, `font:13px/1.4 Arial`): the
 * first word that reads as a size. A system font (`font: caption`) sets none the linter knows.
 */
function fontShorthand(value: string): { size: FontSize; line: string | null } | null {
  for (const word of value.trim().split(/\s+/)) {
    const [size = '', line] = word.split('/');
    const read = fontSize(size, true);
    if (read !== null) return { size: read, line: line ?? null };
    if (/[,"']/.test(word)) break; // the family has begun
  }
  return null;
}

/** Whether a line-height value is zero (`0`, `0px`, `.0`); null when it sets nothing (`inherit`). */
function zeroLine(raw: string): boolean | null {
  const value = raw
    .replace(/!\s*important\s*$/i, '')
    .trim()
    .toLowerCase();
  if (/^(?:inherit|unset|revert|revert-layer)$/.test(value) || value === '') return null;
  const m = /^[-+]?(?:\d+\.?\d*|\.\d+)/.exec(value);
  return m !== null && Number(m[0]) === 0;
}

/** A colour's alpha (0 to 1); null when the value inherits (`inherit`, `currentColor`) or is none. */
function alpha(raw: string): number | null {
  const value = raw
    .replace(/!\s*important\s*$/i, '')
    .trim()
    .toLowerCase();
  if (value === '' || /^(?:inherit|unset|revert|revert-layer|currentcolor)$/.test(value)) return null;
  if (value === 'transparent') return 0;
  const hex = /^#([0-9a-f]{4}|[0-9a-f]{8})$/.exec(value)?.[1];
  if (hex !== undefined)
    return Number.parseInt(hex.length === 4 ? (hex[3] as string).repeat(2) : hex.slice(6), 16) / 255;
  const fn = /^[a-z-]+\((.*)\)$/.exec(value)?.[1];
  if (fn === undefined) return 1; // a name or an opaque #rgb
  // rgba(0,0,0,.5), rgb(0 0 0 / 50%), hsla(…), color(srgb 0 0 0 / 0)
  const last = fn.includes('/') ? fn.slice(fn.lastIndexOf('/') + 1) : fn.split(',')[3];
  if (last === undefined) return 1;
  const a = fraction(last);
  return Number.isNaN(a) ? 1 : a;
}

/** The inherited properties that declarations set (CSS decoded by decodeCss), in the order written. */
export function inheritedCss(css: string): Inherited {
  const out: Inherited = { fontSizes: [], lineHeights: [], colors: [], fills: [] };
  for (const m of css.matchAll(
    /(?:^|[;{\s])(font-size|font|line-height|-webkit-text-fill-color|color)\s*:([^;}]*)/gi,
  )) {
    const text = m[0].replace(/^[;{\s]+/, '').trim();
    const property = (m[1] as string).toLowerCase();
    const value = m[2] as string;
    if (property === 'font-size') {
      const size = fontSize(value, false);
      if (size !== null) out.fontSizes.push({ text, value: size });
    } else if (property === 'font') {
      const font = fontShorthand(value);
      if (font !== null) out.fontSizes.push({ text, value: font.size });
      const line = font?.line == null ? null : zeroLine(font.line);
      if (line !== null) out.lineHeights.push({ text, value: line });
    } else if (property === 'line-height') {
      const line = zeroLine(value);
      if (line !== null) out.lineHeights.push({ text, value: line });
    } else {
      const a = alpha(value);
      if (a !== null) (property === 'color' ? out.colors : out.fills).push({ text, value: a < MIN_OPACITY });
    }
  }
  return out;
}

/** A font size in px, given the parent's and the root's. */
export function fontPx(size: FontSize, parentPx: number, rootPx: number): number {
  return 'px' in size ? size.px : 'parent' in size ? size.parent * parentPx : size.root * rootPx;
}
