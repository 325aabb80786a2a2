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
 * National prefixes the French numbering plan gives the overseas departments (ARCEP, zones de numérotation élargies):
 * a number dialled 0596 … rings in Martinique, whose E.164 form is +596 596 …. Mainland France's plan in
 * libphonenumber-js also accepts some of them (0263, 0269, 0596 as +33 …), which would make a Bloctel entry and a
 * contact's number of one person differ.
 */
const DEPARTMENT_PREFIXES: Readonly<Record<string, string>> = {
  '0590': 'GP',
  '0690': 'GP',
  '0691': 'GP',
  '0594': 'GF',
  '0694': 'GF',
  '0596': 'MQ',
  '0696': 'MQ',
  '0697': 'MQ',
  '0262': 'RE',
  '0263': 'RE',
  '0692': 'RE',
  '0693': 'RE',
  '0269': 'YT',
  '0639': 'YT',
};

/**
 * The numbering plans national numbers are tried in, in order (see normalizePhoneOf in contact.ts). The French
 * departments have plans of their own; the US territories share the North American plan, which reads a national
 * number the same in any of them. Without a region, a French national number (`number`) of a department's prefix
 * is read in that department's plan first.
 */
export function numberingPlans(jurisdiction: string, region: string | null | undefined, number?: string): string[] {
  const law = lawOf(jurisdiction);
  if (law !== jurisdiction) return [jurisdiction, law];
  if (jurisdiction !== 'FR') return [jurisdiction];
  const department =
    (region ? FR_BY_REGION.get(region.toUpperCase()) : undefined) ??
    (number === undefined ? undefined : DEPARTMENT_PREFIXES[nationalPrefix(number)]);
  if (department !== undefined) return [department, 'FR'];
  return ['FR', ...FR_BY_REGION.values()];
}

/** The department a French national prefix (`0596`) belongs to, or undefined for mainland France's. */
export function departmentOfPrefix(prefix: string): string | undefined {
  return DEPARTMENT_PREFIXES[prefix];
}

/** The first four digits of a French national number written 0XXX XX XX XX (spaces, dots, dashes allowed). */
function nationalPrefix(number: string): string {
  const digits = number.replace(/[\s.()-]/g, '');
  return /^0\d{9}$/.test(digits) ? digits.slice(0, 4) : '';
}
