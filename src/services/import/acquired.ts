// Rows of a bought or rented list (`assent import --acquisition <id>`; docs/import.md). A person whose details came
// from a third party must be told the source (GDPR art. 14(2)(f)), at the latest at the first communication with
// them (art. 14(3)(b)). The engine owes that as the DISCLOSE_DATA_SOURCE obligation, naming the provider, when the
// contact's history says the data were acquired: this is where the history says it.
import type { Acquisition } from '../../domain/acquisition.js';
import type { ImportRow } from './rows.js';

/**
 * The row with the acquisition's provenance: a row that states no collection of its own gets a `data.collected`
 * event at the provider's collection date, `source: acquired`, the provider, and `informed` when the acquisition
 * says. A row's own `data.collected` (the file's `source`, `provider`, `collected_at` columns) is kept as it is.
 */
export function withAcquisition(row: ImportRow, acquisition: Acquisition): ImportRow {
  if (row.events.some((e) => e.type === 'data.collected')) return row;
  const data: Record<string, unknown> = { source: 'acquired', provider: acquisition.provider };
  if (acquisition.informed !== null) data.informed = acquisition.informed;
  return {
    ...row,
    events: [{ type: 'data.collected', at: acquisition.collectedAt, data, evidence: null }, ...row.events],
  };
}
