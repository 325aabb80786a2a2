// A double opt-in confirmation names the address it proves (its SHA-256, as the suppression list keeps one), so the
// proof statement can say which of the person's addresses confirmed, after a rectification too (QA 4 #3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressionHash } from '../../src/services/lists/suppression.js';
import { type FormBench, openFormBench } from './form-support.js';

let b: FormBench;
beforeAll(async () => {
  b = await openFormBench();
});
afterAll(async () => {
  await b?.close();
});

describe('the address a double opt-in proves', () => {
  it('is in the confirmation evidence and named by the proof statement, until it is not the person’s', async () => {
    const form = await b.makeForm('DE');
    expect((await b.submit(form, { email: 'Lena@Example.de', box_news: 'on' })).statusCode).toBe(200);
    expect((await b.confirmMail('lena@example.de')).statusCode).toBe(200);
    const contact = await b.t.store.findContact({ kind: 'email', value: 'lena@example.de' });
    const id = contact?.id as string;
    const confirmed = (await b.t.store.historyOf(id)).find((e) => e.type === 'consent.confirmed');
    const sha256 = suppressionHash('email', 'lena@example.de');
    expect(confirmed?.evidence).toMatchObject({ addressSha256: sha256 });

    const proof = async () => (await b.t.call({ url: `/v1/contacts/${id}/proof` })).json();
    const act = (p: { acts: { type: string; address: unknown }[] }) =>
      p.acts.find((a) => a.type === 'consent.confirmed');
    expect(act(await proof())?.address).toEqual({ sha256, current: 'email lena@example.de' });

    const patched = await b.t.call({
      method: 'PATCH',
      url: `/v1/contacts/${id}`,
      payload: {
        add: { email: 'lena.neu@example.de' },
        remove: { email: 'lena@example.de' },
        reason: 'request 4',
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(act(await proof())?.address).toEqual({ sha256, current: null });
    const md = (await b.t.call({ url: `/v1/contacts/${id}/proof?format=markdown` })).body;
    expect(md).toContain(`- Address confirmed: SHA-256 \`${sha256}\`, none of the person’s current identifiers`);
  });
});
