// The statements a campaign message carries (why the person receives it, where the details came from, STOP, the
// call announcement), in FR/EN/NL/DE and in B2C and B2B wording: src/services/campaigns/locales/<lang>.json, flat
// `"key": "text"` maps with `{name}` placeholders; a call's own spoken wording under `call.` (`call.why.b2c.CONSENT`). Read at run time from the source folder, found from the package
// root like src/adapters/web/i18n.ts (this file runs from src/ under vitest and from dist/src/ once built).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const STATEMENT_LANGUAGES = ['fr', 'en', 'nl', 'de'] as const;
export type StatementLanguage = (typeof STATEMENT_LANGUAGES)[number];

let root: string | undefined;
/** The first `src/services/campaigns/locales` walking up from this file. */
function localesRoot(): string {
  if (root !== undefined) return root;
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    const candidate = join(dir, 'src', 'services', 'campaigns', 'locales');
    if (existsSync(candidate)) {
      root = candidate;
      return candidate;
    }
    const up = join(dir, '..');
    if (up === dir) throw new Error('locales folder src/services/campaigns/locales not found');
    dir = up;
  }
}

const catalogues = new Map<string, Readonly<Record<string, string>>>();

function catalogue(lang: string): Readonly<Record<string, string>> {
  let found = catalogues.get(lang);
  if (found === undefined) {
    const file = join(localesRoot(), `${lang}.json`);
    found = Object.freeze(existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {});
    catalogues.set(lang, found);
  }
  return found;
}

export function isStatementLanguage(lang: unknown): lang is StatementLanguage {
  return typeof lang === 'string' && (STATEMENT_LANGUAGES as readonly string[]).includes(lang);
}

/** The statement `key` in `lang` (English when the language lacks it), or null when no catalogue has it. */
export function statement(lang: string, key: string, params: Readonly<Record<string, string>> = {}): string | null {
  const text = catalogue(lang)[key] ?? catalogue('en')[key];
  if (text === undefined) return null;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => params[name] ?? whole);
}
