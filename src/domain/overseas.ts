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

/** The jurisdiction whose law applies: FR for an overseas department's own code, else the code itself. */
export function lawOf(jurisdiction: string): string {
  return OVERSEAS_DEPARTMENTS[jurisdiction] !== undefined ? 'FR' : jurisdiction;
}

const BY_REGION = new Map(Object.entries(OVERSEAS_DEPARTMENTS).map(([code, region]) => [region, code]));

/** The numbering plans national numbers are tried in, in order (see normalizePhoneOf in contact.ts). */
export function numberingPlans(jurisdiction: string, region: string | null | undefined): string[] {
  if (OVERSEAS_DEPARTMENTS[jurisdiction] !== undefined) return [jurisdiction, 'FR'];
  if (jurisdiction !== 'FR') return [jurisdiction];
  const department = region ? BY_REGION.get(region.toUpperCase()) : undefined;
  return department !== undefined ? [department, 'FR'] : ['FR', ...Object.keys(OVERSEAS_DEPARTMENTS)];
}
