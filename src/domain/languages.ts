// The languages a person of a jurisdiction usually reads (ISO 639-1), most common first: the official languages of
// the country, as the law addresses its people in them. GDPR art. 12(1) wants what a person is told given "in a
// concise, transparent, intelligible and easily accessible form, using clear and plain language" (recital 58): a
// message's legal mentions in a language the person does not read are none of these. Used to say when a campaign's
// template is in none of its recipients' languages (campaigns/send.ts) and, first one Assent speaks, for the
// language of an access report when nothing better is known (access-wording.ts).

/** Jurisdiction → its usual languages, the most common first. Unlisted: not known (no judgement is made). */
export const USUAL_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  FR: ['fr'],
  // French overseas departments (overseas.ts): French, as in metropolitan France.
  GP: ['fr'],
  MQ: ['fr'],
  GF: ['fr'],
  RE: ['fr'],
  YT: ['fr'],
  MC: ['fr'],
  BE: ['fr', 'nl', 'de'],
  LU: ['fr', 'de', 'lb'],
  NL: ['nl'],
  DE: ['de'],
  AT: ['de'],
  LI: ['de'],
  CH: ['de', 'fr', 'it', 'rm'],
  ES: ['es'],
  IT: ['it'],
  GB: ['en'],
  IE: ['en', 'ga'],
  US: ['en'],
  // US territories (overseas.ts): English; Puerto Rico's other official language is Spanish.
  PR: ['es', 'en'],
  VI: ['en'],
  GU: ['en'],
  MP: ['en'],
  AS: ['en'],
};

/** The usual languages of a jurisdiction (ISO 3166-1 alpha-2), or null when not known. */
export function usualLanguages(jurisdiction: string): readonly string[] | null {
  const code = jurisdiction.toUpperCase();
  return Object.hasOwn(USUAL_LANGUAGES, code) ? (USUAL_LANGUAGES[code] ?? null) : null;
}

/**
 * Whether people of `jurisdiction` usually read `language` (its primary subtag: `de-CH` is `de`): true, false, or
 * null when the jurisdiction's languages are not known.
 */
export function usuallyReads(jurisdiction: string, language: string): boolean | null {
  const usual = usualLanguages(jurisdiction);
  return usual === null ? null : usual.includes(language.toLowerCase().split('-')[0] ?? '');
}
