// The fast hashing text of the ledger must stay byte for byte what the chain was first defined as: the generic
// canonical JSON of the event's fields (an existing ledger would otherwise stop verifying).
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, eventHash, evidenceHash } from '../../src/domain/ledger.js';

/** The first definition of canonical JSON, kept here as the reference. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${reference(v)}`).join(',')}}`;
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

const json = fc.jsonValue();
const hex64 = fc.stringMatching(/^[0-9a-f]{64}$/);
const event = fc.record({
  seq: fc.nat(),
  id: fc.uuid(),
  contactId: fc.string(),
  type: fc.constantFrom('consent.given', 'objection', 'purchase', 'contact.merged'),
  at: fc.string(),
  data: fc.dictionary(fc.string(), json),
  evidenceHash: fc.option(hex64),
  recordedAt: fc.string(),
  recordedBy: fc.string({ unit: 'grapheme' }),
  idempotencyKey: fc.option(fc.string(), { nil: undefined }),
  prevHash: hex64,
});

describe('ledger hashing', () => {
  it('canonicalJson is the reference text for any JSON value, undefined members dropped', () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(canonicalJson(v)).toBe(reference(v));
      }),
    );
    expect(canonicalJson({ b: 1, a: [undefined, { d: undefined, c: 'é' }], é: 2, Z: 0 })).toBe(
      '{"Z":0,"a":[null,{"c":"é"}],"b":1,"é":2}',
    );
  });

  it('eventHash is SHA-256 of the previous hash, a line break and the canonical JSON of the fields', () => {
    fc.assert(
      fc.property(event, (e) => {
        const { prevHash, ...fields } = e;
        const text = `${prevHash}\n${reference({ ...fields, idempotencyKey: e.idempotencyKey ?? null })}`;
        expect(eventHash(e as Parameters<typeof eventHash>[0])).toBe(sha(text));
      }),
    );
  });

  it('evidenceHash hashes the canonical evidence, and is null without evidence', () => {
    expect(evidenceHash(null)).toBeNull();
    expect(evidenceHash({ method: 'form', ip: '203.0.113.7' })).toBe(sha('{"ip":"203.0.113.7","method":"form"}'));
  });
});
