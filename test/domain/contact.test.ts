import { describe, expect, it } from 'vitest';
import {
  IdentifierError,
  normalizeEmail,
  normalizeExternal,
  normalizeIdentifier,
  normalizePhone,
  normalizePhoneOf,
  normalizePostal,
  normalizeSender,
} from '../../src/domain/contact.js';

// [raw, default region, E.164 or null when the number is refused]
const PHONES: [string, string, string | null][] = [
  ['06 12 34 56 78', 'FR', '+33612345678'],
  ['+33 6 12 34 56 78', 'DE', '+33612345678'],
  ['+33612345678', 'CH', '+33612345678'],
  ['0151 23456789', 'DE', '+4915123456789'],
  ['0664 1234567', 'AT', '+436641234567'],
  ['078 123 45 67', 'CH', '+41781234567'],
  ['06 12', 'FR', null],
  ['+33000000000', 'FR', null],
  ['not a number', 'FR', null],
  ['06.12.34.56.78', 'FR', '+33612345678'],
  ['+33 (0)6 12 34 56 78', 'FR', '+33612345678'],
  ['0033 6 12 34 56 78', 'FR', '+33612345678'],
  ['(+49) 30 1234569', 'FR', '+49301234569'],
  // Written as Word and Excel copy them: full-width digits, a non-breaking hyphen, brackets.
  ['０６１２３４５６７８', 'FR', '+33612345678'],
  ['06\u201112\u201134\u201156\u201178', 'FR', '+33612345678'],
  ['[06] 12 34 56 78', 'FR', '+33612345678'],
  ['06 12 34 56 78 #5', 'FR', null],
  ['06\u00a012\u00a034\u00a056\u00a078', 'FR', '+33612345678'],
  // Two numbers, an extension or text around the number: refused, never read as the first number alone.
  ['0612345678;0698765432', 'FR', null],
  ['06 12 34 56 78 ext. 5', 'FR', null],
  ['+33612345678x', 'FR', null],
  ['call 0612345678 now', 'FR', null],
  ['tel:+33612345678', 'FR', null],
];

describe('normalizePhone', () => {
  it.each(PHONES)('%s read in %s gives %s', (raw, region, expected) => {
    // Twice: the second call may be answered from the numbers normalised lately, and must answer the same.
    for (let i = 0; i < 2; i++) {
      if (expected === null) expect(() => normalizePhone(raw, region)).toThrow(IdentifierError);
      else expect(normalizePhone(raw, region)).toBe(expected);
    }
  });

  it('names the extension of a value holding two numbers', () => {
    expect(() => normalizePhone('0612345678;0698765432', 'FR')).toThrow(
      '"0612345678;0698765432" is not a valid phone number: one number per value, digits and the signs it is written with, no letters, extension or second number',
    );
    expect(() => normalizePhone('06 12 34 56 78 / 6', 'FR')).toThrow('is not a valid phone number');
  });

  it('gives a normalised number back unchanged in any default region', () => {
    const e164 = normalizePhone('06 98 76 54 32', 'FR');
    for (const region of ['FR', 'DE', 'AT', 'CH', 'US']) expect(normalizeIdentifier('phone', e164, region)).toBe(e164);
  });
});

// [raw, normalised or null when refused]
const EMAILS: [string, string | null][] = [
  [' Ana@Example.FR ', 'ana@example.fr'],
  ['Jane.Doe+news@Sub.Example.co.uk', 'jane.doe+news@sub.example.co.uk'],
  ["o'brien@example.ie", "o'brien@example.ie"],
  ['zoë@exämple.fr', 'zoë@exämple.fr'],
  ['user@例え.jp', 'user@例え.jp'],
  ['nul\u0000@example.fr', null],
  ['bell\u0007@example.fr', null],
  ['rtl\u202e@example.fr', null],
  ['zero\u200bwidth@example.fr', null],
  ['a@example..fr', null],
  ['.a@example.fr', null],
  ['a.@example.fr', null],
  ['a..b@example.fr', null],
  ['a@-example.fr', null],
  ['a@example-.fr', null],
  ['a@[127.0.0.1]', null],
  ['a@localhost', null],
  ['a@example.123', null],
  ['"quoted"@example.fr', null],
  [`${'x'.repeat(65)}@example.fr`, null],
  ['a b@example.fr', null],
];

describe('normalizeEmail', () => {
  it.each(EMAILS)('%j → %j', (raw, email) => {
    if (email === null) expect(() => normalizeEmail(raw)).toThrow(IdentifierError);
    else expect(normalizeEmail(raw)).toBe(email);
  });

  it('shows an invisible character escaped in its message', () => {
    expect(() => normalizeEmail('rtl\u202e@example.fr')).toThrow(
      '"rtl\\u202e@example.fr" holds a control or invisible character: not an email address',
    );
  });
});

describe('external ids and postal addresses: the limits of every way in', () => {
  it.each([
    [() => normalizeExternal('crm\u0000-7'), 'the external id holds a control character (\\u0000) at position 4'],
    [() => normalizeExternal('x'.repeat(201)), 'the external id is 201 characters long: at most 200'],
    [() => normalizePostal(`1 rue ${'x'.repeat(1000)}`), 'the postal address is 1006 characters long: at most 1000'],
    [
      () => normalizePostal('1 rue\u0000 de la Paix'),
      'the postal address holds a control character (\\u0000) at position 6',
    ],
    [() => normalizePostal('東'.repeat(700)), 'the postal address is 2100 bytes long in UTF-8: at most 2000'],
  ])('%#: refused with what and where', (fn, message) => {
    expect(fn).toThrow(message);
  });

  it('keeps what fits', () => {
    expect(normalizeExternal(` ${'x'.repeat(200)} `)).toHaveLength(200);
    expect(normalizePostal('1 rue\n de la Paix')).toBe('1 RUE DE LA PAIX');
  });
});

describe('normalizePhoneOf: the numbering plans of where the contact lives', () => {
  it.each([
    ['0263 12 34 56', 'FR', 'FR-974', '+262263123456'], // a Réunion landline mainland France's plan also accepts
    ['06 12 34 56 78', 'FR', 'FR-974', '+33612345678'], // a Réunion resident's mainland mobile
    ['0692 12 34 56', 'FR', null, '+262692123456'], // only a Réunion mobile can be this
    // Overseas prefixes of the French plan that mainland France's plan in libphonenumber-js also accepts (+33 …):
    ['0596 61 23 45', 'FR', null, '+596596612345'], // a Martinique landline
    ['0269 61 23 45', 'FR', null, '+262269612345'], // a Mayotte landline
    ['05 96 61 23 45', 'MQ', null, '+596596612345'],
    ['+33 692 12 34 56', 'FR', null, '+262692123456'], // written internationally: mainland's plan refuses it
    ['+33 590 61 23 45', 'DE', null, '+590590612345'],
    ['05 56 12 34 56', 'FR', null, '+33556123456'], // Bordeaux: mainland
    ['06 12 34 56 78', 'RE', null, '+33612345678'],
    ['0692 12 34 56', 'RE', null, '+262692123456'],
    ['030 1234567', 'DE', null, '+49301234567'],
    ['(787) 281-5000', 'PR', null, '+17872815000'], // the North American plan, read in Puerto Rico
    ['212 555 0123', 'PR', null, '+12125550123'], // a mainland number of a Puerto Rico resident
  ])('%s (%s, region %s) is %s', (raw, jurisdiction, region, e164) => {
    expect(normalizePhoneOf(raw, jurisdiction, region)).toBe(e164);
  });

  it.each([
    ['32470123456', '+32470123456'], // a gateway's MSISDN: E.164 without the "+"
    ['33655443323', '+33655443323'],
    ['+32 470 12 34 56', '+32470123456'],
    ['0655443323', '+33655443323'], // national, in the default region
  ])('normalizeSender reads %s as %s', (raw, e164) => {
    expect(normalizeSender(raw, 'FR')).toBe(e164);
  });

  it('says why in the first plan tried when none reads it', () => {
    expect(() => normalizePhoneOf('12345', 'FR')).toThrow('"12345" is not a valid phone number (default region FR)');
  });
});
