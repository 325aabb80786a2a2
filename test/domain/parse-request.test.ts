import { describe, expect, it } from 'vitest';
import { InvalidRequestError, parseDecisionRequest, unknownFields } from '../../src/domain/parse-request.js';

const base = () => ({
  jurisdiction: 'FR',
  at: '2026-03-02T10:00:00+01:00',
  message: { channel: 'email' },
  contact: { type: 'individual' },
  history: [] as unknown[],
});

// biome-ignore lint/suspicious/noExplicitAny: each case breaks a different part of the request on purpose
type Loose = Record<string, any>;

function errorOf(mutate: (r: Loose) => void): { path: string; message: string } {
  const r: Loose = base();
  mutate(r);
  try {
    parseDecisionRequest(r);
  } catch (error) {
    if (error instanceof InvalidRequestError) return { path: error.path, message: error.message };
    throw error;
  }
  throw new Error('expected an invalid request');
}

describe('request validation names the field and says why', () => {
  it.each<[string, (r: Loose) => void, string, string]>([
    ['not an object', (r) => Object.assign(r, { message: 'email' }), '/message', 'must be an object'],
    ['unknown channel', (r) => (r.message.channel = 'pigeon'), '/message/channel', 'must be one of email, sms'],
    ['missing channel', (r) => delete r.message.channel, '/message/channel', 'is required'],
    ['missing jurisdiction', (r) => delete r.jurisdiction, '/jurisdiction', 'is required'],
    ['three-letter jurisdiction', (r) => (r.jurisdiction = 'FRA'), '/jurisdiction', 'alpha-2'],
    ['missing at', (r) => delete r.at, '/at', 'is required'],
    ['at without offset', (r) => (r.at = '2026-03-02T10:00:00'), '/at', 'no UTC offset'],
    ['at as a number', (r) => (r.at = 1767225600000), '/at', 'ISO 8601'],
    ['impossible date', (r) => (r.at = '2026-02-30'), '/at', 'day 30'],
    ['missing message', (r) => delete r.message, '/message', 'is required'],
    ['bad sender', (r) => (r.message.sender = 'them'), '/message/sender', 'own, partner'],
    [
      'offer flag as string',
      (r) => (r.message.offer = { similarToPurchases: 'yes' }),
      '/message/offer/similarToPurchases',
      'true or false',
    ],
    ['empty purpose', (r) => (r.message.purpose = ''), '/message/purpose', 'non-empty string'],
    ['bad contact type', (r) => (r.contact.type = 'company'), '/contact/type', 'individual, professional'],
    [
      'bad address kind',
      (r) => Object.assign(r.contact, { type: 'professional', address: 'personal' }),
      '/contact/address',
      'named, generic',
    ],
    ['lists not an array', (r) => (r.contact.lists = 'bloctel'), '/contact/lists', 'must be a list'],
    [
      'list without name',
      (r) => (r.contact.lists = [{ since: '2025-01-01' }]),
      '/contact/lists/0/name',
      'non-empty string',
    ],
    [
      'list since malformed',
      (r) => (r.contact.lists = [{ name: 'bloctel', since: '01/01/2025' }]),
      '/contact/lists/0/since',
      'ISO 8601',
    ],
    ['unknown time zone', (r) => (r.contact.timeZone = 'Mars/Olympus'), '/contact/timeZone', 'IANA'],
    ['bad directory', (r) => (r.contact.directory = 'red'), '/contact/directory', 'listed, starred, unlisted'],
    ['history not an array', (r) => (r.history = {}), '/history', 'must be a list'],
    ['event not an object', (r) => (r.history = [42]), '/history/0', 'must be an object'],
    ['event without at', (r) => (r.history = [{ type: 'purchase' }]), '/history/0/at', 'is required'],
    [
      'unknown event type',
      (r) => (r.history = [{ at: '2026-01-01', type: 'newsletter.sent' }]),
      '/history/0/type',
      'must be one of',
    ],
    [
      'consent without channel',
      (r) => (r.history = [{ at: '2026-01-01', type: 'consent.given' }]),
      '/history/0/channel',
      'required for a consent.given',
    ],
    [
      'unknown channel in a list',
      (r) => (r.history = [{ at: '2026-01-01', type: 'objection', channel: ['email', 'telex'] }]),
      '/history/0/channel/1',
      'must be one of',
    ],
    [
      'empty channel list',
      (r) => (r.history = [{ at: '2026-01-01', type: 'objection', channel: [] }]),
      '/history/0/channel',
      'non-empty list',
    ],
    [
      'bad scope',
      (r) => (r.history = [{ at: '2026-01-01', type: 'consent.given', channel: 'email', scope: 'all' }]),
      '/history/0/scope',
      'own, partners',
    ],
    [
      'bad method',
      (r) => (r.history = [{ at: '2026-01-01', type: 'consent.given', channel: 'email', method: 'telepathy' }]),
      '/history/0/method',
      'checkbox',
    ],
    [
      'partners not a list',
      (r) =>
        (r.history = [
          { at: '2026-01-01', type: 'consent.given', channel: 'email', scope: 'partners', partners: 'acme' },
        ]),
      '/history/0/partners',
      'list of partner ids',
    ],
    [
      'bad call outcome',
      (r) => (r.history = [{ at: '2026-01-01', type: 'call', outcome: 'maybe' }]),
      '/history/0/outcome',
      'answered, no_answer, refused',
    ],
    [
      'bad interaction kind',
      (r) => (r.history = [{ at: '2026-01-01', type: 'interaction', kind: 'open' }]),
      '/history/0/kind',
      'click, reply',
    ],
    [
      'informed as string',
      (r) => (r.history = [{ at: '2026-01-01', type: 'data.collected', informed: 'yes' }]),
      '/history/0/informed',
      'true or false',
    ],
    [
      'bad data source',
      (r) => (r.history = [{ at: '2026-01-01', type: 'data.collected', source: 'scraped' }]),
      '/history/0/source',
      'direct, acquired, public',
    ],
    ['bad id', (r) => (r.id = { a: 1 }), '/id', 'string or a number'],
  ])('%s', (_name, mutate, path, why) => {
    const e = errorOf(mutate);
    expect(e.path).toBe(path);
    expect(e.message).toContain(why);
  });

  it('reads omitted parts as the contract says', () => {
    const req = parseDecisionRequest({ jurisdiction: 'fr', at: '2026-03-02', message: { channel: 'sms' } });
    expect(req.jurisdiction).toBe('FR');
    expect(req.at).toBe(Date.UTC(2026, 2, 2));
    expect(req.message).toEqual({
      channel: 'sms',
      purpose: 'marketing',
      sender: 'own',
      partner: null,
      offer: { similarToPurchases: false, relatedToProfession: false, relatedToContract: false, sector: null },
    });
    expect(req.contact.type).toBe('individual');
    expect(req.history).toEqual([]);
  });

  it('sorts history by time whatever the input order, negative acts last at the same instant', () => {
    const req = parseDecisionRequest({
      ...base(),
      history: [
        { at: '2026-01-02', type: 'purchase' },
        { at: '2026-01-01T00:00:00Z', type: 'consent.refused', channel: 'email' },
        { at: '2026-01-01', type: 'consent.given', channel: 'email' },
      ],
    });
    expect(req.history.map((e) => e.type)).toEqual(['consent.given', 'consent.refused', 'purchase']);
  });

  it('ignores fields the contract does not know (clients may add their own)', () => {
    expect(() =>
      parseDecisionRequest({ ...base(), note: 'x', message: { channel: 'email', campaign: 'c1' } }),
    ).not.toThrow();
  });
});

describe('fields the contract does not name are said, not read', () => {
  it('gives none for a request of the contract (and its additions)', () => {
    const r: Loose = base();
    r.id = 'x';
    r.message = { channel: 'email', purpose: 'offers', sender: 'partner', partner: 'p', offer: { sector: 's' } };
    r.contact = {
      type: 'individual',
      lists: [{ name: 'bloctel', since: '2025-01-01', asOf: '2026-01-01' }],
      timeZone: 'Europe/Paris',
      region: 'FR-75',
      recordedSince: '2025-01-01',
      directory: 'listed',
      address: 'named',
    };
    r.history = [{ at: '2025-01-01', type: 'call', outcome: 'refused', channel: 'phone' }];
    expect(unknownFields(r)).toBeNull();
  });

  it.each<[string, (r: Loose) => void, string, string]>([
    ['a misspelt list', (r) => (r.contact.list = [{ name: 'bloctel' }]), '/contact/list', '(did you mean "lists"?)'],
    ['a misspelt history', (r) => (r.histroy = []), '/histroy', '(did you mean "history"?)'],
    ['an extra message field', (r) => (r.message.bogus = 1), '/message/bogus', 'message has no field "bogus":'],
    [
      'an offer flag in another case',
      (r) => (r.message.offer = { SimilarToPurchases: true }),
      '/message/offer/SimilarToPurchases',
      '(did you mean "similarToPurchases"?)',
    ],
    [
      'an event field',
      (r) => r.history.push({ at: '2025-01-01', type: 'objection', channel: 'email', chanel: 'sms' }),
      '/history/0/chanel',
      '(did you mean "channel"?)',
    ],
    [
      'a list entry field',
      (r) => (r.contact.lists = [{ name: 'bloctel', sinse: '2025-01-01' }]),
      '/contact/lists/0/sinse',
      '(did you mean "since"?)',
    ],
    // RFC 6901: "/" and "~" in a member name are written ~1 and ~0 in a JSON Pointer.
    ['a field name with a slash', (r) => (r['utm/source'] = 'x'), '/utm~1source', 'has no field "utm/source"'],
    ['a field name with a tilde', (r) => (r.message['~tag'] = 'x'), '/message/~0tag', 'has no field "~tag"'],
    ['a field name with both', (r) => (r.contact['a~/b'] = 1), '/contact/a~0~1b', 'has no field "a~/b"'],
  ])('%s', (_, mutate, path, message) => {
    const r: Loose = base();
    mutate(r);
    expect(() => parseDecisionRequest(r)).not.toThrow();
    expect(unknownFields(r)).toEqual([{ path, message: expect.stringContaining(message) }]);
  });

  it('reads a stored request without history, its contact left to the identifiers check', () => {
    expect(
      unknownFields({ at: 'x', message: { channel: 'email' }, contact: { email: 'a@b.fr' }, history: [] }, true),
    ).toEqual([{ path: '/history', message: expect.stringContaining('the request has no field "history"') }]);
  });
});
