// Values the rules never name, said beside the decision: a sector or an opposition list the jurisdiction's rules do
// not know was read as no sector and no list, which can fail open ("energy-renovation" for energy_renovation, a list
// "blocktel"). The contract leaves both open, so they are not refused; the answer's `warnings` name them.
import type { FieldWarning } from '../domain/decision.js';
import type { DecisionRequest } from '../domain/request.js';
import type { PackRegistry } from './evaluate.js';
import type { RulePack } from './rule-pack.js';

interface Named {
  sectors: ReadonlySet<string>;
  lists: ReadonlySet<string>;
}

const SECTOR_KEYS = new Set(['sectors', 'exceptSectors']);
const LIST_KEYS = new Set(['lists', 'excludedByLists']);
const named = new WeakMap<RulePack, Named>();

/** Every sector and list any rule of the pack names, in any version (sector bans and exceptions, opposition lists). */
export function namedInRules(pack: RulePack): Named {
  let n = named.get(pack);
  if (n !== undefined) return n;
  const sectors = new Set<string>();
  const lists = new Set<string>();
  for (const rule of pack.rules) {
    for (const [key, value] of Object.entries(rule.params as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      const into = SECTOR_KEYS.has(key) ? sectors : LIST_KEYS.has(key) ? lists : null;
      for (const v of value) if (into !== null && typeof v === 'string') into.add(v);
    }
  }
  n = { sectors, lists };
  named.set(pack, n);
  return n;
}

const shown = (values: ReadonlySet<string>): string => (values.size === 0 ? 'none' : [...values].sort().join(', '));

/**
 * Warnings for the request's sector and lists its jurisdiction's rules do not name, or null. `raw`: the request as
 * sent, to point at a list given as a plain string (`/contact/lists/0`) rather than at its `name`.
 */
export function valueWarnings(req: DecisionRequest, packs: PackRegistry, raw?: unknown): FieldWarning[] | null {
  const sector = req.message.offer.sector;
  const lists = req.contact.lists;
  if (sector === null && lists.length === 0) return null;
  const compiled = packs.get(req.jurisdiction);
  if (compiled === undefined) return null; // UNSUPPORTED_JURISDICTION says it all
  const n = namedInRules(compiled.pack);
  let out: FieldWarning[] | null = null;
  if (sector !== null && !n.sectors.has(sector)) {
    out = [
      {
        path: '/message/offer/sector',
        message: `no ${req.jurisdiction} rule names the sector "${sector}" (${shown(n.sectors)}): no sector rule applied to this message`,
      },
    ];
  }
  for (const [i, l] of lists.entries()) {
    if (n.lists.has(l.name)) continue;
    out ??= [];
    out.push({
      path: typeof rawLists(raw)?.[i] === 'string' ? `/contact/lists/${i}` : `/contact/lists/${i}/name`,
      message: `no ${req.jurisdiction} rule reads the list "${l.name}" (${shown(n.lists)}): it was not read`,
    });
  }
  return out;
}

function rawLists(raw: unknown): unknown[] | undefined {
  const contact = typeof raw === 'object' && raw !== null ? (raw as { contact?: unknown }).contact : undefined;
  const lists = typeof contact === 'object' && contact !== null ? (contact as { lists?: unknown }).lists : undefined;
  return Array.isArray(lists) ? lists : undefined;
}
