// The controller named at collection (GDPR art. 13(1)(a)): required of a new form, shown on the page and in the
// double opt-in mail in the page's language; a form made before it was asked keeps working without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTROLLER, type FormBench, openFormBench } from './form-support.js';

let b: FormBench;
beforeAll(async () => {
  b = await openFormBench();
});
afterAll(async () => {
  await b?.close();
});

const settings = (extra: Record<string, unknown>) => ({
  jurisdiction: 'FR',
  privacyPolicyUrl: 'https://shop.example/privacy',
  boxes: [{ id: 'news', channel: 'email', purpose: 'newsletter', text: { key: 'news', version: '1' } }],
  ...extra,
});

describe('the controller of a form', () => {
  it.each([
    ['missing', {}, '/settings/controller'],
    ['without a contact', { controller: { name: 'Shop SAS' } }, '/settings/controller'],
    ['with a blank name', { controller: { name: ' ', email: 'a@b.fr' } }, '/settings/controller/name'],
    [
      'with an email that is none',
      { controller: { name: 'Shop', email: 'shop.example' } },
      '/settings/controller/email',
    ],
  ])('is required of a new form (%s)', async (_, extra, pointer) => {
    const res = await b.t.call({
      method: 'POST',
      url: '/v1/consent-forms',
      payload: { name: 'x', settings: settings(extra) },
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
  });

  it.each([
    ['en', 'Responsible for your data (controller): Shop SAS, privacy@shop.example.'],
    ['fr', 'Responsable du traitement de vos données : Shop SAS, privacy@shop.example.'],
    ['de', 'Verantwortlich für Ihre Daten: Shop SAS, privacy@shop.example.'],
    ['nl', 'Verantwoordelijke voor uw gegevens: Shop SAS, privacy@shop.example.'],
  ])('is named on the page and in the confirmation mail (%s)', async (lang, line) => {
    const id = await b.makeForm('FR', { doubleOptIn: true });
    const page = await b.t.app.inject({ url: `/f/${id}?lang=${lang}` });
    expect(page.body).toContain(line);
    const email = `controller-${lang}@example.fr`;
    expect((await b.submit(id, { email, box_news: 'on' }, lang)).statusCode).toBe(200);
    const mail = await b.sink.next(email);
    expect(mail.text).toContain(line);
    expect(mail.html).toContain(line);
  });

  it('shows a postal address too, and none for a form stored before the setting existed', async () => {
    const id = await b.makeForm('FR', { controller: { ...CONTROLLER, address: '1 rue du Port, 44000 Nantes' } });
    expect((await b.t.app.inject({ url: `/f/${id}` })).body).toContain(
      'Shop SAS, privacy@shop.example, 1 rue du Port, 44000 Nantes.',
    );
    const old = await b.t.store.createConsentForm({
      name: 'old',
      settings: settings({ fields: ['email'], origins: [] }),
    });
    const page = await b.t.app.inject({ url: `/f/${old.id}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('controller');
    // Changing it is taken without a controller (PUT), so existing set-ups keep working.
    const put = await b.t.call({
      method: 'PUT',
      url: `/v1/consent-forms/${old.id}`,
      payload: { name: 'old', settings: settings({}) },
    });
    expect(put.statusCode, put.body).toBe(200);
  });
});
