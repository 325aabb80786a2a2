/** Legal grounds an allow rests on (decision contract, "Basis codes"). */
export const BASIS_CODES = [
  'CONSENT',
  'CLIENT_EXCEPTION',
  'CONTRACT_IN_PROGRESS',
  'B2B_RELATED',
  'LEGAL_PERSON',
  'OPT_OUT_REGIME',
] as const;
export type BasisCode = (typeof BASIS_CODES)[number];

/**
 * Why a message may not go out (decision contract, "Reason codes"), listed from the most to the least decisive:
 * when several apply, the first in this order is the main reason. A ban or an objection outranks a missing
 * consent, which outranks the age of the data (retention: decisive only when a basis would otherwise hold), which
 * outranks a timing constraint (calling hours, frequency) that a later attempt could meet.
 * `RULE_ERROR` is Assent's own addition: a rule that failed to evaluate denies (fail closed).
 */
export const REASON_CODES = [
  'UNSUPPORTED_JURISDICTION',
  'RULE_ERROR',
  'SECTOR_BAN',
  'WITHDRAWN',
  'REFUSED_AT_COLLECTION',
  'OPPOSITION_LIST',
  'PARTNER_CONSENT_REQUIRED',
  'CONSENT_INVALID',
  'CONFIRMATION_PENDING',
  'NOT_RELATED_TO_PROFESSION',
  'NO_CONSENT',
  'RETENTION_EXPIRED',
  'RECENT_REFUSAL',
  'FREQUENCY_LIMIT',
  'OUTSIDE_HOURS',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

/** Rank of a reason code: lower is more decisive. */
export const REASON_RANK: Readonly<Record<ReasonCode, number>> = Object.freeze(
  Object.fromEntries(REASON_CODES.map((c, i) => [c, i])) as Record<ReasonCode, number>,
);

/** What an allowed message must carry (decision contract, "Obligation codes"). */
export const OBLIGATION_CODES = [
  'IDENTIFY_SENDER',
  'MARK_AS_ADVERTISING',
  'UNSUBSCRIBE_LINK',
  'ONE_CLICK_UNSUBSCRIBE',
  'STOP_KEYWORD',
  'DISCLOSE_DATA_SOURCE',
  'OBJECTION_NOTICE',
  'ANNOUNCE_CALLER_AND_PURPOSE',
] as const;
export type ObligationCode = (typeof OBLIGATION_CODES)[number];
