// SMS length as the network counts it (3GPP TS 23.038): GSM 7-bit parts of 160/153, UCS-2 parts of 70/67.
import { describe, expect, it } from 'vitest';
import { smsLength } from '../../src/services/campaigns/sms-length.js';

describe('smsLength', () => {
  it.each([
    ['Bonjour Ana', { units: 11, encoding: 'GSM-7', parts: 1, outside: null }],
    ['é à è ù ì ò Ç ß Ñ ü', { units: 19, encoding: 'GSM-7', parts: 1, outside: null }],
    ['10 €', { units: 5, encoding: 'GSM-7', parts: 1, outside: null }], // € is an escape: two septets
    ['x'.repeat(160), { units: 160, encoding: 'GSM-7', parts: 1, outside: null }],
    ['x'.repeat(161), { units: 161, encoding: 'GSM-7', parts: 2, outside: null }],
    ['x'.repeat(306), { units: 306, encoding: 'GSM-7', parts: 2, outside: null }],
    ['x'.repeat(307), { units: 307, encoding: 'GSM-7', parts: 3, outside: null }],
    ['l’offre', { units: 7, encoding: 'UCS-2', parts: 1, outside: '’' }],
    [`${'x'.repeat(70)}ê`, { units: 71, encoding: 'UCS-2', parts: 2, outside: 'ê' }],
  ] as const)('%j', (text, expected) => {
    expect(smsLength(text)).toEqual(expected);
  });
});
