// The preference center (issue #5): `GET /p/{token}` shows what the person agreed to, per channel, purpose and
// partner (folded from the ledger); `POST /p/{token}` records their changes. RGPD art. 7(3): withdrawing is as
// easy as giving (one button withdraws everything); art. 21: objection to prospecting per channel; art. 15, 16 and
// 17: copy, rectification and erasure requests, recorded for the data-protection officer. Works without JavaScript; forms carry a
// CSRF token: an HMAC bound to the link token, its time and a nonce, spent in the store by the post that acts on it
// (a replayed page records nothing, on any server sharing the database, across restarts).
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { CHANNELS, type Channel, identifierKindOf, isChannel } from '../../../domain/channels.js';
import type { Contact } from '../../../domain/contact.js';
import type { NewLedgerEvent } from '../../../domain/ledger.js';
import { doubleOptInChannels } from '../../../services/forms/settings.js';
import { derivePreferences, type PreferenceRow, type Preferences } from '../../../services/preferences.js';
import { recordEvents } from '../../../services/record-events.js';
import type { TokenSigner } from '../../../services/tokens.js';
import { MAX_DETAILS } from '../../../store/recipient-tokens.js';
import type { Store } from '../../../store/store.js';
import type { RouteContext } from '../../http/app.js';
import { checkPageToken, pageToken } from '../csrf.js';
import { purposeLabel, type Translator } from '../i18n.js';
import { html, langAttr, page, type SafeHtml, sendPage } from '../layout.js';
import {
  checkLink,
  evidenceOf,
  field,
  fields,
  formatDate,
  langQuery,
  PUBLIC_RATE_MAX,
  sendTokenProblem,
  tokenOf,
} from './shared.js';

const DONE = ['saved', 'withdrawn', 'access', 'erasure', 'rectification', 'details'] as const;

export function preferenceRoutes(app: FastifyInstance, ctx: RouteContext, signer: TokenSigner): void {
  const config = { scope: 'public' as const, rateLimitMax: PUBLIC_RATE_MAX };
  // No length limit here: a token too long is refused by the signer, with the page a forged link gets (not JSON).
  const schema = { hide: true, params: { type: 'object', properties: { '*': { type: 'string' } } } };

  /**
   * The page, with a fresh CSRF token; `tooLong`: rectification details refused, shown again to be shortened;
   * `replayed`: a page posted a second time, refused (409) and shown as things stand now.
   */
  const show = async (
    reply: FastifyReply,
    { t, contact }: { t: Translator; contact: Contact },
    token: string,
    o: { notice?: (typeof DONE)[number]; tooLong?: string; replayed?: boolean },
  ) => {
    const prefs = derivePreferences(await ctx.store.historyOf(contact.id));
    const csrf = pageToken(signer, `csrf|${token}`, [], ctx.now());
    const confirmed = doubleOptInChannels(ctx.packs, contact.jurisdiction);
    const worded = await wordingsOf(ctx.store, prefs);
    const offer = givable(worded, confirmed, contact, prefs);
    const action = `/p/${token}?${langQuery(t)}`;
    const body = renderCenter({ t, prefs, worded, offer, confirmed, contact, action, csrf, ...o });
    const status = o.tooLong !== undefined ? 400 : o.replayed ? 409 : 200;
    return sendPage(reply, page({ lang: t.lang, title: t.t('prefs.title'), body }), { status });
  };

  app.get('/p/*', { config, schema }, async (request, reply) => {
    const link = await checkLink(request, reply, { signer, store: ctx.store }, 'preferences');
    if (link === null) return reply;
    const done = (request.query as { done?: string }).done;
    return show(reply, link, tokenOf(request), { notice: DONE.find((d) => d === done) });
  });

  app.post('/p/*', { config, schema }, async (request, reply) => {
    const link = await checkLink(request, reply, { signer, store: ctx.store }, 'preferences');
    if (link === null) return reply;
    const { t, contact } = link;
    const token = tokenOf(request);
    const csrf = checkPageToken(signer, `csrf|${token}`, field(request.body, 'csrf'), 0, ctx.now());
    if (csrf === null) return sendTokenProblem(reply, t, 'csrf');
    const { nonce } = csrf;
    const action = field(request.body, 'action');
    const at = ctx.now();
    const evidence = evidenceOf(request, 'preference-center');
    // The post that acts spends the page's nonce in the transaction that records it: a second post of the page, with
    // the same choices or others, records nothing (a rolled-back write leaves the nonce unspent, to be tried again).
    // The same post again (a double click) is told it is done; another post of the page is refused (409). The post's
    // own print is spent beside the nonce: a replay that finds it spent already is the same post.
    const print = createHash('sha256')
      .update(
        JSON.stringify([
          action,
          fields(request.body, 'c').sort(),
          fields(request.body, 'o').sort(),
          field(request.body, 'details') ?? '',
        ]),
      )
      .digest('base64url');
    const printKey = `prefs:${nonce}:${print}`;
    const spend = async (tx: Store) =>
      (await tx.spendNonce(`prefs:${nonce}`, { at, expiresMs: csrf.expiresMs })) &&
      (await tx.spendNonce(printKey, { at, expiresMs: csrf.expiresMs }));
    let done: (typeof DONE)[number];
    let spent = true;
    if (action === 'access' || action === 'erasure') {
      spent = await ctx.store.transaction(async (tx) => {
        if (!(await spend(tx))) return false;
        await tx.createRightsRequest({ contactId: contact.id, kind: action, nonce, evidence, at });
        return true;
      });
      done = action;
    } else if (action === 'rectification') {
      // GDPR art. 16: the person says what is wrong; the DPO checks and corrects it (assent contacts set).
      // Counted as the textarea's maxlength counts: a browser sends each line break as CRLF, one character to it.
      const details = (field(request.body, 'details') ?? '').replace(/\r\n?/g, '\n').trim();
      // Refused, never cut: a request shortened without a word may lose the very correction asked for. Shown again
      // to be shortened (a browser's maxlength stops this first; a script or an old browser may not).
      if (details.length > MAX_DETAILS) return show(reply, link, token, { tooLong: details });
      if (details === '') done = 'details';
      else {
        // Keyed by the text too, as when one page could send several corrections (requests recorded then keep theirs).
        const once = `${nonce}:${createHash('sha256').update(details).digest('base64url').slice(0, 16)}`;
        spent = await ctx.store.transaction(async (tx) => {
          if (!(await spend(tx))) return false;
          await tx.createRightsRequest({ contactId: contact.id, kind: action, nonce: once, evidence, at, details });
          return true;
        });
        done = action;
      }
    } else if (action === 'withdraw-all' || action === 'save') {
      spent = await ctx.store.transaction(async (tx) => {
        if (!(await spend(tx))) return false;
        const prefs = derivePreferences(await tx.historyOf(contact.id));
        const confirmed = doubleOptInChannels(ctx.packs, contact.jurisdiction);
        const offer = givable(await wordingsOf(tx, prefs), confirmed, contact, prefs);
        const changes =
          action === 'save'
            ? changesOf(prefs, new Set(fields(request.body, 'c')), new Set(fields(request.body, 'o')), offer)
            : [
                // A withdrawal has a scope (own by default): both, so partners' consent goes too.
                { type: 'consent.withdrawn' as const, data: { channel: '*', scope: 'own' } },
                { type: 'consent.withdrawn' as const, data: { channel: '*', scope: 'partners' } },
                { type: 'objection' as const, data: { channel: '*' } },
              ];
        const events: NewLedgerEvent[] = changes.map((c) => ({
          contactId: contact.id,
          type: c.type,
          // One save's acts in the order the person meant them: a withdrawal of every channel, then the consent
          // ticked again for one (at the same instant the withdrawal would win: negative acts rank last), then an
          // objection, which a consent ticked beside it never lifts.
          at: new Date(at.getTime() + SAVE_ORDER[c.type]).toISOString(),
          data: c.data,
          evidence: { ...evidence, at: at.toISOString(), ...(c.textId ? { textId: c.textId } : {}) },
          recordedBy: 'recipient:preference-center',
          // The form's nonce, spent above; the ledger's own guard against the same act recorded twice as well.
          idempotencyKey: `pc:${nonce}:${c.type}:${JSON.stringify(c.data)}`,
        }));
        if (events.length > 0) await recordEvents(tx, events); // a consent's wording gets its SHA-256
        return true;
      });
      done = action === 'save' ? 'saved' : 'withdrawn';
    } else {
      return sendTokenProblem(reply, t, 'csrf');
    }
    // Not spent here: the same post again (its print spent already) is done as the first was; another is refused.
    if (!spent && !(await ctx.store.nonceSpent(printKey))) {
      request.log.info({ action }, 'preference page posted again: refused');
      return show(reply, link, token, { replayed: true });
    }
    return reply
      .code(303)
      .header('location', `/p/${token}?${langQuery(t)}&done=${done}`)
      .send();
  });
}

type Change = {
  type: 'consent.given' | 'consent.withdrawn' | 'objection';
  data: Record<string, unknown>;
  textId?: string;
};

/** A row's stored wording: the text the person was last asked it with (its id, body and language). */
export type Wording = { textId: string; body: string; lang: string };

/** The stored wording of each row that cites one (a form's box), by row key. */
export async function wordingsOf(
  store: Pick<Store, 'getConsentText'>,
  prefs: Preferences,
): Promise<ReadonlyMap<string, Wording>> {
  const out = new Map<string, Wording>();
  for (const r of prefs.rows) {
    if (r.textId === null) continue;
    const text = await store.getConsentText(r.textId);
    if (text !== null) out.set(r.key, { textId: r.textId, body: text.body, lang: text.language });
  }
  return out;
}

/** A row the person may tick again here, with the stored wording shown beside it. */
export type Offer = ReadonlyMap<string, Wording>;

/**
 * The rows the person may tick again on this page. A consent given here must be as provable as one given on a form
 * (GDPR art. 7(1)): the stored wording they were asked with, shown again and cited; an address of theirs for the
 * channel (a box ticked for SMS with no number on record would give it to whatever number is added later); and no
 * double opt-in wanted by their jurisdiction for it, which this page cannot run (UWG §7 Abs. 2 Nr. 2, BGH I ZR
 * 164/09; `confirmed`: doubleOptInChannels of their jurisdiction): there, and for the rest, they sign up again on a
 * form.
 */
export function givable(
  worded: ReadonlyMap<string, Wording>,
  confirmed: ReadonlySet<Channel>,
  contact: Contact,
  prefs: Preferences,
): Offer {
  const kinds = new Set(contact.identifiers.map((i) => i.kind));
  const out = new Map<string, Wording>();
  for (const r of prefs.rows) {
    const wording = worded.get(r.key);
    if (r.status === 'given' || wording === undefined || !isChannel(r.channel)) continue;
    const channel: Channel = r.channel;
    if (!kinds.has(identifierKindOf(channel) ?? 'postal') || confirmed.has(channel)) continue;
    out.set(r.key, wording);
  }
  return out;
}

/** Milliseconds after the save's instant each kind of change is dated. */
const SAVE_ORDER: Readonly<Record<Change['type'], number>> = {
  'consent.withdrawn': 0,
  'consent.given': 1,
  objection: 2,
};

/** The events that turn the derived state into the ticked one (only what the person changed). */
export function changesOf(
  prefs: Preferences,
  ticked: ReadonlySet<string>,
  objected: ReadonlySet<string>,
  offer: Offer,
): Change[] {
  const out: Change[] = [];
  for (const r of prefs.rows) {
    const data: Record<string, unknown> = { channel: r.channel, scope: r.scope };
    if (r.purpose !== null) data.purpose = r.purpose;
    if (r.status === 'given' && !ticked.has(r.key)) out.push({ type: 'consent.withdrawn', data });
    const wording = offer.get(r.key);
    if (r.status !== 'given' && ticked.has(r.key) && wording !== undefined) {
      out.push({
        type: 'consent.given',
        data: { ...data, method: 'checkbox', ...(r.partners ? { partners: r.partners } : {}) },
        textId: wording.textId,
      });
    }
  }
  for (const c of objected) {
    if (
      (CHANNELS as readonly string[]).includes(c) &&
      prefs.objections[c] === undefined &&
      prefs.objections['*'] === undefined
    ) {
      out.push({ type: 'objection', data: { channel: c } });
    }
  }
  return out;
}

/** Channels the person can be reached on: their identifiers, and any channel their history names. */
function channelsOf(contact: Contact, prefs: Preferences): string[] {
  const set = new Set<string>();
  for (const i of contact.identifiers) {
    if (i.kind === 'email') set.add('email');
    if (i.kind === 'phone') for (const c of ['sms', 'phone']) set.add(c);
    if (i.kind === 'postal') set.add('postal');
  }
  for (const r of prefs.rows) if (r.channel !== '*') set.add(r.channel);
  for (const c of Object.keys(prefs.objections)) if (c !== '*') set.add(c);
  return CHANNELS.filter((c) => set.has(c));
}

/**
 * "email — newsletter, from us": the purpose in words of the page's language, or left to the stored wording shown
 * under the label when there are none (purposeLabel): never the form's internal id on a person's page.
 */
function rowLabel(t: Translator, r: PreferenceRow, wordingShown: boolean): string {
  const scope =
    r.scope === 'partners'
      ? t.t('prefs.scope.partners', { partners: (r.partnerNames ?? r.partners ?? []).join(', ') })
      : t.t('prefs.scope.own');
  const purpose = r.purpose === null ? t.t('prefs.purposeAny') : purposeLabel(t.lang, r.purpose, wordingShown);
  return `${t.t(`channel.${r.channel}`)}${purpose === null ? '' : ` — ${purpose}`}, ${scope}`;
}

function renderCenter(o: {
  t: Translator;
  prefs: Preferences;
  /** Each row's stored wording, shown under it: what the person was asked, in the words they read. */
  worded: ReadonlyMap<string, Wording>;
  offer: Offer;
  /** Channels whose consent the person's pack wants confirmed: an unconfirmed one shows as awaiting confirmation. */
  confirmed: ReadonlySet<string>;
  contact: Contact;
  action: string;
  csrf: string;
  notice?: (typeof DONE)[number] | undefined;
  /** Rectification details over MAX_DETAILS characters, refused: put back in the box with the error. */
  tooLong?: string | undefined;
  /** The page was posted a second time: nothing recorded, said so above the choices as they stand. */
  replayed?: boolean | undefined;
}): SafeHtml {
  const { t, prefs, action, csrf } = o;
  const count = (n: number) => new Intl.NumberFormat(t.lang).format(n);
  const date = (iso: string) => formatDate(t.lang, iso);
  const noticeText = {
    saved: 'prefs.saved',
    withdrawn: 'prefs.withdrawn',
    access: 'prefs.requested.access',
    erasure: 'prefs.requested.erasure',
    rectification: 'prefs.requested.rectification',
    details: 'prefs.rights.detailsMissing',
  };
  const hidden = html`<input type="hidden" name="csrf" value="${csrf}">`;
  // A given consent can be unticked; another can be ticked again only with its wording (givable), else the box is
  // shown disabled with where to sign up again.
  // What decisions say: a consent the pack wants confirmed and never was is awaiting confirmation, not given.
  const shown = (r: PreferenceRow) =>
    r.status === 'given' && !r.proven && o.confirmed.has(r.channel) ? 'pending' : r.status;
  const rows = prefs.rows.map((r, i) => {
    const given = r.status === 'given';
    const wording = o.worded.get(r.key);
    // Not given and not to be given again here (no wording, no address, a double opt-in due): where to do it.
    const again = !given && !o.offer.has(r.key);
    const state = given ? html` checked` : again ? html` disabled` : '';
    const described = [`c${i}-s`, ...(wording ? [`c${i}-w`] : []), ...(again ? [`c${i}-a`] : [])].join(' ');
    // The wording as the person was asked, in its own language, marked when not the page's (WCAG 3.1.2).
    const note = html`${
      wording === undefined
        ? ''
        : html`<span class="hint" id="c${i}-w"${langAttr(wording.lang, t.lang)}>${wording.body}</span>`
    }${again ? html`<span class="hint" id="c${i}-a">${t.t('prefs.signUpAgain')}</span>` : ''}`;
    return html`<div class="check"><input type="checkbox" id="c${i}" name="c" value="${r.key}" aria-describedby="${described}"${state}>
<label for="c${i}">${rowLabel(t, r, wording !== undefined)} <span class="hint" id="c${i}-s">(${t.t(`prefs.status.${shown(r)}`, { date: date(r.since) })})</span></label>${note}</div>`;
  });
  const everywhere = prefs.objections['*'];
  // An objection to every channel is said once, as such: not as a list of the channels the page happens to know.
  const objections = channelsOf(o.contact, prefs).map((c, i) => {
    const since = prefs.objections[c] ?? everywhere;
    const channel = t.t(`channel.${c}`);
    return since !== undefined
      ? html`<p>${t.t('prefs.objected', { channel, date: date(since) })}</p>`
      : html`<div class="check"><input type="checkbox" id="o${i}" name="o" value="${c}"><label for="o${i}">${t.t('prefs.object', { channel })}</label></div>`;
  });
  // An error about the rectification's text is tied to its box (WCAG 1.3.1, 3.3.1): a screen reader on the textarea
  // hears that it is invalid and why, not only an alert at the top of a long page.
  const detailsWrong = o.tooLong !== undefined || (!o.replayed && o.notice === 'details');
  return html`<h1>${t.t('prefs.title')}</h1>
${
  o.tooLong !== undefined
    ? html`<p class="error" role="alert" id="details-error">${t.t('prefs.rights.detailsTooLong', { count: count(o.tooLong.length), max: count(MAX_DETAILS) })}</p>`
    : o.replayed
      ? html`<p class="error" role="alert">${t.t('prefs.replayed')}</p>`
      : o.notice === 'details'
        ? html`<p class="error" role="alert" id="details-error">${t.t(noticeText.details)}</p>`
        : o.notice
          ? html`<p class="notice" role="status">${t.t(noticeText[o.notice])}</p>`
          : ''
}
<p>${t.t('prefs.intro')}</p>
<form method="post" action="${action}">${hidden}
<fieldset><legend>${t.t('prefs.consents')}</legend>
${rows.length > 0 ? rows : html`<p>${t.t('prefs.none')}</p>`}
</fieldset>
<fieldset><legend>${t.t('prefs.objections')}</legend><p class="hint">${t.t('prefs.objectionsHint')}</p>
${everywhere !== undefined ? html`<p>${t.t('prefs.objectedEverywhere', { date: date(everywhere) })}</p>` : objections}
</fieldset>
<p><button type="submit" name="action" value="save">${t.t('prefs.save')}</button></p>
</form>
<form method="post" action="${action}">${hidden}
<fieldset><legend>${t.t('prefs.withdraw.legend')}</legend><p class="hint">${t.t('prefs.withdraw.hint')}</p>
<button type="submit" name="action" value="withdraw-all" class="secondary">${t.t('prefs.withdraw.button')}</button>
</fieldset>
</form>
<form method="post" action="${action}">${hidden}
<fieldset><legend>${t.t('prefs.rights.legend')}</legend><p class="hint">${t.t('prefs.rights.hint')}</p>
<p><button type="submit" name="action" value="access" class="secondary">${t.t('prefs.rights.access')}</button></p>
<p><button type="submit" name="action" value="erasure" class="secondary">${t.t('prefs.rights.erasure')}</button></p>
</fieldset>
</form>
<form method="post" action="${action}">${hidden}
<fieldset><legend>${t.t('prefs.rights.rectificationLegend')}</legend>
<div class="field"><label for="details">${t.t('prefs.rights.details')}</label>
<textarea id="details" name="details" rows="3" maxlength="${String(MAX_DETAILS)}"${detailsWrong ? html` aria-invalid="true" aria-describedby="details-error"` : ''} required>${o.tooLong ?? ''}</textarea></div>
<p><button type="submit" name="action" value="rectification" class="secondary">${t.t('prefs.rights.rectification')}</button></p>
</fieldset>
</form>`;
}
