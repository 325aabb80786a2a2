// The answer to an access request (GDPR art. 15): everything Assent holds on one person, in one document.
import type { Contact } from '../domain/contact.js';
import type { LedgerEvent } from '../domain/ledger.js';
import { CHANNEL_EVENT_TYPES, type EventType, RELATIONSHIP_EVENT_TYPES } from '../domain/request.js';
import { decideOnHistory } from '../policy/decide.js';
import type { PackRegistry, TraceEntry } from '../policy/evaluate.js';
import type { RightsRequest } from '../store/recipient-tokens.js';
import type { SendRecord } from '../store/sends.js';
import { type ConsentText, type Store, StoreError } from '../store/store.js';
import { reportLanguage, SUPERVISORY_AUTHORITIES, say } from './access-wording.js';
import type { StatementLanguage } from './campaigns/statements.js';
import { suppressionHashes } from './lists/suppression.js';
import { BASES, type Party, type RegisterProfile, undeclaredTransfers } from './register.js';
import { engineContact, parsedHistory } from './stored-decisions.js';

export interface AccessReport {
  generatedAt: string;
  /** The person's data: identifiers, type, jurisdiction, zone (art. 15(3): a copy of the personal data). */
  contact: Contact;
  /**
   * Where the data came from (art. 15(1)(g)), oldest first: each `data.collected` with its source and provider, and
   * each submission of one of our consent forms (`source: 'direct'`, the form and page), which records no
   * `data.collected`: the person typed their details themselves (GDPR art. 13).
   */
  sources: AccessSource[];
  /** Partners the person agreed their data may go to (art. 15(1)(c): recipients). */
  partners: string[];
  /** Purposes named by their consents, refusals and objections (art. 15(1)(a)); `*`: one of them covers all. */
  purposes: string[];
  /** Every act recorded, with its evidence and hashes: consents, refusals, objections, purchases… */
  events: LedgerEvent[];
  /** The exact wording of each consent text an event cites. */
  consentTexts: ConsentText[];
  /** Every campaign message sent (or attempted) to the person. */
  messages: SendRecord[];
  /** The person's own access and erasure requests. */
  rightsRequests: RightsRequest[];
  /** How long the data is used (art. 15(1)(d)): the rule of the person's jurisdiction, judged on their ledger today. */
  retention: string;
  /** Double opt-in confirmations asked for (where sent, when, and what became of them); no token. */
  consentRequests: {
    via: string;
    destination: string;
    status: string;
    requestedAt: string;
    expiresAt: string;
    settledAt: string | null;
  }[];
  /**
   * The person's identifiers on the company suppression list (never contacted again): each with the hash the list
   * holds, why (`erased`, `objection`) and since when. After an erasure the identifiers are gone (`value: null`):
   * the hashes are those the erasure recorded in its `contact.erased` event.
   */
  suppressed: AccessSuppressed[];
  /** Said when some of the person's entries cannot be shown (an erasure made before its hashes were recorded). */
  suppressedNote: string | null;
  /** What art. 15(1) and 15(2) say the person is told with the copy, in their language (`retention` too). */
  information: AccessInformation;
}

/** One of the person's identifiers on the suppression list. */
export interface AccessSuppressed {
  kind: string;
  /** The identifier; null once erased (only its hash is kept). */
  value: string | null;
  hash: string;
  reason: string;
  since: string;
}

/** One collection of the person's data: `event` is the ledger event it is read from. */
export interface AccessSource {
  at: string;
  source: unknown;
  provider: unknown;
  /** Our consent form the person typed their details into: its id and name (null: not a form). */
  form: { id: string; name: string | null } | null;
  /** The page it was on, as the evidence recorded it. */
  page: string | null;
  /** The bought or rented list it came with (`assent import --acquisition`): `at` is then when the provider
   * collected the data, `acquiredAt` when we obtained it (art. 14(3)(a) counts from then). Null: no such list. Its
   * `kind`, `provider` and `acquiredAt` are null when the list's record is not in this database (an `assent export`
   * carries the id, not the record): the date is still the provider's. */
  acquisition: { id: string; kind: string | null; provider: string | null; acquiredAt: string | null } | null;
  event: string;
}

/** Art. 15(1)(a)-(h) and 15(2), from the ledger and the register profile (docs/rights.md); texts in `language`. */
export interface AccessInformation {
  /** fr, en, nl or de: the one asked for, else the language of the consent texts the person read, else their country's. */
  language: StatementLanguage;
  controller: Party | null;
  dpo: Party | null;
  /** (a) each purpose with its legal basis (`bases`: the basis codes, as a decision names them). */
  purposes: { purpose: string; legalBasis: string; bases: string[]; ref: string }[];
  /** (b) the categories of personal data held on the person. */
  categories: string[];
  /** (h) automated decision-making (art. 22): none producing legal or similarly significant effects. */
  automatedDecisions: { text: string; ref: string };
  /** (c) partners the person agreed to and the controller's processors (from the profile). */
  recipients: { kind: 'partner' | 'processor'; name: string; detail: string; country: string | null }[];
  /** Said when the profile declares no processors: recipients may be missing. */
  recipientsNote: string | null;
  /** (d) the same text as the report's `retention`. */
  retention: string;
  /** (e) rights to rectification, erasure, restriction, objection (and portability, withdrawal), and whom to ask. */
  rights: { right: string; text: string; ref: string }[];
  howToExercise: string;
  /** (f) the supervisory authority of the person's jurisdiction, where known. */
  complaint: { authority: { name: string; url: string } | null; text: string; ref: string };
  /** (g) where the data came from, one sentence each (`sources` holds the same, as recorded). */
  source: string[];
  /** 15(2): transfers outside the EEA, with their safeguards (null: none declared for a processor abroad). */
  transfers: { country: string; recipient: string; safeguards: string | null; text: string }[];
  /** When `transfers` is empty: none (the profile says so), or not declared. */
  transfersNote: string | null;
  /** Plain sentences for what the register profile does not declare (controller, DPO, processors, transfers). */
  notDeclared: string[];
}

/** What a consent form records at submission (src/services/forms/collect.ts), the person's own answers. */
const FORM_ANSWERS: ReadonlySet<string> = new Set(['consent.given', 'consent.requested', 'consent.refused']);

/** Everything held on the contact `id` (a merged record's id gives its survivor). */
export async function accessReport(
  store: Store,
  packs: PackRegistry,
  id: string,
  now: Date,
  o: { profile?: RegisterProfile; lang?: string } = {},
): Promise<AccessReport> {
  const contact = await store.findContact({ id });
  if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${id}`);
  const events = await store.historyOf(contact.id);
  const textIds = new Set<string>();
  const partners = new Set<string>();
  const partnerNames = new Map<string, string>();
  const purposes = new Set<string>();
  const sources: AccessSource[] = [];
  const submissions = new Set<string>();
  for (const e of events) {
    const textId = e.evidence?.textId;
    if (typeof textId === 'string') textIds.add(textId);
    const page = typeof e.evidence?.pageUrl === 'string' ? e.evidence.pageUrl : null;
    if (e.type === 'data.collected') {
      const listId = typeof e.evidence?.acquisition === 'string' ? e.evidence.acquisition : null;
      const list = listId === null ? null : await store.getAcquisition(listId);
      sources.push({
        at: e.at,
        source: e.data.source,
        provider: e.data.provider ?? null,
        form: null,
        page,
        acquisition:
          list !== null
            ? { id: list.id, kind: list.kind, provider: list.provider, acquiredAt: list.acquiredAt }
            : listId !== null
              ? { id: listId, kind: null, provider: null, acquiredAt: null }
              : null,
        event: e.id,
      });
    }
    // A form submission is a collection from the person that records no `data.collected` (recording one would
    // change decisions: DISCLOSE_DATA_SOURCE, the retention clock of a person who ticked nothing): one per
    // submission, read from its answers' evidence (src/services/forms/collect.ts).
    const formId = e.evidence?.formId;
    if (FORM_ANSWERS.has(e.type) && e.evidence?.method === 'form' && typeof formId === 'string') {
      const key = `${formId}|${String(e.evidence.submittedAt ?? e.at)}`;
      if (!submissions.has(key)) {
        submissions.add(key);
        const form = await store.getConsentForm(formId);
        sources.push({
          at: e.at,
          source: 'direct',
          provider: null,
          form: { id: formId, name: form?.name ?? null },
          page,
          acquisition: null,
          event: e.id,
        });
      }
    }
    // Recipients (art. 15(1)(c)): the partners the person agreed to; one they refused never got the data.
    const agreed = e.type === 'consent.given' || e.type === 'consent.confirmed';
    if (agreed && Array.isArray(e.data.partners)) {
      // The names the form showed beside the ids, in the same order (src/services/forms/collect.ts): the person
      // knows "ACME SA", not the id "acme".
      const names = e.evidence?.partnerNames;
      const shown = Array.isArray(names) && names.length === e.data.partners.length ? names : null;
      e.data.partners.forEach((p, i) => {
        if (typeof p !== 'string') return;
        partners.add(p);
        const name = shown?.[i];
        if (typeof name === 'string' && name.trim() !== '' && !partnerNames.has(p)) partnerNames.set(p, name);
      });
    }
    if (typeof e.data.purpose === 'string') purposes.add(e.data.purpose);
    // A consent, refusal or objection that names no purpose covers them all: the person is told so (art. 15(1)(a)).
    else if (CHANNEL_EVENT_TYPES.has(e.type as EventType)) purposes.add('*');
  }
  sources.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const consentTexts: ConsentText[] = [];
  for (const t of [...textIds].sort()) {
    const text = await store.getConsentText(t);
    if (text !== null) consentTexts.push(text);
  }
  const ids = [contact.id, ...contact.merged];
  const messages: SendRecord[] = [];
  const rightsRequests: RightsRequest[] = [];
  for (const contactId of ids) {
    messages.push(...(await store.listSends({ contactId, limit: 100_000 })));
    rightsRequests.push(...(await store.listRightsRequests({ contactId, limit: 1_000 })));
  }
  messages.sort((a, b) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0));
  const consentRequests = (await store.consentRequestsOf(ids)).map((r) => ({
    via: r.via,
    destination: r.destination,
    status: r.status,
    requestedAt: r.requestedAt,
    expiresAt: new Date(r.expiresMs).toISOString(),
    settledAt: r.settledAt,
  }));
  const { suppressed, unrecorded } = await suppressedOf(store, contact, events);
  // What the person read when they gave their data: the wording of their consents, their double opt-in pages.
  const seen = [
    ...consentTexts.map((t) => ({ at: t.createdAt, language: t.language })),
    ...(await store.consentRequestsOf(ids)).map((r) => ({ at: r.requestedAt, language: r.language })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const lang = reportLanguage({ asked: o.lang, seen: seen.map((x) => x.language), jurisdiction: contact.jurisdiction });
  const suppressedNote =
    unrecorded.length === 0
      ? null
      : say(lang, 'suppressed.unrecorded', {
          erasures: unrecorded.map((u) => say(lang, 'suppressed.erasure', u)).join('; '),
        });
  const retention = retentionOf(contact, events, packs, now, lang);
  const partnerList = [...partners].sort();
  const purposeList = [...purposes].sort();
  return {
    generatedAt: now.toISOString(),
    contact,
    sources,
    partners: partnerList,
    purposes: purposeList,
    events,
    consentTexts,
    messages,
    rightsRequests,
    retention,
    consentRequests,
    suppressed,
    suppressedNote,
    information: informationOf({
      lang,
      profile: o.profile ?? {},
      contact,
      events,
      messages,
      partners: partnerList.map((p) => partnerNames.get(p) ?? p),
      purposes: purposeList,
      sources,
      retention,
    }),
  };
}

/**
 * The person's entries on the suppression list: those of their identifiers, and the hashes their erasures recorded
 * (`contact.erased` `suppressedHashes`; the identifiers are gone). `unrecorded`: erasures that suppressed
 * identifiers without recording which (made before they did): a hash cannot be turned back into an identifier.
 */
async function suppressedOf(
  store: Store,
  contact: Contact,
  events: readonly LedgerEvent[],
): Promise<{ suppressed: AccessSuppressed[]; unrecorded: { date: string; count: number }[] }> {
  const wanted = new Map<string, { kind: string; value: string | null }>();
  for (const i of contact.identifiers) {
    for (const h of suppressionHashes(i.kind, i.value)) wanted.set(h, { kind: i.kind, value: i.value });
  }
  const unrecorded: { date: string; count: number }[] = [];
  for (const e of events) {
    if (e.type !== 'contact.erased') continue;
    const recorded = e.data.suppressedHashes;
    if (Array.isArray(recorded)) {
      for (const r of recorded as { kind?: unknown; hash?: unknown }[]) {
        if (typeof r.hash === 'string' && !wanted.has(r.hash))
          wanted.set(r.hash, { kind: String(r.kind ?? '?'), value: null });
      }
    } else if (typeof e.data.suppressed === 'number' && e.data.suppressed > 0) {
      unrecorded.push({ date: e.at.slice(0, 10), count: e.data.suppressed });
    }
  }
  const entries = wanted.size === 0 ? [] : await store.suppressionsAmong([...wanted.keys()]);
  const seen = new Set<string>();
  const suppressed: AccessSuppressed[] = [];
  for (const s of entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.hash < b.hash ? -1 : 1))) {
    const who = wanted.get(s.hash);
    if (who === undefined) continue;
    // An identifier on the list under two of its hashes (suppressionHashes) is one entry for the person.
    const key = who.value === null ? s.hash : `${who.kind}:${who.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    suppressed.push({ ...who, hash: s.hash, reason: s.reason, since: s.at });
  }
  return { suppressed, unrecorded };
}

const KNOWN_PURPOSES: ReadonlySet<string> = new Set(['marketing', 'newsletter', 'offers']);

function purposeWord(lang: StatementLanguage, purpose: string): string {
  return KNOWN_PURPOSES.has(purpose) ? say(lang, `purpose.id.${purpose}` as Parameters<typeof say>[1]) : `“${purpose}”`;
}

/** Art. 15(1)(b): what kinds of data are held on the person, read from what is stored. */
function categoriesOf(
  lang: StatementLanguage,
  contact: Contact,
  events: readonly LedgerEvent[],
  messages: readonly SendRecord[],
): string[] {
  const out: string[] = [];
  const kinds = [...new Set(contact.identifiers.map((i) => i.kind))];
  if (kinds.length > 0)
    out.push(say(lang, 'category.identifiers', { kinds: kinds.map((k) => say(lang, `kind.${k}`)).join(', ') }));
  if (events.some((e) => CHANNEL_EVENT_TYPES.has(e.type as EventType))) out.push(say(lang, 'category.acts'));
  if (events.some((e) => RELATIONSHIP_EVENT_TYPES.has(e.type as EventType)))
    out.push(say(lang, 'category.relationship'));
  if (messages.length > 0) out.push(say(lang, 'category.messages'));
  return out;
}

function informationOf(x: {
  lang: StatementLanguage;
  profile: RegisterProfile;
  contact: Contact;
  events: readonly LedgerEvent[];
  messages: readonly SendRecord[];
  partners: string[];
  purposes: string[];
  sources: AccessSource[];
  retention: string;
}): AccessInformation {
  const { lang, profile } = x;
  const partyText = (p: Party) => [p.name, p.address, p.email, p.phone].filter(Boolean).join(', ');
  const contactText = profile.dpo
    ? say(lang, 'contact.dpo', { party: partyText(profile.dpo) })
    : profile.controller
      ? say(lang, 'contact.controller', { party: partyText(profile.controller) })
      : say(lang, 'contact.unknown');

  // (a) The bases prospecting used for this person: their consents, and those the messages sent to them went on.
  const codes = new Set(x.messages.map((m) => m.basis).filter((b) => b in BASES));
  if (x.events.some((e) => e.type === 'consent.given' || e.type === 'consent.confirmed')) codes.add('CONSENT');
  const bases = [...codes].sort();
  // The purposes in the person's words (GDPR art. 12(1)): the common ids in their language, the company's own ids as
  // they are, quoted (what the company calls them is all there is to say of them).
  // `marketing` alone is what the sentence says already ("messages de prospection (messages de prospection)").
  const shown = x.purposes.length === 1 && x.purposes[0] === 'marketing' ? [] : x.purposes;
  const named = shown.map((p) => (p === '*' ? say(lang, 'purpose.all') : purposeWord(lang, p))).join(', ');
  const purposes: AccessInformation['purposes'] = [
    {
      purpose:
        shown.length === 0 && x.purposes.length > 0
          ? say(lang, 'purpose.prospecting.plain')
          : say(lang, 'purpose.prospecting', { purposes: named || say(lang, 'purpose.all') }),
      legalBasis:
        bases.length === 0
          ? say(lang, 'basis.any')
          : bases.map((b) => say(lang, `basis.${b}` as Parameters<typeof say>[1])).join('; '),
      bases,
      ref: bases.length === 0 ? 'GDPR art. 6(1)(a), 6(1)(f), 21(2)' : bases.map((b) => BASES[b]).join('; '),
    },
  ];
  if (x.partners.length > 0) {
    purposes.push({
      purpose: say(lang, 'purpose.partners', { partners: x.partners.join(', ') }),
      legalBasis: say(lang, 'basis.CONSENT'),
      bases: ['CONSENT'],
      ref: 'GDPR art. 6(1)(a)',
    });
  }
  purposes.push({
    purpose: say(lang, 'purpose.compliance'),
    legalBasis: say(lang, 'basis.obligation'),
    bases: [],
    ref: 'GDPR art. 6(1)(c); art. 7(1), 12, 17(3)(e), 21(3)',
  });

  // (c) Recipients: partners agreed to, and the processors the controller declares.
  const recipients: AccessInformation['recipients'] = [
    ...x.partners.map((p) => ({
      kind: 'partner' as const,
      name: p,
      detail: say(lang, 'recipient.partner'),
      country: null,
    })),
    ...(profile.processors ?? []).map((p) => ({
      kind: 'processor' as const,
      name: p.name,
      detail: say(lang, 'recipient.processor', { service: p.service }),
      country: p.country ?? null,
    })),
  ];

  // 15(2): declared transfers, and processors abroad with none declared (said, not hidden).
  const transfers: AccessInformation['transfers'] = (profile.transfers ?? []).map((t) => ({
    country: t.country,
    recipient: t.recipient,
    safeguards: t.safeguards,
    text: say(lang, 'transfer.declared', { ...t }),
  }));
  for (const p of undeclaredTransfers(profile)) {
    transfers.push({
      country: p.country,
      recipient: p.name,
      safeguards: null,
      text: say(lang, 'transfer.undeclared', { recipient: p.name, country: p.country, contact: contactText }),
    });
  }

  const notDeclared: string[] = [];
  if (profile.controller === undefined) notDeclared.push(say(lang, 'missing.controller'));
  if (profile.dpo === undefined) notDeclared.push(say(lang, 'missing.dpo'));
  if (profile.processors === undefined) notDeclared.push(say(lang, 'missing.processors'));
  if (profile.transfers === undefined) notDeclared.push(say(lang, 'missing.transfers'));

  const authority = SUPERVISORY_AUTHORITIES[x.contact.jurisdiction] ?? null;
  return {
    language: lang,
    controller: profile.controller ?? null,
    dpo: profile.dpo ?? null,
    purposes,
    recipients,
    categories: categoriesOf(lang, x.contact, x.events, x.messages),
    automatedDecisions: { text: say(lang, 'automated'), ref: 'GDPR art. 15(1)(h), 22' },
    recipientsNote:
      profile.processors === undefined ? say(lang, 'recipient.noProcessors', { contact: contactText }) : null,
    retention: x.retention,
    rights: (
      [
        ['rectification', 'GDPR art. 16'],
        ['erasure', 'GDPR art. 17'],
        ['restriction', 'GDPR art. 18'],
        ['objection', 'GDPR art. 21(2)-(3)'],
        ['portability', 'GDPR art. 20'],
        ['withdraw', 'GDPR art. 7(3)'],
      ] as const
    ).map(([right, ref]) => ({ right, text: say(lang, `right.${right}`), ref })),
    howToExercise: say(lang, 'right.how', { contact: contactText }),
    complaint: {
      authority,
      text: authority
        ? say(lang, 'complaint.authority', { authority: authority.name, url: authority.url })
        : say(lang, 'complaint.any'),
      ref: 'GDPR art. 15(1)(f), 77',
    },
    source: x.sources.length === 0 ? [say(lang, 'source.none')] : x.sources.map((s) => sourceText(lang, s)),
    transfers,
    transfersNote:
      transfers.length > 0
        ? null
        : profile.transfers === undefined
          ? say(lang, 'transfer.unknown', { contact: contactText })
          : say(lang, 'transfer.none'),
    notDeclared,
  };
}

function sourceText(lang: StatementLanguage, s: AccessSource): string {
  const date = s.at.slice(0, 10);
  const provider = typeof s.provider === 'string' && s.provider !== '' ? s.provider : null;
  if (s.form !== null) {
    const page = s.page === null ? '' : say(lang, 'source.page', { page: s.page });
    return say(lang, 'source.form', { date, form: s.form.name ?? s.form.id, page });
  }
  if (s.source === 'direct') {
    return say(lang, 'source.direct', {
      date,
      page: s.page === null ? '' : say(lang, 'source.page', { page: s.page }),
    });
  }
  // A bought list's collection is dated when the provider collected it: "obtained on" that day would be false.
  const list = s.source === 'acquired' ? s.acquisition : null;
  if (list !== null && list.provider !== null && list.acquiredAt !== null) {
    const { provider: seller, acquiredAt } = list;
    const vars = { date, provider: provider ?? seller, seller, acquired: acquiredAt.slice(0, 10) };
    return say(lang, provider === null || provider === seller ? 'source.acquiredList' : 'source.acquiredVia', vars);
  }
  // The list's record did not come along (an export carries its id, not the record): the date is still the
  // provider's, and when and from whom we obtained the data is not known here.
  if (list !== null && provider !== null) return say(lang, 'source.acquiredUnrecorded', { date, provider });
  if (s.source === 'acquired' && provider !== null) return say(lang, 'source.acquired', { date, provider });
  if (s.source === 'public') return say(lang, 'source.public', { date, provider: provider ? ` (${provider})` : '' });
  return say(lang, 'source.other', {
    date,
    source: String(s.source ?? '?'),
    provider: provider ? `, ${provider}` : '',
  });
}

/**
 * The retention rule of the person's pack as a prospecting email today would meet it (FR: 3 years after the last
 * active contact), with this person's dates, in their language: the same reading as the decisions and the purge.
 */
function retentionOf(
  contact: Contact,
  events: readonly LedgerEvent[],
  packs: PackRegistry,
  now: Date,
  lang: StatementLanguage,
): string {
  const proof = say(lang, 'retention.proof');
  // Erased: nothing is used any more, whatever the ledger's dates would allow.
  if (contact.erasedAt !== undefined) {
    return `${say(lang, 'retention.erased', { date: contact.erasedAt.slice(0, 10) })} ${proof}`;
  }
  const trace: TraceEntry[] = [];
  const history = parsedHistory(events);
  if (Array.isArray(history)) {
    const request = { jurisdiction: contact.jurisdiction, at: now.toISOString(), message: { channel: 'email' } };
    decideOnHistory({ ...request, contact: engineContact(contact) }, history, packs, { trace });
  }
  const entry = trace.find((t) => t.rule.check === 'retention');
  if (entry === undefined) {
    const why = !Array.isArray(history)
      ? say(lang, 'retention.unreadable', { message: (history as { message: string }).message })
      : contact.type === 'professional' && contact.address === 'generic'
        ? say(lang, 'retention.generic')
        : say(lang, 'retention.noRule', { jurisdiction: contact.jurisdiction });
    return `${why} ${proof}`;
  }
  const { years } = entry.rule.params as { years: number };
  return `${say(lang, 'retention.rule', { years })}: ${retentionDates(lang, entry.message, years)}. ${proof} (${entry.rule.ref})`;
}

/** The retention check's finding (src/policy/checks/retention.ts, in English) said in `lang`; else quoted as is. */
function retentionDates(lang: StatementLanguage, message: string, years: number): string {
  const d = '(\\d{4}-\\d{2}-\\d{2})';
  const m = (re: string) => new RegExp(re).exec(message);
  const usable = m(`^last active contact ${d}, usable through ${d}$`);
  if (usable) return say(lang, 'retention.usable', { last: usable[1] ?? '', until: usable[2] ?? '' });
  const fromRecord = m(`^no active contact recorded; first recorded ${d}, usable through ${d}$`);
  if (fromRecord)
    return say(lang, 'retention.usableFromRecord', { first: fromRecord[1] ?? '', until: fromRecord[2] ?? '' });
  const expired = m(`^last active contact from the person was on ${d},`);
  if (expired) return say(lang, 'retention.expired', { last: expired[1] ?? '', years });
  const expiredFromRecord = m(`^no active contact from the person since they were first recorded on ${d},`);
  if (expiredFromRecord) return say(lang, 'retention.expiredFromRecord', { first: expiredFromRecord[1] ?? '', years });
  if (message.startsWith('a contract is in progress')) return say(lang, 'retention.contract');
  if (message.startsWith('no dated active contact')) return say(lang, 'retention.noDate');
  return message;
}
