// The French overseas departments: ISO 3166-1 codes of their own (and numbering plans of their own), French law in
// full (Constitution art. 73).

/** ISO 3166-1 code of each overseas department → its ISO 3166-2 code as a region of FR. */
export const OVERSEAS_DEPARTMENTS: Readonly<Record<string, string>> = {
  GP: 'FR-971',
  MQ: 'FR-972',
  GF: 'FR-973',
  RE: 'FR-974',
  YT: 'FR-976',
};

const BY_REGION = new Map(Object.entries(OVERSEAS_DEPARTMENTS).map(([code, region]) => [region, code]));

/**
 * The overseas department a French contact lives in (its ISO 3166-1 code, whose numbering plan its local numbers
 * follow: 0692 … is a Réunion mobile), or null.
 */
export function departmentOf(jurisdiction: string, region: string | null | undefined): string | null {
  if (jurisdiction.toUpperCase() !== 'FR' || !region) return null;
  return BY_REGION.get(region.toUpperCase()) ?? null;
}
