// A person's type (individual or professional: B2C or B2B) and jurisdiction decide which law applies to them. One
// file that gives one external id two of them contradicts itself: the later row would silently move the person to
// another regime (and its phone number was read in the other country). Noted from every row of the file, those of a
// resumed run's committed lines included, so that a resumed run refuses the same rows as one run through.
import type { ImportRow } from './rows.js';

type Fact = 'jurisdiction' | 'type';
type Stated = Partial<Record<Fact, { value: string; line: number }>>;

/**
 * The type and jurisdiction the file's rows state for each external id: one entry per external id, kept as one
 * string ("FR|individual|2|2") rather than objects, ~100 bytes an id (a CRM export of millions of ids).
 */
export class StatedFacts {
  private readonly packed = new Map<string, string>();

  private stated(id: string): Stated | undefined {
    const p = this.packed.get(id);
    if (p === undefined) return undefined;
    const [j, t, jl, tl] = p.split('|');
    return {
      ...(j ? { jurisdiction: { value: j, line: Number(jl) } } : {}),
      ...(t ? { type: { value: t, line: Number(tl) } } : {}),
    };
  }

  private note(id: string, s: Stated): void {
    this.packed.set(
      id,
      `${s.jurisdiction?.value ?? ''}|${s.type?.value ?? ''}|${s.jurisdiction?.line ?? ''}|${s.type?.line ?? ''}`,
    );
  }

  /**
   * Why the row contradicts an earlier row of the same external id, or null, the row's stated type and
   * jurisdiction then noted. Only what rows state counts: a row without them adds to the person and changes neither.
   */
  check(row: Pick<ImportRow, 'identifiers' | 'set' | 'line'>): string | null {
    const ids = row.identifiers.filter((i) => i.kind === 'external').map((i) => i.value);
    const says: Stated = {};
    for (const f of ['jurisdiction', 'type'] as const) {
      const v = row.set[f];
      if (v !== undefined) says[f] = { value: v, line: row.line };
    }
    if (Object.keys(says).length === 0) return null;
    for (const id of ids) {
      const earlier = this.stated(id);
      if (earlier === undefined) continue;
      const clash = (['jurisdiction', 'type'] as const).some(
        (f) => earlier[f] !== undefined && says[f] !== undefined && earlier[f].value !== says[f].value,
      );
      if (clash) {
        return `external id ${id} is ${describe(earlier)}; this line says ${[says.jurisdiction?.value, says.type?.value].filter((v) => v !== undefined).join(' ')}: a change of type (B2C/B2B) or country changes the law that applies, and one file cannot say both; fix the file, or change the contact with assent contacts set`;
      }
    }
    for (const id of ids) {
      const known = this.stated(id) ?? {};
      for (const f of ['jurisdiction', 'type'] as const) known[f] ??= says[f];
      this.note(id, known);
    }
    return null;
  }
}

/** "FR individual on line 2", or "FR on line 2, professional on line 5". */
function describe(s: Stated): string {
  const j = s.jurisdiction;
  const t = s.type;
  if (j !== undefined && t !== undefined && j.line === t.line) return `${j.value} ${t.value} on line ${j.line}`;
  return [j, t].flatMap((f) => (f === undefined ? [] : [`${f.value} on line ${f.line}`])).join(', ');
}
