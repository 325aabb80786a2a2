// Unsubscribe (issue #5; docs/unsubscribe.md): per-recipient signed links, the RFC 8058 headers of a message, and
// the objection recorded when a person unsubscribes (one-click, landing page, SMS STOP, preference center).
// Law: CPCE art. L34-5 (every message offers a free, simple way to object), RGPD art. 21(2)-(3) (objection to
// prospecting is absolute), art. 7(3) (withdrawing is as easy as giving), RFC 8058 (one-click unsubscribe).
import { isChannel } from '../domain/channels.js';
import type { Evidence, LedgerEvent } from '../domain/ledger.js';
import { eventPurpose } from '../domain/request.js';
import type { Store } from '../store/store.js';
import { expiresIn, type TokenSigner } from './tokens.js';

/** Preference links live this long (they are in every message; a stale one gets a clear page asking for a new one). */
export const PREFERENCES_TTL_DAYS = 90;
/** Unsubscribe links: a long life, as RFC 8058 receivers may POST long after delivery and the law wants it to work. */
export const UNSUBSCRIBE_TTL_DAYS = 400;

export interface RecipientLinks {
  /** `GET`: landing page with a confirm button; `POST`: RFC 8058 one-click. */
  unsubscribeUrl: string;
  preferencesUrl: string;
  /** Headers to add to the message (RFC 2369 List-Unsubscribe, RFC 8058 List-Unsubscribe-Post). */
  headers: { 'List-Unsubscribe': string; 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

/**
 * The links and headers of one message to one recipient (campaigns call this per message). `channel` narrows the
 * unsubscribe to that channel (default: every prospecting channel); `mailto` adds a mail unsubscribe address.
 */
export function recipientLinks(
  signer: TokenSigner,
  opts: { publicUrl: string; contactId: string; channel?: string; mailto?: string; now?: Date },
): RecipientLinks {
  const now = opts.now ?? new Date();
  const base = opts.publicUrl.replace(/\/+$/, '');
  const u = signer.sign({
    p: 'unsubscribe',
    c: opts.contactId,
    ...(opts.channel ? { ch: opts.channel } : {}),
    exp: expiresIn(now, UNSUBSCRIBE_TTL_DAYS),
  });
  const p = signer.sign({ p: 'preferences', c: opts.contactId, exp: expiresIn(now, PREFERENCES_TTL_DAYS) });
  const unsubscribeUrl = `${base}/u/${u}`;
  // RFC 8058 §3.1: the HTTPS URI must be there for one-click; a mailto is an extra, for older clients.
  const list = [`<${unsubscribeUrl}>`];
  if (opts.mailto) list.push(`<mailto:${encodeURIComponent(opts.mailto).replace(/%40/g, '@')}?subject=unsubscribe>`);
  return {
    unsubscribeUrl,
    preferencesUrl: `${base}/p/${p}`,
    headers: { 'List-Unsubscribe': list.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** Whether the latest event touching `channel` (null: any channel) already is an objection covering it. */
export function alreadyObjected(history: readonly LedgerEvent[], channel: string | null): boolean {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i] as LedgerEvent;
    const chans = channelsOfEvent(e.data.channel);
    if (chans === null) continue;
    if (channel !== null && chans !== '*' && !chans.includes(channel)) continue;
    return e.type === 'objection' && eventPurpose(e.data.purpose) === null && (chans === '*' || channel !== null);
  }
  return false;
}

function channelsOfEvent(value: unknown): '*' | string[] | null {
  if (value === '*') return '*';
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return null;
}

/**
 * Records an objection to prospecting on `channel` (null: every channel) before returning, with its evidence.
 * A repeat (the latest event on that channel already is an objection) records nothing: replays are harmless.
 * The store transaction also drops the decision cache, so the next decision sees it.
 */
export async function recordObjection(
  store: Store,
  opts: { contactId: string; channel: string | null; at: Date; evidence: Evidence; recordedBy: string },
): Promise<{ recorded: boolean; event: LedgerEvent | null }> {
  const channel = opts.channel !== null && isChannel(opts.channel) ? opts.channel : null;
  return store.transaction(async (tx) => {
    const history = await tx.historyOf(opts.contactId);
    if (alreadyObjected(history, channel)) return { recorded: false, event: null };
    const [event] = await tx.appendEvents([
      {
        contactId: opts.contactId,
        type: 'objection',
        at: opts.at.toISOString(),
        data: { channel: channel ?? '*' },
        evidence: { ...opts.evidence, at: opts.at.toISOString() },
        recordedBy: opts.recordedBy,
      },
    ]);
    return { recorded: true, event: event ?? null };
  });
}

/**
 * STOP keywords of inbound SMS (FR: STOP is the mandated keyword, CNIL / FFTélécoms code of conduct; others for
 * the DE/AT/CH/NL/BE audience). The whole message, case- and accent-insensitive, optionally followed by the
 * channel word or punctuation: "stop", "STOP SMS", "Arrêt", "stopp!", "Abmelden".
 */
export const STOP_KEYWORDS: readonly string[] = [
  'stop',
  'stopp',
  'arret',
  'arreter',
  'desabonner',
  'desinscrire',
  'unsubscribe',
  'cancel',
  'end',
  'quit',
  'stopall',
  'abmelden',
  'abbestellen',
  'austragen',
  'uitschrijven',
  'afmelden',
];

export function isStopMessage(text: unknown): boolean {
  if (typeof text !== 'string' || text.length > 160) return false;
  // NFKD: accents apart, and full-width or styled letters (ＳＴＯＰ, 𝐒𝐓𝐎𝐏) read as their plain ones.
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .trim()
    .split(/\s+/);
  const [first, ...rest] = folded;
  if (first === undefined || !STOP_KEYWORDS.includes(first)) return false;
  return rest.every((w) => ['sms', 'mms', 'all', 'tout', 'alle', 'please', 'svp', 'bitte'].includes(w));
}
