// What a form POST may carry: a box the form does not have is refused, not read as a refusal of every real box
// (docs/http.md: unknown fields are refused), and a box ticked without its address says which address it needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FormBench, openFormBench } from './form-support.js';

let b: FormBench;
beforeAll(async () => {
  b = await openFormBench();
});
afterAll(async () => {
  await b?.close();
});

const stored = (email: string) => b.t.store.findContact({ kind: 'email', value: email });

describe('fields of a form POST', () => {
  it.each([
    ['a misspelt box', 'box_nope=on', '/box_nope', 'is not a field of this form (its boxes: box_news, box_sms)'],
    ['a field of no kind', 'colour=blue', '/colour', 'is not a field of this form'],
    ['a box not posted as ticked', 'box_news=yes', '/box_news', 'is "yes": a ticked box is "on"'],
    ['the partner box of a form without partners', 'partners=on', '/partners', 'is not a field'],
  ])('refuses %s from a server (400 problem, nothing recorded)', async (_, extra, pointer, detail) => {
    const id = await b.makeForm('FR');
    const email = `unknown-${pointer.slice(1)}@example.fr`;
    const res = await b.t.app.inject({
      method: 'POST',
      url: `/f/${id}`,
      headers: { authorization: `Bearer ${b.t.keys.write}`, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `email=${email}&box_sms=on&phone=0611112299&${extra}`,
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, errors: [{ in: 'body', pointer }] });
    expect(res.json().detail).toContain(`${pointer} ${detail}`);
    expect(await stored(email)).toBeNull();
  });

  it("refuses a browser's misspelt box with the form shown again, and takes its page's own fields", async () => {
    const id = await b.makeForm('FR');
    const bad = await b.submit(id, { email: 'typo@example.fr', box_newz: 'on' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('This form changed while it was open');
    expect(await stored('typo@example.fr')).toBeNull();
    // The page's own fields (_csrf, lang, page_url) and a site's other fields (a submit button's name) are fine.
    const ok = await b.submit(id, { email: 'fine@example.fr', box_news: 'on', send: 'Send' });
    expect(ok.statusCode, ok.body).toBe(200);
    const history = await b.t.store.historyOf((await stored('fine@example.fr'))?.id as string);
    expect(history.map((e) => e.type)).toEqual(['consent.given', 'consent.refused']);
    // A page whose HTML gives its checkbox a value (value="yes") posts that value when ticked: ticked.
    const valued = await b.submit(id, { email: 'valued@example.fr', box_news: 'yes' });
    expect(valued.statusCode, valued.body).toBe(200);
    const given = await b.t.store.historyOf((await stored('valued@example.fr'))?.id as string);
    expect(given.map((e) => e.type)).toEqual(['consent.given', 'consent.refused']);
  });
});

describe('a box ticked without the address its channel needs', () => {
  it.each([
    ['en', 'A box you ticked needs your phone number.'],
    ['fr', 'Une case que vous avez cochée demande votre numéro de téléphone.'],
    ['de', 'Für ein angekreuztes Kästchen brauchen wir Ihre Telefonnummer.'],
    ['nl', 'Voor een aangevinkt vakje hebben we uw telefoonnummer nodig.'],
  ])('names the missing field, in the page language (%s)', async (lang, message) => {
    const id = await b.makeForm('FR');
    const res = await b.submit(id, { email: 'omar@example.fr', box_sms: 'on' }, lang);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain(message);
    expect(res.body).toMatch(/<input id="f-phone"[^>]*aria-invalid="true"/);
    expect(await stored('omar@example.fr')).toBeNull();
  });

  it('still asks for an address when none was given', async () => {
    const id = await b.makeForm('FR');
    const res = await b.submit(id, { box_news: 'on' });
    expect(res.body).toContain('Please give your email address or phone number.');
  });
});
