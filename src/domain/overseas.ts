// Places with ISO 3166-1 codes of their own where another country's law applies: the French overseas departments
// (French law in full, Constitution art. 73) and the territories of the United States (the Communications Act's
// "United States" takes them in, 47 U.S.C. §153: the TCPA, its rules and the Do Not Call Registry apply there).

/** ISO 3166-1 code of each such place → its ISO 3166-2 code as a region of the country whose law applies. */
export const TERRITORIES: Readonly<Record<string, string>> = {
  GP: 'FR-971',
  MQ: 'FR-972',
  GF: 'FR-973',
  RE: 'FR-974',
  YT: 'FR-976',
  PR: 'US-PR',
  VI: 'US-VI',
  GU: 'US-GU',
  MP: 'US-MP',
  AS: 'US-AS',
};

/** The jurisdiction whose law applies: FR for an overseas department's own code, US for a territory's, else itself. */
export function lawOf(jurisdiction: string): string {
  return TERRITORIES[jurisdiction]?.slice(0, 2) ?? jurisdiction;
}

const FR_BY_REGION = new Map(
  Object.entries(TERRITORIES)
    .filter(([, region]) => region.startsWith('FR-'))
    .map(([code, region]) => [region, code]),
);

/**
 * The numbering plans national numbers are tried in, in order (see normalizePhoneOf in contact.ts). The French
 * departments have plans of their own; the US territories share the North American plan, which reads a national
 * number the same in any of them.
 */
export function numberingPlans(jurisdiction: string, region: string | null | undefined): string[] {
  const law = lawOf(jurisdiction);
  if (law !== jurisdiction) return [jurisdiction, law];
  if (jurisdiction !== 'FR') return [jurisdiction];
  const department = region ? FR_BY_REGION.get(region.toUpperCase()) : undefined;
  return department !== undefined ? [department, 'FR'] : ['FR', ...FR_BY_REGION.values()];
}
