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
  history: History;
  basis: string;
  codes: string[];
  /** The OBJECTION_NOTICE's `ref`, exactly; null when the message must not carry one. */
  notice: string | null;
}

const EMAIL_DE = ['IDENTIFY_SENDER', 'MARK_AS_ADVERTISING', 'UNSUBSCRIBE_LINK', 'ONE_CLICK_UNSUBSCRIBE'];
const SMS_DE = ['IDENTIFY_SENDER', 'MARK_AS_ADVERTISING', 'STOP_KEYWORD'];

const clientException: Row[] = [
  {
    name: 'DE email to a consumer customer (UWG §7 Abs. 3 Nr. 4: the notice in every use)',
    jurisdiction: 'DE',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL_DE, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'UWG §7 Abs. 3 Nr. 4',
  },
  {
    name: 'DE SMS to a consumer customer: STOP alone does not say the right to object',
    jurisdiction: 'DE',
    channel: 'sms',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...SMS_DE, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'UWG §7 Abs. 3 Nr. 4',
  },
  {
    name: 'DE MMS to a business customer at a named address',
    jurisdiction: 'DE',
    channel: 'mms',
    contact: { type: 'professional', address: 'named' },
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...SMS_DE, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'UWG §7 Abs. 3 Nr. 4',
  },
  {
    name: 'AT email to a consumer customer (TKG 2021 §174 Abs. 4 Z 3: at every transmission)',
    jurisdiction: 'AT',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...EMAIL_DE, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'TKG 2021 §174 Abs. 4 Z 3 (TKG 2003 §107 Abs. 3 Z 3 before 2021-11-01)',
  },
  {
    name: 'AT SMS to a consumer customer',
    jurisdiction: 'AT',
    channel: 'sms',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [...SMS_DE, 'OBJECTION_NOTICE', 'DISCLOSE_DATA_SOURCE'],
    notice: 'TKG 2021 §174 Abs. 4 Z 3 (TKG 2003 §107 Abs. 3 Z 3 before 2021-11-01)',
  },
  {
    name: 'DE email on a consent: the client-exception notice is not asked',
    jurisdiction: 'DE',
    channel: 'email',
    history: consent,
    basis: 'CONSENT',
    codes: [...EMAIL_DE, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'AT SMS on a consent: no notice either',
    jurisdiction: 'AT',
    channel: 'sms',
    history: consent,
    basis: 'CONSENT',
    codes: [...SMS_DE, 'DISCLOSE_DATA_SOURCE'],
    notice: null,
  },
  {
    name: 'FR email to a customer: unchanged, the unsubscribe link is the means to object',
    jurisdiction: 'FR',
    channel: 'email',
    history: customer,
    basis: 'CLIENT_EXCEPTION',
    codes: [
      'IDENTIFY_SENDER',
      'MARK_AS_ADVERTISING',
      'UNSUBSCRIBE_LINK',
      'ONE_CLICK_UNSUBSCRIBE',
      'DISCLOSE_DATA_SOURCE',
    ],
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
    codes: [
      'IDENTIFY_SENDER',
      'MARK_AS_ADVERTISING',
      'UNSUBSCRIBE_LINK',
      'ONE_CLICK_UNSUBSCRIBE',
      'DISCLOSE_DATA_SOURCE',
    ],
    notice: null,
  },
];

function check(row: Row): void {
  const answer = decide(
    {
      jurisdiction: row.jurisdiction,
      at: AT,
      message: { channel: row.channel, offer: { similarToPurchases: true } },
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
