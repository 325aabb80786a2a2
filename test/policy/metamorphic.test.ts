// Metamorphic and property-based tests of the engine over all ten packs: each property is one the law or the
// decision contract implies (the article is named beside it). Runs are kept modest so the suite stays fast; set
// METAMORPHIC_RUNS=5000 (or more) to hunt. A counterexample is a finding to judge against the law, not a flake.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASIS_CODES, OBLIGATION_CODES, REASON_CODES } from '../../src/domain/codes.js';
import type { Decision } from '../../src/domain/decision.js';
import {
  anyRequest,
  at,
  before,
  between,
  type Case,
  type Channel,
  CLIENT_EVENTS,
  check,
  DAY,
  day,
  type Ev,
  eventBody,
  gist,
  individual,
  isOptInChannel,
  iso,
  LISTS,
  matchingConsent,
  noPositiveFrom,
  POSITIVE,
  type Req,
  requests,
  run,
  seconds,
  withHistory,
  YEAR,
} from './metamorphic-gen.js';

describe('metamorphic relations (decision contract)', () => {
  it('ignores events after the decision instant: they have not happened', () => {
    const later = fc.array(fc.tuple(eventBody, seconds(1, 400_000_000)), { minLength: 1, maxLength: 4 });
    check(fc.tuple(anyRequest, later), ([c, extra]) => {
      const more = [...c.req.history, ...extra.map(([e, ms]) => ({ at: iso(c.ms + ms), ...e }) as Ev)];
      expect(gist(run(withHistory(c.req, more)))).toBe(gist(run(c.req)));
    });
  });

  it('does not count an opened email as a contact (CNIL): one after the first event known changes nothing', () => {
    // Before every other event, it would be the first sign the details were held, which dates them (retention).
    check(fc.tuple(anyRequest, fc.array(before, { minLength: 1, maxLength: 3 })), ([c, backs]) => {
      const first = Math.min(
        ...c.req.history.map(at),
        c.req.contact.recordedSince ? at({ at: c.req.contact.recordedSince, type: '' }) : Infinity,
      );
      if (!Number.isFinite(first)) return;
      const opened = backs.map((b) => ({ at: iso(Math.max(first, c.ms + b)), type: 'message.opened' }));
      expect(gist(run(withHistory(c.req, [...c.req.history, ...opened])))).toBe(gist(run(c.req)));
    });
  });

  it('reads the same instants written with other UTC offsets alike (events; `at` where the recipient’s zone or region is known)', () => {
    check(fc.tuple(anyRequest, fc.constantFrom(0, 60, 120, -300, 330, -600)), ([c, offset]) => {
      const history = c.req.history.map((e) => (e.at.length === 10 ? e : { ...e, at: iso(at(e), offset) }));
      const located = c.req.contact.timeZone !== undefined || c.req.contact.region !== undefined;
      const moved = { ...c.req, history, at: located ? iso(c.ms, offset) : c.req.at };
      expect(gist(run(moved))).toBe(gist(run(c.req)));
    });
  });

  it('is deterministic through a JSON round trip and whatever the order of keys', () => {
    const reversed = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(reversed)
        : v !== null && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .reverse()
                .map(([k, x]) => [k, reversed(x)]),
            )
          : v;
    check(anyRequest, (c) => {
      const first = run(c.req);
      expect(run(JSON.parse(JSON.stringify(c.req)) as Req)).toEqual(first);
      expect(gist(run(reversed(c.req) as Req))).toBe(gist(first));
    });
  });

  it('reads the documented equivalent spellings alike', () => {
    const names: Record<string, string> = {
      bloctel: 'Bloctel',
      robinson: 'Robinsonliste',
      ecg: 'ECG-Liste',
      dncm: 'Ne m’appelez plus',
      rpo: 'Registro pubblico delle opposizioni',
      dnc: 'National Do Not Call Registry',
      mps: 'Mailing Preference Service',
    };
    check(anyRequest, (c) => {
      const r = structuredClone(c.req);
      r.jurisdiction = r.jurisdiction.toLowerCase();
      r.contact.type ??= 'individual';
      if (r.contact.type === 'individual') r.contact.address = 'generic'; // professionals only
      r.message.purpose ??= 'marketing';
      r.message.sender ??= 'own';
      r.message.offer = {
        similarToPurchases: false,
        relatedToProfession: false,
        relatedToContract: false,
        ...r.message.offer,
      };
      r.contact.lists = r.contact.lists?.map((l) => ({ ...l, name: names[l.name] ?? l.name }));
      r.history = r.history.flatMap((e) => {
        const x = { ...e };
        if (x.at.length === 10) x.at = `${x.at}T00:00:00Z`;
        else if (x.at.endsWith('Z')) x.at = `${x.at.slice(0, -1)}.000`; // no offset: UTC
        if (x.purpose === '*') delete x.purpose;
        else if (x.purpose === undefined && x.channel !== undefined) x.purpose = '*';
        if (typeof x.channel === 'string' && x.channel !== '*') x.channel = [x.channel];
        // one event on several channels is one event per channel
        return Array.isArray(x.channel) ? x.channel.map((ch) => ({ ...x, channel: ch })) : [x];
      });
      expect(gist(run(r))).toBe(gist(run(c.req)));
    });
  });

  it('decides a French overseas department or a US territory as its country with the region', () => {
    const places: Record<string, [string, string]> = {
      GP: ['FR', 'FR-971'],
      RE: ['FR', 'FR-974'],
      YT: ['FR', 'FR-976'],
      PR: ['US', 'US-PR'],
      GU: ['US', 'US-GU'],
    };
    check(fc.tuple(anyRequest, fc.constantFrom(...Object.keys(places))), ([c, code]) => {
      const [country, region] = places[code] as [string, string];
      const contact = { ...c.req.contact, region };
      const asCountry = run({ ...c.req, jurisdiction: country, contact });
      const asPlace = run({ ...c.req, jurisdiction: code, contact: { ...contact, region: undefined } });
      expect(gist(asPlace)).toBe(gist(asCountry));
    });
  });

  it('answers in the contract’s shape and codes', () => {
    check(anyRequest, (c) => {
      const d = run(c.req);
      if (d.decision === 'deny') {
        expect(d.basis).toBeNull();
        expect(d.obligations).toEqual([]);
        expect(d.reasons.length).toBeGreaterThan(0);
        for (const r of d.reasons) {
          expect(REASON_CODES).toContain(r.code);
          expect(r.ref.trim()).not.toBe('');
        }
        return;
      }
      expect(BASIS_CODES).toContain(d.basis);
      expect(d.reasons).toEqual([]);
      const codes = d.obligations.map((o) => o.code);
      expect(new Set(codes).size).toBe(codes.length);
      for (const o of d.obligations) {
        expect(OBLIGATION_CODES).toContain(o.code);
        expect(o.ref.trim()).not.toBe('');
      }
      // US advertising mail has no federal duty (39 U.S.C. §3008 is an opt-out only)
      if (!(c.req.jurisdiction === 'US' && c.req.message.channel === 'postal'))
        expect(codes).toContain('IDENTIFY_SENDER');
      if (c.req.message.channel === 'email') expect(codes).toContain('UNSUBSCRIBE_LINK');
      // a consumer call says who calls and why (C. consom. L221-16, 47 CFR 64.1200(d)(4), …)
      if (c.req.message.channel === 'phone' && (c.req.contact.type ?? 'individual') === 'individual')
        expect(codes).toContain('ANNOUNCE_CALLER_AND_PURPOSE');
    });
  });

  it('denies an unknown jurisdiction (fail closed)', () => {
    check(fc.tuple(anyRequest, fc.constantFrom('ZZ', 'JP', 'UK')), ([c, j]) => {
      const d = run({ ...c.req, jurisdiction: j });
      expect([d.decision, d.reasons[0]?.code]).toEqual(['deny', 'UNSUPPORTED_JURISDICTION']);
    });
  });
});

describe('monotonicity (what the person said, lists, offers)', () => {
  it('never turns a deny into an allow by adding an objection, a withdrawal, a refusal or a "no" during a call', () => {
    const act = fc.tuple(
      before,
      fc.constantFrom('objection', 'consent.withdrawn', 'consent.refused', 'call'),
      fc.constantFrom(undefined, '*', 'email', 'phone', 'postal'),
    );
    check(fc.tuple(anyRequest, act), ([c, [back, type, channel]]) => {
      if (run(c.req).decision !== 'deny') return;
      const e: Ev =
        type === 'call'
          ? { at: iso(c.ms + back), type, outcome: 'refused' }
          : { at: iso(c.ms + back), type, channel: channel ?? c.req.message.channel };
      expect(run(withHistory(c.req, [...c.req.history, e])).decision).toBe('deny');
    });
  });

  it('never turns a deny into an allow by adding an opposition list entry', () => {
    check(fc.tuple(anyRequest, fc.constantFrom(...LISTS), fc.option(before, { nil: undefined })), ([c, name, back]) => {
      if (run(c.req).decision !== 'deny') return;
      const entry = back === undefined ? { name } : { name, since: day(c.ms + back) };
      const contact = { ...c.req.contact, lists: [...(c.req.contact.lists ?? []), entry] };
      expect(run({ ...c.req, contact }).decision).toBe('deny');
    });
  });

  it('never turns an allow into a deny by adding a valid consent within the last 3 years', () => {
    // An older one could date the data (retention) where nothing else did: that deny is the law's.
    check(fc.tuple(anyRequest, seconds(-Math.floor((2.9 * YEAR) / 1000), -1)), ([c, back]) => {
      if (run(c.req).decision !== 'allow') return;
      const s = { ms: c.ms, ...c.req.message };
      expect(run(withHistory(c.req, [...c.req.history, matchingConsent(s, back)])).decision).toBe('allow');
    });
  });

  it('never turns an allow into a deny by an offer that is related to the profession, similar to purchases or to a contract', () => {
    const flag = fc.constantFrom('relatedToProfession', 'similarToPurchases', 'relatedToContract');
    check(fc.tuple(anyRequest, flag), ([c, name]) => {
      const offer = c.req.message.offer ?? {};
      const lo = run({ ...c.req, message: { ...c.req.message, offer: { ...offer, [name]: false } } });
      const hi = run({ ...c.req, message: { ...c.req.message, offer: { ...offer, [name]: true } } });
      if (lo.decision === 'allow') expect(hi.decision).toBe('allow');
    });
  });

  it('leaves our own messages alone when the person withdraws or refuses consent to partners', () => {
    const act = fc.tuple(
      before,
      fc.constantFrom('consent.refused', 'consent.withdrawn'),
      fc.constantFrom(undefined, 'newsletter', 'marketing'),
    );
    check(fc.tuple(requests({ sender: fc.constant('own') }), act), ([c, [back, type, purpose]]) => {
      if (c.req.history.length === 0) return; // as the first event known, it would date the data
      const first = Math.min(...c.req.history.map(at));
      const e: Ev = { at: iso(Math.max(first, c.ms + back)), type, channel: c.req.message.channel, scope: 'partners' };
      if (purpose) e.purpose = purpose;
      expect(gist(run(withHistory(c.req, [...c.req.history, e])))).toBe(gist(run(c.req)));
    });
  });
});

describe('what the person said (GDPR art. 7(3), 21; ePrivacy art. 13)', () => {
  it('never allows after an objection on the channel (or all channels) with no later consent, whatever the purpose', () => {
    const objection = fc.tuple(
      fc.integer({ min: 1, max: 3 * 86_400 }),
      fc.constantFrom('channel', '*', 'list'),
      fc.constantFrom(undefined, 'newsletter', 'marketing', 'offers'),
    );
    check(fc.tuple(anyRequest, objection), ([c, [secs, how, purpose]]) => {
      const t = c.ms - secs * 1000;
      const ch = c.req.message.channel;
      const e: Ev = {
        at: iso(t),
        type: 'objection',
        channel: how === 'channel' ? ch : how === '*' ? '*' : [ch, 'postal'],
      };
      if (purpose) e.purpose = purpose;
      expect(run(withHistory(c.req, [...noPositiveFrom(c.req, t), e])).decision).toBe('deny');
    });
  });

  it('never allows on CONSENT after the consent was withdrawn (same channel, purpose and scope)', () => {
    check(fc.tuple(anyRequest, fc.integer({ min: 1, max: 3 * 86_400 })), ([c, secs]) => {
      const t = c.ms - secs * 1000;
      const e: Ev = { at: iso(t), type: 'consent.withdrawn', channel: c.req.message.channel };
      if (c.req.message.purpose) e.purpose = c.req.message.purpose;
      if (c.req.message.sender === 'partner') e.scope = 'partners';
      const d = run(withHistory(c.req, [...noPositiveFrom(c.req, t), e]));
      expect(d.decision === 'allow' && d.basis === 'CONSENT').toBe(false);
    });
  });

  it('never allows after a refusal when asked, with no later consent', () => {
    check(fc.tuple(anyRequest, before, fc.constantFrom(undefined, '*', 'message')), ([c, back, p]) => {
      const t = c.ms + back;
      const e: Ev = { at: iso(t), type: 'consent.refused', channel: c.req.message.channel };
      if (p === '*') e.purpose = '*';
      else if (p === 'message' && c.req.message.purpose) e.purpose = c.req.message.purpose;
      if (c.req.message.sender === 'partner') e.scope = 'partners';
      expect(run(withHistory(c.req, [...noPositiveFrom(c.req, t), e])).decision).toBe('deny');
    });
  });

  it('never gives the client exception after a refusal, withdrawal or objection on the channel for any purpose (CPCE L34-5 al. 4)', () => {
    check(
      fc.tuple(anyRequest, before, fc.constantFrom('consent.refused', 'consent.withdrawn', 'objection')),
      ([c, back, type]) => {
        const other = c.req.message.purpose === 'newsletter' ? 'offers' : 'newsletter';
        const e: Ev = { at: iso(c.ms + back), type, channel: c.req.message.channel, purpose: other };
        expect(run(withHistory(c.req, [...c.req.history, e])).basis).not.toBe('CLIENT_EXCEPTION');
      },
    );
  });

  it('treats SMS and MMS as one for an objection (ePrivacy art. 2(h))', () => {
    check(fc.tuple(requests({ channel: fc.constantFrom<Channel>('sms', 'mms') }), before), ([c, back]) => {
      const t = c.ms + back;
      const other = c.req.message.channel === 'sms' ? 'mms' : 'sms';
      const e: Ev = { at: iso(t), type: 'objection', channel: other };
      expect(run(withHistory(c.req, [...noPositiveFrom(c.req, t), e])).decision).toBe('deny');
    });
  });

  it('reads a "no" during a call as an objection to calls outside France (GDPR art. 21(2)-(3))', () => {
    const j = fc.constantFrom('DE', 'AT', 'CH', 'BE', 'NL', 'ES', 'IT', 'GB', 'US');
    check(fc.tuple(requests({ jurisdiction: j, channel: fc.constant<Channel>('phone') }), before), ([c, back]) => {
      const t = c.ms + back;
      const e: Ev = { at: iso(t), type: 'call', outcome: 'refused' };
      expect(run(withHistory(c.req, [...noPositiveFrom(c.req, t), e])).decision).toBe('deny');
    });
  });

  it('stops US calls and texts alike after a STOP or a do-not-call request (47 CFR 64.1200(a)(10), (d)(3))', () => {
    const fixed = {
      jurisdiction: fc.constant('US'),
      sender: fc.constant('own'),
      channel: fc.constantFrom<Channel>('sms', 'mms', 'phone', 'automated_call'),
    };
    check(fc.tuple(requests(fixed), before, fc.constantFrom('sms', 'phone', 'call')), ([c, back, how]) => {
      const t = c.ms + back;
      const e: Ev =
        how === 'call'
          ? { at: iso(t), type: 'call', outcome: 'refused' }
          : { at: iso(t), type: 'objection', channel: how };
      expect(run(withHistory(c.req, [...noPositiveFrom(c.req, t), e])).decision).toBe('deny');
    });
  });
});

describe('consent is specific, informed and proven (GDPR art. 4(11), 7)', () => {
  const noConsentOn = (c: Case, covered: (e: Ev) => boolean) =>
    run(
      withHistory(
        c.req,
        c.req.history.filter((e) => !(POSITIVE.includes(e.type) && covered(e))),
      ),
    );
  const notConsent = (d: Decision): void => {
    expect(d.decision === 'allow' && d.basis === 'CONSENT').toBe(false);
  };

  it('gives no CONSENT for a channel nobody consented to', () => {
    check(anyRequest, (c) => {
      const ch = c.req.message.channel;
      notConsent(
        noConsentOn(
          c,
          (e) => e.channel === '*' || e.channel === ch || (Array.isArray(e.channel) && e.channel.includes(ch)),
        ),
      );
    });
  });

  it('gives no CONSENT for a purpose nobody consented to', () => {
    check(anyRequest, (c) => {
      const r = { ...c.req, message: { ...c.req.message, purpose: 'loyalty_club' } };
      notConsent(noConsentOn({ ...c, req: r }, (e) => e.purpose === undefined || e.purpose === '*'));
    });
  });

  it('gives our own messages no CONSENT from a consent to partners', () => {
    check(requests({ sender: fc.constant('own') }), (c) => {
      notConsent(noConsentOn(c, (e) => (e.scope ?? (e.partners?.length ? 'partners' : 'own')) === 'own'));
    });
  });

  it('never reads a bundled acceptance of terms as consent', () => {
    check(anyRequest, (c) => {
      const history = c.req.history
        .filter((e) => e.type !== 'consent.confirmed')
        .map((e) => (e.type === 'consent.given' ? { ...e, method: 'bundled' } : e));
      notConsent(run(withHistory(c.req, history)));
    });
  });

  it('needs a double opt-in (or written, recorded) consent for email, SMS and MMS in DE, AT and CH', () => {
    const fixed = {
      jurisdiction: fc.constantFrom('DE', 'AT', 'CH'),
      channel: fc.constantFrom<Channel>('email', 'sms', 'mms'),
      ...individual,
    };
    check(requests(fixed), (c) => {
      const history = c.req.history
        .filter((e) => e.type !== 'consent.confirmed')
        .map((e) => (e.type === 'consent.given' ? { ...e, method: 'checkbox' } : e));
      notConsent(run(withHistory(c.req, history)));
    });
  });

  it('reads a request and its confirmation as a double opt-in consent', () => {
    check(
      fc.tuple(requests({ consent: fc.constant(undefined) }), seconds(120, 2 * 365 * 86_400), seconds(1, 3 * 86_400)),
      ([c, back, gap]) => {
        const s = { ms: c.ms, ...c.req.message };
        const given = matchingConsent(s, -back);
        const { method, partners, ...rest } = given;
        expect(method).toBe('double_opt_in');
        const asked: Ev = { ...rest, partners, type: 'consent.requested', at: iso(c.ms - back - gap) } as Ev;
        const confirmed: Ev = { ...rest, type: 'consent.confirmed' };
        const one = run(withHistory(c.req, [...c.req.history, given]));
        const two = run(withHistory(c.req, [...c.req.history, asked, confirmed]));
        expect([two.decision, two.basis]).toEqual([one.decision, one.basis]);
      },
    );
  });

  it('never lets a partner write on an opt-in channel without a consent naming it (CNIL; no client exception)', () => {
    const fixed = {
      sender: fc.constant('partner'),
      channel: fc.constantFrom<Channel>('email', 'sms', 'mms', 'automated_call', 'fax'),
      ...individual,
    };
    check(requests(fixed), (c) => {
      if (!isOptInChannel(c.req.jurisdiction, c.req.message.channel)) return;
      const named = c.req.message.partner;
      const d = run(
        withHistory(
          c.req,
          c.req.history.filter(
            (e) => !(POSITIVE.includes(e.type) && named !== undefined && e.partners?.includes(named)),
          ),
        ),
      );
      expect(d.decision).toBe('deny');
    });
  });

  it('never gives a partner the client or contract exception', () => {
    check(requests({ sender: fc.constant('partner') }), (c) => {
      expect(['CLIENT_EXCEPTION', 'CONTRACT_IN_PROGRESS']).not.toContain(run(c.req).basis);
    });
  });
});

/** An instant on a French public holiday, 08:00–22:00 Paris time, 2023-2027. */
const onFrenchHoliday = fc
  .tuple(fc.integer({ min: 2023, max: 2027 }), fc.nat(10), fc.integer({ min: 8 * 60, max: 21 * 60 + 59 }))
  .map(([year, i, minutes]) => Date.parse(`${frHolidays(year)[i]}T00:00:00Z`) + (minutes - 120) * 60_000)
  .filter((ms) => ms >= Date.parse('2023-03-01'));

describe('the law, per jurisdiction', () => {
  const noPositive = (req: Req, also: string[] = []) =>
    withHistory(
      req,
      req.history.filter((e) => !POSITIVE.includes(e.type) && !also.includes(e.type)),
    );
  const denied = (req: Req): void => {
    expect(run(req).decision).toBe('deny');
  };

  it('FR: from 2026-08-11 a consumer is called on consent, a related contract in progress (own) or for the press only (L223-1, L223-5)', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      channel: fc.constant<Channel>('phone'),
      ...individual,
      ms: between('2026-08-11', '2028-06-01'),
    };
    check(requests(fixed), (c) => {
      const offer = c.req.message.offer ?? {};
      if (offer.sector === 'press') return;
      denied(
        noPositive(c.req, offer.relatedToContract && c.req.message.sender !== 'partner' ? ['contract.started'] : []),
      );
    });
  });

  it('FR: consumer calls never on a public holiday or outside Monday–Friday 10–13, 14–20 Paris time without consent (D223-9)', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      channel: fc.constantFrom<Channel>('phone', 'automated_call'),
      ...individual,
      zone: fc.constantFrom(undefined, 'Europe/Paris'),
      region: fc.constant(undefined),
      offset: fc.constantFrom(null, 60, 120),
      ms: fc.oneof(between('2023-03-01', '2028-06-01'), onFrenchHoliday),
    };
    check(requests(fixed), (c) => {
      const d = run(noPositive(c.req));
      if (d.decision !== 'allow') return;
      const l = parisTime(c.ms);
      expect(frHolidays(Number(l.date.slice(0, 4)))).not.toContain(l.date);
      expect(['Sat', 'Sun']).not.toContain(l.weekday);
      expect((l.time >= '10:00:00' && l.time < '13:00:00') || (l.time >= '14:00:00' && l.time < '20:00:00')).toBe(true);
    });
  });

  it('FR: never a fifth consumer call in 30 days, nor a call within 60 days of a refusal during one (D223-9 al. 3)', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      channel: fc.constantFrom<Channel>('phone', 'automated_call'),
      ...individual,
      ms: between('2023-04-01', '2028-06-01'),
    };
    const calls = fc.array(seconds(1, 28 * 86_400), { minLength: 4, maxLength: 6 });
    check(fc.tuple(requests(fixed), calls, seconds(1, 58 * 86_400)), ([c, backs, refusal]) => {
      denied(
        withHistory(c.req, [
          ...c.req.history,
          ...backs.map((b) => ({ at: iso(c.ms - b), type: 'call', outcome: 'no_answer' })),
        ]),
      );
      denied(withHistory(c.req, [...c.req.history, { at: iso(c.ms - refusal), type: 'call', outcome: 'refused' }]));
    });
  });

  it('FR: Bloctel binds human calls to consumers from 2016-06-01 to 2026-08-10 but for a contract or the press', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      channel: fc.constant<Channel>('phone'),
      ...individual,
      ms: between('2016-07-01', '2026-08-09'),
    };
    check(fc.tuple(requests(fixed), fc.integer({ min: 31, max: 2000 })), ([c, days]) => {
      if (c.req.message.offer?.sector === 'press') return;
      // no consent exception in L223-1 before 2026-08-11: consents stay in the history
      const contact = { ...c.req.contact, lists: [{ name: 'bloctel', since: day(c.ms - days * DAY) }] };
      const history = c.req.history.filter((e) => !['contract.started', 'purchase'].includes(e.type));
      denied({ ...c.req, contact, history });
    });
  });

  it('FR: data not used 3 years after the last contact from the person, nor 3 years after it was first held (CNIL)', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      type: fc.constantFrom(undefined, 'individual', 'professional'),
      address: fc.constantFrom(undefined, 'named'),
    };
    const old = fc.array(fc.tuple(eventBody, fc.integer({ min: 3 * 366 + 2, max: 6 * 365 })), {
      minLength: 1,
      maxLength: 6,
    });
    check(fc.tuple(requests(fixed), old), ([c, events]) => {
      const history = events
        .filter(([e]) => e.type !== 'contract.started')
        .map(([e, days]) => ({ at: iso(c.ms - days * DAY), ...e }) as Ev);
      if (history.length === 0) return;
      denied({ ...c.req, history, contact: { ...c.req.contact, recordedSince: undefined } });
    });
  });

  it('FR: a named professional’s email needs consent unless the offer relates to the profession (CNIL B2B)', () => {
    const fixed = {
      jurisdiction: fc.constant('FR'),
      channel: fc.constant<Channel>('email'),
      type: fc.constant('professional'),
      address: fc.constantFrom(undefined, 'named'),
      sender: fc.constant('own'),
    };
    check(requests(fixed), (c) => {
      const d = run({
        ...noPositive(c.req),
        message: { ...c.req.message, offer: { ...c.req.message.offer, relatedToProfession: false } },
      });
      if (d.decision === 'allow') expect(d.basis).toBe('CLIENT_EXCEPTION');
      const clean = run({
        ...c.req,
        history: [],
        contact: { type: 'professional' },
        message: { channel: 'email', offer: { relatedToProfession: true } },
      });
      expect([clean.decision, clean.basis]).toEqual(['allow', 'B2B_RELATED']);
    });
  });

  it('DE, AT: consumer calls need prior express consent (UWG §7(2) Nr. 1, TKG 2021 §174(1))', () => {
    check(
      requests({ jurisdiction: fc.constantFrom('DE', 'AT'), channel: fc.constant<Channel>('phone'), ...individual }),
      (c) => denied(noPositive(c.req)),
    );
  });

  it('automated calls and fax to individuals need consent: client exceptions cover electronic mail only', () => {
    const fixed = {
      jurisdiction: fc.constantFrom('DE', 'AT', 'BE', 'NL', 'ES', 'IT', 'GB', 'FR'),
      channel: fc.constantFrom<Channel>('automated_call', 'fax'),
      ...individual,
    };
    check(requests(fixed), (c) => {
      if (c.req.jurisdiction === 'FR' && c.req.message.channel === 'automated_call') return; // CNIL extends it there
      denied(noPositive(c.req));
    });
  });

  it('US: prerecorded telemarketing needs prior express written consent from 2013-10-16 (47 CFR 64.1200(a)(2)-(3))', () => {
    const fixed = {
      jurisdiction: fc.constant('US'),
      channel: fc.constant<Channel>('automated_call'),
      ...individual,
      ms: between('2013-10-17', '2028-01-01'),
    };
    check(requests(fixed), (c) => denied(noPositive(c.req)));
  });

  it('NL from 2021-07-01, ES from 2023-06-29: consumer calls need consent or a client relationship', () => {
    const nl = requests({
      jurisdiction: fc.constant('NL'),
      channel: fc.constant<Channel>('phone'),
      ...individual,
      ms: between('2021-07-02', '2028-01-01'),
    });
    const es = requests({
      jurisdiction: fc.constant('ES'),
      channel: fc.constant<Channel>('phone'),
      ...individual,
      ms: between('2023-06-30', '2028-01-01'),
    });
    check(fc.oneof(nl, es), (c) => denied(noPositive(c.req, CLIENT_EVENTS)));
  });

  it('IT: registering on the RPO revokes earlier consents (l. 5/2018 art. 1 co. 5; since 2022-07-27)', () => {
    const fixed = {
      jurisdiction: fc.constant('IT'),
      channel: fc.constantFrom<Channel>('phone', 'postal'),
      ...individual,
      ms: between('2022-08-01', '2028-01-01'),
    };
    check(fc.tuple(requests(fixed), fc.integer({ min: 1, max: 400 })), ([c, days]) => {
      const since = c.ms - days * DAY;
      const history = c.req.history.filter(
        (e) => !(POSITIVE.includes(e.type) && at(e) >= since - DAY) && !CLIENT_EVENTS.includes(e.type),
      );
      denied({ ...c.req, history, contact: { ...c.req.contact, lists: [{ name: 'rpo', since: day(since) }] } });
    });
  });

  it('BE: "Ne m’appelez plus" binds clients too, and consents given before the registration (CDE VI.111-114, since 2014-05-31)', () => {
    const fixed = {
      jurisdiction: fc.constant('BE'),
      channel: fc.constant<Channel>('phone'),
      ...individual,
      ms: between('2014-06-01', '2028-01-01'),
    };
    check(fc.tuple(requests(fixed), fc.integer({ min: 1, max: 400 })), ([c, days]) => {
      const since = c.ms - days * DAY;
      const history = c.req.history.filter((e) => !(POSITIVE.includes(e.type) && at(e) >= since - DAY));
      denied({ ...c.req, history, contact: { ...c.req.contact, lists: [{ name: 'dncm', since: day(since) }] } });
    });
  });

  it('GB: no live call to a TPS number registered 28 days or more without consent, pensions and claims calls aside (PECR reg. 21, 21(6))', () => {
    const fixed = { jurisdiction: fc.constant('GB'), channel: fc.constant<Channel>('phone'), ...individual };
    check(fc.tuple(requests(fixed), fc.integer({ min: 29, max: 2000 })), ([c, days]) => {
      if (['pensions', 'claims_management'].includes(String(c.req.message.offer?.sector))) return;
      denied({
        ...noPositive(c.req),
        contact: { ...c.req.contact, lists: [{ name: 'tps', since: day(c.ms - days * DAY) }] },
      });
    });
  });

  it('US: no telephone solicitation of a number on the DNC registry for 31 days or more without consent or a business relationship', () => {
    const fixed = { jurisdiction: fc.constant('US'), channel: fc.constantFrom<Channel>('phone', 'sms'), ...individual };
    check(fc.tuple(requests(fixed), fc.integer({ min: 32, max: 2000 })), ([c, days]) => {
      denied({
        ...noPositive(c.req, CLIENT_EVENTS),
        contact: { ...c.req.contact, lists: [{ name: 'dnc', since: day(c.ms - days * DAY) }] },
      });
    });
  });

  it('US: consumer calls and texts without consent only 8:00–21:00 in every zone the recipient may be in (47 CFR 64.1200(c)(1))', () => {
    const zones = [
      'America/New_York',
      'America/Chicago',
      'America/Denver',
      'America/Phoenix',
      'America/Los_Angeles',
      'America/Anchorage',
      'Pacific/Honolulu',
    ];
    const fixed = {
      jurisdiction: fc.constant('US'),
      channel: fc.constantFrom<Channel>('phone', 'sms'),
      ...individual,
      region: fc.constant(undefined),
      zone: fc.constantFrom(undefined, ...zones),
      offset: fc.constantFrom(null, 0, 60, 330),
    };
    check(requests(fixed), (c) => {
      if (run(noPositive(c.req)).decision !== 'allow') return;
      for (const zone of c.req.contact.timeZone ? [c.req.contact.timeZone] : zones) {
        const t = localTime(c.ms, zone).time;
        expect(t >= '08:00:00' && t <= '21:00:00').toBe(true);
      }
    });
  });

  it('ES: consumer calls only on working days 09:00–21:00 (TRLGDCU art. 96.2, since 2014-03-29)', () => {
    const fixed = {
      jurisdiction: fc.constant('ES'),
      channel: fc.constantFrom<Channel>('phone', 'automated_call'),
      ...individual,
      zone: fc.constantFrom('Europe/Madrid', 'Atlantic/Canary'),
      ms: between('2014-03-30', '2028-01-01'),
    };
    check(requests(fixed), (c) => {
      if (run(c.req).decision !== 'allow') return;
      const l = localTime(c.ms, c.req.contact.timeZone as string);
      expect(['Sat', 'Sun']).not.toContain(l.weekday);
      expect(l.time >= '09:00:00' && l.time < '21:00:00').toBe(true);
    });
  });
});

function localTime(ms: number, timeZone: string): { date: string; weekday: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday: String(parts.weekday),
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
  };
}
const parisTime = (ms: number) => localTime(ms, 'Europe/Paris');

/** C. trav. L3133-1 holidays of a year (Easter Monday, Ascension, Whit Monday from Easter). */
function frHolidays(year: number): string[] {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const h = (19 * a + b - Math.floor(b / 4) - Math.floor((b - Math.floor((b + 8) / 25) + 1) / 3) + 15) % 30;
  const l = (32 + 2 * (b % 4) + 2 * Math.floor(c / 4) - h - (c % 4)) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const easter = Date.UTC(year, Math.floor((h + l - 7 * m + 114) / 31) - 1, ((h + l - 7 * m + 114) % 31) + 1);
  const fixed = ['01-01', '05-01', '05-08', '07-14', '08-15', '11-01', '11-11', '12-25'].map((d) => `${year}-${d}`);
  return [...fixed, ...[1, 39, 50].map((n) => day(easter + n * DAY))];
}
