// When an allowed message must state the right to object (OBJECTION_NOTICE), as a table: each row a request and the
// exact obligation codes, in order, with the reference the notice cites (null: no notice). Rows that must NOT carry
// the notice guard the other jurisdictions, bases and data sources against a rule reaching too far.
import { describe, expect, it } from 'vitest';
import type { Channel } from '../../src/domain/channels.js';
import { decide } from '../../src/policy/decide.js';
import { buildRegistry } from '../../src/policy/packs/index.js';

const packs = buildRegistry();
const AT = '2026-03-03T10:30:00+01:00';

type History = Record<string, unknown>[];
const direct: History = [{ at: '2025-11-20T15:00:00Z', type: 'data.collected', source: 'direct', informed: true }];
/** A customer of own similar products: the client exception. */
const customer: History = [...direct, { at: '2025-11-20T15:00:00Z', type: 'purchase', category: 'coffee' }];
/** A confirmed consent on every channel. */
const consent: History = [
  ...direct,
  { at: '2025-11-20T15:00:00Z', type: 'consent.given', channel: '*', method: 'double_opt_in' },
];

interface Row {
  name: string;
  jurisdiction: string;
  channel: Channel;
  contact?: Record<string, unknown>;
  /** Default: own products similar to a purchase. */
  offer?: Record<string, boolean>;
  history: History;
  basis: string;
  codes: string[];
  /** The OBJECTION_NOTICE's `ref`, exactly; null when the message must not carry one. */
  notice: string | null;
}

/** Details bought from a list provider, or taken from a public source; then a confirmed consent to us. */
const bought: History = [
  { at: '2025-11-20T15:00:00Z', type: 'data.collected', source: 'acquired', provider: 'ListCo', informed: true },
];
const published: History = [{ at: '2025-11-20T15:00:00Z', type: 'data.collected', source: 'public', informed: true }];
const confirmedTo = (history: History): History => [
  ...history,
  { at: '2025-11-21T15:00:00Z', type: 'consent.given', channel: '*', method: 'double_opt_in' },
];

const EMAIL = ['IDENTIFY_SENDER', 'MARK_AS_ADVERTISING', 'UNSUBSCRIBE_LINK', 'ONE_CLICK_UNSUBSCRIBE'];
const TEXT = ['IDENTIFY_SENDER', 'MARK_AS_ADVERTISING', 'STOP_KEYWORD'];

const clientException: Row[] = [
  {
    name: 'DE email to a consumer customer (UWG §7 Abs. 3 Nr. 4: the notice in every use)',
    jurisdiction: 'DE',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'UWG §7 Abs. 3 Nr. 4',
  },
  {
    name: 'DE SMS to a consumer customer: STOP alone does not say the right to object',
    jurisdiction: 'DE',
    channel: 'sms',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...TEXT, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'UWG §7 Abs. 3 Nr. 4',
  },
  {
    name: 'DE MMS to a business customer at a named address',
    jurisdiction: 'DE',
    channel: 'mms',
    contact: { type: 'professional', address: 'named' },
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...TEXT, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'UWG §7 Abs. 3 Nr. 4',
  },
  {
    name: 'AT email to a consumer customer (TKG 2021 §174 Abs. 4 Z 3: at every transmission)',
    jurisdiction: 'AT',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'TKG 2021 §174 Abs. 4 Z 3 (TKG 2003 §107 Abs. 3 Z 3 before 2021-11-01)',
  },
  {
    name: 'AT SMS to a consumer customer',
    jurisdiction: 'AT',
    channel: 'sms',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...TEXT, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'TKG 2021 §174 Abs. 4 Z 3 (TKG 2003 §107 Abs. 3 Z 3 before 2021-11-01)',
  },
  {
    name: 'DE email on a consent: the client-exception notice is not asked',
    jurisdiction: 'DE',
    channel: 'email',
    history: consent,
    basis: 'CONSENT',
    codes: [...EMAIL, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'AT SMS on a consent: no notice either',
    jurisdiction: 'AT',
    channel: 'sms',
    history: consent,
    basis: 'CONSENT',
    codes: [...TEXT, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'FR email to a customer: unchanged, the unsubscribe link is the means to object',
    jurisdiction: 'FR',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'CH SMS to a customer: unchanged',
    jurisdiction: 'CH',
    channel: 'sms',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: ['IDENTIFY_SENDER', 'STOP_KEYWORD', 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'NL email to a customer: unchanged',
    jurisdiction: 'NL',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
];

/** GDPR art. 21(4): the notice follows the source disclosure, in the pack's order. */
const FIRST_CONTACT = ['DISCLOSE_DATA_SOURCE', 'OBJECTION_NOTICE'];
const RGPD = 'RGPD art. 21(4), 14(2)(c) and 14(3)(b)';
const DSGVO = 'DSGVO Art. 21(4), 14(2)(c), 14(3)(b)';

const thirdPartyData: Row[] = [
  {
    name: 'FR email to a named professional from a bought list',
    jurisdiction: 'FR',
    channel: 'email',
    contact: { type: 'professional', address: 'named' },
    offer: { relatedToProfession: true },
    history: bought,
    basis: 'B2B_RELATED',
    codes: [...EMAIL, ...FIRST_CONTACT],
    notice: RGPD,
  },
  {
    name: 'FR SMS on a consent to a bought-list contact',
    jurisdiction: 'FR',
    channel: 'sms',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: [...TEXT, ...FIRST_CONTACT],
    notice: RGPD,
  },
  {
    name: 'DE email on a consent to a bought-list contact',
    jurisdiction: 'DE',
    channel: 'email',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: [...EMAIL, ...FIRST_CONTACT],
    notice: DSGVO,
  },
  {
    name: 'AT SMS on a consent, details from a public source',
    jurisdiction: 'AT',
    channel: 'sms',
    offer: {},
    history: confirmedTo(published),
    basis: 'CONSENT',
    codes: [...TEXT, ...FIRST_CONTACT],
    notice: DSGVO,
  },
  {
    name: 'BE email on a consent to a bought-list contact',
    jurisdiction: 'BE',
    channel: 'email',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: [...EMAIL, ...FIRST_CONTACT],
    notice: RGPD,
  },
  {
    name: 'ES MMS on a consent to a bought-list contact',
    jurisdiction: 'ES',
    channel: 'mms',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: [...TEXT, ...FIRST_CONTACT],
    notice: RGPD,
  },
  {
    name: 'IT email on a consent to a bought-list contact',
    jurisdiction: 'IT',
    channel: 'email',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: [...EMAIL, ...FIRST_CONTACT],
    notice: 'GDPR art. 21(4), 14(2)(c) and 14(3)(b)',
  },
  {
    name: 'NL email on a consent, details from a public source',
    jurisdiction: 'NL',
    channel: 'email',
    offer: {},
    history: confirmedTo(published),
    basis: 'CONSENT',
    codes: [...EMAIL, ...FIRST_CONTACT],
    notice: 'AVG art. 21(4), 14(2)(c) and 14(3)(b)',
  },
  {
    name: 'GB email on a consent to a bought-list contact (UK GDPR art. 21(4))',
    jurisdiction: 'GB',
    channel: 'email',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: [...EMAIL, ...FIRST_CONTACT],
    notice: 'UK GDPR art. 21(4), 14(2)(c) and 14(3)(b) (Data Protection Act 1998 before 2018-05-25)',
  },
  {
    name: 'DE customer first met on a bought list: one notice citing both texts, at the client notice’s place',
    jurisdiction: 'DE',
    channel: 'email',
    history: [...bought, { at: '2025-11-22T15:00:00Z', type: 'purchase' }],
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: `UWG §7 Abs. 3 Nr. 4; ${DSGVO}`,
  },
  {
    name: 'FR postal letter from a bought list: the notice every letter carries, unchanged',
    jurisdiction: 'FR',
    channel: 'postal',
    offer: {},
    history: bought,
    basis: 'OPT_OUT_REGIME',
    codes: ['IDENTIFY_SENDER', 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'RGPD art. 21(4); CPCE art. L34-5 al. 5',
  },
  {
    name: 'FR email to a generic company address from a bought list: no data subject to inform',
    jurisdiction: 'FR',
    channel: 'email',
    contact: { type: 'professional', address: 'generic' },
    offer: {},
    history: bought,
    basis: 'LEGAL_PERSON',
    codes: [...EMAIL, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'FR email on a consent, details collected directly: no first-contact notice',
    jurisdiction: 'FR',
    channel: 'email',
    offer: {},
    history: consent,
    basis: 'CONSENT',
    codes: [...EMAIL, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'CH email to a bought-list contact: Swiss DSG, not the GDPR, unchanged',
    jurisdiction: 'CH',
    channel: 'email',
    offer: {},
    history: confirmedTo(bought),
    basis: 'CONSENT',
    codes: ['IDENTIFY_SENDER', 'UNSUBSCRIBE_LINK', 'ONE_CLICK_UNSUBSCRIBE', 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'FR SMS on a consent to a customer who gave us their details, later also on a bought list: not third-party',
    jurisdiction: 'FR',
    channel: 'sms',
    offer: {},
    history: confirmedTo([...direct, ...bought]),
    basis: 'CONSENT',
    codes: [...TEXT, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'US email to a bought-list contact: CAN-SPAM, unchanged',
    jurisdiction: 'US',
    channel: 'email',
    offer: {},
    history: bought,
    basis: 'OPT_OUT_REGIME',
    codes: ['MARK_AS_ADVERTISING', 'IDENTIFY_SENDER', 'UNSUBSCRIBE_LINK', 'ONE_CLICK_UNSUBSCRIBE'],
    notice: null,
  },
];

function check(row: Row): void {
  const answer = decide(
    {
      jurisdiction: row.jurisdiction,
      at: AT,
      message: { channel: row.channel, offer: row.offer ?? { similarToPurchases: true } },
      contact: row.contact ?? { type: 'individual' },
      history: row.history,
    },
    packs,
  );
  if ('error' in answer) throw new Error(`${row.name}: ${JSON.stringify(answer.error)}`);
  expect({ decision: answer.decision, basis: answer.basis }, JSON.stringify(answer.reasons)).toEqual({
    decision: 'allow',
    basis: row.basis,
  });
  expect(answer.obligations.map((o) => o.code)).toEqual(row.codes);
  const notice = answer.obligations.find((o) => o.code === 'OBJECTION_NOTICE');
  expect(notice?.ref ?? null).toBe(row.notice);
}

describe('OBJECTION_NOTICE under the client exception (DE, AT)', () => {
  it.each(clientException.map((r) => [r.name, r] as const))('%s', (_name, row) => check(row));
});

describe('OBJECTION_NOTICE on the first message with third-party details (GDPR art. 21(4))', () => {
  it.each(thirdPartyData.map((r) => [r.name, r] as const))('%s', (_name, row) => check(row));
});
