import type { Channel } from '../../domain/channels.js';
import type { IdentifierKind } from '../../domain/contact.js';
import { type ImportFormat, ImportInputError } from './reader.js';

/** The channels a per-channel column names (`consent_email`, `objection_sms`…), in the order they are listed. */
const COLUMN_CHANNELS = [
  'email',
  'sms',
  'mms',
  'phone',
  'postal',
  'fax',
  'automated_call',
] as const satisfies readonly Channel[];
type ColumnChannel = (typeof COLUMN_CHANNELS)[number];

function channelColumns<P extends string>(prefix: P): Readonly<Record<`${P}_${ColumnChannel}`, ColumnChannel>> {
  return Object.fromEntries(COLUMN_CHANNELS.map((c) => [`${prefix}_${c}`, c])) as Record<
    `${P}_${ColumnChannel}`,
    ColumnChannel
  >;
}

/** Consent columns and the channel each records. */
export const CONSENT_COLUMNS = channelColumns('consent');
/** Objection columns (unsubscribed, opted out: GDPR art. 21(2)-(3)) and the channel each records. */
export const OBJECTION_COLUMNS = channelColumns('objection');

/** Identifier columns in the order that picks a row's contact key (idempotency). */
export const IDENTIFIER_COLUMNS = [
  ['external_id', 'external'],
  ['email', 'email'],
  ['phone', 'phone'],
  ['postal', 'postal'],
] as const satisfies readonly (readonly [string, IdentifierKind])[];

export const CSV_COLUMNS = [
  ...IDENTIFIER_COLUMNS.map(([c]) => c),
  'type',
  'address',
  'jurisdiction',
  'time_zone',
  'region',
  'source',
  'provider',
  'collected_at',
  'informed',
  ...(Object.keys(CONSENT_COLUMNS) as (keyof typeof CONSENT_COLUMNS)[]),
  'consent_at',
  'consent_method',
  'consent_purpose',
  'consent_text_id',
  ...(Object.keys(OBJECTION_COLUMNS) as (keyof typeof OBJECTION_COLUMNS)[]),
  'objection_at',
  'objection_purpose',
  'purchase_at',
  'purchase_category',
  'contract_started_at',
  'contract_ended_at',
  'contract',
  'last_contact_at',
  'last_contact_kind',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];

/**
 * Columns that each record one act of the person at their date, with the data the other columns named give
 * (decision contract, history events): what a CRM export holds beside consents. A data column needs one of the
 * dates that use it.
 */
export const DATED_ACT_COLUMNS = [
  // A client: the client exception (CPCE L34-5 al. 4, ePrivacy art. 13(2)).
  { at: 'purchase_at', type: 'purchase', data: { category: 'purchase_category' } },
  // A running contract (the FR phone exception since 2026-08-11, CONTRACT_IN_PROGRESS).
  { at: 'contract_started_at', type: 'contract.started', data: { contract: 'contract' } },
  { at: 'contract_ended_at', type: 'contract.ended', data: { contract: 'contract' } },
  // The last active contact from the person: the retention clock (CNIL, 3 years).
  { at: 'last_contact_at', type: 'interaction', data: { kind: 'last_contact_kind' } },
] as const satisfies readonly { at: CsvColumn; type: string; data: Record<string, CsvColumn> }[];

/**
 * The CSV columns as `assent import --help` lists them: each per-channel family once (`consent_<channel>`), then the
 * channels. Made from the tables above, so the help cannot miss a column.
 */
export function csvColumnsSummary(): string {
  const families = new Map([
    ...Object.keys(CONSENT_COLUMNS).map((c) => [c, 'consent_<channel>'] as const),
    ...Object.keys(OBJECTION_COLUMNS).map((c) => [c, 'objection_<channel>'] as const),
  ]);
  const names = [...new Set(CSV_COLUMNS.map((c) => families.get(c) ?? c))];
  return `${names.join(', ')} (<channel>: ${COLUMN_CHANNELS.join(', ')})`;
}

/**
 * Top-level fields of an NDJSON row; `assent export` lines carry the second list too, read and ignored (but an
 * erased contact's `erasedAt` and `id`: see ndjsonRow).
 */
export const NDJSON_FIELDS = [
  'externalId',
  'email',
  'phone',
  'postal',
  'type',
  'address',
  'jurisdiction',
  'timeZone',
  'region',
  'events',
  'identifiers',
] as const;
export const EXPORT_ONLY_FIELDS = ['id', 'addressSource', 'merged', 'createdAt', 'updatedAt', 'erasedAt'] as const;

/** `--map` value meaning "ignore this column". */
export const IGNORE = '-';

/**
 * The field a `--map` target names in this format, or null: CSV columns case-insensitively, NDJSON fields by their
 * name or its snake_case spelling (`external_id` → `externalId`), so one mapping habit serves both formats.
 */
export function mapTarget(format: ImportFormat, target: string): string | null {
  const t = target.trim();
  if (t === IGNORE) return IGNORE;
  if (format === 'csv') return (CSV_COLUMNS as readonly string[]).includes(t.toLowerCase()) ? t.toLowerCase() : null;
  const folded = t.replaceAll('_', '').toLowerCase();
  return NDJSON_FIELDS.find((f) => f.toLowerCase() === folded) ?? null;
}

/**
 * Each header cell's column (null: ignored with `--map col=-`). Refuses, naming the column: a name that is not a
 * column and has no mapping, two cells giving the same column, a mapping of a column the header lacks, and a header
 * without an identifier column or without `jurisdiction` when no default is given.
 */
export function resolveHeader(
  header: readonly string[],
  map: ReadonlyMap<string, string>,
  defaultJurisdiction: string | null,
): (CsvColumn | null)[] {
  const mapped = new Map([...map].map(([from, to]) => [from.trim().toLowerCase(), to]));
  // A mapping that names no column is checked first: it is the likelier typo behind an unknown column.
  const names = new Set(header.map((cell) => cell.trim().toLowerCase()));
  for (const [from, to] of map) {
    if (!names.has(from.trim().toLowerCase())) {
      throw new ImportInputError(`--map ${from}=${to}: the header has no column "${from}"`);
    }
  }
  const seen = new Map<string, string>();
  const columns = header.map((cell, i) => {
    const name = cell.trim();
    const target = mapped.get(name.toLowerCase()) ?? name.toLowerCase();
    if (target === IGNORE) return null;
    if (!(CSV_COLUMNS as readonly string[]).includes(target)) {
      // One cell holding known names joined by ; or a tab: the file is not comma-separated.
      const sep = [';', '\t', '|'].find((d) => name.includes(d));
      if (header.length === 1 && sep !== undefined) {
        const shown = sep === '\t' ? '\\t' : sep;
        throw new ImportInputError(
          `line 1: the header is one cell "${name}": the file looks ${sep === '\t' ? 'tab' : `"${sep}"`}-separated; add --delimiter '${shown}'`,
        );
      }
      const label = name === '' ? `column ${i + 1} of the header has no name` : `unknown column "${name}"`;
      throw new ImportInputError(
        `line 1: ${label}; name it with --map "${name}=<column>" (columns: ${CSV_COLUMNS.join(', ')}) or ignore it with --map "${name}=${IGNORE}"`,
      );
    }
    const twin = seen.get(target);
    if (twin !== undefined) {
      throw new ImportInputError(`line 1: columns "${twin}" and "${name}" both give ${target}`);
    }
    seen.set(target, name);
    return target as CsvColumn;
  });
  if (!IDENTIFIER_COLUMNS.some(([c]) => seen.has(c))) {
    throw new ImportInputError(
      `line 1: the header has none of ${IDENTIFIER_COLUMNS.map(([c]) => c).join(', ')}: rows could not be matched to contacts`,
    );
  }
  if (!seen.has('jurisdiction') && defaultJurisdiction === null) {
    throw new ImportInputError(
      'line 1: missing required column jurisdiction (or give a default with --jurisdiction XX)',
    );
  }
  return columns;
}
