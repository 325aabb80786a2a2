import type { Channel } from '../domain/channels.js';
import type { BasisCode, ObligationCode, ReasonCode } from '../domain/codes.js';
import type { HolidayDef } from './holidays.js';

/** Who a rule is for: an individual, or a professional at a named or a generic (role) address. */
export type Audience = 'b2c' | 'b2b-named' | 'b2b-generic';
export const AUDIENCES: readonly Audience[] = ['b2c', 'b2b-named', 'b2b-generic'];

/** Parameters of each check kind (see `checks/`): rules are rows naming a check and its parameters. */
export interface CheckParams {
  /** Permit: a valid consent covering channel, purpose, scope and partner. */
  consent: {
    proof?: 'double_opt_in';
  };
  /** Permit: the existing-client ("soft opt-in") exception. */
  'client-exception': {
    excludedByLists?: readonly string[];
    /** The client relation (last purchase or contract end) must be this recent, in months; a running contract is. */
    withinMonths?: number;
    /** Any own offer, not only products similar to those bought (US junk-fax EBR). */
    anyOffer?: boolean;
    /**
     * An inquiry or application (an `interaction` of kind `request`) this recent, in months, makes the relation too,
     * without a purchase (US: 47 CFR 64.1200(f)(5), three months; `Infinity`: however old, the junk-fax EBR of
     * 64.1200(f)(6)).
     */
    inquiryWithinMonths?: number;
    /** Only offers of these sectors (GB reg. 21B: a pension call to an existing client rests on that relation). */
    sectors?: readonly string[];
    /**
     * The person must have been told at collection that they could object (default true: ePrivacy art. 13(2), PECR
     * reg. 22(3)(c)). The US established business relationship asks no such notice.
     */
    requireInformed?: boolean;
  };
  /** Permit: a contract in progress and an offer related to it. */
  'contract-in-progress': Record<string, never>;
  /** Permit: a named professional address and an offer related to the profession. */
  'b2b-related': { requireInformed?: boolean };
  /** Permit: a generic address of a legal person. */
  'legal-person': Record<string, never>;
  /** Permit: the channel is open unless the person objected (objections are separate rules). */
  'opt-out': {
    /** Only a number or address listed in a public directory (IT: art. 130 co. 3-bis); others need consent. */
    directory?: 'listed';
    /**
     * Details we collected without telling the person they could serve prospecting (and that they could object) do
     * not open the channel, unless a consent to it for the message's purpose stands (FR: CNIL on postal and phone
     * prospecting; RGPD art. 13(1)(c), 21(4)). A generic address of a legal person is outside the GDPR.
     */
    requireInformed?: boolean;
    /** Only for an offer of one of these sectors (FR: press canvassing stays opt-out, C. consom. L223-5). */
    sectors?: readonly string[];
  };
  /** Forbid: an objection on the channel, or a withdrawal of the consent the message needs. */
  objection: {
    /**
     * Channels the law treats as one: an objection on any of a group stops the others (US: a STOP to texts or a
     * do-not-call request stops robocalls and texts from the seller, 47 CFR 64.1200(a)(10), (d)(3)).
     */
    linked?: readonly (readonly Channel[])[];
    /**
     * Purposes whose withdrawal, on these channels, stops every prospecting message there, as an unsubscribe does
     * (FR: who stops receiving the newsletter gets no prospecting email of any kind). Any other withdrawal takes
     * back only the purpose it names.
     */
    channelWideWithdrawal?: { channels: readonly Channel[]; purposes: readonly string[] };
    /** A "no" during a prospecting call (`call`, outcome `refused`) is an objection to further calls. */
    callRefusalObjects?: boolean;
  };
  /** Forbid: the person refused when asked (a box left unticked). */
  refusal: Record<string, never>;
  /** Forbid: the address or number is on one of these opposition lists. */
  'opposition-list': {
    lists: readonly string[];
    /**
     * The list does not bind an existing client (`client`), a contract in progress (`contract`), or an offer
     * related to a contract in progress (`related`).
     */
    exceptContract?: 'client' | 'contract' | 'related';
    /** With `client`: only a client whose relation is live or ended less than this many months (or days) ago. */
    clientWithinMonths?: number;
    clientWithinDays?: number;
    /** With `client`: an inquiry this recent, in months, is a relation too (US: 47 CFR 64.1200(f)(5)). */
    inquiryWithinMonths?: number;
    /** With `client`: only for an offer of products similar to those bought (NL Bel-me-niet Register). */
    clientSimilarOnly?: boolean;
    /**
     * With `client`: only when the client also gave, within the relationship, a consent that still stands (IT:
     * consents given within a contract survive registering; one given before it, as a prospect, does not).
     */
    clientNeedsConsent?: boolean;
    /**
     * The list does not bind a message the person consented to: any standing consent, or only one given after the
     * registration (IT: registering revokes earlier consents).
     */
    exceptConsent?: 'any' | 'after-listing';
    /** A registration binds callers only this many days after it (GB TPS: 28 days; US DNC: 31 days). */
    graceDays?: number;
    /** Only these senders are bound (AT: the Robinson list binds mailings for third parties, not own mailings). */
    senders?: readonly ('own' | 'partner')[];
    /** Offers of these sectors are not bound (FR: press subscriptions, C. consom. L223-5). */
    exceptSectors?: readonly string[];
    /**
     * The law makes the sender check its files against this list before prospecting (Bloctel, TPS, DNC, RPO, the
     * Spanish Robinson list), unlike a trade body's list honoured by its members (DDV, MPS, Stop Publicité): a
     * screening refuses to rely on it stale or missing (docs/lists.md).
     */
    mustConsult?: boolean;
  };
  /** Forbid: a phone-directory notice (CH star), optionally treating unlisted numbers as starred. */
  'directory-notice': { unlistedCounts: boolean };
  /** Forbid: no active contact from the person for this long. */
  retention: { years: number };
  /** Forbid: offers of these sectors are banned on this channel, except within a contract in progress. */
  'sector-ban': {
    sectors: readonly string[];
    /**
     * The ban yields within a contract in progress the offer relates to (FR L223-1: "sollicitations intervenant dans
     * le cadre de l'exécution d'un contrat en cours"). GB reg. 21A has no such exception: consent only.
     */
    unlessContract?: boolean;
    /** The ban yields to the person's standing consent to such messages (GB PECR reg. 21A, 21B). */
    unlessConsent?: boolean;
    /** The ban yields to an existing client relationship, told at collection they could refuse (GB PECR reg. 21B). */
    unlessClient?: boolean;
  };
  /** Forbid: outside these local weekdays and hours, or on a public holiday. */
  'calling-hours': {
    weekdays: readonly number[];
    /** `HH:MM` pairs, start inclusive, end exclusive, in the recipient's time zone. */
    windows: readonly (readonly [string, string])[];
    /** The end instant itself (HH:MM:00.000) is inside: the law forbids only what comes "after" it (US). */
    endInclusive?: boolean;
    /** A consent on this purpose (channel phone) lifts the day and hour limits. */
    liftedByConsentPurpose?: string;
    /** Any standing consent to phone calls covering the message's purpose lifts them for a (human) phone call. */
    liftedByPhoneConsent?: boolean;
    /** Any standing consent to the message (its channel and purpose) lifts them (US: consented calls are no "telephone solicitation"). */
    liftedByConsent?: boolean;
  };
  /** Forbid: already this many calls or attempts within the window. */
  'call-frequency': { max: number; days: number };
  /** Forbid: the person refused during a call less than `days` ago. */
  'call-refusal-cooldown': { days: number };
}
export type CheckName = keyof CheckParams;

interface RuleBase {
  /** Stable id, `fr.phone.b2c.opt-in`: cited in decisions and audits. */
  id: string;
  /** One line a person understands. */
  title: string;
  channels: readonly Channel[];
  audiences: readonly Audience[];
  /** First day in force (`YYYY-MM-DD`, jurisdiction's local time). */
  from: string;
  /** Last day in force, inclusive; absent while in force. */
  until?: string;
  /** The legal text the rule comes from. */
  ref: string;
}

export type PermitRule = RuleBase & { effect: 'permit'; basis: BasisCode } & CheckRow;
export type ForbidRule = RuleBase & { effect: 'forbid'; code: ReasonCode } & CheckRow;
type CheckRow = { [K in CheckName]: { check: K; params: CheckParams[K] } }[CheckName];
export type Rule = PermitRule | ForbidRule;

/** An obligation attached to every allow on these channels (and audiences, and data sources). */
export interface ObligationRule {
  code: ObligationCode;
  channels: readonly Channel[];
  audiences?: readonly Audience[];
  message: string;
  ref: string;
  /** Wording and reference instead, when the details came from a third party or a public source. */
  indirect?: { message: string; ref: string };
  /** Only on some allows (default: every allow on the channels and audiences). */
  when?: ObligationCondition;
  from: string;
  until?: string;
}

/** When an obligation applies beyond its channels and audiences; every field given must hold. */
export interface ObligationCondition {
  /** The allow's legal basis is one of these (UWG §7 Abs. 3 Nr. 4: a notice in every message sent as a client). */
  bases?: readonly BasisCode[];
  /** The details came from a third party or a public source (`data.collected` acquired or public). */
  source?: 'indirect';
}

/** A jurisdiction's rules as data. */
export interface RulePack {
  jurisdiction: string;
  name: string;
  /** Time zone for effective dates, and for recipients whose own zone is not known. */
  timeZone: string;
  holidays: readonly HolidayDef[];
  /** Subdivisions with their own time zone or extra holidays (ISO 3166-2). */
  regions?: Readonly<
    Record<
      string,
      {
        name: string;
        timeZone?: string;
        /** Every zone of a region that spans several (US-TX…): calling hours must hold in each, unless `timeZone` is given. */
        zones?: readonly string[];
        holidays?: readonly HolidayDef[];
      }
    >
  >;
  /**
   * Zones calling hours must hold in when the recipient's zone is not known (no `contact.timeZone`, no known
   * region): a country spanning several zones fails closed. Default: `timeZone` alone.
   */
  zonesWhenUnknown?: readonly string[];
  rules: readonly Rule[];
  obligations: readonly ObligationRule[];
  /** What the pack does not (yet) decide, said plainly in the generated reference. */
  notes?: readonly string[];
}
