// Generators and helpers of the engine's property-based tests (metamorphic.test.ts, metamorphic-obligations.test.ts):
// requests of the decision contract over all ten packs, every channel and audience, and histories of every event type.
import fc from 'fast-check';
import type { Decision } from '../../src/domain/decision.js';
import { decide } from '../../src/policy/decide.js';
import { buildRegistry } from '../../src/policy/packs/index.js';

export const packs = buildRegistry();
export const RUNS = Number(process.env.METAMORPHIC_RUNS ?? 150);
export const DAY = 86_400_000;
export const YEAR = 365.25 * DAY;

export const JURISDICTIONS = ['FR', 'DE', 'AT', 'CH', 'BE', 'NL', 'ES', 'IT', 'GB', 'US'] as const;
export const CHANNELS = ['email', 'sms', 'mms', 'automated_call', 'fax', 'phone', 'postal'] as const;
export type Channel = (typeof CHANNELS)[number];
/** Days around the dated changes of the packs (FR phone opt-in, D223-9, Bloctel, NL, ES, IT, US, GB). */
export const KEY_DATES = [
  '2026-08-11',
  '2026-08-10',
  '2023-03-01',
  '2020-07-25',
  '2016-06-01',
  '2021-07-01',
  '2023-06-29',
  '2022-07-27',
  '2013-10-16',
  '2018-09-08',
  '2019-01-09',
  '2025-07-02',
  '2014-05-31',
  '2019-02-03',
  '2026-03-02',
];
export const REGIONS: Record<string, string[]> = {
  FR: ['FR-75', 'FR-67', 'FR-974', 'FR-971', 'FR-57'],
  DE: ['DE-BY'],
  ES: ['ES-CN', 'ES-MD'],
  US: ['US-TX', 'US-CA', 'US-NY', 'US-PR'],
  IT: ['IT-21'],
  BE: ['BE-BRU'],
};
export const ZONES = [
  'Europe/Paris',
  'Europe/Berlin',
  'Europe/London',
  'Europe/Madrid',
  'Europe/Rome',
  'America/New_York',
  'America/Chicago',
  'America/Los_Angeles',
  'Atlantic/Canary',
  'Indian/Reunion',
];
export const LISTS = [
  'bloctel',
  'robinson',
  'ecg',
  'dncm',
  'bel-me-niet',
  'postfilter',
  'rpo',
  'dnc',
  'tps',
  'ctps',
  'fps',
  'mps',
];
export const POSITIVE = ['consent.given', 'consent.confirmed', 'consent.requested'];
export const CLIENT_EVENTS = ['purchase', 'contract.started', 'contract.ended', 'interaction'];

/** An event of the contract without its time. */
export interface EvBody {
  type: string;
  [field: string]: unknown;
}
export interface Ev {
  at: string;
  type: string;
  channel?: string | string[];
  purpose?: string;
  scope?: string;
  partners?: string[];
  method?: string;
  [field: string]: unknown;
}
export interface Req {
  jurisdiction: string;
  at: string;
  message: {
    channel: Channel;
    purpose?: string;
    sender?: string;
    partner?: string;
    offer?: Record<string, unknown>;
  };
  contact: {
    type?: string;
    address?: string;
    lists?: { name: string; since?: string }[];
    directory?: string;
    timeZone?: string;
    region?: string;
    recordedSince?: string;
  };
  history: Ev[];
}
/** A generated request and the instant it decides at (epoch ms), for relations that move events around it. */
export interface Case {
  ms: number;
  offset: number | null;
  req: Req;
}

/** `ms` written with a UTC offset in minutes (null: `Z`). */
export function iso(ms: number, offset: number | null = null): string {
  if (offset === null) return new Date(ms).toISOString().replace('.000Z', 'Z');
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 19);
  const a = Math.abs(offset);
  return `${local}${offset >= 0 ? '+' : '-'}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
export const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
export const seconds = (min: number, max: number) => fc.integer({ min, max }).map((s) => s * 1000);
export const between = (from: string, to: string) => seconds(Date.parse(from) / 1000, Date.parse(to) / 1000);

export const instant = fc.oneof(
  fc
    .tuple(fc.constantFrom(...KEY_DATES), fc.integer({ min: -3 * 86_400, max: 3 * 86_400 }))
    .map(([d, s]) => Date.parse(d) + s * 1000),
  between('2012-01-01', '2028-06-01'),
  // weekday-ish working hours, so that calls get allowed too
  fc
    .tuple(fc.integer({ min: 16_800, max: 21_550 }), fc.integer({ min: 7, max: 20 }), fc.integer({ min: 0, max: 59 }))
    .map(([d, h, m]) => d * DAY + h * 3_600_000 + m * 60_000),
);
/** How long before the decision an event happened: any time in 3.6 years, about 3 years, or recently. */
export const before = fc.oneof(
  seconds(-Math.floor((3.6 * YEAR) / 1000), -1),
  seconds(-Math.floor((3.05 * YEAR) / 1000), -Math.floor((2.95 * YEAR) / 1000)),
  seconds(-70 * 86_400, -1),
);
export const purpose = fc.constantFrom(
  undefined,
  undefined,
  'marketing',
  'newsletter',
  'offers',
  '*',
  'calls_outside_hours',
);
export const channelField = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<string | string[]>(...CHANNELS) },
  { weight: 1, arbitrary: fc.constant<string | string[]>('*') },
  { weight: 1, arbitrary: fc.subarray<string>([...CHANNELS], { minLength: 1 }) },
);
export const scope = fc.constantFrom(undefined, 'own', 'partners');
export const partners = fc.option(fc.subarray(['acme', 'globex']), { nil: undefined });
/** Every event type of the contract, with its fields. */
export const eventBody = fc.oneof(
  fc.record(
    {
      type: fc.constant('data.collected'),
      source: fc.constantFrom(undefined, 'direct', 'acquired', 'public'),
      provider: fc.constantFrom(undefined, 'DataBroker SAS'),
      informed: fc.constantFrom(undefined, true, false),
    },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    {
      type: fc.constant('consent.given'),
      channel: channelField,
      purpose,
      scope,
      partners,
      method: fc.constantFrom(undefined, 'checkbox', 'double_opt_in', 'written', 'recorded_call', 'bundled'),
    },
    { requiredKeys: ['type', 'channel'] },
  ),
  fc.record(
    {
      type: fc.constantFrom('consent.requested', 'consent.confirmed', 'consent.refused', 'consent.withdrawn'),
      channel: channelField,
      purpose,
      scope,
      partners,
    },
    { requiredKeys: ['type', 'channel'] },
  ),
  fc.record({ type: fc.constant('objection'), channel: channelField, purpose }, { requiredKeys: ['type', 'channel'] }),
  fc.record({ type: fc.constantFrom('account.created', 'message.opened') }),
  fc.record(
    { type: fc.constant('purchase'), category: fc.constantFrom(undefined, 'shoes') },
    { requiredKeys: ['type'] },
  ),
  fc.record(
    { type: fc.constantFrom('contract.started', 'contract.ended'), contract: fc.constantFrom(undefined, 'c1', 'c2') },
    { requiredKeys: ['type'] },
  ),
  fc.record({ type: fc.constant('interaction'), kind: fc.constantFrom('click', 'reply', 'request', 'visit') }),
  fc.record({ type: fc.constant('call'), outcome: fc.constantFrom('answered', 'no_answer', 'refused') }),
) as fc.Arbitrary<EvBody>;

export interface Spec {
  jurisdiction: string;
  ms: number;
  offset: number | null;
  channel: Channel;
  purpose: string | undefined;
  sender: string | undefined;
  partner: string | undefined;
  offer: Record<string, unknown> | undefined;
  type: string | undefined;
  address: string | undefined;
  lists: { name: string; back: number | undefined }[];
  directory: string | undefined;
  zone: string | undefined;
  region: number | undefined;
  recordedBack: number | undefined;
  history: [EvBody, number, number | null | 'date'][];
  consent: [number, string] | undefined;
}
export const specFields = {
  jurisdiction: fc.constantFrom<string>(...JURISDICTIONS),
  ms: instant,
  offset: fc.constantFrom(0, 60, 120, -300, -240, -480, 240, 330, null),
  channel: fc.constantFrom(...CHANNELS),
  purpose: fc.constantFrom(undefined, 'marketing', 'newsletter', 'offers'),
  sender: fc.constantFrom(undefined, 'own', 'own', 'partner'),
  partner: fc.constantFrom(undefined, 'acme', 'globex'),
  offer: fc.option(
    fc.record(
      {
        similarToPurchases: fc.boolean(),
        relatedToProfession: fc.boolean(),
        relatedToContract: fc.boolean(),
        sector: fc.constantFrom(undefined, undefined, 'energy_renovation', 'press', 'claims_management', 'pensions'),
      },
      { requiredKeys: [] },
    ),
    { nil: undefined },
  ),
  type: fc.constantFrom(undefined, 'individual', 'professional'),
  address: fc.constantFrom(undefined, 'named', 'generic'),
  lists: fc.array(fc.record({ name: fc.constantFrom(...LISTS), back: fc.option(before, { nil: undefined }) }), {
    maxLength: 2,
  }),
  directory: fc.constantFrom(undefined, 'listed', 'starred', 'unlisted'),
  zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined, freq: 2 }),
  region: fc.option(fc.nat(10), { nil: undefined, freq: 2 }),
  recordedBack: fc.option(before, { nil: undefined, freq: 3 }),
  history: fc.array(
    fc.tuple(eventBody, before, fc.constantFrom<number | null | 'date'>(null, null, 0, 120, -300, 'date')),
    {
      maxLength: 8,
    },
  ),
  // half the requests carry a consent matching the message, so that consent allows are common too
  consent: fc.option(fc.tuple(before, fc.constantFrom('double_opt_in', 'checkbox', 'written')), {
    nil: undefined,
    freq: 2,
  }),
};

/** A consent.given covering the message (channel, purpose, scope and partner), `back` ms before the decision. */
export function matchingConsent(
  s: {
    ms: number;
    channel: Channel;
    purpose?: string | undefined;
    sender?: string | undefined;
    partner?: string | undefined;
  },
  back: number,
  method = 'double_opt_in',
): Ev {
  const e: Ev = { at: iso(s.ms + back), type: 'consent.given', channel: s.channel, method };
  if (s.purpose) e.purpose = s.purpose;
  if (s.sender === 'partner') {
    e.scope = 'partners';
    if (s.partner) e.partners = [s.partner];
  }
  return e;
}

export function build(s: Spec): Case {
  const contact: Req['contact'] = {};
  if (s.type) contact.type = s.type;
  if (s.address) contact.address = s.address;
  if (s.lists.length > 0)
    contact.lists = s.lists.map((l) =>
      l.back === undefined ? { name: l.name } : { name: l.name, since: day(s.ms + l.back) },
    );
  if (s.directory) contact.directory = s.directory;
  if (s.zone) contact.timeZone = s.zone;
  const regions = REGIONS[s.jurisdiction];
  if (s.region !== undefined && regions) contact.region = regions[s.region % regions.length];
  if (s.recordedBack !== undefined) contact.recordedSince = iso(s.ms + s.recordedBack);
  const message: Req['message'] = { channel: s.channel };
  if (s.purpose) message.purpose = s.purpose;
  if (s.sender) message.sender = s.sender;
  if (s.sender === 'partner' && s.partner) message.partner = s.partner;
  if (s.offer) message.offer = s.offer;
  const history: Ev[] = s.history.map(([e, back, form]) => ({
    at: form === 'date' ? day(s.ms + back) : iso(s.ms + back, form),
    ...e,
  }));
  if (s.consent) history.push(matchingConsent(s, s.consent[0], s.consent[1]));
  return {
    ms: s.ms,
    offset: s.offset,
    req: { jurisdiction: s.jurisdiction, at: iso(s.ms, s.offset), message, contact, history },
  };
}

/** Requests over every pack, channel and audience; `fixed` pins some fields (one pack, one channel…). */
export function requests(fixed: { [K in keyof Spec]?: fc.Arbitrary<Spec[K]> } = {}): fc.Arbitrary<Case> {
  return fc.record({ ...specFields, ...fixed } as { [K in keyof Spec]: fc.Arbitrary<Spec[K]> }).map(build);
}
export const anyRequest = requests();
export const individual = { type: fc.constantFrom(undefined, 'individual') };

export function run(req: Req): Decision {
  const answer = decide(structuredClone(req), packs);
  if ('error' in answer) throw new Error(`generated an invalid request: ${JSON.stringify(answer.error)}`);
  return answer;
}
/** What a decision says, without its wording. */
export function gist(d: Decision): string {
  return JSON.stringify([d.decision, d.basis, d.reasons.map((r) => r.code), d.obligations.map((o) => o.code), d.rules]);
}
export const at = (e: Ev): number =>
  Date.parse(e.at.length === 10 || /[Z+-]\d\d:\d\d$|Z$/.test(e.at) ? e.at : `${e.at}Z`);
export const isOptInChannel = (j: string, c: Channel) =>
  c !== 'phone' && c !== 'postal' && !(j === 'US' && c === 'email');
export const withHistory = (req: Req, history: Ev[]): Req => ({ ...req, history });
/** The history without positive acts from `from` on (so that a "no" added at `from` stays the person's last word). */
export const noPositiveFrom = (req: Req, from: number): Ev[] =>
  req.history.filter((e) => !(POSITIVE.includes(e.type) && at(e) >= from));
/** A property that throws on failure (a predicate's return value is ignored). */
export const check = <T>(arb: fc.Arbitrary<T>, predicate: (value: T) => void, runs = RUNS) =>
  fc.assert(
    fc.property(arb, (value) => {
      predicate(value);
    }),
    { numRuns: runs },
  );
