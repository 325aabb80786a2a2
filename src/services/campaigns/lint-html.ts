// The tags of a template's HTML, found in one pass (lint.ts): every check reads this list rather than searching the
// text again from each `<`, which was quadratic on a large template of unclosed tags (`<a href=` repeated).

import { decodeReferences } from './templates.js';

/** An HTML comment, or one left open to the end. */
export const COMMENT = /<!--[\s\S]*?(?:-->|$)/g;

export interface Tag {
  /** Lower-case name (`a`, `style`). */
  name: string;
  closing: boolean;
  /** The text between the name and the `>` (attributes, and the `/` of `<br/>`). */
  attributes: string;
  /** Where `<` is, and where the tag ends (after `>`). */
  start: number;
  end: number;
}

/** Elements whose content is text up to their closing tag, never tags (HTML's raw text and RCDATA elements). */
const RAW_TEXT = new Set(['script', 'style', 'title', 'textarea', 'xmp', 'iframe', 'noembed', 'noframes']);

/**
 * The start and end tags of HTML (comments already removed), as HTML reads them: a `>` inside a quoted attribute value
 * does not end a tag, a tag left open at the end is none, and the content of `<script>`, `<style>`… is text.
 */
export function tagsOf(text: string): Tag[] {
  const tags: Tag[] = [];
  let i = text.indexOf('<');
  while (i !== -1 && i < text.length) {
    const closing = text[i + 1] === '/';
    const from = closing ? i + 2 : i + 1;
    if (!/[A-Za-z]/.test(text[from] ?? '')) {
      i = text.indexOf('<', i + 1);
      continue;
    }
    let j = from;
    while (j < text.length && !/[\s/>]/.test(text[j] as string)) j++;
    const name = text.slice(from, j).toLowerCase();
    const attributesStart = j;
    // Attributes: after `=` comes a value, quoted (a `>` inside does not end the tag) or up to a space or `>`.
    while (j < text.length && text[j] !== '>') {
      if (text[j++] !== '=') continue;
      while (j < text.length && /\s/.test(text[j] as string)) j++;
      const q = text[j];
      if (q === '"' || q === "'") {
        const close = text.indexOf(q, j + 1);
        j = close === -1 ? text.length : close + 1;
      } else {
        while (j < text.length && !/[\s>]/.test(text[j] as string)) j++;
      }
    }
    if (j >= text.length) break; // a tag left open at the end: HTML drops it, and there is nothing after it
    tags.push({ name, closing, attributes: text.slice(attributesStart, j), start: i, end: j + 1 });
    i = j + 1;
    if (!closing && RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}[\\s/>]`, 'gi');
      close.lastIndex = i;
      const m = close.exec(text);
      if (m === null) break; // text to the end
      i = m.index;
    } else {
      i = text.indexOf('<', i);
    }
  }
  return tags;
}

/** The text of a raw text element (`<style>`) whose start tag is `tags[k]`: up to its closing tag, or the end. */
export function rawContent(text: string, tags: readonly Tag[], k: number): string {
  return text.slice((tags[k] as Tag).end, tags[k + 1]?.start ?? text.length);
}

/** An attribute's value as HTML reads it: quoted or not. */
export interface AttributeValue {
  value: string;
  quoted: boolean;
}

/** An element's attributes as HTML reads them, by lower-case name (the first of a name counts). */
export function attributesOf(attributes: string): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  let j = 0;
  while (j < attributes.length) {
    while (j < attributes.length && /[\s/]/.test(attributes[j] as string)) j++;
    const start = j;
    while (j < attributes.length && !/[\s/=]/.test(attributes[j] as string)) j++;
    const own = attributes.slice(start, j).toLowerCase();
    while (j < attributes.length && /\s/.test(attributes[j] as string)) j++;
    let found: AttributeValue = { value: '', quoted: false };
    if (attributes[j] === '=') {
      j++;
      while (j < attributes.length && /\s/.test(attributes[j] as string)) j++;
      const q = attributes[j];
      if (q === '"' || q === "'") {
        const close = attributes.indexOf(q, j + 1);
        const end = close === -1 ? attributes.length : close;
        found = { value: attributes.slice(j + 1, end), quoted: true };
        j = end + 1;
      } else {
        const from = j;
        while (j < attributes.length && !/\s/.test(attributes[j] as string)) j++;
        found = { value: attributes.slice(from, j), quoted: false };
      }
    }
    if (own !== '' && !out.has(own)) out.set(own, found);
    if (j === start) j++;
  }
  return out;
}

/** An attribute's value as HTML reads it (the first of that name; quoted or not), null when there is none. */
export function attributeValue(attributes: string, name: string): AttributeValue | null {
  return attributesOf(attributes).get(name) ?? null;
}

/** An attribute's value (quoted or not), character references decoded; null when the element has none. */
export function attribute(attributes: string | Map<string, AttributeValue>, name: string): string | null {
  const found = typeof attributes === 'string' ? attributeValue(attributes, name) : attributes.get(name);
  return found === undefined || found === null ? null : decodeReferences(found.value);
}
