// A contact's region (ISO 3166-2), checked against its jurisdiction before it is stored: a region the rule packs do
// not know (FR-999) or of another country was stored, and decisions read it as an unknown location (calling hours
// held in every zone of the country, regional holidays missed). The lists are the ISO 3166-2 codes of the countries
// that have a pack, a superset of the regions those packs name (test/domain/regions.test.ts holds them so).
import { lawOf, TERRITORIES } from './overseas.js';

const range = (from: number, to: number, width = 2): string[] =>
  Array.from({ length: to - from + 1 }, (_, i) => String(from + i).padStart(width, '0'));

const codes = (...lists: (string | readonly string[])[]): ReadonlySet<string> =>
  new Set(lists.flatMap((l) => (typeof l === 'string' ? l.split(' ') : l)));

/** Subdivision codes (after `XX-`) of each country with a pack, and how to say what they are. */
const KNOWN: Readonly<Record<string, { codes: ReadonlySet<string>; hint: string }>> = {
  FR: {
    // Departments (FR-20 is no more: FR-2A, FR-2B), overseas departments and collectivities, regions, and the
    // collectivities of special status (Paris FR-75C, Lyon FR-69M, Alsace FR-6AE, Corse FR-20R).
    codes: codes(
      range(1, 19),
      range(21, 95),
      '2A 2B 971 972 973 974 976 BL MF PM WF PF NC TF CP',
      'ARA BFC BRE CVL COR GES HDF IDF NOR NAQ OCC PDL PAC 75C 69M 6AE 20R',
    ),
    hint: 'a department FR-01…FR-95, FR-2A, FR-2B, an overseas one FR-971…FR-976, FR-BL, FR-MF, FR-PM…, or a region FR-IDF…',
  },
  US: {
    codes: codes(
      'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK',
      'OR PA RI SC SD TN TX UT VT VA WA WV WI WY AS GU MP PR UM VI',
    ),
    hint: 'a state US-AL…US-WY, US-DC, or a territory US-PR, US-GU…',
  },
  ES: {
    // Autonomous communities and cities, then provinces.
    codes: codes(
      'AN AR AS CB CE CL CM CN CT EX GA IB MC MD ML NC PV RI VC',
      'A AB AL AV B BA BI BU C CA CC CO CR CS CU GC GI GR GU H HU J L LE LO LU M MA MU NA O OR P PM PO S SA SE SG SO',
      'SS T TE TF TO V VA VI Z ZA',
    ),
    hint: 'a community ES-AN…ES-VC or a province ES-A…ES-ZA',
  },
  IT: {
    // Regions, then provinces and metropolitan cities (with Sardinia's before and after its reforms).
    codes: codes(
      '21 23 25 32 34 36 42 45 52 55 57 62 65 67 72 75 77 78 82 88',
      'AG AL AN AO AP AQ AR AT AV BA BG BI BL BN BO BR BS BT BZ CA CB CE CH CI CL CN CO CR CS CT CZ EN FC FE FG FI FM FR',
      'GE GO GR IM IS KR LC LE LI LO LT LU MB MC ME MI MN MO MS MT NA NO NU OG OR OT PA PC PD PE PG PI PN PO PR PT PU',
      'PV PZ RA RC RE RG RI RM RN RO SA SI SO SP SR SS SU SV TA TE TN TO TP TR TS TV UD VA VB VC VE VI VR VS VT VV',
    ),
    hint: 'a region IT-21…IT-88 or a province IT-AG…IT-VV',
  },
  DE: { codes: codes('BB BE BW BY HB HE HH MV NI NW RP SH SL SN ST TH'), hint: 'a Land DE-BB…DE-TH' },
  AT: { codes: codes(range(1, 9, 1)), hint: 'a Land AT-1…AT-9' },
  CH: {
    codes: codes('AG AI AR BE BL BS FR GE GL GR JU LU NE NW OW SG SH SO SZ TG TI UR VD VS ZG ZH'),
    hint: 'a canton CH-AG…CH-ZH',
  },
  NL: {
    codes: codes('DR FL FR GE GR LI NB NH OV UT ZE ZH AW CW SX BQ1 BQ2 BQ3'),
    hint: 'a province NL-DR…NL-ZH, or NL-AW, NL-CW, NL-SX, NL-BQ1…NL-BQ3',
  },
  BE: {
    codes: codes('BRU VLG WAL VAN VBR VLI VOV VWV WBR WHT WLG WLX WNA'),
    hint: 'a region BE-BRU, BE-VLG, BE-WAL or a province BE-VAN…BE-WNA',
  },
};

/**
 * Places with an ISO 3166-1 code of their own that ISO 3166-2 also lists as one subdivision of another country (beside
 * TERRITORIES, whose law is that country's): the French overseas collectivities, the Dutch Caribbean countries, the
 * US minor outlying islands.
 */
const SELF_REGIONS: Readonly<Record<string, string>> = Object.fromEntries([
  ...['BL', 'MF', 'PM', 'WF', 'PF', 'NC', 'TF'].map((c) => [c, `FR-${c}`]),
  ...['AW', 'CW', 'SX'].map((c) => [c, `NL-${c}`]),
  ['UM', 'US-UM'],
]);

/**
 * Why `region` cannot be the region of a contact of `jurisdiction`, or null. A subdivision of the jurisdiction
 * itself, in its list when Assent has one, else only of the ISO 3166-2 form (a country without a pack decides nothing
 * by region); a place with a code of its own has exactly one region, its own (FR-974 for RE, FR-BL for BL).
 */
export function regionProblem(jurisdiction: string, region: string): string | null {
  const code = region.toUpperCase();
  if (!/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(code)) {
    return `is not an ISO 3166-2 subdivision (FR-974, US-CA…); got "${region}"`;
  }
  const own = jurisdiction.toUpperCase();
  const country = lawOf(own);
  const [prefix = '', sub = ''] = code.split('-');
  // A place with a code of its own is one region of the other country: La Réunion (RE) is FR-974 and nothing else.
  // Another would move the calling hours to another time zone (RE with FR-75 was called at 21:30, read as Paris).
  const itself = TERRITORIES[own] ?? SELF_REGIONS[own];
  if (itself !== undefined) {
    return code === itself ? null : `a contact of ${own} is in ${itself} (its only region), not "${region}"`;
  }
  if (prefix !== own) {
    return `"${region}" is a subdivision of ${prefix}, not of the contact's jurisdiction ${own}`;
  }
  const known = prefix === country ? KNOWN[country] : undefined;
  if (known === undefined || known.codes.has(sub)) return null;
  return `"${region}" is not a subdivision of ${country} (ISO 3166-2): give ${known.hint}`;
}
