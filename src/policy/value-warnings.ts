// Values the rules never name, said beside the decision: a sector or an opposition list the jurisdiction's rules do
// not know was read as no sector and no list, which can fail open ("energy-renovation" for energy_renovation, a list
// "blocktel"). The contract leaves both open, so they are not refused; the answer's `warnings` name them.
import type { FieldWarning } from '../domain/decision.js';
import type { DecisionRequest } from '../domain/request.js';
import type { CompiledPack } from './compile.js';
import type { PackRegistry } from './evaluate.js';

interface Named {
  sectors: ReadonlySet<string>;
  lists: ReadonlySet<string>;
}

const SECTOR_KEYS = new Set(['sectors', 'exceptSectors']);
const LIST_KEYS = new Set(['lists', 'excludedByLists']);
const named = new WeakMap<CompiledPack, Named>();

/** Every sector and list any rule of the pack names, in any version. */
function namedBy(compiled: CompiledPack): Named {
  let n = named.get(compiled);
  if (n !== undefined) return n;
  const sectors = new Set<string>();
  const lists = new Set<string>();
  for (const rule of compiled.pack.rules) {
    for (const [key, value] of Object.entries(rule.params as Record<string, unknown>)) {
      if (!Array.isArray(value)) continue;
      const into = SECTOR_KEYS.has(key) ? sectors : LIST_KEYS.has(key) ? lists : null;
      for (const v of value) if (into !== null && typeof v === 'string') into.add(v);
    }
  }
  n = { sectors, lists };
  named.set(compiled, n);
  return n;
}

const shown = (values: ReadonlySet<string>): string => (values.size === 0 ? 'none' : [...values].sort().join(', '));

/** Warnings for the request's sector and lists its jurisdiction's rules do not name, or null. */
export function valueWarnings(req: DecisionRequest, packs: PackRegistry): FieldWarning[] | null {
  const sector = req.message.offer.sector;
  const lists = req.contact.lists;
  if (sector === null && lists.length === 0) return null;
  const compiled = packs.get(req.jurisdiction);
  if (compiled === undefined) return null; // UNSUPPORTED_JURISDICTION says it all
  const n = namedBy(compiled);
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
      path: `/contact/lists/${i}/name`,
      message: `no ${req.jurisdiction} rule reads the list "${l.name}" (${shown(n.lists)}): it was not read`,
    });
  }
  return out;
}
