// The register of processing activities (GDPR art. 30(1)) for the prospecting Assent manages. What only the company
// knows (who the controller and the DPO are, its processors, transfers, organisational measures) comes from a profile
// file; everything else is read from the database (who is held, which data, purposes, partners, sources, messages)
// and from the rule packs (retention periods), so the register says what is done, not what was once intended.
import { readFile } from 'node:fs/promises';
import { EVENT_TYPES, type EventType } from '../domain/request.js';
import { decide } from '../policy/decide.js';
import type { PackRegistry, TraceEntry } from '../policy/evaluate.js';
import type { ProcessingInventory } from '../store/inventory.js';
import type { Store } from '../store/store.js';

export interface Party {
  name: string;
  address?: string;
  email?: string;
  phone?: string;
}

/** What the company says of itself (a JSON file: docs/rights.md). */
export interface RegisterProfile {
  controller?: Party;
  jointControllers?: Party[];
  representative?: Party;
  dpo?: Party;
  /** Processors acting on the controller's behalf: email and SMS providers, hosting, CRM… */
  processors?: { name: string; service: string; country?: string }[];
  /** Transfers outside the EEA; `[]` says there are none. */
  transfers?: { country: string; recipient: string; safeguards: string }[];
  /** Organisational and technical measures beyond those Assent itself takes. */
  securityMeasures?: string[];
}

export class RegisterProfileError extends Error {
  /** True when the file could not be read at all (missing, no permission), false when its content is wrong. */
  constructor(
    message: string,
    readonly unreadable = false,
  ) {
    super(message);
  }
}

export interface RegisterEntry {
  /** What the entry says: a category, a purpose, a recipient… */
  item: string;
  detail?: string;
  count?: number;
  ref?: string;
}

export interface ProcessingRegister {
  generatedAt: string;
  ref: string;
  controller: Party | null;
  jointControllers: Party[];
  representative: Party | null;
  dpo: Party | null;
  activity: {
    name: string;
    purposes: RegisterEntry[];
    legalBases: RegisterEntry[];
    dataSubjects: RegisterEntry[];
    dataCategories: RegisterEntry[];
    sources: RegisterEntry[];
    recipients: RegisterEntry[];
    transfers: RegisterEntry[];
    retention: RegisterEntry[];
    security: RegisterEntry[];
  };
  /** Art. 30(1) items the profile does not give yet, each with what to add. */
  missing: { field: string; what: string }[];
  /** What the profile says that looks unlawful as declared: a processor outside the EEA with no transfer declared. */
  warnings: string[];
  figures: ProcessingInventory;
}

// --- the profile file ---

const PARTY_FIELDS = ['name', 'address', 'email', 'phone'];

function fail(path: string, message: string): never {
  throw new RegisterProfileError(`${path}: ${message}`);
}

function object(v: unknown, path: string, allowed: readonly string[]): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  const o = v as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) fail(`${path}/${unknown[0]}`, `is not a field here (expected ${allowed.join(', ')})`);
  return o;
}

function text(o: Record<string, unknown>, key: string, path: string, required: boolean): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || v.trim() === '') fail(`${path}/${key}`, 'must be a non-empty string');
  return v.trim();
}

function list<T>(v: unknown, path: string, item: (x: unknown, path: string) => T): T[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) fail(path, 'must be a list');
  return v.map((x, i) => item(x, `${path}/${i}`));
}

function party(v: unknown, path: string): Party {
  const o = object(v, path, PARTY_FIELDS);
  const p: Party = { name: text(o, 'name', path, true) as string };
  for (const k of ['address', 'email', 'phone'] as const) {
    const t = text(o, k, path, false);
    if (t !== undefined) p[k] = t;
  }
  if (p.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(p.email)) {
    fail(`${path}/email`, `is not an email address; got "${p.email}"`);
  }
  return p;
}

/** The European Economic Area: the EU's 27 and Iceland, Liechtenstein, Norway (no transfer within it). */
export const EEA: ReadonlySet<string> = new Set(
  'AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK IS LI NO'.split(' '),
);

/** Reads a profile (parsed JSON); the error names the field, as a JSON pointer. */
export function parseRegisterProfile(raw: unknown): RegisterProfile {
  const top = [
    'controller',
    'jointControllers',
    'representative',
    'dpo',
    'processors',
    'transfers',
    'securityMeasures',
  ];
  const o = object(raw, '', top);
  const p: RegisterProfile = {};
  if (o.controller !== undefined) p.controller = party(o.controller, '/controller');
  if (o.representative !== undefined) p.representative = party(o.representative, '/representative');
  if (o.dpo !== undefined) p.dpo = party(o.dpo, '/dpo');
  const joint = list(o.jointControllers, '/jointControllers', party);
  if (joint) p.jointControllers = joint;
  const processors = list(o.processors, '/processors', (x, path) => {
    const r = object(x, path, ['name', 'service', 'country']);
    const country = text(r, 'country', path, false);
    return {
      name: text(r, 'name', path, true) as string,
      service: text(r, 'service', path, true) as string,
      ...(country ? { country } : {}),
    };
  });
  if (processors) p.processors = processors;
  const transfers = list(o.transfers, '/transfers', (x, path) => {
    const r = object(x, path, ['country', 'recipient', 'safeguards']);
    const country = (text(r, 'country', path, true) as string).toUpperCase();
    if (!/^[A-Z]{2}$/.test(country))
      fail(`${path}/country`, `must be an ISO 3166-1 alpha-2 code (US, IN…); got "${country}"`);
    if (EEA.has(country)) fail(`${path}/country`, `${country} is in the EEA: no transfer to declare (art. 44)`);
    return {
      country,
      recipient: text(r, 'recipient', path, true) as string,
      safeguards: text(r, 'safeguards', path, true) as string,
    };
  });
  if (transfers) p.transfers = transfers;
  const measures = list(o.securityMeasures, '/securityMeasures', (x, path) => {
    if (typeof x !== 'string' || x.trim() === '') fail(path, 'must be a non-empty string');
    return x.trim();
  });
  if (measures) p.securityMeasures = measures;
  return p;
}

/**
 * The profile's processors whose data leaves the EEA with no transfer declared for them (GDPR art. 44-46: a transfer
 * needs an adequacy decision or safeguards), and those whose country is no ISO code, so cannot be checked: one line
 * each, naming the processor and country. A transfer covers a processor when its country is the processor's and
 * either name contains the other ("Twilio" and "Twilio Inc.").
 */
export function profileWarnings(profile: RegisterProfile): string[] {
  const unchecked = (profile.processors ?? []).filter(
    (p) => p.country !== undefined && !/^[A-Za-z]{2}$/.test(p.country),
  );
  return [
    ...undeclaredTransfers(profile).map(
      (p) =>
        `processor ${p.name} is in ${p.country}, outside the EEA, and no transfer to it is declared: declare it in transfers with its safeguards (GDPR art. 44-46)`,
    ),
    ...unchecked.map(
      (p) =>
        `processor ${p.name}: country "${p.country}" is not an ISO 3166-1 alpha-2 code, so whether its data leaves the EEA cannot be checked (GDPR art. 44)`,
    ),
  ];
}

/** The processors (ISO country code outside the EEA) no declared transfer covers. */
export function undeclaredTransfers(profile: RegisterProfile): { name: string; country: string }[] {
  const found: { name: string; country: string }[] = [];
  for (const p of profile.processors ?? []) {
    const country = (p.country ?? '').toUpperCase();
    if (!/^[A-Z]{2}$/.test(country) || EEA.has(country)) continue;
    const name = p.name.toLowerCase();
    const covered = (profile.transfers ?? []).some((t) => {
      const recipient = t.recipient.toLowerCase();
      return t.country === country && (recipient.includes(name) || name.includes(recipient));
    });
    if (!covered) found.push({ name: p.name, country });
  }
  return found;
}

/** The profile file, read and checked; no file (null) is an empty profile, whose gaps the register lists. */
export async function readRegisterProfile(file: string | null): Promise<RegisterProfile> {
  if (file === null) return {};
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new RegisterProfileError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`, true);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new RegisterProfileError(`${file}: is not JSON (${(error as Error).message})`);
  }
  try {
    return parseRegisterProfile(json);
  } catch (error) {
    if (error instanceof RegisterProfileError) throw new RegisterProfileError(`${file}: ${error.message}`);
    throw error;
  }
}

// --- the register ---

const LEGITIMATE_INTEREST = 'GDPR art. 6(1)(f) and recital 47 (direct marketing)';
/** The legal ground of each basis code a decision allows on (decision contract), as the law cites it. */
export const BASES: Record<string, string> = {
  CONSENT: 'GDPR art. 6(1)(a); Directive 2002/58/EC art. 13(1)',
  CLIENT_EXCEPTION: `${LEGITIMATE_INTEREST}; Directive 2002/58/EC art. 13(2)`,
  CONTRACT_IN_PROGRESS: LEGITIMATE_INTEREST,
  B2B_RELATED: LEGITIMATE_INTEREST,
  LEGAL_PERSON: LEGITIMATE_INTEREST,
  OPT_OUT_REGIME: `${LEGITIMATE_INTEREST}; objection at any time, art. 21(2)`,
};

/** What the person said: consents asked, given, confirmed, refused or withdrawn, and objections. */
const SAYING: readonly EventType[] = EVENT_TYPES.filter((t) => t.startsWith('consent.') || t === 'objection');

const sum = (xs: readonly { count: number }[]) => xs.reduce((n, x) => n + x.count, 0);

export async function buildRegister(
  store: Store,
  packs: PackRegistry,
  profile: RegisterProfile,
  now: Date,
): Promise<ProcessingRegister> {
  const f = await store.processingInventory();
  const events = new Map(f.events.map((e) => [e.type, e]));
  const count = (...types: string[]) => types.reduce((n, t) => n + (events.get(t)?.count ?? 0), 0);
  const forms = await store.listConsentForms();
  const acquisitions = await store.listAcquisitions();
  const webhooks = await store.listWebhooks();
  const overdue = (await store.listRightsRequests({ limit: 1_000_000, overdueOn: now.toISOString().slice(0, 10) }))
    .length;
  // An open request is never answeredLate: one read of every request, not one per answered status.
  const late = (await store.listRightsRequests({ limit: 1_000_000 })).filter((r) => r.answeredLate).length;

  const purposes: RegisterEntry[] = [
    {
      item: 'Prospecting: marketing messages to prospects and clients',
      detail: `channels: ${f.channels.map((c) => (c === '*' ? 'every channel' : c)).join(', ') || 'none recorded yet'}; purposes consented to or objected to: ${f.purposes.map((p) => (p === '*' ? 'every purpose' : p)).join(', ') || 'none named'}`,
    },
    {
      item: 'Deciding before each message whether it may be sent, and with what mentions',
      detail: 'the rule packs of each jurisdiction; every decision cites its legal basis',
    },
    {
      item: 'Keeping the proof of each consent, refusal and objection',
      ref: 'GDPR art. 7(1), 5(2); kept after erasure, art. 17(3)(e)',
      count: count(...SAYING),
    },
    {
      item: 'Honouring objections and erasures: the company suppression list (SHA-256 hashes only)',
      ref: 'GDPR art. 21(3), 17',
      count: sum(f.suppressions),
    },
    {
      item: "Answering people's requests (access, rectification, erasure, restriction, portability, objection)",
      ref: 'GDPR art. 12 to 22',
      count: sum(f.rightsRequests),
      detail: `${sum(f.rightsRequests.filter((r) => r.status === 'open'))} open, ${overdue} past the month to answer, ${late} answered late (art. 12(3))`,
    },
  ];
  if (f.partners.length > 0) {
    purposes.push({
      item: 'Passing contact details to partners, with a separate consent',
      detail: f.partners.join(', '),
      ref: 'CNIL: a consent of its own for transmission to partners',
    });
  }

  const sent = new Map<string, number>();
  for (const s of f.sends) sent.set(s.basis, (sent.get(s.basis) ?? 0) + s.count);
  const legalBases: RegisterEntry[] = Object.entries(BASES).map(([code, ref]) => ({
    item: code,
    ref,
    count: sent.get(code) ?? 0,
    detail: 'messages sent on this basis (campaign journal)',
  }));
  legalBases.push({
    item: 'Proof, suppression list and rights requests',
    ref: 'GDPR art. 6(1)(c): obligations of art. 7(1), 12, 17 and 21(3); proof kept after erasure: art. 17(3)(e)',
  });

  const byType = (type: string, address?: string) =>
    sum(f.contacts.filter((c) => c.type === type && (address === undefined || c.address === address)));
  const clients = count('purchase', 'contract.started');
  const dataSubjects: RegisterEntry[] = [
    {
      item: 'Individuals: prospects, clients and former clients',
      count: byType('individual'),
      detail: `${clients} purchase or contract record(s) in the ledger`,
    },
    { item: 'Professionals at a named address (B2B)', count: byType('professional', 'named') },
    { item: 'Generic professional addresses (contact@, info@…)', count: byType('professional', 'generic') },
    {
      item: 'Erased people: only the ledger records kept as proof, no identifier',
      count: f.erasedContacts,
    },
    {
      item: 'By jurisdiction',
      detail: [...new Set(f.contacts.map((c) => c.jurisdiction))]
        .sort()
        .map((j) => `${j} ${sum(f.contacts.filter((c) => c.jurisdiction === j))}`)
        .join(', '),
    },
  ];

  const kinds = new Map(f.identifiers.map((i) => [i.kind, i.count]));
  const dataCategories: RegisterEntry[] = [
    {
      item: 'Identification and contact data',
      detail: ['email', 'phone', 'postal', 'external']
        .filter((k) => kinds.has(k))
        .map((k) => `${k} ${kinds.get(k)}`)
        .join(', '),
      count: sum(f.identifiers),
    },
    {
      item: 'Contact profile: type (individual or professional), jurisdiction, time zone, region',
      count: sum(f.contacts),
    },
    {
      item: 'Consents, refusals, objections: channel, purpose, scope, partners, date, method',
      count: count(...SAYING),
    },
    {
      item: 'Relationship: purchases, contracts, interactions, calls, opens',
      count: count(...EVENT_TYPES.filter((t) => t !== 'data.collected' && !SAYING.includes(t))),
    },
    {
      item: 'Proof of each act (evidence)',
      detail: f.evidenceFields.length > 0 ? f.evidenceFields.join(', ') : 'none recorded yet',
      ref: 'IP address and user agent are connection data: kept only as proof of consent',
    },
    { item: 'Messages sent: channel, address, legal basis, status, date', count: sum(f.sends) },
  ];

  const sources: RegisterEntry[] = [
    ...forms.map((form) => ({ item: `Consent form "${form.name}"`, detail: `id ${form.id}` })),
    ...acquisitions.map((a) => ({
      item: `Bought or rented list from ${a.provider}`,
      detail: `${a.kind}, collected ${a.collectedAt.slice(0, 10)} by ${a.collectionMethod}`,
    })),
    ...f.providers
      .filter((p) => !acquisitions.some((a) => a.provider === p))
      .map((p) => ({ item: `Provider named in the ledger: ${p}` })),
    ...(f.sources.length > 0 ? [{ item: 'Collection sources recorded', detail: f.sources.join(', ') }] : []),
    { item: 'Files imported', count: f.imports },
    ...f.oppositionLists.map((l) => ({
      item: `Opposition list ${l.name} (${l.country}) checked before sending`,
      detail: `latest version as of ${l.lastAsOf}`,
      count: l.versions,
    })),
  ];

  const recipients: RegisterEntry[] = [
    ...f.partners.map((p) => ({ item: `Partner: ${p}`, detail: 'only people who consented to partners' })),
    ...(profile.processors ?? []).map((p) => ({
      item: `Processor: ${p.name}`,
      detail: p.country ? `${p.service} (${p.country})` : p.service,
      ref: 'GDPR art. 28',
    })),
    ...webhooks.map((w) => ({
      item: `System notified of changes: ${new URL(w.url).host}`,
      detail: `webhook topics ${w.topics.join(', ')}`,
    })),
  ];

  const transfers: RegisterEntry[] =
    profile.transfers === undefined
      ? [{ item: 'Not declared yet (profile: transfers)' }]
      : profile.transfers.map((t) => ({
          item: `${t.recipient} (${t.country})`,
          detail: t.safeguards,
          ref: 'GDPR art. 44 to 49',
        }));
  if (profile.processors === undefined) recipients.push({ item: 'Processors: not declared yet (profile: processors)' });
  // A processor abroad is a transfer whether the profile declares it or not: "none" would be false (art. 44).
  const warnings = profileWarnings(profile);
  for (const w of warnings) transfers.push({ item: `Warning: ${w}` });

  const retention: RegisterEntry[] = [];
  const jurisdictions = [...new Set(f.contacts.map((c) => c.jurisdiction))].sort();
  for (const j of jurisdictions) {
    // The rule a prospecting email to a person there meets today: the engine's own choice of rule and period.
    const trace: TraceEntry[] = [];
    const request = { jurisdiction: j, at: now.toISOString(), message: { channel: 'email' } };
    decide({ ...request, contact: { type: 'individual' }, history: [] }, packs, { trace });
    const rule = trace.find((t) => t.rule.check === 'retention')?.rule;
    retention.push(
      rule
        ? {
            item: `Prospect and former-client data (${j})`,
            detail: `${(rule.params as { years: number }).years} years after the last active contact from the person; no longer used after that, and erased when the retention purge runs (assent retention purge, ASSENT_RETENTION_PURGE_HOURS)`,
            ref: rule.ref,
          }
        : {
            item: `Prospect and former-client data (${j})`,
            detail: 'no period in the rule pack: set one (GDPR art. 5(1)(e)) and erase on request or by hand',
          },
    );
  }
  // Whether the purge runs at all: it is off by default, and people past their period stay until it does.
  const purged = f.retentionPurges;
  retention.push({
    item: 'Retention purge',
    detail:
      purged.last === null
        ? 'never run on this database: people past their period are no longer prospected but stay stored until it runs (assent retention purge --dry-run lists them)'
        : `${purged.count} ${purged.count === 1 ? 'person' : 'people'} erased at the end of their period, the last on ${purged.last.slice(0, 10)}`,
    ref: 'GDPR art. 5(1)(e)',
  });
  retention.push(
    {
      item: 'Proof of consents and objections (ledger)',
      detail:
        'kept after the rest is erased, as proof for legal claims; Assent deletes none of it: the period (the limitation period of the claims it answers) is the controller’s to set and apply',
      ref: 'GDPR art. 17(3)(e); CNIL: keep the proof of consent and of objection',
    },
    {
      item: 'Suppression list (hashes of erased or objecting people)',
      detail: 'as long as the objection must be honoured',
      ref: 'GDPR art. 21(3)',
    },
  );

  const security: RegisterEntry[] = [
    {
      item:
        'Ledger append-only and hash-chained: an edited, deleted or reordered event is found by ledger verify ' +
        '(not a rewrite that recomputes every later hash and the head: keep copies of the head hash elsewhere)',
    },
    { item: 'Evidence chained by its SHA-256 only, so it can be erased without breaking the chain' },
    { item: 'API keys stored as SHA-256 hashes, with scopes (decide, read, write, admin) and rate limits' },
    { item: 'Recipient links signed (HMAC) and expiring; suppression list holds hashes, not addresses' },
    ...(profile.securityMeasures ?? []).map((m) => ({ item: m })),
  ];

  const missing: { field: string; what: string }[] = [];
  const need = (ok: boolean, field: string, what: string) => {
    if (!ok) missing.push({ field, what });
  };
  need(profile.controller !== undefined, 'controller', 'name and contact details of the controller, art. 30(1)(a)');
  need(
    profile.controller === undefined ||
      [profile.controller.address, profile.controller.email, profile.controller.phone].some(Boolean),
    'controller.address',
    'an address, email or phone of the controller, art. 30(1)(a)',
  );
  need(
    profile.dpo !== undefined,
    'dpo',
    'the data protection officer, if one is designated (art. 37): large-scale regular monitoring often requires one',
  );
  need(profile.transfers !== undefined, 'transfers', 'transfers outside the EEA, art. 30(1)(e); [] if there are none');
  need(
    profile.processors !== undefined,
    'processors',
    'the email, SMS and hosting providers that process the data (recipients, art. 30(1)(d)); [] if none',
  );
  need(
    profile.securityMeasures !== undefined,
    'securityMeasures',
    "the company's own organisational and technical measures, art. 30(1)(g) and 32(1)",
  );

  return {
    generatedAt: now.toISOString(),
    ref: 'GDPR art. 30(1)',
    controller: profile.controller ?? null,
    jointControllers: profile.jointControllers ?? [],
    representative: profile.representative ?? null,
    dpo: profile.dpo ?? null,
    activity: {
      name: 'Commercial prospecting and the management of consents and objections',
      purposes,
      legalBases,
      dataSubjects,
      dataCategories,
      sources,
      recipients,
      transfers,
      retention,
      security,
    },
    missing,
    warnings,
    figures: f,
  };
}

// --- as a document ---

const HEADINGS: [keyof ProcessingRegister['activity'], string][] = [
  ['purposes', 'Purposes (art. 30(1)(b))'],
  ['legalBases', 'Legal bases (art. 6)'],
  ['dataSubjects', 'Categories of data subjects (art. 30(1)(c))'],
  ['dataCategories', 'Categories of personal data (art. 30(1)(c))'],
  ['sources', 'Sources of the data (art. 14(2)(f))'],
  ['recipients', 'Recipients (art. 30(1)(d))'],
  ['transfers', 'Transfers outside the EEA (art. 30(1)(e))'],
  ['retention', 'Time limits for erasure (art. 30(1)(f))'],
  ['security', 'Security measures (art. 30(1)(g))'],
];

/**
 * A value from the profile or the database, as Markdown text: on one line (a line break followed by "#" would start
 * a heading of its own) and with Markdown's characters escaped (a name with "_" or "[…](…)" prints as written).
 */
const mdText = (s: string): string => s.replace(/[\r\n]+/g, ' ').replace(/[\\`*_[\]<>#|]/g, '\\$&');

const partyLine = (p: Party | null) =>
  p === null ? '_not given_' : mdText([p.name, p.address, p.email, p.phone].filter(Boolean).join(', '));

/** The register as Markdown, for the DPO to print or hand to an auditor. */
export function registerMarkdown(r: ProcessingRegister): string {
  const out = [
    '# Register of processing activities (GDPR art. 30)',
    '',
    `Generated ${r.generatedAt} by Assent from its database and rule packs.`,
    '',
    `- **Controller**: ${partyLine(r.controller)}`,
    ...r.jointControllers.map((p) => `- **Joint controller**: ${partyLine(p)}`),
    `- **Representative**: ${partyLine(r.representative)}`,
    `- **Data protection officer**: ${partyLine(r.dpo)}`,
    '',
    `## ${mdText(r.activity.name)}`,
  ];
  for (const [key, heading] of HEADINGS) {
    out.push('', `### ${heading}`, '');
    const entries = r.activity[key] as RegisterEntry[];
    if (entries.length === 0) out.push('- _none_');
    for (const e of entries) {
      const parts = [
        e.count === undefined ? '' : ` (${e.count})`,
        e.detail ? `: ${mdText(e.detail)}` : '',
        e.ref ? ` — ${e.ref}` : '',
      ];
      out.push(`- ${mdText(e.item)}${parts.join('')}`);
    }
  }
  if (r.warnings.length > 0) {
    out.push('', '## Warnings', '');
    for (const w of r.warnings) out.push(`- **Warning**: ${mdText(w)}`);
  }
  if (r.missing.length > 0) {
    out.push('', '## Still to complete', '');
    for (const m of r.missing) out.push(`- \`${m.field}\`: ${m.what}`);
  }
  return `${out.join('\n')}\n`;
}
