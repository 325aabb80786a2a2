// What a consent form shows (issue #5): one unticked box per channel/purpose, a separate partner box, the privacy
// link. Consent must be specific, informed and unambiguous (RGPD art. 4(11), 7; CNIL, "Consentement", 2020): one
// box per purpose, none ticked in advance (CJEU C-673/17 Planet49), partners named (CNIL délibération 2020-091).
import { type Channel, identifierKindOf, isChannel } from '../../domain/channels.js';
import { lawOf } from '../../domain/overseas.js';
import type { PackRegistry } from '../../policy/evaluate.js';
import type { Store } from '../../store/store.js';

/** One box: a channel and purpose, worded by a stored consent text (`key:version:<language>`). */
export interface FormBox {
  /** Stable within the form: the field name `box_<id>` and the idempotency of its events. */
  id: string;
  channel: Channel;
  purpose: string;
  text: { key: string; version: string };
}

/** The separate box for partner offers: names the partners, links to the full list. */
export interface PartnerBox {
  channels: Channel[];
  purpose: string;
  text: { key: string; version: string };
  /** Partner ids recorded in the ledger, with the names shown. */
  partners: Array<{ id: string; name: string }>;
  listUrl: string;
}

/**
 * Who collects the data and how to reach them, named on the page and in the confirmation: GDPR art. 13(1)(a) wants
 * the controller's identity and contact details given at collection. An email, a postal address or both.
 */
export interface Controller {
  name: string;
  email?: string;
  address?: string;
}

export interface FormSettings {
  jurisdiction: string;
  privacyPolicyUrl: string;
  /** Required for new forms; forms created before it existed work without it, and show none. */
  controller?: Controller;
  /** On for every submission; also on whenever the jurisdiction's pack asks email consent to be proven by it. */
  doubleOptIn: boolean;
  /** Identifiers asked: `email` and/or `phone` (the first one given is required). */
  fields: Array<'email' | 'phone'>;
  boxes: FormBox[];
  partners?: PartnerBox;
  /** Origins that may embed the form (iframe) and POST it from their own page; empty: embedding refused. */
  origins: string[];
}

const ID = /^[a-z0-9_-]{1,40}$/;

/** Problems with settings (empty: usable). Every consent text must exist in English at least (the fallback). */
export async function checkFormSettings(
  s: FormSettings,
  store: Store,
  packs: PackRegistry,
  options: { requireController?: boolean } = {},
): Promise<string[]> {
  const errors: string[] = [];
  const c = s.controller;
  if (c === undefined) {
    if (options.requireController === true) {
      errors.push('/controller: name the controller and a contact, email or postal address (GDPR art. 13(1)(a))');
    }
  } else {
    if (c.name.trim() === '') errors.push("/controller/name: the controller's name is needed");
    if (c.email === undefined && c.address === undefined) {
      errors.push('/controller: give an email or a postal address to reach the controller (GDPR art. 13(1)(a))');
    }
    if (c.email !== undefined && !/^[^\s@]+@[^\s@]+$/.test(c.email)) errors.push('/controller/email: an email address');
    if (c.address !== undefined && c.address.trim() === '') errors.push('/controller/address: empty');
  }
  if (!packs.has(lawOf(s.jurisdiction))) errors.push(`/jurisdiction: no rule pack for "${s.jurisdiction}"`);
  if (!isHttpUrl(s.privacyPolicyUrl)) errors.push('/privacyPolicyUrl: an http(s) URL is needed');
  if (s.fields.length === 0) errors.push('/fields: ask for email, phone or both');
  if (s.boxes.length === 0 && s.partners === undefined) errors.push('/boxes: a form needs at least one box');
  const ids = new Set<string>();
  for (const [i, b] of s.boxes.entries()) {
    if (!ID.test(b.id) || ids.has(b.id)) errors.push(`/boxes/${i}/id: unique, of [a-z0-9_-]`);
    ids.add(b.id);
    if (!isChannel(b.channel)) errors.push(`/boxes/${i}/channel: not a channel`);
    else errors.push(...unreached([b.channel], s.fields, `/boxes/${i}/channel`));
    if (!(await hasText(store, b.text)))
      errors.push(`/boxes/${i}/text: no consent text ${b.text.key}:${b.text.version}:en`);
  }
  if (s.partners !== undefined) {
    const p = s.partners;
    if (p.partners.length === 0) errors.push('/partners/partners: name the partners (CNIL)');
    if (!isHttpUrl(p.listUrl)) errors.push('/partners/listUrl: an http(s) URL is needed');
    if (p.channels.length === 0 || !p.channels.every(isChannel)) errors.push('/partners/channels: channels needed');
    else errors.push(...unreached(p.channels, s.fields, '/partners/channels'));
    if (!(await hasText(store, p.text)))
      errors.push(`/partners/text: no consent text ${p.text.key}:${p.text.version}:en`);
  }
  // Written into the Content-Security-Policy header and compared with the Origin of posts: a host name (or
  // [IPv6]) and port only, nothing a header could read as another directive (`;`, quotes).
  for (const [i, o] of s.origins.entries()) {
    if (!ORIGIN.test(o)) errors.push(`/origins/${i}: an origin like https://shop.example`);
  }
  return errors;
}

const ORIGIN =
  /^https?:\/\/(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * A box for a channel whose address the form does not ask for: the consent would be recorded for an address the
 * person never gave (an email box on a phone-only form), and would cover whatever address a merge or an import
 * later brings. Postal mail is reached at an address no form field takes: allowed.
 */
function unreached(channels: readonly Channel[], fields: FormSettings['fields'], where: string): string[] {
  const out: string[] = [];
  for (const c of channels) {
    const kind = identifierKindOf(c);
    if (kind !== null && !fields.includes(kind))
      out.push(`${where}: ${c} needs the form to ask for the ${kind} (fields)`);
  }
  return out;
}

async function hasText(store: Store, t: { key: string; version: string }): Promise<boolean> {
  return (await store.getConsentText(`${t.key}:${t.version}:en`)) !== null;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
}

/** How to reach the controller, as the page and the confirmation say it: the email, then the postal address. */
export function controllerContact(c: Controller): string {
  return [c.email, c.address].filter((x): x is string => x !== undefined).join(', ');
}

/** The wordings a form shows, its boxes' then its partner box's (key and version; the language is the visitor's). */
export function textsOf(s: Pick<FormSettings, 'boxes' | 'partners'>): { key: string; version: string }[] {
  return [...s.boxes.map((b) => b.text), ...(s.partners ? [s.partners.text] : [])];
}

/** Channels whose consent the jurisdiction's pack wants proven by double opt-in (DE: UWG §7; BGH I ZR 164/09). */
export function doubleOptInChannels(packs: PackRegistry, jurisdiction: string): Set<Channel> {
  const out = new Set<Channel>();
  for (const rule of packs.get(lawOf(jurisdiction))?.pack.rules ?? []) {
    if (rule.check === 'consent' && rule.params.proof === 'double_opt_in' && rule.until === undefined) {
      for (const c of rule.channels) out.add(c);
    }
  }
  return out;
}

/** Whether a submission of this form must be confirmed: the form says so, or the pack does for a ticked channel. */
export function needsDoubleOptIn(s: FormSettings, packs: PackRegistry, channels: readonly Channel[]): boolean {
  if (s.doubleOptIn) return true;
  const required = doubleOptInChannels(packs, s.jurisdiction);
  return channels.some((c) => required.has(c));
}
