// Language negotiation, catalogue fallback and the page shell.
import { describe, expect, it } from 'vitest';
import { availableLanguages, negotiateLanguage, translator } from '../../src/adapters/web/i18n.js';
import { escapeHtml, html, page, pageCsp } from '../../src/adapters/web/layout.js';

describe('i18n', () => {
  it('ships FR, EN, NL and DE, one folder each', () => {
    expect(availableLanguages()).toEqual(expect.arrayContaining(['de', 'en', 'fr', 'nl']));
  });

  it('takes ?lang= first, then Accept-Language by q, then English', () => {
    const langs = ['de', 'en', 'fr', 'nl'];
    expect(negotiateLanguage('nl', 'fr-FR', langs)).toBe('nl');
    expect(negotiateLanguage('xx', 'fr-BE;q=0.5, de;q=0.9', langs)).toBe('de');
    expect(negotiateLanguage(undefined, 'es-ES, fr-CH;q=0.4', langs)).toBe('fr');
    expect(negotiateLanguage(undefined, 'es, *;q=0.1', langs)).toBe('en');
    expect(negotiateLanguage(undefined, undefined, langs)).toBe('en');
  });

  it('falls back to English, then to the key, and fills placeholders', () => {
    expect(translator('fr', 'forms').t('pending.body', { destination: 'a@b.fr' })).toContain('a@b.fr');
    expect(translator('xx', 'forms').t('submit')).toBe('Send my choices');
    expect(translator('fr', 'forms').t('no.such.key')).toBe('no.such.key');
  });

  it('every shipped language has every English key of each namespace', async () => {
    const { readFileSync, readdirSync } = await import('node:fs');
    const root = new URL('../../src/adapters/web/locales/', import.meta.url);
    const ours = ['forms.json', 'common.json'];
    for (const ns of readdirSync(new URL('en/', root)).filter((f) => ours.includes(f))) {
      const en = Object.keys(JSON.parse(readFileSync(new URL(`en/${ns}`, root), 'utf8')));
      for (const lang of ['fr', 'nl', 'de']) {
        const keys = Object.keys(JSON.parse(readFileSync(new URL(`${lang}/${ns}`, root), 'utf8')));
        expect(
          en.filter((k) => !keys.includes(k)),
          `${lang}/${ns}`,
        ).toEqual([]);
      }
    }
  });
});

describe('channel names', () => {
  it('names every channel in every language of the pages that name channels (never a raw key)', async () => {
    const { CHANNELS } = await import('../../src/domain/channels.js');
    // The confirmation page names each box's channel (a form may have an MMS, automated-call or fax box); the
    // preference center every channel of the person's history.
    for (const ns of ['forms', 'prefs']) {
      for (const lang of availableLanguages()) {
        const tr = translator(lang, ns);
        expect(
          CHANNELS.filter((c) => tr.t(`channel.${c}`) === `channel.${c}`),
          `${lang}/${ns}`,
        ).toEqual([]);
      }
    }
  });
});

describe('layout', () => {
  it('escapes every interpolated value and sets the language', () => {
    expect(escapeHtml(`<a href="x">'&`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;');
    const out = page({ lang: 'fr', title: '<t>', body: html`<p>${'<script>'}</p>` });
    expect(out).toContain('<html lang="fr">');
    expect(out).toContain('<title>&lt;t&gt;</title>');
    expect(out).toContain('<p>&lt;script&gt;</p>');
    expect(pageCsp()).toContain("frame-ancestors 'none'");
    expect(pageCsp({ frameAncestors: ['https://a.example'] })).toContain('frame-ancestors https://a.example');
  });
});
