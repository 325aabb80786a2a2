/**
 * Opposition lists go by several names (Robinsonliste, Lista Robinson, ECG-Liste, Ne m'appelez plus, National Do
 * Not Call Registry…). The rule packs name each by one short id; a request or an import that writes another usual
 * name, or another spelling, means the same list.
 */
const CANONICAL: Readonly<Record<string, string>> = {
  robinson: 'robinson',
  robinsonliste: 'robinson',
  robinsonlist: 'robinson',
  listarobinson: 'robinson',
  listerobinson: 'robinson',
  stoppublicite: 'robinson', // France's postal Robinson list ("liste Robinson Stop Publicité")
  robinsonstoppublicite: 'robinson',
  listerobinsonstoppublicite: 'robinson',
  ecg: 'ecg',
  ecgliste: 'ecg',
  ecglist: 'ecg',
  ecommercegesetzliste: 'ecg', // what ECG stands for (E-Commerce-Gesetz §7)
  dncm: 'dncm',
  nemappelezplus: 'dncm',
  nmap: 'dncm', // its usual abbreviation
  donotcallme: 'dncm', // its English name, whence the id
  belmenietmeer: 'dncm', // its Dutch name (the Dutch Bel-me-niet Register is another list)
  belmeniet: 'bel-me-niet',
  belmenietregister: 'bel-me-niet',
  rpo: 'rpo',
  registropubblicodelleopposizioni: 'rpo',
  registroopposizioni: 'rpo',
  registrodelleopposizioni: 'rpo',
  registropubblicoopposizioni: 'rpo',
  dnc: 'dnc',
  donotcall: 'dnc',
  nationaldnc: 'dnc',
  dncregistry: 'dnc',
  nationaldonotcallregistry: 'dnc',
  nationaldonotcall: 'dnc',
  donotcallregistry: 'dnc',
  tps: 'tps',
  telephonepreferenceservice: 'tps',
  ctps: 'ctps',
  corporatetelephonepreferenceservice: 'ctps',
  fps: 'fps',
  faxpreferenceservice: 'fps',
  mps: 'mps',
  mailingpreferenceservice: 'mps',
  bloctel: 'bloctel',
  postfilter: 'postfilter',
};

/**
 * The country of a list that has one (its national numbers are read there); null for the Robinson lists, which
 * each country keeps under the one id, and for lists Assent does not know.
 */
const COUNTRY: Readonly<Record<string, string>> = {
  bloctel: 'FR',
  ecg: 'AT',
  dncm: 'BE',
  'bel-me-niet': 'NL',
  postfilter: 'NL',
  rpo: 'IT',
  dnc: 'US',
  tps: 'GB',
  ctps: 'GB',
  fps: 'GB',
  mps: 'GB',
};

export function listCountry(id: string): string | null {
  return COUNTRY[id] ?? null;
}

/** The id the rule packs use for a list named `name` (lower-cased as given when it is not a known one). */
export function listId(name: string): string {
  const lower = name.trim().toLowerCase();
  // Accents folded before the letters are kept ("Stop Publicité" is stoppublicite, not stoppublicit).
  const key = lower.normalize('NFD').replace(/[^a-z0-9]/g, '');
  return CANONICAL[key] ?? lower;
}

/** Why a list id cannot be stored (see listId), or null: lower-case letters, digits, - and _, at most 64. */
export function listNameProblem(id: string): string | null {
  return /^[a-z0-9][a-z0-9_-]{0,63}$/.test(id) ? null : `list name "${id}": lower-case letters, digits, - and _ only`;
}

/**
 * What one current version is kept per: a national list (Bloctel, TPS, DNC…) by its name; a list each country keeps
 * under one name (the Robinson lists) or one Assent does not know, by name and country: Spain's Robinson list and
 * Germany's are both in use, and importing one must not retire the other.
 */
export function listKey(v: { name: string; country: string }): string {
  return listCountry(v.name) !== null ? v.name : `${v.name}|${v.country}`;
}
