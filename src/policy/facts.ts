import { CHANNEL_BIT } from '../domain/channels.js';
import { type DecisionRequest, type HistoryEvent, isIndirectSource, messageScope } from '../domain/request.js';

/** Consent methods that prove themselves, as a confirmation does (a double opt-in, a signature, a recorded call). */
export const PROVING_METHODS: ReadonlySet<string> = new Set(['double_opt_in', 'written', 'recorded_call']);

/**
 * What the history says about this message, folded once per request (the ledger is the truth; state is derived).
 * Indices point into `events` (time order), so "later" is a plain comparison. -1 means "never".
 */
export interface Facts {
  /** Events up to the decision instant: what happens after `at` has not happened yet. */
  events: readonly HistoryEvent[];
  /** Latest consent.given (not bundled) covering channel, purpose, scope and partner. */
  given: number;
  /**
   * Latest consent.given covering the message that proves itself (double opt-in, written, recorded call). A later
   * unproven consent (a box ticked again) does not take away a proven one still standing.
   */
  givenProven: number;
  /** Latest consent.confirmed covering the message. */
  confirmed: number;
  /** Latest consent.requested covering the message (first step of a double opt-in). */
  requested: number;
  /** Latest bundled "consent" (accepting terms and conditions), which is not consent. */
  bundled: number;
  /** Latest consent.given on this channel and scope for another purpose only. */
  otherPurpose: number;
  /** Latest partner-scope consent on this channel and purpose that does not name the sending partner. */
  partnerNotNamed: number;
  /** Latest objection on this channel (any purpose, any scope): an unsubscribe stops every prospecting message. */
  objection: number;
  /** Latest consent.withdrawn covering the message. */
  withdrawn: number;
  /** Latest consent.refused covering the message. */
  refused: number;
  /** Latest refusal, withdrawal or objection on this channel for our own messages, whatever the purpose. */
  ownNegativeAnyPurpose: number;
  /** Bought something or took a service: a client. */
  isClient: boolean;
  /** A contract started and not ended. */
  contractInProgress: boolean;
  /** When the person first became a client (first purchase or contract start), epoch ms; +Infinity if never. */
  clientSince: number;
  /**
   * When the person was last a client, epoch ms: the latest purchase or contract end; +Infinity while a contract
   * runs; -Infinity if never. Exceptions that spare clients for a while after the relationship (NL calls, US EBR).
   */
  clientUntil: number;
  /** Latest active contact from the person (collection, purchase, consent, click, reply…), epoch ms; -Infinity if none. */
  lastActiveContact: number;
  /** Latest inquiry or application from the person (an `interaction` of kind `request`), epoch ms; -Infinity if none. */
  lastInquiry: number;
  /** Data collected from someone else (a bought or rented list). */
  acquired: HistoryEvent | null;
  /** Data from public sources (directories, trade fairs, websites). */
  publicSource: boolean;
  /**
   * The person gave us their details themselves at some point (a `data.collected` of ours): messages say so, even
   * when the same details were also bought later (GDPR art. 13; art. 14 is for data not obtained from the person).
   */
  collectedDirectly: boolean;
  /**
   * Collected by us with `informed: false` and never informed since: not told their details could serve prospecting.
   * (A bought or public source tells the person at the first message instead: RGPD art. 14(3)(b).)
   */
  notInformed: boolean;
}

const POSTAL_BIT = CHANNEL_BIT.postal;

/** Whether an event's purpose covers the message's purpose (no purpose on the event: every purpose). */
function coversPurpose(e: HistoryEvent, purpose: string): boolean {
  return e.purpose === null || e.purpose === purpose;
}

/** Folds the history into the facts the rules need for this message. */
export function foldHistory(req: DecisionRequest): Facts {
  const { message } = req;
  const bit = CHANNEL_BIT[message.channel];
  const scope = messageScope(message);
  const partner = message.partner;
  const purpose = message.purpose;
  let events = req.history;
  // History is sorted: cut what lies after the decision instant.
  let cut = events.length;
  while (cut > 0 && (events[cut - 1] as HistoryEvent).at > req.at) cut--;
  if (cut < events.length) events = events.slice(0, cut);

  const f: Facts = {
    events,
    given: -1,
    givenProven: -1,
    confirmed: -1,
    requested: -1,
    bundled: -1,
    otherPurpose: -1,
    partnerNotNamed: -1,
    objection: -1,
    withdrawn: -1,
    refused: -1,
    ownNegativeAnyPurpose: -1,
    isClient: false,
    contractInProgress: false,
    clientSince: Number.POSITIVE_INFINITY,
    clientUntil: Number.NEGATIVE_INFINITY,
    lastActiveContact: Number.NEGATIVE_INFINITY,
    lastInquiry: Number.NEGATIVE_INFINITY,
    acquired: null,
    publicSource: false,
    collectedDirectly: false,
    notInformed: false,
  };
  let openContracts: Set<string> | null = null;
  let informed = false;
  // Uninformed at our own collection. At a bought or public one (informed: false there) the person is told at the
  // first message instead (RGPD art. 14(3)(b): DISCLOSE_DATA_SOURCE), so it blocks nothing.
  let uninformed = false;
  let asked = false; // a consent was requested, or given on a channel a confirmation can follow, on any purpose
  // Partners: whether the latest request or consent to partners on this channel and purpose names the message's
  // partner; a confirmation without names confirms that one (null: none yet).
  let partnersAskCovers: boolean | null = null;

  for (let i = 0; i < events.length; i++) {
    const e = events[i] as HistoryEvent;
    const onChannel = (e.channels & bit) !== 0;
    switch (e.type) {
      case 'consent.given':
      case 'consent.confirmed':
      case 'consent.requested': {
        f.lastActiveContact = e.at; // a positive act by the person, on whatever channel
        const askedBefore = asked;
        // A postal consent asks for no confirmation: it does not make a later one a confirmation of something else.
        if (e.type === 'consent.requested' || (e.type === 'consent.given' && e.channels !== POSTAL_BIT)) asked = true;
        if (!onChannel || e.scope !== scope) break;
        if (!coversPurpose(e, purpose)) {
          if (e.type === 'consent.given') f.otherPurpose = i;
          break;
        }
        if (scope === 'partners') {
          // Consent to partners covers only the partners it names (the person must know who will write).
          // A confirmation without names confirms the request it follows.
          const covers: boolean =
            e.partners !== null
              ? partner !== null && e.partners.includes(partner)
              : e.type === 'consent.confirmed' && partnersAskCovers === true;
          if (e.type !== 'consent.confirmed') partnersAskCovers = covers;
          if (!covers) {
            if (e.type !== 'consent.confirmed') f.partnerNotNamed = i;
            break;
          }
        }
        if (e.type === 'consent.requested') f.requested = i;
        else if (e.type === 'consent.confirmed') {
          // A confirmation confirms a request or consent for this channel, purpose and scope, and nothing else (a
          // code typed for SMS when only email was asked for). One with nothing asked anywhere before it is a
          // confirmed consent written as one event.
          if (f.requested >= 0 || f.given >= 0 || !askedBefore) f.confirmed = i;
        } else if (e.method === 'bundled') f.bundled = i;
        else {
          f.given = i;
          if (e.method !== null && PROVING_METHODS.has(e.method)) f.givenProven = i;
        }
        break;
      }
      case 'consent.refused':
      case 'consent.withdrawn':
        if (!onChannel) break;
        if (e.scope === 'own') f.ownNegativeAnyPurpose = i;
        if (e.scope === scope && coversPurpose(e, purpose)) {
          if (e.type === 'consent.refused') f.refused = i;
          else f.withdrawn = i;
        }
        break;
      case 'objection':
        if (onChannel) {
          f.objection = i;
          f.ownNegativeAnyPurpose = i;
        }
        break;
      // A sale is itself a collection from the person (CPCE L34-5 al. 4: "recueillies directement auprès de lui …
      // à l'occasion d'une vente"): the buyer gives their details to the seller, whether or not a bought or public
      // list held them before or after. "If a prospect becomes a client" the exception applies (CNIL).
      case 'purchase':
        if (!f.isClient) f.clientSince = e.at;
        f.isClient = true;
        f.lastActiveContact = e.at;
        f.clientUntil = e.at;
        break;
      case 'contract.started':
        if (!f.isClient) f.clientSince = e.at;
        f.isClient = true;
        openContracts ??= new Set();
        openContracts.add(e.contract ?? '');
        f.lastActiveContact = e.at;
        break;
      case 'contract.ended':
        // An end without a contract id ends every open contract; an end naming a contract no start named ends the
        // one started without an id: the stricter readings.
        if (e.contract === null) openContracts?.clear();
        else {
          const open = openContracts as Set<string> | null;
          if (open !== null && !open.delete(e.contract)) open.delete('');
        }
        f.lastActiveContact = e.at;
        f.clientUntil = e.at;
        break;
      case 'data.collected': {
        const indirect = isIndirectSource(e.source);
        if (e.informed === false) {
          if (!indirect) uninformed = true;
        } else if (e.informed === true) informed = true;
        if (!indirect) f.collectedDirectly = true;
        else if (e.source === 'acquired') f.acquired = e;
        else f.publicSource = true;
        // Buying the details of someone already known, or finding them again in a directory, is no contact from
        // them: it starts the clock of a new prospect, never restarts an old one (a 2022 prospect left to lapse
        // would live again with each purchase or each scrape; CNIL: 3 years from collection or the last contact
        // from the prospect).
        if (!indirect || f.lastActiveContact === Number.NEGATIVE_INFINITY) f.lastActiveContact = e.at;
        break;
      }
      case 'interaction':
        if (e.kind === 'request') f.lastInquiry = e.at;
        // An active contact from the person; an opened email is not one (CNIL).
        f.lastActiveContact = e.at;
        break;
      case 'account.created':
        f.lastActiveContact = e.at;
        break;
      default:
        break;
    }
  }
  f.contractInProgress = openContracts !== null && openContracts.size > 0;
  if (f.contractInProgress) f.clientUntil = Number.POSITIVE_INFINITY;
  f.notInformed = uninformed && !informed;
  return f;
}

/** Index of the latest valid consent for the message, or -1; `proof` demands a self-proving method or confirmation. */
export function latestConsent(f: Facts, proof: boolean): number {
  const given = proof ? f.givenProven : f.given;
  return Math.max(given, f.confirmed);
}

/** Index of the latest valid consent for the message that nothing took back since, or -1. */
export function standingConsent(f: Facts, proof: boolean): number {
  const best = latestConsent(f, proof);
  return best >= 0 && best > latestNegative(f) ? best : -1;
}

/** Index of the latest event that takes consent away for this message (refusal, withdrawal, objection). */
export function latestNegative(f: Facts): number {
  return Math.max(f.objection, f.withdrawn, f.refused);
}
