import { describe, expect, it } from 'vitest';
import type { Decision } from '../../src/domain/decision.js';
import { decide } from '../../src/policy/decide.js';
import { buildRegistry } from '../../src/policy/packs/index.js';
import { derivePreferences } from '../../src/services/preferences.js';
import { parseTokenSecrets, TokenSigner } from '../../src/services/tokens.js';
import { alreadyObjected, isStopMessage, recipientLinks } from '../../src/services/unsubscribe.js';

const A = { id: 'a', secret: 'aaaaaaaaaaaaaaaaaaaaaaaa' };
const B = { id: 'b', secret: 'bbbbbbbbbbbbbbbbbbbbbbbb' };
const at = (iso: string) => () => new Date(iso);

describe('TokenSigner', () => {
  it('signs and verifies a payload for its purpose', () => {
    const s = new TokenSigner([A]);
    const token = s.sign({ p: 'unsubscribe', c: 'contact-1', ch: 'email' });
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(s.verify(token, 'unsubscribe')).toEqual({
      ok: true,
      payload: { v: 1, p: 'unsubscribe', c: 'contact-1', ch: 'email', k: 'a' },
    });
    expect(s.verify(token, 'preferences')).toEqual({ ok: false, reason: 'wrong-purpose' });
  });

  it('refuses tampered payloads and signatures, and malformed text', () => {
    const s = new TokenSigner([A]);
    const token = s.sign({ p: 'unsubscribe', c: 'contact-1' });
    const [body, sig] = token.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ v: 1, p: 'unsubscribe', c: 'contact-2', k: 'a' })).toString(
      'base64url',
    );
    expect(s.verify(`${forged}.${sig}`, 'unsubscribe')).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = sig.startsWith('A') ? `B${sig.slice(1)}` : `A${sig.slice(1)}`;
    expect(s.verify(`${body}.${flipped}`, 'unsubscribe')).toEqual({ ok: false, reason: 'bad-signature' });
    expect(s.verify(`${body}.${sig.slice(0, 10)}`, 'unsubscribe')).toEqual({ ok: false, reason: 'bad-signature' });
    // The last character carries 2 spare bits (32 bytes in 43 characters): one differing only there decodes alike.
    const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const spare = `${sig.slice(0, -1)}${abc[abc.indexOf(sig.at(-1) as string) ^ 1]}`;
    expect(Buffer.from(spare, 'base64url').equals(Buffer.from(sig, 'base64url'))).toBe(true);
    expect(s.verify(`${body}.${spare}`, 'unsubscribe')).toEqual({ ok: false, reason: 'bad-signature' });
    for (const bad of ['', 'abc', 'a.b.c', `${body}.`, '!!.??', `${Buffer.from('[1]').toString('base64url')}.${sig}`]) {
      expect(s.verify(bad, 'unsubscribe')).toEqual({ ok: false, reason: 'malformed' });
    }
    // Signed by someone else with the same key id: the signature does not match.
    const other = new TokenSigner([{ id: 'a', secret: 'zzzzzzzzzzzzzzzzzzzzzzzz' }]);
    expect(s.verify(other.sign({ p: 'unsubscribe', c: 'x' }), 'unsubscribe')).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses an expired token, checked against its clock', () => {
    const exp = Date.parse('2026-01-01T00:00:00Z') / 1000;
    const token = new TokenSigner([A]).sign({ p: 'preferences', c: 'c', exp });
    expect(new TokenSigner([A], { now: at('2025-12-31T23:59:59Z') }).verify(token, 'preferences').ok).toBe(true);
    expect(new TokenSigner([A], { now: at('2026-01-01T00:00:00Z') }).verify(token, 'preferences')).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('rotates: the first secret signs, old ones verify, removed ones are unknown', () => {
    const before = new TokenSigner([A]);
    const old = before.sign({ p: 'unsubscribe', c: 'c' });
    const during = new TokenSigner([B, A]);
    expect(during.signingKeyId).toBe('b');
    expect(during.verify(old, 'unsubscribe').ok).toBe(true);
    const fresh = during.sign({ p: 'unsubscribe', c: 'c' });
    expect(JSON.parse(Buffer.from(fresh.split('.')[0] as string, 'base64url').toString()).k).toBe('b');
    const after = new TokenSigner([B]);
    expect(after.verify(old, 'unsubscribe')).toEqual({ ok: false, reason: 'unknown-key' });
    expect(after.verify(fresh, 'unsubscribe').ok).toBe(true);
  });

  it('binds MACs (CSRF) to every live secret', () => {
    const s = new TokenSigner([B, A]);
    const mac = new TokenSigner([A]).mac('csrf|t|1|n');
    expect(s.checkMac('csrf|t|1|n', mac)).toBe(true);
    expect(s.checkMac('csrf|t|1|m', mac)).toBe(false);
    expect(s.checkMac('csrf|t|1|n', '')).toBe(false);
  });

  it('parses ASSENT_TOKEN_SECRETS and refuses weak or odd ones', () => {
    expect(parseTokenSecrets('k2:bbbbbbbbbbbbbbbbbbbb, k1:aaaaaaaaaaaaaaaaaaaa')).toEqual([
      { id: 'k2', secret: 'bbbbbbbbbbbbbbbbbbbb' },
      { id: 'k1', secret: 'aaaaaaaaaaaaaaaaaaaa' },
    ]);
    for (const bad of ['', 'short:abc', 'nocolon', ':aaaaaaaaaaaaaaaaaaaa', 'bad id:aaaaaaaaaaaaaaaaaaaa']) {
      expect(() => parseTokenSecrets(bad)).toThrow(/ASSENT_TOKEN_SECRETS/);
    }
    expect(() => new TokenSigner([A, A])).toThrow(/twice/);
  });
});

describe('recipient links', () => {
  it('builds RFC 8058 headers with the one-click URL first', () => {
    const s = new TokenSigner([A]);
    const links = recipientLinks(s, {
      publicUrl: 'https://assent.example/',
      contactId: 'c1',
      channel: 'email',
      mailto: 'unsubscribe@example.com',
    });
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/assent\.example\/u\/[\w-]+\.[\w-]+$/);
    expect(links.preferencesUrl).toMatch(/^https:\/\/assent\.example\/p\//);
    expect(links.headers).toEqual({
      'List-Unsubscribe': `<${links.unsubscribeUrl}>, <mailto:unsubscribe@example.com?subject=unsubscribe>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    const token = links.unsubscribeUrl.split('/u/')[1] as string;
    expect(s.verify(token, 'unsubscribe')).toMatchObject({ ok: true, payload: { c: 'c1', ch: 'email' } });
  });
});

describe('SMS STOP keywords', () => {
  it.each([
    'STOP',
    'stop',
    ' Stop. ',
    'STOP SMS',
    'ARRET',
    'Arrêt',
    'arrêter',
    'STOPP',
    'Abmelden',
    'UITSCHRIJVEN',
    'unsubscribe',
    'stop!',
    'ＳＴＯＰ', // full-width, as some phone keyboards send it
  ])('"%s" is a STOP', (text) => {
    expect(isStopMessage(text)).toBe(true);
  });
  it.each(['', 'Hello', 'do not stop', 'STOPPING', 'stop calling me at work please now', 42])('"%s" is not', (text) => {
    expect(isStopMessage(text)).toBe(false);
  });
});

describe('derivePreferences', () => {
  const ev = (type: string, at: string, data: Record<string, unknown>) => ({ type, at, data });

  it('reads a purpose written "*" as every purpose, as the engine does', () => {
    const prefs = derivePreferences([
      ev('consent.given', '2026-01-01T00:00:00Z', { channel: 'email', purpose: 'news' }),
      ev('consent.withdrawn', '2026-01-02T00:00:00Z', { channel: 'email', purpose: '*' }),
      ev('consent.given', '2026-01-03T00:00:00Z', { channel: 'sms', purpose: '*' }),
    ]);
    expect(prefs.rows.map((r) => [r.key, r.status])).toEqual([
      ['email|news|own', 'withdrawn'],
      ['sms|*|own', 'given'],
    ]);
  });

  it('keeps the wording each row was asked with and the partner names the form showed', () => {
    const evidence = { method: 'form', textId: 'partners:1:fr', partnerNames: ['ACME SA'] };
    const prefs = derivePreferences([
      {
        ...ev('consent.refused', '2026-01-01T00:00:00Z', { channel: 'email', scope: 'partners', partners: ['acme'] }),
        evidence,
      },
      ev('consent.given', '2026-01-02T00:00:00Z', { channel: 'sms' }),
    ]);
    expect(prefs.rows.map((r) => [r.key, r.textId, r.partnerNames])).toEqual([
      ['email|*|partners', 'partners:1:fr', ['ACME SA']],
      ['sms|*|own', null, null],
    ]);
  });

  it('folds consents per channel, purpose and scope, in time order', () => {
    const prefs = derivePreferences([
      ev('consent.given', '2026-01-02T00:00:00Z', { channel: 'email', purpose: 'newsletter' }),
      ev('consent.given', '2026-01-01T00:00:00Z', { channel: ['sms', 'email'] }),
      ev('consent.given', '2026-01-03T00:00:00Z', { channel: 'email', scope: 'partners', partners: ['acme'] }),
      ev('consent.refused', '2026-01-03T00:00:00Z', { channel: 'phone' }),
      ev('purchase', '2026-01-04T00:00:00Z', {}),
      ev('consent.withdrawn', '2026-01-05T00:00:00Z', { channel: 'sms' }),
    ]);
    expect(prefs.rows.map((r) => [r.key, r.status, r.partners])).toEqual([
      ['email|*|own', 'given', null],
      ['email|*|partners', 'given', ['acme']],
      ['email|newsletter|own', 'given', null],
      ['sms|*|own', 'withdrawn', null],
      ['phone|*|own', 'refused', null],
    ]);
    expect(prefs.objections).toEqual({});
  });

  it('an objection stops every consent it covers, and a later consent lifts it', () => {
    const prefs = derivePreferences([
      ev('consent.given', '2026-01-01T00:00:00Z', { channel: 'email' }),
      ev('consent.given', '2026-01-01T00:00:00Z', { channel: 'sms' }),
      ev('objection', '2026-01-02T00:00:00Z', { channel: '*' }),
      ev('consent.given', '2026-01-03T00:00:00Z', { channel: 'sms' }),
    ]);
    expect(prefs.rows.map((r) => [r.key, r.status])).toEqual([
      ['email|*|own', 'objected'],
      ['sms|*|own', 'given'],
    ]);
    expect(Object.keys(prefs.objections)).toEqual(['email', 'mms', 'automated_call', 'fax', 'phone', 'postal']);
    const withdrawn = derivePreferences([
      ev('consent.given', '2026-01-01T00:00:00Z', { channel: 'email', purpose: 'news' }),
      ev('consent.requested', '2026-01-02T00:00:00Z', { channel: 'email', purpose: 'news' }),
      ev('consent.withdrawn', '2026-01-03T00:00:00Z', { channel: '*' }),
      ev('objection', '2026-01-03T00:00:00Z', { channel: 'postal' }),
    ]);
    expect(withdrawn.rows.map((r) => [r.key, r.status])).toEqual([['email|news|own', 'withdrawn']]);
    // A withdrawal without scope is of `own` (the contract's default): consent to partners stays.
    const partners = derivePreferences([
      ev('consent.given', '2026-01-01T00:00:00Z', { channel: 'email', scope: 'partners', partners: ['acme'] }),
      ev('consent.withdrawn', '2026-01-02T00:00:00Z', { channel: '*' }),
    ]);
    expect(partners.rows.map((r) => [r.key, r.status])).toEqual([['email|*|partners', 'given']]);
    expect(withdrawn.objections).toEqual({ postal: '2026-01-03T00:00:00Z' });
  });

  it('orders acts of the same instant as the engine does: a refusal, withdrawal or objection last', () => {
    const at = '2026-01-01T00:00:00Z';
    const prefs = derivePreferences([
      ev('objection', at, { channel: 'email' }),
      ev('consent.given', at, { channel: 'email' }),
      ev('consent.withdrawn', at, { channel: 'sms' }),
      ev('consent.given', at, { channel: 'sms' }),
    ]);
    expect(prefs.rows.map((r) => [r.key, r.status])).toEqual([
      ['email|*|own', 'objected'],
      ['sms|*|own', 'withdrawn'],
    ]);
    expect(prefs.objections).toEqual({ email: at });
    const history = [
      { at, type: 'objection', channel: 'email' },
      { at, type: 'consent.given', channel: 'email', method: 'checkbox' },
    ];
    const request = { jurisdiction: 'FR', at: '2026-02-02T10:00:00Z', message: { channel: 'email' } };
    const answer = decide({ ...request, contact: { type: 'individual' }, history }, buildRegistry()) as Decision;
    expect([answer.decision, answer.reasons[0]?.code]).toEqual(['deny', 'WITHDRAWN']);
  });

  it('alreadyObjected looks at the latest event on the channel', () => {
    const e = (type: string, channel: unknown, seq: number) =>
      ({ type, at: '2026-01-01T00:00:00Z', data: { channel }, seq }) as never;
    expect(alreadyObjected([e('objection', '*', 1)], 'email')).toBe(true);
    expect(alreadyObjected([e('objection', '*', 1)], null)).toBe(true);
    expect(alreadyObjected([e('objection', 'email', 1)], null)).toBe(false);
    expect(alreadyObjected([e('objection', '*', 1), e('consent.given', 'email', 2)], 'email')).toBe(false);
    expect(alreadyObjected([e('objection', '*', 1), e('consent.given', 'email', 2)], 'sms')).toBe(true);
    expect(alreadyObjected([], 'sms')).toBe(false);
  });
});
