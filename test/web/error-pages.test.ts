// A person's browser on a recipient page gets errors as a page in their language; API clients keep problem+json.
import { describe, expect, it } from 'vitest';
import { openTestApp } from '../http/helpers.js';
import { TOKEN_SECRET } from './clock.js';

const browser = { accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8', 'accept-language': 'fr-FR,fr;q=0.9' };

describe('error pages on recipient paths', () => {
  it('answers a rate-limited browser with a French page, and an API client with problem+json', async () => {
    const app = await openTestApp({ config: { tokenSecrets: [TOKEN_SECRET] } });
    try {
      let last = await app.call({ method: 'GET', url: '/u/x', key: null, headers: browser });
      for (let i = 0; i < 60; i++) last = await app.call({ method: 'GET', url: '/u/x', key: null, headers: browser });
      expect(last.statusCode).toBe(429);
      expect(last.headers['content-type']).toMatch(/^text\/html/);
      expect(last.body).toContain('<html lang="fr">');
      expect(last.body).toContain('Trop de requêtes');
      const api = await app.call({ method: 'GET', url: '/u/x', key: null });
      expect(api.statusCode).toBe(429);
      expect(api.headers['content-type']).toMatch(/^application\/problem\+json/);
    } finally {
      await app.close();
    }
  });

  it('keeps problem+json for the API and for the consent form embed script', async () => {
    const app = await openTestApp({ config: { tokenSecrets: [TOKEN_SECRET] } });
    try {
      for (const url of ['/v1/nothing', '/f/some-form/embed.js/x']) {
        const res = await app.call({ method: 'GET', url, key: null, headers: browser });
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    } finally {
      await app.close();
    }
  });
});

describe('the consent form keeps its language on the error pages of its POST', () => {
  it('answers a form posted too large with a page in the language the form was shown in, not the browser’s', async () => {
    const { openFormBench } = await import('./form-support.js');
    const bench = await openFormBench();
    try {
      const id = await bench.makeForm('FR');
      // A French browser that chose the German page (?lang=de): the answer made before the body is read is German.
      const form = await bench.t.app.inject({ url: `/f/${id}?lang=de`, headers: browser });
      const action = /<form method="post" action="([^"]+)"/.exec(form.body)?.[1] as string;
      const res = await bench.t.app.inject({
        method: 'POST',
        url: action,
        headers: { ...browser, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://forms.test' },
        payload: `lang=de&email=${'a'.repeat(20_000)}`,
      });
      expect(res.statusCode).toBe(413);
      expect(res.body).toContain('<html lang="de">');
      expect(res.body).toContain('Ihre Eingabe ist zu lang');
      expect(action).toBe(`/f/${id}?lang=de`);
    } finally {
      await bench.close();
    }
  });
});
