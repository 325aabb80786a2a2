import type { ReasonCode } from '../domain/codes.js';
import { addMonths } from '../domain/iso-time.js';
import type { DecisionRequest } from '../domain/request.js';
import type { Facts } from './facts.js';
import { type LocalTime, localTime, zoneAtOffset, zoneOffset } from './local-time.js';
import type { RulePack } from './rule-pack.js';

/** What a check returns: passed (a permit grants its basis; a forbid lets the message through) or not, and why. */
export interface Verdict {
  pass: boolean;
  /** For a permit that does not pass: the reason code. A forbid denies with its rule's code unless one is given here. */
  code?: ReasonCode;
  message: string;
}

export const pass = (message: string): Verdict => ({ pass: true, message });
export const fail = (message: string, code?: ReasonCode): Verdict =>
  code === undefined ? { pass: false, message } : { pass: false, code, message };

/**
 * The recipient's time zone: given, else their region's, else the zone of one of the pack's regions whose offset
 * `at` was written with (10:30+04:00 to a French number is a call to La Réunion: D223-9 counts the hours "du fuseau
 * horaire du consommateur"), else the jurisdiction's.
 */
export function recipientTimeZone(req: DecisionRequest, pack: RulePack): string {
  const c = req.contact;
  const own = c.timeZone ?? (c.region !== null ? pack.regions?.[c.region]?.timeZone : undefined);
  if (own !== undefined) return own;
  // A region of a one-zone country that the pack does not list with a zone of its own is on the main zone: FR-67 is
  // Paris time, whatever offset `at` was written with (a call centre in Mauritius writes +04:00, as La Réunion does).
  if (c.region !== null && pack.zonesWhenUnknown === undefined && c.region.startsWith(`${pack.jurisdiction}-`)) {
    return pack.timeZone;
  }
  const offset = req.atOffset;
  if (offset === null || pack.regions === undefined || zoneOffset(req.at, pack.timeZone) === offset * 60_000) {
    return pack.timeZone;
  }
  const regionZones = Object.values(pack.regions).flatMap((r) => (r.timeZone === undefined ? [] : [r.timeZone]));
  return zoneAtOffset(regionZones, req.at, offset) ?? pack.timeZone;
}

/** Everything a check may look at: the request, the folded history and the pack. No clock, no I/O. */
export class DecisionContext {
  private local: LocalTime | undefined;
  constructor(
    readonly req: DecisionRequest,
    readonly facts: Facts,
    readonly pack: RulePack,
  ) {}

  /** The recipient's time zone: given, else their region's, else the jurisdiction's. */
  get timeZone(): string {
    return recipientTimeZone(this.req, this.pack);
  }

  /** Wall-clock time of the recipient when the message goes out. */
  get localTime(): LocalTime {
    this.local ??= localTime(this.req.at, this.timeZone);
    return this.local;
  }

  /**
   * Our own offer related to a contract in progress (C. consom. L223-1: "un rapport avec l'objet de ce contrat").
   * A partner is no party to our contracts: contract exceptions never extend to it.
   */
  get relatedContract(): boolean {
    return this.ownSender && this.facts.contractInProgress && this.req.message.offer.relatedToContract;
  }

  /** Our own client, for exceptions that spare existing customers (a partner has no such relation). */
  get ownClient(): boolean {
    return this.ownSender && this.facts.isClient;
  }

  /** The message offers something of one of these sectors (`message.offer.sector`). */
  offerIn(sectors: readonly string[]): boolean {
    const sector = this.req.message.offer.sector;
    return sector !== null && sectors.includes(sector);
  }

  /** Our own sender, and the person's latest inquiry is less than `months` (`Infinity`: any time) before the message. */
  inquiryWithin(months: number): boolean {
    if (!this.ownSender || this.facts.lastInquiry === Number.NEGATIVE_INFINITY) return false;
    return months === Number.POSITIVE_INFINITY || this.req.at < addMonths(this.facts.lastInquiry, months);
  }

  /**
   * Our own client whose relation is live or ended less than `months` (or `days`) before the message (NL: three
   * years after the customer relationship for calls; US: the 18-month established business relationship; IT: a
   * contract ended less than 30 days ago).
   */
  clientWithin(months: number | undefined, days?: number): boolean {
    if (!this.ownClient) return false;
    if (months === undefined && days === undefined) return true;
    const until = this.facts.clientUntil;
    if (until === Number.POSITIVE_INFINITY) return true;
    let end = months !== undefined ? addMonths(until, months) : until;
    if (days !== undefined) end += days * 86_400_000;
    return this.req.at < end;
  }

  get ownSender(): boolean {
    return this.req.message.sender === 'own';
  }
}
