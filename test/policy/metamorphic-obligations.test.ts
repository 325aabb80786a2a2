// Property-based tests of what an allow must carry (obligations), which legal ground it reports (basis) and which
// reason a deny puts first, over all ten packs, with the generators of metamorphic.test.ts. Each property is one the
// law or the decision contract implies (the article is named beside it). METAMORPHIC_RUNS=5000 (or more) to hunt.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BasisCode, ObligationCode, ReasonCode } from '../../src/domain/codes.js';
import { REASON_RANK } from '../../src/domain/codes.js';
import type { Decision } from '../../src/domain/decision.js';
import { parseDecisionRequest } from '../../src/domain/parse-request.js';
import { evaluate, type TraceEntry } from '../../src/policy/evaluate.js';
import {
  anyRequest,
  at,
  before,
  between,
  type Case,
  type Channel,
  check,
  type Ev,
  iso,
  matchingConsent,
  noPositiveFrom,
  POSITIVE,
  packs,
  type Req,
  requests,
  run,
  seconds,
  withHistory,
} from './metamorphic-gen.js';

const RUNS_X4 = 4 * Number(process.env.METAMORPHIC_RUNS ?? 150);
const GDPR = ['FR', 'DE', 'AT', 'BE', 'NL', 'ES', 'IT', 'GB'];
const TEXTS: readonly Channel[] = ['sms', 'mms'];
const CALLS: readonly Channel[] = ['phone', 'automated_call'];
const codes = (d: Decision): ObligationCode[] => d.obligations.map((o) => o.code);
const isIndividual = (req: Req) => (req.contact.type ?? 'individual') === 'individual';
const isGeneric = (req: Req) => req.contact.type === 'professional' && req.contact.address === 'generic';
/** The allows among generated requests (most requests are denied: skip the rest). */
const allowed = (c: Case): Decision | null => {
  const d = run(c.req);
  return d.decision === 'allow' ? d : null;
};

/** Where the details came from, as the contract's `data.collected` events up to the decision say. */
function sources(c: Case): Set<string> {
  return new Set(
    c.req.history.filter((e) => e.type === 'data.collected' && at(e) <= c.ms).map((e) => String(e.source ?? 'direct')),
  );
}

describe('obligations on allow (what the message must carry)', () => {
  it('every allowed email carries an unsubscribe link, RFC 8058 one-click headers and the sender’s identity', () => {
    // ePrivacy art. 13(2), (4); CPCE L34-5 al. 5; UWG §7(2) Nr. 3; PECR reg. 23; CAN-SPAM 15 U.S.C. §7704(a)(3), (5).
    // Every email is read as possibly bulk: one request does not say how many go out (RFC 8058, bulk senders).
    check(requests({ channel: fc.constant<Channel>('email') }), (c) => {
      const d = allowed(c);
      if (d === null) return;
      expect(codes(d)).toEqual(
        expect.arrayContaining(['IDENTIFY_SENDER', 'UNSUBSCRIBE_LINK', 'ONE_CLICK_UNSUBSCRIBE']),
      );
    });
  });

  it('every allowed SMS or MMS carries a free STOP and the sender’s identity (US: since the FCC 2015 revocation order)', () => {
    // CPCE L34-5 al. 5 and CNIL (STOP); UWG §7(2) Nr. 3; PECR reg. 23(b); 47 CFR 64.1200(a)(10), (d)(4).
    check(requests({ channel: fc.constantFrom(...TEXTS) }), (c) => {
      const d = allowed(c);
      if (d === null) return;
      expect(codes(d)).toContain('IDENTIFY_SENDER');
      if (!(c.req.jurisdiction === 'US' && c.ms < Date.parse('2015-07-10'))) expect(codes(d)).toContain('STOP_KEYWORD');
    });
  });

  it('every allowed call to an individual announces the caller and the commercial purpose, from an identified number', () => {
    // Directive 2011/83/EU art. 8(5); C. consom. L221-16, L221-17; PECR reg. 24; 16 CFR 310.4(d); 47 CFR 64.1200(b).
    check(requests({ channel: fc.constantFrom(...CALLS), type: fc.constantFrom(undefined, 'individual') }), (c) => {
      const d = allowed(c);
      if (d === null) return;
      expect(codes(d)).toEqual(expect.arrayContaining(['IDENTIFY_SENDER', 'ANNOUNCE_CALLER_AND_PURPOSE']));
    });
  });

  it('FR: an allowed consumer call mentions Bloctel exactly while Bloctel binds (C. consom. L221-16 al. 1, 2016-06-01 to 2026-08-10)', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      channel: fc.constant<Channel>('phone'),
      type: fc.constantFrom(undefined, 'individual'),
      ms: fc.oneof(
        between('2015-01-01', '2028-01-01'),
        fc
          .constantFrom('2016-06-01', '2026-08-11')
          .chain((d) => seconds(Date.parse(d) / 1000 - 6 * 3600, Date.parse(d) / 1000 + 3600)),
      ),
    };
    check(requests(fixed), (c) => {
      const d = allowed(c);
      if (d === null) return;
      const notice = d.obligations.find((o) => o.code === 'OBJECTION_NOTICE');
      const bloctel = String(d.rules) >= 'FR@2016-06-01' && String(d.rules) < 'FR@2026-08-11';
      expect(notice?.ref.includes('L221-16')).toBe(bloctel);
    });
  });

  it('US email: the advertisement label only without the recipient’s prior affirmative consent (15 U.S.C. §7704(a)(5)(B))', () => {
    check(requests({ jurisdiction: fc.constant('US'), channel: fc.constant<Channel>('email') }), (c) => {
      const d = allowed(c);
      if (d === null) return;
      expect(codes(d).includes('MARK_AS_ADVERTISING')).toBe(d.basis !== 'CONSENT');
      expect(codes(d)).toEqual(expect.arrayContaining(['IDENTIFY_SENDER', 'UNSUBSCRIBE_LINK']));
    });
  });

  it('never asks an allow for an obligation foreign to its channel', () => {
    const only: Partial<Record<ObligationCode, readonly Channel[]>> = {
      UNSUBSCRIBE_LINK: ['email'],
      ONE_CLICK_UNSUBSCRIBE: ['email'],
      STOP_KEYWORD: TEXTS,
      ANNOUNCE_CALLER_AND_PURPOSE: CALLS,
      // LCEN art. 20, DDG §6, PECR/e-Commerce reg. 7: written electronic messages (and fax in France)
      MARK_AS_ADVERTISING: ['email', 'sms', 'mms', 'fax'],
    };
    check(anyRequest, (c) => {
      const d = run(c.req);
      for (const code of codes(d)) {
        const channels = only[code];
        if (channels !== undefined) expect(channels).toContain(c.req.message.channel);
      }
    });
  });

  it('every allow in Europe gives the person a way to object in the message itself (GDPR art. 21(4); ePrivacy art. 13(2))', () => {
    // email: the unsubscribe link; SMS/MMS: STOP; fax, calls and letters: the objection notice.
    const means: Record<Channel, ObligationCode> = {
      email: 'UNSUBSCRIBE_LINK',
      sms: 'STOP_KEYWORD',
      mms: 'STOP_KEYWORD',
      fax: 'OBJECTION_NOTICE',
      phone: 'OBJECTION_NOTICE',
      automated_call: 'OBJECTION_NOTICE',
      postal: 'OBJECTION_NOTICE',
    };
    check(requests({ jurisdiction: fc.constantFrom(...GDPR, 'CH') }), (c) => {
      const d = allowed(c);
      if (d === null) return;
      expect(codes(d)).toContain(means[c.req.message.channel]);
    });
  });

  it('details only from a third party or a public source: the allow names the source, with article 14 GDPR, and the right to object', () => {
    // GDPR art. 14(2)(f) (the source), 14(3)(b) (at the latest at the first communication), 21(4) (the objection,
    // explicitly and apart); CH: DSG art. 19. No US federal rule asks for either.
    const kind = fc.constantFrom('acquired', 'public');
    const provider = fc.constantFrom(undefined, 'DataBroker SAS');
    check(fc.tuple(anyRequest, kind, provider, before), ([c, source, name, back]) => {
      const history = c.req.history.filter((e) => e.type !== 'data.collected');
      const collected: Ev = { at: iso(c.ms + back), type: 'data.collected', source };
      if (name) collected.provider = name;
      const d = run(withHistory(c.req, [...history, collected]));
      if (d.decision !== 'allow') return;
      const disclose = d.obligations.find((o) => o.code === 'DISCLOSE_DATA_SOURCE');
      if (c.req.jurisdiction === 'US') {
        expect(disclose).toBeUndefined();
        return;
      }
      expect(disclose?.source).toEqual({ kind: source, provider: source === 'acquired' ? (name ?? null) : null });
      expect(disclose?.ref).toMatch(
        c.req.jurisdiction === 'CH' ? /DSG Art\. 19 Abs\. 2/ : /14\(2\)\(f\), 14\(3\)\(b\)/,
      );
      if (GDPR.includes(c.req.jurisdiction) && !isGeneric(c.req)) {
        const notice = d.obligations.find((o) => o.code === 'OBJECTION_NOTICE');
        expect(notice?.ref).toMatch(/21\(4\)/);
      }
    });
  });

  it('details the person gave us: the source is not disclosed as a third party’s, whatever list held them too', () => {
    // GDPR art. 13 (collected from the person): a bought list that also held the details adds no art. 14 wording.
    check(fc.tuple(anyRequest, before), ([c, back]) => {
      const collected: Ev = { at: iso(c.ms + back), type: 'data.collected', source: 'direct' };
      const d = run(withHistory(c.req, [...c.req.history, collected]));
      if (d.decision !== 'allow') return;
      for (const o of d.obligations) expect(o.source).toBeUndefined();
      const notice = d.obligations.find((o) => o.code === 'OBJECTION_NOTICE');
      // on email and texts, the notice then comes only from the client exception (UWG §7(3) Nr. 4, TKG §174(4) Z 3)
      if (notice !== undefined && ['email', 'sms', 'mms'].includes(c.req.message.channel)) {
        expect(['DE', 'AT']).toContain(c.req.jurisdiction);
        expect(d.basis).toBe('CLIENT_EXCEPTION');
      }
    });
  });

  it('gives the same obligations to allows of the same pack version, channel, audience, basis and data source', () => {
    // What the message must carry depends on the law in force and on the message, not on the rest of the history.
    const seen = new Map<string, string>();
    check(
      anyRequest,
      (c) => {
        const d = allowed(c);
        if (d === null) return;
        const src = [...sources(c)].sort().join('+');
        const key = JSON.stringify([
          d.rules,
          c.req.message.channel,
          isIndividual(c.req) ? 'b2c' : isGeneric(c.req) ? 'generic' : 'named',
          d.basis,
          src,
          d.obligations.find((o) => o.source)?.source?.provider ?? null,
        ]);
        const value = JSON.stringify(d.obligations.map((o) => [o.code, o.ref]));
        const first = seen.get(key);
        if (first === undefined) seen.set(key, value);
        else expect(value).toBe(first);
      },
      RUNS_X4,
    );
  });
});

describe('the main reason of a deny (contract: "first = main reason")', () => {
  const rank = (code: string) => REASON_RANK[code as ReasonCode];

  it('an objection on the channel, as the person’s last word, is the main reason unless a ban comes first', () => {
    // GDPR art. 21(2)-(3): the objection ends the processing for direct marketing whatever the ground.
    check(fc.tuple(anyRequest, fc.integer({ min: 1, max: 400 * 86_400 })), ([c, secs]) => {
      const t = c.ms - secs * 1000;
      const e: Ev = { at: iso(t), type: 'objection', channel: c.req.message.channel };
      const d = run(withHistory(c.req, [...noPositiveFrom(c.req, t), e]));
      expect(d.decision).toBe('deny');
      expect(rank(d.reasons[0]?.code as string)).toBeLessThanOrEqual(rank('WITHDRAWN'));
    });
  });

  it('a refusal when asked, as the last word on the channel, outranks a missing consent, lists, retention and hours', () => {
    check(fc.tuple(anyRequest, fc.integer({ min: 1, max: 400 * 86_400 })), ([c, secs]) => {
      const t = c.ms - secs * 1000;
      const e: Ev = { at: iso(t), type: 'consent.refused', channel: c.req.message.channel };
      if (c.req.message.sender === 'partner') e.scope = 'partners';
      const d = run(withHistory(c.req, [...noPositiveFrom(c.req, t), e]));
      expect(d.decision).toBe('deny');
      expect(rank(d.reasons[0]?.code as string)).toBeLessThanOrEqual(rank('REFUSED_AT_COLLECTION'));
    });
  });

  it('keeps the main reason when call attempts add a frequency fault (a timing constraint ranks last)', () => {
    // D223-9 al. 3: a limit a later attempt could meet says less than a missing ground or what the person said.
    const calls = fc.array(seconds(3_600, 28 * 86_400), { minLength: 5, maxLength: 6 });
    check(fc.tuple(anyRequest, calls), ([c, backs]) => {
      const d = run(c.req);
      if (d.decision !== 'deny' || c.req.history.length === 0) return;
      const first = Math.min(...c.req.history.map((e) => at(e)));
      const extra = backs.map((b) => ({ at: iso(Math.max(first, c.ms - b)), type: 'call', outcome: 'no_answer' }));
      const more = run(withHistory(c.req, [...c.req.history, ...extra]));
      const main = d.reasons[0]?.code as string;
      if (rank(main) < rank('FREQUENCY_LIMIT')) expect(more.reasons[0]?.code).toBe(main);
    });
  });

  it('gives RETENTION_EXPIRED as the main reason only where a fresh contact from the person would lift the deny (but for timing)', () => {
    // engine.md: the age of the data is decisive only when a basis would otherwise hold (CNIL, 3 years).
    const timing = ['RECENT_REFUSAL', 'FREQUENCY_LIMIT', 'OUTSIDE_HOURS'];
    check(
      fc.tuple(requests({ jurisdiction: fc.constant('FR') }), seconds(60, 86_400)),
      ([c, back]) => {
        const d = run(c.req);
        if (d.decision !== 'deny') return;
        const fresh: Ev = { at: iso(c.ms - back), type: 'interaction', kind: 'reply' };
        const after = run(withHistory(c.req, [...c.req.history, fresh]));
        if (d.reasons[0]?.code === 'RETENTION_EXPIRED') {
          if (after.decision === 'deny') expect(timing).toContain(after.reasons[0]?.code);
        } else if (d.reasons.some((r) => r.code === 'RETENTION_EXPIRED')) {
          expect(after.decision).toBe('deny');
          expect(after.reasons[0]?.code).toBe(d.reasons[0]?.code);
        }
      },
      RUNS_X4,
    );
  });

  it('gives the same main reason for the same faults in every pack and channel: what the person said comes first', () => {
    // Table over all packs, channels and audiences: a "no" (objection, withdrawal, refusal at collection) beside an
    // opposition list, a Sunday-night call and 4-year-old data is the main reason everywhere (GDPR art. 21(3), 7(3)).
    const local: Record<string, string> = { GB: 'Z', US: '-05:00' };
    const lists: Record<string, string[]> = {
      FR: ['bloctel'],
      DE: ['robinson'],
      AT: ['ecg', 'robinson'],
      CH: ['robinson'],
      BE: ['dncm', 'robinson'],
      NL: ['bel-me-niet', 'postfilter'],
      ES: ['robinson'],
      IT: ['rpo'],
      GB: ['tps', 'mps'],
      US: ['dnc'],
    };
    const no: [string, ReasonCode][] = [
      ['objection', 'WITHDRAWN'],
      ['consent.withdrawn', 'WITHDRAWN'],
      ['consent.refused', 'REFUSED_AT_COLLECTION'],
    ];
    for (const j of ['FR', 'DE', 'AT', 'CH', 'BE', 'NL', 'ES', 'IT', 'GB', 'US'])
      for (const channel of ['email', 'sms', 'mms', 'automated_call', 'fax', 'phone', 'postal'] as Channel[])
        for (const contact of [{ type: 'individual' }, { type: 'professional', address: 'named' }])
          for (const [type, main] of no)
            for (const day of ['2026-03-08', '2026-09-06']) {
              const collected = '2022-01-10';
              const history: Ev[] = [
                { at: collected, type: 'data.collected', source: 'direct', informed: true },
                { at: collected, type: 'consent.given', channel, method: 'written' },
                { at: '2026-01-05', type, channel },
              ];
              const req: Req = {
                jurisdiction: j,
                at: `${day}T22:30:00${local[j] ?? '+01:00'}`,
                message: { channel },
                contact: { ...contact, lists: (lists[j] ?? []).map((name) => ({ name, since: '2024-01-01' })) },
                history,
              };
              const d = run(req);
              expect([j, channel, contact.type, type, day, d.decision, d.reasons[0]?.code]).toEqual([
                j,
                channel,
                contact.type,
                type,
                day,
                'deny',
                main,
              ]);
            }
  });

  it('puts reasons in the documented rank, one per code', () => {
    check(anyRequest, (c) => {
      const d = run(c.req);
      const ranks = d.reasons.map((r) => rank(r.code));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(new Set(ranks).size).toBe(ranks.length);
    });
  });
});

/** The order in which grounds are reported when several hold: the person's own act first, the channel's regime last. */
const BASIS_ORDER: readonly BasisCode[] = [
  'CONSENT',
  'CLIENT_EXCEPTION',
  'CONTRACT_IN_PROGRESS',
  'B2B_RELATED',
  'LEGAL_PERSON',
  'OPT_OUT_REGIME',
];

describe('the basis of an allow when several grounds hold', () => {
  it('reports the first of CONSENT, CLIENT_EXCEPTION, CONTRACT_IN_PROGRESS, B2B_RELATED, LEGAL_PERSON, OPT_OUT_REGIME that holds', () => {
    check(anyRequest, (c) => {
      const trace: TraceEntry[] = [];
      const d = evaluate(parseDecisionRequest(structuredClone(c.req)), packs, { trace });
      if (d.decision !== 'allow') return;
      const granted = trace.flatMap((t) =>
        t.outcome === 'granted' && t.rule.effect === 'permit' ? [t.rule.basis] : [],
      );
      const best = BASIS_ORDER.find((b) => granted.includes(b));
      expect(d.basis).toBe(best);
    });
  });

  it('a consent added to an allowed message makes CONSENT the basis wherever the channel has a consent ground', () => {
    check(fc.tuple(anyRequest, seconds(-200 * 86_400, -60)), ([c, back]) => {
      const d = allowed(c);
      // a partner message naming no partner has no consent that could cover it
      if (d === null || (c.req.message.sender === 'partner' && !c.req.message.partner)) return;
      const s = { ms: c.ms, ...c.req.message };
      const req = withHistory(c.req, [...c.req.history, matchingConsent(s, back, 'written')]);
      const trace: TraceEntry[] = [];
      const more = evaluate(parseDecisionRequest(structuredClone(req)), packs, { trace });
      if (more.decision !== 'allow') return;
      expect([d.basis, 'CONSENT']).toContain(more.basis);
      const consentGround = trace.some((t) => t.rule.effect === 'permit' && t.rule.basis === 'CONSENT');
      if (consentGround) expect(more.basis).toBe('CONSENT');
    });
  });

  it('without any consent event, an allow never rests on CONSENT, and keeps the ground it had', () => {
    check(anyRequest, (c) => {
      const d = allowed(c);
      if (d === null || d.basis === 'CONSENT') return;
      const less = run(
        withHistory(
          c.req,
          c.req.history.filter((e) => !POSITIVE.includes(e.type)),
        ),
      );
      if (less.decision === 'allow') expect(less.basis).toBe(d.basis);
    });
  });
});
