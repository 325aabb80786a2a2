// The one signed page token of the recipient pages' POSTs (consent form, preference center).
import { describe, expect, it } from 'vitest';
import { checkPageToken, PAGE_TOKEN_TTL_MS, pageToken } from '../../src/adapters/web/csrf.js';
import { TokenSigner } from '../../src/services/tokens.js';

const signer = new TokenSigner([{ id: 'a', secret: 'aaaaaaaaaaaaaaaaaaaaaaaa' }]);
const at = new Date('2026-10-01T10:00:00Z');
const later = (ms: number) => new Date(at.getTime() + ms);

describe('page tokens', () => {
  it('give back their nonce and fields, for their scope and field count only', () => {
    const token = pageToken(signer, 'form|f1', ['3', 'digest'], at);
    expect(token.split('.')).toHaveLength(5);
    const read = checkPageToken(signer, 'form|f1', token, 2, at);
    // Spent nonces are kept until no server takes the token: two hours, and a minute of clock difference.
    const expiresMs = at.getTime() + PAGE_TOKEN_TTL_MS + 60_000;
    expect(read).toEqual({ nonce: token.split('.')[1], fields: ['3', 'digest'], expiresMs });
    expect(checkPageToken(signer, 'form|f2', token, 2, at)).toBeNull();
    expect(checkPageToken(signer, 'form|f1', token, 1, at)).toBeNull();
    expect(checkPageToken(signer, 'form|f1', token.replace('.3.', '.4.'), 2, at)).toBeNull();
    expect(checkPageToken(signer, 'form|f1', `${token}x`, 2, at)).toBeNull();
    for (const junk of [undefined, 42, '', 'x', 'x'.repeat(201)]) {
      expect(checkPageToken(signer, 'form|f1', junk, 2, at)).toBeNull();
    }
    expect(pageToken(signer, 'csrf|t', [], at)).not.toBe(pageToken(signer, 'csrf|t', [], at)); // a nonce each
  });

  it('last two hours, and are taken a minute ahead of this clock (servers differ a little), not more', () => {
    const token = pageToken(signer, 'csrf|link', [], at);
    expect(checkPageToken(signer, 'csrf|link', token, 0, later(PAGE_TOKEN_TTL_MS))).not.toBeNull();
    expect(checkPageToken(signer, 'csrf|link', token, 0, later(PAGE_TOKEN_TTL_MS + 1))).toBeNull();
    expect(checkPageToken(signer, 'csrf|link', token, 0, later(-60_000))).not.toBeNull();
    expect(checkPageToken(signer, 'csrf|link', token, 0, later(-60_001))).toBeNull();
  });
});
