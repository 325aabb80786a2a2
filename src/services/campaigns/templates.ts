// Campaign message templates (issue #6; docs/campaigns.md): email (subject, HTML, text), SMS text and call script,
// with `{{slot}}` placeholders. Rendering fills, per recipient, every obligation the engine returned for that
// recipient: sender identity, why they receive it and the data source (B2C/B2B statements in FR/EN/NL/DE), the
// rights contact and privacy policy, a signed unsubscribe link and the RFC 8058 headers, STOP for SMS, the caller
// announcement for calls. A template that cannot carry an obligation is refused (fail closed), see lint.ts.
import { createHash } from 'node:crypto';
import type { Channel } from '../../domain/channels.js';
import type { ObligationCode } from '../../domain/codes.js';
import type { RecipientLinks } from '../unsubscribe.js';
import { isStatementLanguage, type StatementLanguage, statement } from './statements.js';

export interface MessageTemplate {
  name?: string;
  /** Language of the template and of the statements filled in: fr, en, nl, de. */
  language: StatementLanguage;
  /** The advertiser, as shown to the person: legal name and address (IDENTIFY_SENDER). */
  sender: string;
  /**
   * The advertiser's name inside the statements ("as a customer of {name}"); default: `sender` up to its first comma,
   * so the full identity is not repeated mid-sentence.
   */
  senderName?: string;
  /** Where the person exercises their rights (access, erasure, objection): an address, email or URL. */
  accessContact: string;
  privacyUrl: string;
  /**
   * SMS: the short number the STOP answer goes to ("36111"), or one per country of the recipients' numbers
   * (`{"FR": "36111", "BE": "8686"}`); a plain one is the campaign jurisdiction's. Short numbers are national: a
   * recipient whose number is of a country without one is told to reply STOP (stopNumberFor).
   */
  smsStopNumber?: string | Readonly<Record<string, string>>;
  /** Calls: the caller's name in the announcement (default: the recipient variable `agent`, else "…"). */
  agent?: string;
  /**
   * Automated calls: the key (a digit, `*` or `#`) that stops further calls, announced right after the
   * identification; the dialer must act on it (47 CFR 64.1200(b)(3); CPCE art. L34-5 al. 5: a free way to object).
   */
  optOutKey?: string;
  /** Email: an extra `mailto:` in List-Unsubscribe for older clients (RFC 2369). */
  unsubscribeMailto?: string;
  email?: { subject: string; html: string; text: string };
  sms?: { text: string };
  call?: { script: string };
}

/** The three kinds of template parts: one per channel family. */
export type TemplateChannel = 'email' | 'sms' | 'call';

/** Which template part a channel uses; null for channels without templates (fax, postal). */
export function templateChannelOf(channel: Channel | TemplateChannel): TemplateChannel | null {
  if (channel === 'email') return 'email';
  if (channel === 'sms' || channel === 'mms') return 'sms';
  if (channel === 'phone' || channel === 'automated_call' || channel === 'call') return 'call';
  return null;
}

/** The slots Assent fills; any other `{{name}}` is a recipient variable (an audience column, e.g. firstName). */
export const SLOTS = [
  'sender',
  'why',
  'source',
  'accessContact',
  'privacyUrl',
  'unsubscribeUrl',
  'preferencesUrl',
  'stop',
  'ad',
  'announce',
  'objection',
] as const;
export type Slot = (typeof SLOTS)[number];

export const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** The slot and variable names a text uses. */
export function placeholders(text: string): Set<string> {
  return new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1] as string));
}

/** The named parts of a template for one channel family: `email.html` → its text. */
export function partsOf(template: MessageTemplate, kind: TemplateChannel): Record<string, string> {
  if (kind === 'email') {
    const e = template.email;
    return e === undefined ? {} : { 'email.subject': e.subject, 'email.html': e.html, 'email.text': e.text };
  }
  if (kind === 'sms') return template.sms === undefined ? {} : { 'sms.text': template.sms.text };
  return template.call === undefined ? {} : { 'call.script': template.call.script };
}

/** The parts that carry the mentions (an email subject need not: the body does). */
export function bodyParts(kind: TemplateChannel): string[] {
  if (kind === 'email') return ['email.html', 'email.text'];
  return kind === 'sms' ? ['sms.text'] : ['call.script'];
}

/**
 * The recipient variables a template's parts for `kind` use that no audience column gives (`columns`: the names a
 * row's variables go by): each would render empty for every recipient ("Bonjour ,").
 */
export function missingVariables(
  template: MessageTemplate,
  kind: TemplateChannel,
  columns: ReadonlySet<string>,
): string[] {
  const missing = new Set<string>();
  for (const text of Object.values(partsOf(template, kind))) {
    for (const name of placeholders(text)) {
      if ((SLOTS as readonly string[]).includes(name) || columns.has(name) || columns.has(name.toLowerCase())) continue;
      if (name === 'agent' && template.agent !== undefined) continue; // the announcement's own fallback
      missing.add(name);
    }
  }
  return [...missing].sort();
}

/** SHA-256 of the template as given: recorded with every send (which wording went out). */
export function templateSha256(template: MessageTemplate): string {
  return createHash('sha256').update(JSON.stringify(template)).digest('hex');
}

/** What the engine said about one recipient, and what the message needs to carry it. */
export interface RenderContext {
  channel: Channel;
  obligations: readonly { code: string; message: string }[];
  /** The legal basis of the allow (CONSENT, CLIENT_EXCEPTION, B2B_RELATED…). */
  basis: string;
  audience: 'b2c' | 'b2b';
  /** How the details were obtained (the contact's `data.collected`; direct when none). */
  source: { kind: 'direct' | 'acquired' | 'public' | 'unknown'; provider: string | null };
  /** Signed per-recipient links (email; required for UNSUBSCRIBE_LINK and ONE_CLICK_UNSUBSCRIBE). */
  links: RecipientLinks | null;
  /** Recipient variables (audience columns). */
  vars: Readonly<Record<string, string>>;
  /**
   * SMS: the country of the recipient's number (null: unknown) and the campaign's jurisdiction, whose a plain
   * `smsStopNumber` is. Without it no short number is named (it may not be reachable): "reply STOP".
   */
  countries?: StopCountries;
}

export interface StopCountries {
  number: string | null;
  campaign: string;
}

/**
 * The short number a recipient's STOP mention names, or null ("reply STOP"). A short number is reachable only from its
 * own country's networks ("STOP au 36111" is nothing to a Belgian phone), so it is named only to a number of the
 * country it is given for.
 */
export function stopNumberFor(
  stop: MessageTemplate['smsStopNumber'],
  countries: StopCountries | undefined,
): string | null {
  const country = countries?.number;
  if (stop === undefined || country === undefined || country === null) return null;
  const number =
    typeof stop === 'string'
      ? country === countries?.campaign
        ? stop
        : undefined
      : Object.hasOwn(stop, country)
        ? stop[country]
        : undefined;
  return typeof number === 'string' && number.trim() !== '' ? number.trim() : null;
}

export type RenderedMessage =
  | { kind: 'email'; subject: string; html: string; text: string; headers: Record<string, string>; carried: string[] }
  | { kind: 'sms'; text: string; carried: string[] }
  | { kind: 'call'; script: string; carried: string[] };

/** A recipient's message cannot carry what the law requires: it must not be sent. */
export class RenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RenderError';
  }
}

/** Slots (all of them, in every body part) that carry each obligation, per channel family. */
const CARRIERS: Readonly<Record<ObligationCode, Partial<Record<TemplateChannel, readonly Slot[]>>>> = {
  IDENTIFY_SENDER: { email: ['sender'], sms: ['sender'], call: ['announce'] },
  // Carried by the subject's (SMS: the text's) first words: added by the renderer when {{ad}} is not there.
  MARK_AS_ADVERTISING: { email: [], sms: [], call: ['announce'] },
  UNSUBSCRIBE_LINK: { email: ['unsubscribeUrl'] },
  ONE_CLICK_UNSUBSCRIBE: { email: [] },
  STOP_KEYWORD: { sms: ['stop'] },
  DISCLOSE_DATA_SOURCE: { email: ['why', 'source'], sms: ['why', 'source'], call: ['why', 'source'] },
  // Email: a statement of its own ({{objection}}), never inside the source's sentence (GDPR art. 21(4): "clearly
  // and separately from any other information"), and the link that acts on it.
  OBJECTION_NOTICE: { email: ['unsubscribeUrl', 'objection'], sms: ['stop'], call: ['objection'] },
  ANNOUNCE_CALLER_AND_PURPOSE: { call: ['announce'] },
};

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');

/** An attribute holding an address, and its value (quoted or not). */
const URL_ATTRIBUTE =
  /\b(?:href|src|action|formaction|background|poster|cite|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/gi;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel', 'sms']);

/**
 * Text of an HTML attribute with its character references decoded as a browser decodes them: numeric ones (leading
 * zeros too; one beyond Unicode is U+FFFD) and `&colon;`. What hides a link's scheme or a hiding style from a check.
 */
export function decodeReferences(text: string): string {
  const char = (n: number): string => (n <= 0x10ffff ? String.fromCodePoint(n) : '\ufffd');
  return text
    .replace(/&#x0*([0-9a-f]{1,6});?/gi, (_, h: string) => char(Number.parseInt(h, 16)))
    .replace(/&#0*(\d{1,7});?/g, (_, d: string) => char(Number(d)))
    .replace(/&colon;/gi, ':');
}

/**
 * Why an attribute's address, as a browser reads it (references decoded, tabs and line breaks dropped), does not go
 * where a link should (null: it does): a scheme that is no web, mail or phone one (`javascript:` runs when clicked),
 * or `//host`, another host's address rather than a relative one, which a mail client without a base address may
 * open as `file://host` (a Windows share, given the reader's credentials). The linter and the renderer both ask it.
 */
export function unsafeAddress(value: string): string | null {
  const address = decodeReferences(value)
    .replace(/&(?:tab|newline);/gi, '')
    .replace(/[\t\n\r]/g, '')
    .replace(/^[\s\p{Cc}]+/u, '');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(address)?.[1]?.toLowerCase();
  if (scheme !== undefined) return SAFE_SCHEMES.has(scheme) ? null : `"${scheme}:", no web, mail or phone address`;
  const host = /^[\\/]{2}[^\\/]*/.exec(address)?.[0];
  return host === undefined ? null : `"${host}", another host's address without a scheme, not a relative one`;
}

/**
 * The message for one recipient. Throws RenderError when an obligation of the decision cannot be carried by this
 * template (a slot missing, no unsubscribe link, an obligation code this renderer does not know): never sent then.
 */
export function renderMessage(template: MessageTemplate, ctx: RenderContext): RenderedMessage {
  const kind = templateChannelOf(ctx.channel);
  if (kind === null) throw new RenderError(`no message template for channel ${ctx.channel}`);
  const parts = partsOf(template, kind);
  if (Object.keys(parts).length === 0) throw new RenderError(`the template has no ${kind} part`);
  const lang = isStatementLanguage(template.language) ? template.language : 'en';
  const codes = new Set(ctx.obligations.map((o) => o.code));
  const carried: string[] = [];
  for (const code of codes) {
    const slots = (CARRIERS as Record<string, Partial<Record<TemplateChannel, readonly Slot[]>>>)[code]?.[kind];
    if (slots === undefined) throw new RenderError(`obligation ${code} cannot be carried by a ${kind} message`);
    for (const part of bodyParts(kind)) {
      const used = placeholders(parts[part] ?? '');
      const missing = slots.find((s) => !used.has(s));
      if (missing !== undefined) throw new RenderError(`${part} lacks {{${missing}}}, needed for ${code}`);
    }
    if ((code === 'UNSUBSCRIBE_LINK' || code === 'ONE_CLICK_UNSUBSCRIBE') && ctx.links === null) {
      throw new RenderError(`${code} needs a signed unsubscribe link`);
    }
    carried.push(code);
  }
  const values = slotValues(template, ctx, lang, codes);
  // Own properties only: an audience column named `constructor` must not reach Object's.
  // Column names are read case-insensitively (lower-cased as the audience is read): {{firstName}} is `FirstName`.
  const variable = (name: string): string | undefined =>
    Object.hasOwn(ctx.vars, name)
      ? ctx.vars[name]
      : Object.hasOwn(ctx.vars, name.toLowerCase())
        ? ctx.vars[name.toLowerCase()]
        : undefined;
  const filled = (name: string): string => (Object.hasOwn(values, name) ? values[name] : variable(name)) ?? '';
  const fill = (text: string, encode: (s: string) => string): string =>
    text.replace(PLACEHOLDER, (_whole, name: string) => encode(filled(name)));
  // In HTML, a link's address made with audience values must be a web, mail or phone address: a `javascript:` one
  // would run when clicked. Checked on the filled HTML, each address whole (two values side by side make one).
  const fillHtml = (html: string): string => {
    const out = fill(html, escapeHtml);
    if (out === html) return out;
    for (const m of out.matchAll(URL_ATTRIBUTE)) {
      const problem = unsafeAddress(m[1] ?? m[2] ?? m[3] ?? '');
      if (problem !== null) throw new RenderError(`a link's address in the message starts ${problem}`);
    }
    return out;
  };
  const adPrefix = (text: string, used: boolean): string =>
    codes.has('MARK_AS_ADVERTISING') && !used ? `${values.ad}: ${text}` : text;
  if (kind === 'email') {
    const e = template.email as NonNullable<MessageTemplate['email']>;
    const subject = adPrefix(oneLine(fill(e.subject, oneLine)), placeholders(e.subject).has('ad'));
    return {
      kind,
      subject,
      html: fillHtml(e.html),
      text: fill(e.text, (s) => s),
      headers: ctx.links === null ? {} : { ...ctx.links.headers },
      carried,
    };
  }
  if (kind === 'sms') {
    const t = (template.sms as NonNullable<MessageTemplate['sms']>).text;
    return {
      kind,
      text: adPrefix(
        fill(t, (s) => s),
        placeholders(t).has('ad'),
      ),
      carried,
    };
  }
  return { kind, script: fill((template.call as NonNullable<MessageTemplate['call']>).script, (s) => s), carried };
}

function slotValues(
  template: MessageTemplate,
  ctx: RenderContext,
  lang: StatementLanguage,
  codes: ReadonlySet<string>,
): Record<string, string> {
  const sender = template.sender;
  // The statements name the advertiser in a sentence; the full identity is the {{sender}} slot's.
  const name = template.senderName?.trim() || sender.split(',')[0]?.trim() || sender;
  const say = (key: string, params: Record<string, string> = {}): string => statement(lang, key, params) ?? '';
  const channelName = say(`channel.${ctx.channel}`) || ctx.channel;
  // A call is spoken: "we are calling you because…", not "you receive this message because…" (`call.` keys).
  const spoken = templateChannelOf(ctx.channel) === 'call' ? 'call.' : '';
  const why =
    statement(lang, `${spoken}why.${ctx.audience}.${ctx.basis}`, { sender: name, channel: channelName }) ??
    statement(lang, `${spoken}why.b2c.${ctx.basis}`, { sender: name, channel: channelName });
  if (why === null && codes.has('DISCLOSE_DATA_SOURCE')) {
    throw new RenderError(`no statement of why the person receives the message for basis ${ctx.basis}`);
  }
  const { kind, provider } = ctx.source;
  // "A third party" names no source: art. 14(2)(f) asks for the source itself (the CNIL fined "an organisation
  // specialised in data enrichment", SAN-2022-021). Without a recorded provider the message is not sent.
  if (codes.has('DISCLOSE_DATA_SOURCE') && kind === 'acquired' && !provider) {
    throw new RenderError(
      'the details were bought or rented but no provider is recorded (data.collected provider): the message must name its source',
    );
  }
  if (codes.has('DISCLOSE_DATA_SOURCE') && kind === 'unknown') {
    throw new RenderError(
      'how the details were obtained is not recorded (no data.collected, and no act of the person): the message must say where they came from',
    );
  }
  // An email names the source alone: the right to object that goes with third-party or public details is its own
  // slot, {{objection}}, a paragraph apart (GDPR art. 21(4)). SMS (160 characters) and calls keep it in the sentence,
  // and state it apart too: in the STOP mention, and in the call's {{objection}}.
  const email = templateChannelOf(ctx.channel) === 'email';
  const written = email && kind !== 'direct' ? 'email.' : spoken;
  const source = !codes.has('DISCLOSE_DATA_SOURCE')
    ? ''
    : kind === 'acquired'
      ? say(`${written}source.acquired`, { provider: provider as string })
      : say(`${written}source.${kind}`, { sender: name });
  const bloctel = ctx.obligations.some((o) => o.code === 'OBJECTION_NOTICE' && /bloctel/i.test(o.message));
  const accessContact = template.accessContact;
  // A recorded message has no caller to tell "no" to: it names the key that stops further calls instead.
  const recorded = ctx.channel === 'automated_call';
  // In an email: when the engine asks for the notice (details from a third party or a public source, the DE/AT
  // client exception), and wherever the source's sentence stated it before it moved here (a bought or public source).
  const objectionApart =
    codes.has('OBJECTION_NOTICE') || (codes.has('DISCLOSE_DATA_SOURCE') && (kind === 'acquired' || kind === 'public'));
  const objection = email
    ? objectionApart
      ? say('email.objection', { accessContact })
      : ''
    : (recorded
        ? say('robocall.objection', { accessContact, key: template.optOutKey ?? '…' })
        : say('call.objection', { accessContact })) + (bloctel ? ` ${say('call.objection.bloctel')}` : '');
  const number = stopNumberFor(template.smsStopNumber, ctx.countries);
  // A text that must state the right to object (OBJECTION_NOTICE: the client exception in DE and AT, "bei jeder
  // Verwendung"; a first message with third-party details, GDPR art. 21(4)) says so in its STOP mention: "reply STOP"
  // names a way to stop, not that the person may object at any time at no cost beyond sending the reply.
  const stop = codes.has('OBJECTION_NOTICE') ? 'stop.objection' : 'stop';
  return {
    sender,
    why: why ?? '',
    source,
    accessContact,
    privacyUrl: template.privacyUrl,
    unsubscribeUrl: ctx.links?.unsubscribeUrl ?? '',
    preferencesUrl: ctx.links?.preferencesUrl ?? '',
    stop: number ? say(stop, { number }) : say(`${stop}.noNumber`),
    ad: say('advertising'),
    announce: recorded
      ? say('robocall.announce', { sender: name })
      : say('call.announce', { sender: name, agent: template.agent ?? ctx.vars.agent ?? '…' }),
    objection,
  };
}
