import type { BasisCode, ObligationCode, ReasonCode } from './codes.js';

/** One reason for a deny; `ref` cites the legal text the rule comes from. */
export interface Reason {
  code: ReasonCode;
  message: string;
  ref: string;
  /** Id of the rule that produced it (Assent addition, for audits and `explain`). */
  rule?: string;
}

/** Something an allowed message must carry. */
export interface Obligation {
  code: ObligationCode;
  message: string;
  ref: string;
  /**
   * Assent addition, on DISCLOSE_DATA_SOURCE for details from a third party or a public source: where they came
   * from, which the message must name (GDPR art. 14(2)(f)); `provider` null when the ledger does not say.
   */
  source?: DataSource;
}

/** Where a contact's details came from when not from the person: bought or rented (`acquired`), or public. */
export interface DataSource {
  kind: 'acquired' | 'public';
  provider: string | null;
}

/** The source a decision's obligations say the message must name (DISCLOSE_DATA_SOURCE), or undefined. */
export function disclosedSource(obligations: readonly Obligation[]): DataSource | undefined {
  return obligations.find((o) => o.source !== undefined)?.source;
}

/** The answer of the decision contract. */
export interface Decision {
  id?: string | number | null;
  decision: 'allow' | 'deny';
  basis: BasisCode | null;
  reasons: Reason[];
  obligations: Obligation[];
  /** The rule-pack version that decided, `FR@2026-08-11`; null when no pack covers the request. */
  rules: string | null;
  /**
   * Assent addition: fields of the request the contract does not name, which the decision did not read (a `list`
   * meant as `lists` would otherwise fail open in silence). Absent when there are none.
   */
  warnings?: FieldWarning[];
}

/** A field of a request that was not read, where it is (JSON Pointer) and why. */
export interface FieldWarning {
  path: string;
  message: string;
}

/**
 * The answer to a line that is not a valid request, that names a stored contact Assent does not have, or one whose
 * processing is restricted (GDPR art. 18: stored, never decided on; stored-decisions.ts).
 */
export interface DecisionError {
  id?: string | number | null;
  error: { code: 'INVALID_REQUEST' | 'CONTACT_NOT_FOUND' | 'PROCESSING_RESTRICTED'; message: string; path: string };
}
