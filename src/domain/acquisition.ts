// Bought and rented lists (issue #6; docs/lists.md "Bought and rented lists"). When personal data were not obtained
// from the person, the controller must tell them where the data came from (GDPR art. 14(2)(f)), at the latest at
// the first communication when the data are used to communicate with them (art. 14(3)(b)). The CNIL asks the buyer
// of a file to inform the people of its source and to be able to show that the consent the seller collected is
// valid, naming the buyer among its partners ("Vente de fichiers clients : la CNIL rappelle les règles", cnil.fr,
// 5 December 2022; sanction of EDF, SAN-2022-021, 24 November 2022, for prospecting with a data broker's file whose
// consent it had not checked). An acquisition is that record: who provided the list, how they collected it, the
// proof of consent they gave, and its documents.
import { parseInstant } from './iso-time.js';

export const ACQUISITION_KINDS = ['bought', 'rented'] as const;
export type AcquisitionKind = (typeof ACQUISITION_KINDS)[number];

/** A proof document is kept in the database, whole: 20 MiB at the most each. */
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

/** What is recorded of a bought or rented list. */
export interface NewAcquisition {
  /** Who sold or rented the list. */
  provider: string;
  kind: AcquisitionKind;
  /** How the provider collected the data (free text: "checkbox on partner form, partners named"). */
  collectionMethod: string;
  /** What the provider gave as proof of the people's consent (free text). */
  consentProof: string;
  /** When the provider collected the data, YYYY-MM-DD. */
  collectedAt: string;
  /** When we got the list, YYYY-MM-DD. */
  acquiredAt: string;
  /** Whether the people were told their data would be passed on; null when the provider does not say. */
  informed: boolean | null;
  recordedBy: string;
}

/** A proof document of an acquisition (its bytes are fetched on their own). */
export interface AcquisitionDocument {
  name: string;
  sha256: string;
  size: number;
  addedAt: string;
}

export interface Acquisition extends NewAcquisition {
  id: string;
  createdAt: string;
  documents: AcquisitionDocument[];
}

/** What is wrong with a calendar date (`YYYY-MM-DD`, a day that exists), or null when it is one. */
export function calendarDateProblem(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return `must be a date YYYY-MM-DD; got "${value}"`;
  const ms = parseInstant(value);
  return typeof ms === 'string' ? `${ms}; got "${value}"` : null;
}

const REQUIRED = [
  'provider',
  'kind',
  'collectionMethod',
  'consentProof',
  'collectedAt',
  'acquiredAt',
  'recordedBy',
] as const satisfies readonly (keyof NewAcquisition)[];

/**
 * Every problem of an acquisition to record, each naming its field as `name` spells it (the CLI names its flags);
 * empty when it can be recorded. `today` (YYYY-MM-DD, UTC) refuses dates after it: a list not yet collected or
 * handed over cannot be recorded as such, and its contacts' data.collected event would lie ahead of every decision
 * (the first message's DISCLOSE_DATA_SOURCE then named no provider).
 */
export function acquisitionProblems(
  a: NewAcquisition,
  name: (field: keyof NewAcquisition) => string = (field) => field,
  today?: string,
): string[] {
  const problems: string[] = [];
  const missing = new Set(REQUIRED.filter((field) => typeof a[field] !== 'string' || a[field].trim() === ''));
  for (const field of missing) problems.push(`${name(field)} is required`);
  if (!missing.has('kind') && !(ACQUISITION_KINDS as readonly string[]).includes(a.kind)) {
    problems.push(`${name('kind')} must be one of ${ACQUISITION_KINDS.join(', ')}; got "${a.kind}"`);
  }
  const dated = (['collectedAt', 'acquiredAt'] as const).filter((field) => {
    const problem = missing.has(field)
      ? 'is required'
      : (calendarDateProblem(a[field]) ??
        (today !== undefined && a[field] > today ? `is in the future (today is ${today})` : null));
    if (problem !== null && !missing.has(field)) problems.push(`${name(field)} ${problem}`);
    return problem === null;
  });
  // ISO dates compare as text: a list cannot be handed over before its data were collected.
  if (dated.length === 2 && a.collectedAt > a.acquiredAt) {
    problems.push(`${name('collectedAt')} ${a.collectedAt} is after ${name('acquiredAt')} ${a.acquiredAt}`);
  }
  if (a.informed !== null && typeof a.informed !== 'boolean') {
    problems.push(`${name('informed')} must be true, false or null`);
  }
  return problems;
}
