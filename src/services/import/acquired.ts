// Rows of a bought or rented list (`assent import --acquisition <id>`; docs/import.md). A person whose details came
// from a third party must be told the source (GDPR art. 14(2)(f)), at the latest at the first communication with
// them (art. 14(3)(b)). The engine owes that as the DISCLOSE_DATA_SOURCE obligation, naming the provider, when the
// contact's history says the data were acquired: this is where the history says it.
import type { Acquisition } from '../../domain/acquisition.js';
import { type EventType, isIndirectSource, RELATIONSHIP_EVENT_TYPES } from '../../domain/request.js';
import type { ImportRow } from './rows.js';

/**
 * The row with the acquisition's provenance: a row that states no collection of its own gets a `data.collected`
 * event at the provider's collection date, `source: acquired`, the provider, and `informed` when the acquisition
 * says. A row's own `data.collected` (the file's `source`, `provider`, `collected_at` columns) is kept when it says
 * `acquired` (its provider defaulting to the acquisition's) or `public`; one that says the data were collected
 * `direct`ly from the person is refused: a bought list's row saying so would spare its first message the
 * disclosure of the provider (art. 14(2)(f)), as the CNIL sanctioned (SAN-2022-021). So is a row with a purchase,
 * contract, account or contact (RELATIONSHIP_EVENT_TYPES).
 */
export function withAcquisition(row: ImportRow, acquisition: Acquisition): ImportRow | { reason: string } {
  if (row.erased !== undefined) {
    return {
      reason: `an erased contact of an assent export is not a row of a bought or rented list (${acquisition.provider})`,
    };
  }
  // In a bought list the person's relationship acts are with the provider. Kept, they would allow email and SMS
  // under the client exception (CPCE L34-5 al. 4: details collected from the person at a sale of ours) and restart
  // the retention clock that a purchased list must not restart (CNIL).
  const relation = row.events.find((e) => RELATIONSHIP_EVENT_TYPES.has(e.type as EventType));
  if (relation !== undefined) {
    return {
      reason:
        `${relation.type}: a row of a bought or rented list (${acquisition.provider}) holds the person's relations with its provider, not with you; ` +
        'a purchase, contract, account or contact there makes no client of yours and restarts no retention period: leave those columns or events out',
    };
  }
  const own = row.events.filter((e) => e.type === 'data.collected');
  if (own.length > 0) {
    const direct = own.find((e) => !isIndirectSource(e.data.source));
    if (direct !== undefined) {
      return {
        reason:
          `source ${String(direct.data.source ?? '(none)')}: a row of a bought or rented list (${acquisition.provider}) ` +
          'was collected by its provider; give source acquired (or public), or leave the collection columns empty',
      };
    }
    return {
      ...row,
      events: row.events.map((e) =>
        e.type === 'data.collected' && e.data.source === 'acquired' && e.data.provider === undefined
          ? { ...e, data: { ...e.data, provider: acquisition.provider } }
          : e,
      ),
    };
  }
  const data: Record<string, unknown> = { source: 'acquired', provider: acquisition.provider };
  if (acquisition.informed !== null) data.informed = acquisition.informed;
  return {
    ...row,
    events: [{ type: 'data.collected', at: acquisition.collectedAt, data, evidence: null }, ...row.events],
  };
}
