// Message catalogues for recipient-facing pages: src/adapters/web/locales/<lang>/<namespace>.json, flat
// `"key": "text"` maps with `{name}` placeholders. Read at run time from the source folder, found from the package
// root (this file runs from src/ under vitest and from dist/src/ after `npm run build`): nothing to copy on build.
// A language is a folder; a missing key falls back to English, then to the key itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULT_LANG = 'en';

let localesDir: string | undefined;
/** The locales folder: the first `src/adapters/web/locales` walking up from this file. */
export function localesRoot(): string {
  if (localesDir !== undefined) return localesDir;
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    const candidate = join(dir, 'src', 'adapters', 'web', 'locales');
    if (existsSync(candidate)) {
      localesDir = candidate;
      return candidate;
    }
    const up = join(dir, '..');
    if (up === dir) throw new Error('locales folder src/adapters/web/locales not found');
    dir = up;
  }
}

let languages: readonly string[] | undefined;
/** The languages shipped: one folder each (`en`, `fr`, `nl`, `de`…). */
export function availableLanguages(): readonly string[] {
  languages ??= Object.freeze(
    readdirSync(localesRoot(), { withFileTypes: true })
      .filter((d) => d.isDirectory() && /^[a-z]{2,3}(-[A-Z]{2})?$/.test(d.name))
      .map((d) => d.name)
      .sort(),
  );
  return languages;
}

const catalogues = new Map<string, Readonly<Record<string, string>>>();

function catalogue(lang: string, namespace: string): Readonly<Record<string, string>> {
  const id = `${lang}/${namespace}`;
  let found = catalogues.get(id);
  if (found === undefined) {
    const file = join(localesRoot(), lang, `${namespace}.json`);
    found = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
    catalogues.set(id, Object.freeze(found));
  }
  return found;
}

/**
 * The page language: `?lang=` when shipped, then the best Accept-Language match (by q, primary subtag), then EN.
 */
export function negotiateLanguage(
  query: string | undefined,
  acceptLanguage: string | undefined,
  available: readonly string[] = availableLanguages(),
): string {
  const pick = (tag: string): string | undefined => {
    const t = tag.trim().toLowerCase();
    return available.find((a) => a.toLowerCase() === t) ?? available.find((a) => a === t.split('-')[0]);
  };
  if (query) {
    const q = pick(query);
    if (q !== undefined) return q;
  }
  if (acceptLanguage) {
    const ranked = acceptLanguage
      .split(',')
      .map((part, i) => {
        const [tag = '', ...params] = part.split(';');
        const qp = params.find((p) => p.trim().startsWith('q='));
        const q = qp === undefined ? 1 : Number(qp.trim().slice(2));
        return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, i };
      })
      .filter((r) => r.tag !== '' && r.tag !== '*' && r.q > 0)
      .sort((a, b) => b.q - a.q || a.i - b.i);
    for (const r of ranked) {
      const hit = pick(r.tag);
      if (hit !== undefined) return hit;
    }
  }
  return available.includes(DEFAULT_LANG) ? DEFAULT_LANG : (available[0] ?? DEFAULT_LANG);
}

export type MessageVars = Record<string, string | number>;

export interface Translator {
  readonly lang: string;
  /** The message in this language, else English, else the key; `{name}` replaced by vars (not escaped). */
  t(key: string, vars?: MessageVars): string;
}

export function translator(lang: string, namespace: string): Translator {
  return {
    lang,
    t(key, vars) {
      const text = catalogue(lang, namespace)[key] ?? catalogue(DEFAULT_LANG, namespace)[key] ?? key;
      return vars === undefined ? text : text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m));
    },
  };
}

/** The translator of a request: `?lang=` then Accept-Language. */
export function translatorFor(
  request: { query: unknown; headers: Record<string, string | string[] | undefined> },
  namespace: string,
): Translator {
  const query = request.query as Record<string, unknown> | undefined;
  const lang = typeof query?.lang === 'string' ? query.lang : undefined;
  const accept = request.headers['accept-language'];
  return translator(negotiateLanguage(lang, typeof accept === 'string' ? accept : undefined), namespace);
}

/**
 * A purpose id in words of `lang` (`purpose.<id>` in the common catalogue: `marketing`, `newsletter`, `offers`), or
 * undefined. No English fallback and never the id itself: a form's purpose id is the company's own key, and a
 * person reads their consents in their language (GDPR art. 7(2), 12(1): clear and plain language). A page without
 * words for it says what the purpose is by the stored wording the person was asked with (purposeLabel).
 */
export function purposeWords(lang: string, purpose: string): string | undefined {
  const words = catalogue(lang, 'common');
  const key = `purpose.${purpose}`;
  return key !== 'purpose.unnamed' && Object.hasOwn(words, key) ? words[key] : undefined;
}

/**
 * How a page names a consent's purpose: its words in the page's language when known; else nothing (null) when the
 * stored wording the person was asked with is shown beside it, which says it in the company's own words; else
 * "messages of one particular kind", honest if vague, rather than an internal key.
 */
export function purposeLabel(lang: string, purpose: string, wordingShown: boolean): string | null {
  return purposeWords(lang, purpose) ?? (wordingShown ? null : translator(lang, 'common').t('purpose.unnamed'));
}
