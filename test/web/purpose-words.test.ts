// A consent's purpose on the person's pages (the double opt-in confirmation, the preference center): in words of the
// page's language, or said by the stored wording the person was asked with; never the form's internal purpose id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { availableLanguages, purposeLabel, purposeWords } from '../../src/adapters/web/i18n.js';
import { openTestApp, type TestApp } from '../http/helpers.js';
import { TOKEN_SECRET, tickingClock } from './clock.js';
import { type FormBench, openFormBench } from './form-support.js';

describe('purpose words', () => {
  it('names the common purposes in every shipped language, and nothing else', () => {
    for (const lang of availableLanguages()) {
      for (const p of ['marketing', 'newsletter', 'offers']) {
        expect(purposeWords(lang, p), `${lang}: ${p}`).toMatch(/\S/);
      }
      // No English on another language's page, no id: a purpose the catalogue does not know has no words.
      expect(purposeWords(lang, 'weekly-tips')).toBeUndefined();
      expect(purposeWords(lang, 'unnamed')).toBeUndefined();
      expect(purposeWords(lang, 'constructor')).toBeUndefined();
    }
    expect(purposeWords('de', 'offers')).toBe('Angebote');
    expect(purposeWords('fr', 'newsletter')).toBe('lettre d’information');
    expect(purposeLabel('nl', 'weekly-tips', true)).toBeNull(); // the wording shown says it
    expect(purposeLabel('nl', 'weekly-tips', false)).toBe('berichten van een bepaald soort');
  });
});

describe('confirmation page', () => {
  let b: FormBench;
  beforeAll(async () => {
    b = await openFormBench();
    await b.t.store.putConsentText({ key: 'tips', version: '1', language: 'en', body: 'Send me weekly tips.' });
    await b.t.store.putConsentText({
      key: 'tips',
      version: '1',
      language: 'de',
      body: 'Ich möchte wöchentliche Tipps per E-Mail.',
    });
  });
  afterAll(() => b.close());

  /** The confirmation page (GET) of the last mail to `to`, in the language of the submission. */
  const confirmPage = async (to: string) => {
    const mail = await b.sink.next(to);
    const link = new URL(/https?:\/\/\S+\/confirm\?token=\S+/.exec(mail.text)?.[0] as string);
    return (await b.t.app.inject({ url: link.pathname + link.search })).body;
  };

  it('says a purpose in the page’s language, or by its wording: never the form’s id', async () => {
    const id = await b.makeForm('DE', {
      boxes: [
        { id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } },
        { id: 'tips', channel: 'email', purpose: 'weekly-tips', text: { key: 'tips', version: '1' } },
      ],
    });
    const res = await b.submit(id, { email: 'greta@example.de', box_news: 'on', box_tips: 'on' }, 'de');
    expect(res.statusCode, res.body).toBe(200);
    const page = await confirmPage('greta@example.de');
    expect(page).toContain('<html lang="de">');
    // No German wording for the newsletter: its English one, marked as English (WCAG 3.1.2).
    expect(page).toContain('<li>E-Mail: Newsletter<br><q lang="en">I want the newsletter by email.</q></li>');
    // A purpose the catalogue has no words for: said by the wording the person ticked, in German.
    expect(page).toContain('<li>E-Mail<br><q>Ich möchte wöchentliche Tipps per E-Mail.</q></li>');
    expect(page).not.toContain('weekly-tips');
    expect(page).not.toContain('newsletter<');
  });

  it('says the common purposes in French on a French page', async () => {
    const id = await b.makeForm('FR', { doubleOptIn: true });
    await b.submit(id, { email: 'lou@example.fr', box_news: 'on' }, 'fr');
    const page = await confirmPage('lou@example.fr');
    expect(page).toContain(
      'e-mail: lettre d’information<br><q>Je veux recevoir la lettre d’information par e-mail.</q>',
    );
  });
});

describe('preference center', () => {
  const clock = tickingClock('2026-11-02T09:00:00Z');
  let t: TestApp;
  let url: string;
  beforeAll(async () => {
    t = await openTestApp({ config: { tokenSecrets: [TOKEN_SECRET] }, deps: { now: clock.now } });
    const { id: textId } = await t.store.putConsentText({
      key: 'tips',
      version: '1',
      language: 'de',
      body: 'Ich möchte wöchentliche Tipps per E-Mail.',
    });
    const id = (await t.store.createContact({ type: 'individual', jurisdiction: 'AT', email: 'udo@example.at' })).id;
    const at = '2026-10-01T10:00:00Z';
    const given = (data: Record<string, unknown>, evidence?: Record<string, unknown>) => ({
      contactId: id,
      type: 'consent.given' as const,
      at,
      data: { method: 'double_opt_in', ...data },
      ...(evidence ? { evidence } : {}),
      recordedBy: 't',
    });
    await t.store.appendEvents([
      given({ channel: 'email', purpose: 'newsletter' }),
      given({ channel: 'email', purpose: 'weekly-tips' }, { method: 'form', textId }),
      given({ channel: 'email', purpose: 'shop-news-2026' }),
      given({ channel: 'email', purpose: 'offers', scope: 'partners', partners: ['acme'] }),
    ]);
    url = `/p/${clock.signer.sign({ p: 'preferences', c: id, exp: clock.seconds() + 86_400 })}`;
  });
  afterAll(() => t.close());

  it('shows each purpose in the page’s language, or its wording, never the id', async () => {
    const page = (await t.call({ method: 'GET', url: `${url}?lang=de`, key: null })).body;
    const labels = [...page.matchAll(/<label for="c\d">([^<]*)</g)].map((m) => m[1]?.trim());
    expect(labels).toEqual([
      'E-Mail — Newsletter, von uns',
      'E-Mail — Angebote, von unseren Partnern: acme',
      'E-Mail — Nachrichten einer bestimmten Art, von uns', // no words, no wording: vague, not a key
      'E-Mail, von uns', // said by the wording under it
    ]);
    // The wording the person agreed to, under its row, and tied to its box for a screen reader.
    expect(page).toMatch(/aria-describedby="c3-s c3-w" checked>/);
    expect(page).toContain('<span class="hint" id="c3-w">Ich möchte wöchentliche Tipps per E-Mail.</span>');
    expect(page).not.toMatch(/weekly-tips<|shop-news-2026<|newsletter</);
  });

  it('in Dutch and French too; a wording in another language than the page’s is marked', async () => {
    const nl = (await t.call({ method: 'GET', url: `${url}?lang=nl`, key: null })).body;
    expect(nl).toContain('e-mail — nieuwsbrief, van ons');
    expect(nl).toContain('<span class="hint" id="c3-w" lang="de">Ich möchte wöchentliche Tipps per E-Mail.</span>');
    const fr = (await t.call({ method: 'GET', url: `${url}?lang=fr`, key: null })).body;
    expect(fr).toContain('e-mail — lettre d’information, de notre part');
  });
});
