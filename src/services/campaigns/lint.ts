// The template linter (issue #6; docs/campaigns.md): refuses a template that cannot carry what the law requires of
// a prospecting message on its channel, naming the missing slot, why it is needed and the text that requires it.
import type { Channel } from '../../domain/channels.js';
import { countryCode } from '../../domain/contact.js';
import { withoutInvisible } from '../../domain/format-characters.js';
import { cssAddresses, decodeCss } from './lint-css.js';
import { attribute, attributeValue, COMMENT, rawContent, tagsOf } from './lint-html.js';
import { type Reason, readShown, stylesheetOf } from './lint-shown.js';
import { isStatementLanguage, STATEMENT_LANGUAGES } from './statements.js';
import {
  bodyParts,
  decodeReferences,
  type MessageTemplate,
  PLACEHOLDER,
  partsOf,
  placeholders,
  SLOTS,
  type Slot,
  type TemplateChannel,
  templateChannelOf,
  unsafeAddress,
} from './templates.js';

export interface LintProblem {
  /** Where: `email.html`, `sms.text`, `sender`… */
  path: string;
  message: string;
  /** The legal text (or standard) that requires it, when the problem is a legal one. */
  ref: string | null;
}

interface Requirement {
  slot: Slot;
  why: string;
  ref: string;
}

const SENDER: Requirement = {
  slot: 'sender',
  why: 'the advertiser the message is sent for must be identified, never hidden',
  ref: 'CPCE art. L34-5 al. 5; LCEN art. 20',
};
const WHY: Requirement = {
  slot: 'why',
  why: 'the person must be told why they receive the message (consent, customer, professional activity)',
  ref: 'RGPD art. 13(1)(c) and 14(1)(c)',
};
const SOURCE: Requirement = {
  slot: 'source',
  why: 'the source of the details must be named when they were bought, rented or public (filled only then)',
  ref: 'RGPD art. 14(2)(f) and 14(3)(b)',
};
const OBJECTION_APART: Requirement = {
  slot: 'objection',
  why: 'the right to object must be stated clearly and apart from any other information, in a paragraph or line of its own, when the details came from a third party or a public source, or under the DE/AT client exception (filled only then)',
  ref: 'RGPD art. 21(4); UWG §7 Abs. 3 Nr. 4; TKG 2021 §174 Abs. 4 Z 3',
};
const ACCESS: Requirement = {
  slot: 'accessContact',
  why: 'the person must be told where to exercise their rights of access, erasure and objection',
  ref: 'RGPD art. 13(1)(a)-(b), 13(2)(b), 14(2)(c) and 21(4)',
};
const PRIVACY: Requirement = {
  slot: 'privacyUrl',
  why: 'the full information notice must be reachable from the message',
  ref: 'RGPD art. 13 and 14; art. 12(1)',
};

/** What each channel family's body parts must contain. */
const REQUIRED: Readonly<Record<TemplateChannel, readonly Requirement[]>> = {
  email: [
    SENDER,
    {
      slot: 'unsubscribeUrl',
      why: 'every prospecting email must offer a free, working unsubscribe link (the List-Unsubscribe and RFC 8058 one-click headers are added, and they point to the same signed link)',
      ref: 'CPCE art. L34-5 al. 4-5; LCEN art. 20; RGPD art. 21(4); RFC 8058',
    },
    WHY,
    SOURCE,
    OBJECTION_APART,
    ACCESS,
    PRIVACY,
  ],
  sms: [
    SENDER,
    {
      slot: 'stop',
      why: 'every prospecting SMS must end with a free opt-out mention ("STOP au 36xxx")',
      ref: 'CPCE art. L34-5 al. 4-5; CNIL, prospection par SMS-MMS',
    },
    WHY,
    SOURCE,
    PRIVACY,
  ],
  call: [
    {
      slot: 'announce',
      why: 'the call must open by saying who calls, for whom, and that the call is commercial',
      ref: 'C. consom. art. L221-16 al. 1',
    },
    {
      slot: 'objection',
      why: 'the person must be told they may object to further calls, free of charge',
      ref: 'RGPD art. 21(4); CPCE art. L34-5 al. 5; C. consom. art. L221-16',
    },
    WHY,
    SOURCE,
    ACCESS,
  ],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const filled = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
/**
 * A name or address a reader can see: a letter or a digit once spaces, format characters (a zero-width space U+200B,
 * a soft hyphen, a word joiner…) and the blank "filler" letters (U+3164, U+115F…) are set aside. `trim()` leaves
 * `"\u200b"`, which rendered an advertiser nobody sees ("​ a recueilli vos coordonnées").
 */
const legible = (v: unknown): v is string => typeof v === 'string' && /[\p{L}\p{N}]/u.test(withoutInvisible(v));

/** Whether `stop` is an `smsStopNumber`: a string, or strings keyed by upper-case country codes. */
function stopNumbers(stop: unknown): boolean {
  if (typeof stop === 'string') return true;
  return isObject(stop) && Object.entries(stop).every(([c, n]) => countryCode(c) === c && filled(n));
}

/**
 * Every reason this template cannot be used on `channel` (empty: it can). `template` is the JSON as read: its
 * shape is checked too, so a file can be linted before it is trusted as a MessageTemplate.
 */
export function lintTemplate(template: unknown, channel: Channel | TemplateChannel): LintProblem[] {
  const kind = templateChannelOf(channel);
  if (kind === null) return [{ path: 'channel', message: `no message templates for channel ${channel}`, ref: null }];
  if (!isObject(template)) return [{ path: '', message: 'a template is a JSON object', ref: null }];
  const problems: LintProblem[] = [];
  const shape = (path: string, message: string, ref: string | null = null) => problems.push({ path, message, ref });
  if (!isStatementLanguage(template.language)) {
    shape(
      'language',
      `language must be one of ${STATEMENT_LANGUAGES.join(', ')}; got ${JSON.stringify(template.language)}`,
    );
  }
  if (!legible(template.sender)) {
    shape('sender', `sender is empty: ${SENDER.why}`, SENDER.ref);
  }
  // The statements name the advertiser in a sentence ("en tant que client de …") by senderName, else by the
  // sender's first part (before a comma): a number crashed the renderer, a zero-width space named nobody. Absent,
  // null or blank, senderName falls back to the sender (templates.ts), as it always did.
  const senderName = template.senderName;
  const nameGiven = !(
    senderName === undefined ||
    senderName === null ||
    (typeof senderName === 'string' && senderName.trim() === '')
  );
  if (nameGiven && !legible(senderName)) {
    shape('senderName', `senderName must be the advertiser's name as text: ${SENDER.why}`, SENDER.ref);
  } else if (!nameGiven && legible(template.sender) && !legible(template.sender.split(',')[0])) {
    shape(
      'sender',
      `the sender's first part, before its first comma, is what messages name the advertiser by, and it shows nothing; give senderName: ${SENDER.why}`,
      SENDER.ref,
    );
  }
  if (kind !== 'sms' && !legible(template.accessContact)) {
    shape('accessContact', `accessContact is empty: ${ACCESS.why}`, ACCESS.ref);
  }
  if (kind !== 'call' && !(filled(template.privacyUrl) && /^https?:\/\/\S+$/.test(template.privacyUrl))) {
    shape('privacyUrl', `privacyUrl must be an absolute http(s) URL: ${PRIVACY.why}`, PRIVACY.ref);
  }
  const mailto = template.unsubscribeMailto;
  if (
    kind === 'email' &&
    mailto !== undefined &&
    (typeof mailto !== 'string' || !/^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$/.test(mailto))
  ) {
    // It becomes the List-Unsubscribe mailto: "nobody" would give recipients an unsubscribe that goes nowhere.
    shape('unsubscribeMailto', `unsubscribeMailto must be an email address; got ${JSON.stringify(mailto)}`, 'RFC 2369');
  }
  const stop = template.smsStopNumber;
  if (kind === 'sms' && stop !== undefined && !stopNumbers(stop)) {
    // A short number is national: the renderer names it only to numbers of the country it is given for.
    shape(
      'smsStopNumber',
      `smsStopNumber must be a short number ("36111") or one per country of the recipients' numbers ({"FR": "36111", "BE": "8686"}, upper-case ISO 3166-1 codes); got ${JSON.stringify(stop)}`,
    );
  }
  const partKeys: Record<TemplateChannel, [string, string[]]> = {
    email: ['email', ['subject', 'html', 'text']],
    sms: ['sms', ['text']],
    call: ['call', ['script']],
  };
  const [key, fields] = partKeys[kind];
  const part = template[key];
  if (!isObject(part)) {
    shape(
      key,
      `the template has no ${key} part (${fields.map((f) => `${key}.${f}`).join(', ')}) for a ${channel} message`,
    );
    return problems;
  }
  for (const f of fields) if (!filled(part[f])) shape(`${key}.${f}`, `${key}.${f} is missing or empty`);
  if (problems.some((p) => p.path.startsWith(`${key}.`))) return problems;
  const parts = partsOf(template as unknown as MessageTemplate, kind);
  for (const [path, text] of Object.entries(parts)) lintText(path, text, shape);
  // In HTML only what the reader sees counts: visible text, or the target of a link that shows text; not a
  // comment, a hidden element, a script or style, nor another attribute.
  const shown = kind === 'email' ? readShown(parts['email.html'] ?? '') : null;
  for (const path of bodyParts(kind)) {
    const html = path === 'email.html' && shown !== null;
    const used = html ? seenSlots(shown.html) : placeholders(parts[path] ?? '');
    for (const r of REQUIRED[kind]) {
      if (html && r.slot === 'unsubscribeUrl') continue; // a link, checked below
      if (!used.has(r.slot)) {
        const hidden = html && placeholders(parts[path] ?? '').has(r.slot);
        const how = shown?.hiddenBy.get(r.slot) ?? [];
        shape(
          path,
          hidden
            ? `${path} has {{${r.slot}}} only where the reader does not see it (${how.length > 0 ? `hidden by ${describe(how)}` : 'a comment, a hidden element, a script, an attribute'}): ${r.why}`
            : `${path} lacks {{${r.slot}}}: ${r.why}`,
          r.ref,
        );
      }
    }
  }
  if (kind === 'email') {
    const unsafe = unsafePlaceholder(parts['email.html'] ?? '');
    if (unsafe !== null) shape('email.html', `email.html puts ${unsafe}`);
    const unsubscribe = REQUIRED.email.find((r) => r.slot === 'unsubscribeUrl') as Requirement;
    if (!linkedSlots(shown?.html ?? '').has('unsubscribeUrl')) {
      const how = shown?.hiddenBy.get('unsubscribeUrl') ?? [];
      const rules = how.slice(0, 3).map((r) => `"${r.text}"`);
      shape(
        'email.html',
        !placeholders(parts['email.html'] ?? '').has('unsubscribeUrl')
          ? `email.html lacks {{unsubscribeUrl}}: ${unsubscribe.why}`
          : how.length > 0 && how.every((r) => r.rule)
            ? `email.html has no visible link to {{unsubscribeUrl}}: a rule of its <style> element may hide it or what holds it (${rules.join(', ')}; ${RULES_APPLY}): the link must be seen and work in one click`
            : how.length > 0
              ? `email.html has no visible link to {{unsubscribeUrl}} (hidden by ${describe(how)}): the link must be seen and work in one click`
              : 'email.html has no visible link to {{unsubscribeUrl}} (<a href="{{unsubscribeUrl}}">unsubscribe</a>, with text, outside comments): the link must be seen and work in one click',
        unsubscribe.ref,
      );
    }
    if (externalStyles(parts['email.html'] ?? '')) {
      shape(
        'email.html',
        'email.html loads a stylesheet the linter cannot read (<link rel="stylesheet">, @import): its rules could hide the unsubscribe link; put the styles in a <style> element or style attributes',
        unsubscribe.ref,
      );
    }
    const refresh = refreshAddress(parts['email.html'] ?? '');
    if (refresh !== null) {
      shape(
        'email.html',
        `email.html has <meta http-equiv="refresh"> to ${JSON.stringify(refresh)}: it would replace the message, its mentions and its unsubscribe link, with another page`,
        unsubscribe.ref,
      );
    }
    const address = addressProblem(parts['email.html'] ?? '');
    if (address !== null) shape('email.html', `email.html has ${address}: a link must go where it says`, ADDRESS_REF);
    const styled = styleVariable(parts['email.html'] ?? '');
    if (styled !== null) {
      shape(
        'email.html',
        `email.html puts ${styled}: an audience value there is not checked, and one holding ";display:none" would hide what the style applies to, the unsubscribe link included; use it in text, or in a link's address`,
        unsubscribe.ref,
      );
    }
  }
  if (kind === 'email') lintApart(parts, shape);
  if (
    kind === 'sms' &&
    !/\{\{\s*stop\s*\}\}\s*$/.test(parts['sms.text'] ?? '') &&
    placeholders(parts['sms.text'] ?? '').has('stop')
  ) {
    shape(
      'sms.text',
      'sms.text must end with {{stop}}: the opt-out mention closes the message',
      'CNIL, prospection par SMS-MMS',
    );
  }
  if (
    kind === 'call' &&
    !/^\s*\{\{\s*announce\s*\}\}/.test(parts['call.script'] ?? '') &&
    placeholders(parts['call.script'] ?? '').has('announce')
  ) {
    shape(
      'call.script',
      'call.script must open with {{announce}}: who calls, for whom, and why, come first',
      'C. consom. art. L221-16 al. 1',
    );
  }
  if (channel === 'automated_call') lintRecorded(template, parts['call.script'] ?? '', shape);
  return problems;
}

/**
 * An email's {{objection}} stands apart (GDPR art. 21(4): "clearly and separately from any other information"): alone
 * on its line of the text part, and alone in a block of the HTML (`<p>{{objection}}</p>`, `<p><b>{{objection}}</b></p>`,
 * or between `<br>`s), not run on after {{why}} {{source}} in one paragraph, nor in a `<span>` within it. A part without it is reported as lacking it (REQUIRED).
 */
function lintApart(
  parts: Record<string, string>,
  shape: (path: string, message: string, ref: string | null) => void,
): void {
  const slot = String.raw`\{\{\s*objection\s*\}\}`;
  // In HTML: the only content of a block (a paragraph, a cell, a list item…) or of a line between <br>s, emphasis
  // allowed around it; a <span> within {{why}}'s paragraph is still that paragraph.
  const block = '(?:p|div|td|th|li|dd|section|article|aside|footer|header|blockquote|center|h[1-6])';
  const inline = '(?:b|strong|em|i|u|small|span|font)';
  const opens = String.raw`(?:<${block}\b[^>]*>|<br\s*/?>)\s*(?:<${inline}\b[^>]*>\s*)*`;
  const closes = String.raw`\s*(?:</${inline}\s*>\s*)*(?:</${block}\s*>|<br\s*/?>)`;
  const apart: [string, RegExp][] = [
    ['email.text', new RegExp(String.raw`(?:^|\n)[ \t]*${slot}[ \t]*(?:\r?\n|$)`)],
    ['email.html', new RegExp(`${opens}${slot}${closes}`, 'i')],
  ];
  for (const [path, alone] of apart) {
    const text = parts[path] ?? '';
    if (!placeholders(text).has('objection') || alone.test(text)) continue;
    shape(
      path,
      `${path} has {{objection}} beside other text: put it ${path === 'email.html' ? 'in an element of its own (<p>{{objection}}</p>)' : 'on a line of its own'}; ${OBJECTION_APART.why}`,
      OBJECTION_APART.ref,
    );
  }
}

/**
 * A recorded message cannot hear "no": it offers a key that stops further calls, said right after the
 * identification, so the person need not listen to the offer to be rid of it (47 CFR 64.1200(b)(3): "within two
 * seconds of providing the identification"; CPCE art. L34-5 al. 5: a free and easy way to object).
 */
function lintRecorded(
  template: Record<string, unknown>,
  script: string,
  shape: (path: string, message: string, ref: string | null) => void,
): void {
  const ref = '47 CFR 64.1200(b)(3); CPCE art. L34-5 al. 5';
  if (typeof template.optOutKey !== 'string' || !/^[0-9*#]$/.test(template.optOutKey)) {
    shape(
      'optOutKey',
      `optOutKey must be the one key (0-9, * or #) your dialer acts on to stop further calls; got ${JSON.stringify(template.optOutKey)}: an automated call must offer a key-press opt-out`,
      ref,
    );
  }
  const p = placeholders(script);
  if (p.has('announce') && p.has('objection') && !/^\s*\{\{\s*announce\s*\}\}\s*\{\{\s*objection\s*\}\}/.test(script)) {
    shape(
      'call.script',
      'call.script of an automated call must say {{objection}} right after {{announce}}: the opt-out key comes before the offer',
      ref,
    );
  }
}

/**
 * Where a placeholder would let an audience value add markup or script, read as HTML reads tags: in an attribute's
 * name, in a value without quotes (it ends at a space: "x onerror=…" adds an attribute), or in an `on…` handler (the
 * escaped quote is decoded before the script runs). Null when there is none.
 */
function unsafePlaceholder(html: string): string | null {
  return unsafeIn(html.replace(COMMENT, ' '));
}

/**
 * unsafePlaceholder of HTML without comments, in one pass: after a tag it goes on after its end, and reads a quoted
 * value holding `<` as HTML of its own (a `"` value holds no `"`: two levels at most, so each character is read at most
 * three times).
 */
function unsafeIn(text: string): string | null {
  const slot = /\{\{\s*[A-Za-z][A-Za-z0-9_]*\s*\}\}/;
  const at = (k: number, re: RegExp): boolean => k < text.length && re.test(text[k] as string);
  for (let i = text.indexOf('<'), j = 0; i !== -1; i = text.indexOf('<', Math.max(i + 1, j))) {
    j = i + 1;
    if (!at(i + 1, /[A-Za-z{/]/)) continue;
    while (j < text.length && !at(j, /[\s>]/) && !(j > i + 1 && text[j] === '/')) j++; // the tag name
    const inTag = slot.exec(text.slice(i + 1, j));
    if (inTag !== null) return `${inTag[0]} in a tag's name: an audience value would write its own element`;
    for (;;) {
      while (at(j, /[\s/]/)) j++;
      if (j >= text.length || text[j] === '>') break;
      const nameStart = j;
      while (j < text.length && !at(j, /[\s/>=]/)) j++;
      const name = text.slice(nameStart, j);
      const inName = slot.exec(name);
      if (inName !== null) return `${inName[0]} where an attribute's name is: an audience value would add attributes`;
      while (at(j, /\s/)) j++;
      if (text[j] !== '=') continue;
      j++;
      while (at(j, /\s/)) j++;
      const quote = text[j];
      let value: string;
      if (quote === '"' || quote === "'") {
        const end = text.indexOf(quote, j + 1);
        value = text.slice(j + 1, end === -1 ? text.length : end);
        j = end === -1 ? text.length : end + 1;
        const inner = value.includes('<') ? unsafeIn(value) : null;
        if (inner !== null) return inner;
      } else {
        const start = j;
        while (j < text.length && !at(j, /[\s>]/)) j++;
        value = text.slice(start, j);
        const bare = slot.exec(value);
        if (bare !== null) return `${bare[0]} in the value of ${name} without quotes: quote it (${name}="…")`;
      }
      const handler = /^on/i.test(name) ? slot.exec(value) : null;
      if (handler !== null) return `${handler[0]} in the script of ${name}: an audience value must not reach a script`;
    }
  }
  return null;
}

/** An attribute holding an address (as the renderer reads them), and its value, quoted or not. */
const URL_ATTRIBUTE =
  /\b(href|src|action|formaction|background|poster|cite|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
/** The slots whose value is an address Assent makes (https), the only placeholders an unchecked address may hold. */
const ADDRESS_SLOTS = new Set(['unsubscribeUrl', 'privacyUrl', 'preferencesUrl']);
/** An address that opens something else than it says runs code or reaches the reader's machine: security. */
const ADDRESS_REF = 'RGPD art. 32';

/**
 * Why an address of the template does not go where a link should (null: it does; unsafeAddress says what does not).
 * `checked`: the renderer checks the filled address (an attribute); elsewhere (a style's `url()`) it does not, so an
 * audience value there is refused.
 */
function badAddress(value: string, checked: boolean): string | null {
  if (!checked) {
    const variable = [...placeholders(value)].find((p) => !ADDRESS_SLOTS.has(p));
    if (variable !== undefined) return `{{${variable}}}, whose value is not checked there`;
  }
  if (/^[\s\p{Cc}]*\{\{/u.test(value)) return null; // the renderer checks it once filled
  return unsafeAddress(value);
}

/** The first address of email.html that does not go where a link should, and where it is; null when none. */
function addressProblem(html: string): string | null {
  const text = html.replace(COMMENT, ' ');
  const css = (where: string, raw: string): string | null => {
    for (const a of cssAddresses(decodeCss(raw))) {
      const bad = badAddress(a, false);
      if (bad !== null) return `an address ${bad} (in ${where})`;
    }
    return null;
  };
  const tags = tagsOf(text);
  for (const [k, { name: tag, attributes, closing }] of tags.entries()) {
    if (closing) continue;
    if (tag === 'style') {
      const inSheet = css('a <style> element', rawContent(text, tags, k));
      if (inSheet !== null) return inSheet;
    }
    for (const u of attributes.matchAll(URL_ATTRIBUTE)) {
      const bad = badAddress(decodeReferences(u[2] ?? u[3] ?? u[4] ?? ''), true);
      if (bad !== null) return `an address ${bad} (in the ${(u[1] as string).toLowerCase()} of <${tag}>)`;
    }
    const style = attribute(attributes, 'style');
    const inStyle = style === null ? null : css(`the style of <${tag}>`, style);
    if (inStyle !== null) return inStyle;
  }
  return null;
}

/** The first recipient variable in a `style` attribute or a `<style>` element, and where it is; null when none. */
function styleVariable(html: string): string | null {
  const text = html.replace(COMMENT, ' ');
  const variable = (css: string) => [...placeholders(css)].find((p) => !(SLOTS as readonly string[]).includes(p));
  const tags = tagsOf(text);
  for (const [k, { name: tag, attributes, closing }] of tags.entries()) {
    if (closing) continue;
    const inSheet = tag === 'style' ? variable(rawContent(text, tags, k)) : undefined;
    if (inSheet !== undefined) return `{{${inSheet}}} in a <style> element`;
    const inStyle = variable(attribute(attributes, 'style') ?? '');
    if (inStyle !== undefined) return `{{${inStyle}}} in the style of <${tag}>`;
  }
  return null;
}

/** The address a `<meta http-equiv="refresh">` sends the reader to (`content="0;url=…"`), null when none. */
function refreshAddress(html: string): string | null {
  for (const t of tagsOf(html.replace(COMMENT, ' '))) {
    if (t.name !== 'meta' || t.closing) continue;
    if ((attribute(t.attributes, 'http-equiv') ?? '').trim().toLowerCase() !== 'refresh') continue;
    // As browsers read it: a delay, then `;` or `,`, then the address, after `url=` and in quotes or not.
    const c = /^\s*[\d.]*\s*[;,]?\s*(?:url\s*=\s*)?(["']?)([\s\S]*)$/i.exec(attribute(t.attributes, 'content') ?? '');
    const quote = c?.[1] ?? '';
    const rest = c?.[2] ?? '';
    const address = (quote !== '' && rest.includes(quote) ? rest.slice(0, rest.indexOf(quote)) : rest).trim();
    if (address !== '') return address;
  }
  return null;
}

/** Whether HTML loads styles from elsewhere: `<link rel="stylesheet">` or an `@import` in a `<style>` element. */
function externalStyles(html: string): boolean {
  const text = html.replace(COMMENT, ' ');
  const tags = tagsOf(text);
  const linked = tags.some(
    (t) => t.name === 'link' && !t.closing && /(?:^|\s)stylesheet(?:\s|$)/i.test(attribute(t.attributes, 'rel') ?? ''),
  );
  return linked || stylesheetOf(text, tags).imports;
}

const RULES_APPLY = 'rules under @media, and selectors the linter cannot judge, count as applying';

/** What hides a placeholder, for a message: the first three reasons, a <style> rule said as such. */
function describe(reasons: readonly Reason[]): string {
  const said = reasons.slice(0, 3).map((r) => (r.rule ? `the <style> rule "${r.text}"` : r.text));
  return `${said.join('; ')}${reasons.some((r) => r.rule) ? ` (${RULES_APPLY})` : ''}`;
}

/** Slots that are the target of a link showing some text, in HTML as readShown leaves it. */
function linkedSlots(shown: string): Set<string> {
  const out = new Set<string>();
  let link: { slot: string; from: number } | null = null;
  for (const t of tagsOf(shown)) {
    if (t.name !== 'a') continue;
    if (t.closing && link !== null) {
      if (!blank(tagless(shown.slice(link.from, t.start)))) out.add(link.slot);
      link = null;
    } else if (!t.closing && link === null) {
      // An `<a>` whose (first) href, not `data-href`, is one slot in quotes; until the next `</a>`.
      const href = attributeValue(t.attributes, 'href');
      const slot = href?.quoted ? /^\s*\{\{\s*([A-Za-z][A-Za-z0-9]*)\s*\}\}\s*$/.exec(href.value) : null;
      if (slot) link = { slot: slot[1] as string, from: t.end };
    }
  }
  return out;
}

/** Text that shows nothing: spaces of any kind (`&nbsp;`, `&#8203;`…), written as characters or entities. */
function blank(text: string): boolean {
  const decoded = text
    .replace(/&(?:nbsp|ensp|emsp|thinsp|zwnj|zwj|shy);/gi, ' ')
    .replace(/&#(?:x([0-9a-f]+)|(\d+));?/gi, (_, hex: string | undefined, dec: string | undefined) =>
      String.fromCodePoint(Math.min(Number.parseInt(hex ?? dec ?? '0', hex ? 16 : 10), 0x10ffff)),
    );
  return decoded.replace(/[\s\u00ad\u200b-\u200d\u2060\ufeff]/g, '') === '';
}

/** Slots a reader of the HTML (as readShown leaves it) sees: in its visible text, or as the target of a link with text. */
function seenSlots(shown: string): Set<string> {
  return new Set([...placeholders(tagless(shown)), ...linkedSlots(shown)]);
}

/** The text of HTML as readShown leaves it, without its tags (attributes hide their text). */
function tagless(shown: string): string {
  // No tag after the last `>` (each `<` there would be searched to the end for one: quadratic).
  const last = shown.lastIndexOf('>') + 1;
  return shown.slice(0, last).replace(/<[^>]*>/g, ' ') + shown.slice(last);
}

/** Broken placeholders and near-miss slot names (`{{unsubscribeURL}}` would silently render empty). */
function lintText(path: string, text: string, shape: (path: string, message: string) => void): void {
  const stripped = text.replace(PLACEHOLDER, '');
  if (/\{\{|\}\}/.test(stripped))
    shape(path, `${path} has a malformed placeholder: write {{name}} with a letter first`);
  for (const name of placeholders(text)) {
    if ((SLOTS as readonly string[]).includes(name)) continue;
    const near = SLOTS.find((s) => s.toLowerCase() === name.toLowerCase());
    if (near !== undefined)
      shape(path, `${path} uses {{${name}}}: did you mean {{${near}}}? Slot names are case-sensitive`);
  }
}
