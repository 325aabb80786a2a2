// The consent form's pages and the confirmation message. Plain HTML forms: they work without JavaScript.

import { type Controller, controllerContact } from '../../../services/forms/settings.js';
import type { ConsentRequest } from '../../../store/consent-requests.js';
import type { Translator } from '../i18n.js';
import { html, langAttr, page, type SafeHtml } from '../layout.js';

/** A box as shown: its field name and the stored wording in the language shown (`lang` when not the page's). */
export interface ShownBox {
  name: string;
  body: string;
  lang: string;
}

export interface FormView {
  formId: string;
  action: string;
  csrf: string;
  pageUrl: string | null;
  boxes: ShownBox[];
  partners: { box: ShownBox; names: string[]; listUrl: string } | null;
  privacyPolicyUrl: string;
  /** Who collects the data (GDPR art. 13(1)(a)); null for a form made before it was asked. */
  controller: Controller | null;
  fields: Array<'email' | 'phone'>;
  values: { email?: string; phone?: string };
  error: string | null;
  /** The field the error is about, marked aria-invalid and described by the message. */
  invalid: 'email' | 'phone' | null;
  /** Boxes the visitor ticked in the submission shown again after an input error (their own act, not ours). */
  ticked: ReadonlySet<string>;
}

function box(b: ShownBox, t: Translator, ticked: ReadonlySet<string>): SafeHtml {
  // Never ticked by us: consent is a positive act (RGPD art. 4(11); CJEU C-673/17 Planet49). Only the visitor's own
  // ticks come back, when the page is shown again to fix a field.
  return html`<div class="check"><input type="checkbox" id="${b.name}" name="${b.name}" value="on"${ticked.has(b.name) ? html` checked` : ''}>
<label for="${b.name}"${langAttr(b.lang, t.lang)}>${b.body}</label></div>`;
}

export function formPage(t: Translator, v: FormView): string {
  const fields = v.fields.map(
    (f) => html`<div class="field"><label for="f-${f}">${t.t(f)}</label>
<input id="f-${f}" name="${f}" type="${f === 'email' ? 'email' : 'tel'}" autocomplete="${f === 'email' ? 'email' : 'tel'}"
 value="${v.values[f] ?? ''}"${v.invalid === f ? html` aria-invalid="true" aria-describedby="form-error"` : ''}></div>`,
  );
  const partners =
    v.partners === null
      ? ''
      : html`<fieldset><legend>${t.t('partners.legend')}</legend>${box(v.partners.box, t, v.ticked)}
<p class="hint">${t.t('partners.names', { names: v.partners.names.join(', ') })}
<a href="${v.partners.listUrl}" target="_blank" rel="noopener">${t.t('partners.list')}</a></p></fieldset>`;
  const body = html`<h1>${t.t('title')}</h1>
${v.error === null ? '' : html`<p class="error" id="form-error" role="alert">${v.error}</p>`}
<p class="muted">${t.t('intro')}</p>
<form method="post" action="${v.action}" novalidate>
<input type="hidden" name="_csrf" value="${v.csrf}">
<input type="hidden" name="lang" value="${t.lang}">
${v.pageUrl === null ? '' : html`<input type="hidden" name="page_url" value="${v.pageUrl}">`}
${fields}
<fieldset><legend>${t.t('choices')}</legend>${v.boxes.map((b) => box(b, t, v.ticked))}</fieldset>
${partners}
${v.controller === null ? '' : html`<p class="hint" id="controller">${controllerLine(t, v.controller)}</p>`}
<p><a href="${v.privacyPolicyUrl}" target="_blank" rel="noopener">${t.t('privacy')}</a></p>
<button type="submit">${t.t('submit')}</button>
</form>`;
  return page({ lang: t.lang, title: t.t('title'), body });
}

/** "Responsible for your data (controller): name, contact." in the page's language. */
export function controllerLine(t: Translator, c: Controller): string {
  return t.t('controller', { name: c.name, contact: controllerContact(c) });
}

export function messagePage(t: Translator, title: string, text: string, kind: 'notice' | 'error' = 'notice'): string {
  return page({
    lang: t.lang,
    title,
    // The attribute is markup: as a plain string the template would escape its quotes (role=&quot;alert&quot;).
    body: html`<h1>${title}</h1><p class="${kind}"${kind === 'error' ? html` role="alert"` : ''}>${text}</p>`,
  });
}

/** The page a confirmation link opens: a button that POSTs (link scanners prefetch GETs and must never confirm). */
export function confirmPage(t: Translator, token: string, action: string, items: SafeHtml[]): string {
  return page({
    lang: t.lang,
    title: t.t('confirm.title'),
    body: html`<h1>${t.t('confirm.title')}</h1><p>${t.t('confirm.body')}</p>
<ul>${items}</ul>
<form method="post" action="${action}"><input type="hidden" name="token" value="${token}">
<button type="submit">${t.t('confirm.button')}</button></form>`,
  });
}

/**
 * The confirmation message: a request to confirm and the link, nothing else. No advertising: a confirmation mail
 * that promotes is itself unsolicited advertising (BGH, 14.03.2017, VI ZR 721/15; OLG München 29 U 1682/12).
 */
export function confirmationMail(
  t: Translator,
  request: ConsentRequest,
  link: string,
  kind: 'confirm' | 'reminder',
  /** Named in the message: who asks, and who will hold the data (GDPR art. 13(1)(a)). */
  controller: Controller | null = null,
): { subject: string; text: string; html: string } {
  const until = new Date(request.expiresMs).toISOString().slice(0, 10);
  const text =
    (kind === 'reminder' ? `${t.t('mail.reminder')}\n\n` : '') +
    t.t('mail.body', { link, until }) +
    (controller === null ? '' : `\n\n${controllerLine(t, controller)}`);
  const paragraphs = text
    .split('\n\n')
    .map((p) => (p === link ? html`<p><a href="${link}">${link}</a></p>` : html`<p>${p}</p>`));
  return {
    subject: t.t('mail.subject'),
    text,
    html: `<!doctype html><html lang="${t.lang}"><body>${html`${paragraphs}`.value}</body></html>`,
  };
}
