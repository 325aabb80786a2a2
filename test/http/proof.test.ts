// The proof statement of a person's consents and opt-outs (GET /v1/contacts/{id}/proof, `assent contacts proof`):
// what an auditor asks a DPO for (GDPR art. 7(1), 21), checked again when read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, dialectReady } from '../store/dialects.js';
import { expectProblem, openTestApp, type TestApp } from './helpers.js';

const WORDING = 'J’accepte de recevoir la lettre d’information.\n```\nDésinscription à tout moment.';

for (const dialect of DIALECTS) {
  describe(`proof statements on ${dialect.name}`, async () => {
    if (!(await dialectReady(dialect, 'proof statements'))) return;
    let t: TestApp;
    let id: string;
    beforeAll(async () => {
      t = await openTestApp({ dialect });
      await t.call({
        method: 'POST',
        url: '/v1/consent-texts',
        payload: { key: 'newsletter', version: '1', language: 'fr', body: WORDING },
      });
      id = (
        await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'FR', email: 'jane@example.fr' } })
      ).json().id;
      const at = new Date(Date.now() + 60_000).toISOString(); // after the wording was stored
      const events = [
        {
          contact: { id },
          type: 'consent.given',
          at,
          channel: 'email',
          purpose: 'newsletter',
          method: 'checkbox',
          evidence: {
            method: 'form',
            textId: 'newsletter:1:fr',
            pageUrl: 'https://shop.example/signup',
            ip: '203.0.113.9',
          },
        },
        { contact: { id }, type: 'purchase', at },
        { contact: { id }, type: 'objection', at, channel: 'sms' },
        { contact: { id }, type: 'call', at, outcome: 'refused' },
        {
          contact: { id },
          type: 'consent.given',
          at: '2025-01-01T10:00:00Z',
          channel: 'sms',
          evidence: { textId: 'newsletter:1:fr' },
        },
      ];
      expect((await t.call({ method: 'POST', url: '/v1/events', payload: events })).statusCode).toBe(201);
    });
    afterAll(() => t.close());

    it('gives each consent and opt-out with its evidence and the wording, checked against its SHA-256', async () => {
      const res = await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?verify=true`, key: t.keys.read });
      expect(res.statusCode).toBe(200);
      const proof = res.json();
      expect(proof.ledger).toMatchObject({ intact: true, events: 5, problem: null });
      // The purchase is history, not proof of a consent or an opt-out; a refusal during a call is one.
      expect(proof.acts.map((a: { type: string }) => a.type)).toEqual([
        'consent.given',
        'objection',
        'call',
        'consent.given',
      ]);
      expect(proof.acts[0]).toMatchObject({
        evidence: { pageUrl: 'https://shop.example/signup', ip: '203.0.113.9' },
        wording: { id: 'newsletter:1:fr', matches: true, storedAfterAct: false, body: WORDING },
      });
      // A consent dated before its wording was stored cannot have been shown it: said.
      expect(proof.acts[3].wording).toMatchObject({ matches: true, storedAfterAct: true });
    });

    it('keeps the acts of one channel, and answers a Markdown document that shows the wording as stored', async () => {
      const email = (await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?channel=email` })).json();
      expect(email.acts.map((a: { data: { channel: string } }) => a.data.channel)).toEqual(['email']);
      const phone = (await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?channel=phone` })).json();
      expect(phone.acts.map((a: { type: string }) => a.type)).toEqual(['call']);
      const md = await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?format=markdown` });
      expect(md.headers['content-type']).toBe('text/markdown; charset=utf-8');
      expect(md.body).toContain('Consent given on email for `newsletter`');
      expect(md.body).toContain('its stored body still hashes to the SHA-256 recorded with the act');
      expect(md.body).toContain(`\`\`\`\`text\n${WORDING}\n\`\`\`\`\n`); // a fence the wording's own cannot close
      expect(md.body).toContain('**Warning:** this wording was stored on');
      expectProblem(await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?channel=pigeon` }), 400);
      expectProblem(
        await t.call({ method: 'GET', url: '/v1/contacts/00000000-0000-7000-8000-000000000000/proof' }),
        404,
      );
    });

    it('notes a double opt-in the ledger holds no confirmation of, not one it does', async () => {
      const other = (
        await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'DE', email: 'ben@example.de' } })
      ).json().id;
      const doi = (at: string) => ({
        contact: { id: other },
        type: 'consent.given',
        at,
        channel: 'email',
        method: 'double_opt_in',
      });
      const events = [
        doi('2026-01-01T10:00:00Z'),
        doi('2026-02-01T10:00:00Z'),
        { contact: { id: other }, type: 'consent.confirmed', at: '2026-02-01T10:05:00Z', channel: 'email' },
      ];
      expect((await t.call({ method: 'POST', url: '/v1/events', payload: events })).statusCode).toBe(201);
      const acts = (await t.call({ method: 'GET', url: `/v1/contacts/${other}/proof` })).json().acts;
      expect(acts.map((a: { notes: string[] }) => a.notes.length)).toEqual([0, 0, 0]);
      const lone = (
        await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'DE', email: 'eva@example.de' } })
      ).json().id;
      await t.call({
        method: 'POST',
        url: '/v1/events',
        payload: { ...doi('2026-01-01T10:00:00Z'), contact: { id: lone } },
      });
      const md = (await t.call({ method: 'GET', url: `/v1/contacts/${lone}/proof?format=markdown` })).body;
      expect(md).toContain('- **Note:** recorded as double opt-in, but the ledger holds no confirmation of it');
    });

    it('dates a wording stored late by when it was first shown (publishedAt), so its older consents are not warned of', async () => {
      const text = { key: 'offers', version: '1', language: 'fr', body: 'J’accepte les offres.' };
      const late = await t.call({
        method: 'POST',
        url: '/v1/consent-texts',
        payload: { ...text, publishedAt: '2024-03-01' },
      });
      expect(late.statusCode, late.body).toBe(201);
      expect(late.json().createdAt).toBe('2024-03-01T00:00:00.000Z');
      const who = (
        await t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'FR', email: 'old@example.fr' } })
      ).json().id;
      const consent = {
        contact: { id: who },
        type: 'consent.given',
        at: '2025-01-01T10:00:00Z',
        channel: 'email',
        evidence: { textId: 'offers:1:fr' },
      };
      expect((await t.call({ method: 'POST', url: '/v1/events', payload: consent })).statusCode).toBe(201);
      const act = (await t.call({ method: 'GET', url: `/v1/contacts/${who}/proof` })).json().acts[0];
      expect(act.wording).toMatchObject({ storedAt: '2024-03-01T00:00:00.000Z', storedAfterAct: false, matches: true });
      const ahead = { ...text, version: '2', publishedAt: '2999-01-01' };
      expectProblem(await t.call({ method: 'POST', url: '/v1/consent-texts', payload: ahead }), 400, '/publishedAt');
    });

    it('heads the records of what was done to the data (merge, rectification, erasure) without a channel or purpose', async () => {
      const contact = (email: string) =>
        t.call({ method: 'POST', url: '/v1/contacts', payload: { jurisdiction: 'FR', email } });
      const who = (await contact('rec@example.fr')).json().id;
      const dup = (await contact('rec.dup@example.fr')).json().id;
      expect(
        (await t.call({ method: 'POST', url: `/v1/contacts/${who}/merge`, payload: { from: dup } })).statusCode,
      ).toBe(200);
      const patch = { add: { email: 'rec.new@example.fr' }, remove: { email: 'rec@example.fr' }, reason: 'request 12' };
      expect((await t.call({ method: 'PATCH', url: `/v1/contacts/${who}`, payload: patch })).statusCode).toBe(200);
      expect((await t.call({ method: 'DELETE', url: `/v1/contacts/${who}?reason=request-13` })).statusCode).toBe(200);
      const headings = (await t.call({ method: 'GET', url: `/v1/contacts/${who}/proof?format=markdown` })).body
        .split('\n')
        .filter((l: string) => l.startsWith('## '))
        .map((l: string) => l.replace(/^## \S+: /, ''));
      expect(headings).toEqual(['Records merged', 'Record rectified', 'Person erased']);
    });

    it('says why, on which request and with what suppressed a record was rectified or erased, and how a form collected', async () => {
      const who = (
        await t.call({
          method: 'POST',
          url: '/v1/contacts',
          payload: { jurisdiction: 'FR', email: 'rose@example.fr', phone: '+33612345699' },
        })
      ).json().id;
      const consent = {
        contact: { id: who },
        type: 'consent.given',
        at: '2025-01-01T10:00:00Z',
        channel: 'email',
        purpose: 'newsletter',
        evidence: {
          method: 'form',
          formId: 'f-1',
          formRevision: 3,
          language: 'fr',
          privacyPolicyUrl: 'https://x.example/p',
          controller: { name: 'Shop SAS', email: 'privacy@shop.example' },
        },
      };
      expect((await t.call({ method: 'POST', url: '/v1/events', payload: consent })).statusCode).toBe(201);
      const stop = { contact: { id: who }, type: 'objection', at: '2025-02-01T10:00:00Z', channel: 'sms' };
      const evidence = { method: 'sms-stop', from: '+33612345699', keyword: 'STOP' };
      expect((await t.call({ method: 'POST', url: '/v1/events', payload: { ...stop, evidence } })).statusCode).toBe(
        201,
      );
      const patch = { remove: { phone: '+33612345699' }, reason: 'request 12' };
      expect((await t.call({ method: 'PATCH', url: `/v1/contacts/${who}`, payload: patch })).statusCode).toBe(200);
      const erased = await t.call({
        method: 'DELETE',
        url: `/v1/contacts/${who}?by=dpo&reason=rr-8f2c`,
        key: t.keys.admin,
      });
      expect(erased.statusCode, erased.body).toBe(200);
      const md = (await t.call({ method: 'GET', url: `/v1/contacts/${who}/proof?format=markdown` })).body;
      // Before: "Person erased for every purpose", read as an objection, with neither its reason nor what it suppressed.
      expect(md).toMatch(
        /: Person erased\n\n- Reason: `rr-8f2c`\n- Identifiers erased: 1\n- Put on the suppression list: email \(erased\) `[0-9a-f]{64}`\n/,
      );
      expect(md).toMatch(/: Record rectified\n\n- Reason: `request 12`\n- Identifiers added: none; removed: `phone`\n/);
      for (const line of [
        '- Form revision: `3`',
        '- Page language: `fr`',
        '- Privacy policy linked: `https://x.example/p`',
        // Every evidence field is shown: a STOP's sender was left out, so the objection's proof said only "sms-stop".
        '- Controller named: `Shop SAS, privacy@shop.example`',
        '- Also recorded, `from`: `+33612345699`',
        '- Also recorded, `keyword`: `STOP`',
      ])
        expect(md).toContain(line);
    });

    it('says when the wording was edited in the database since, and that the ledger no longer verifies', async () => {
      await t.raw("update consent_texts set body = 'J’accepte tout.' where id = 'newsletter:1:fr'");
      const proof = (await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?verify=true` })).json();
      expect(proof.acts[0].wording).toMatchObject({ matches: false, body: 'J’accepte tout.' });
      expect(proof.ledger).toMatchObject({ intact: false, problem: expect.stringContaining('event 1') });
      const md = (await t.call({ method: 'GET', url: `/v1/contacts/${id}/proof?format=markdown&verify=true` })).body;
      expect(md).toContain('**Ledger verified now: BROKEN**');
      expect(md).toContain('**the stored body no longer hashes to the SHA-256 recorded with the act**');
    });
  });
}
