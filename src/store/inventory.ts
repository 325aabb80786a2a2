// What the database holds, counted, for the register of processing activities (GDPR art. 30; docs/rights.md):
// categories of people and of data, purposes, partners, sources, messages. Counts and distinct names only, never a
// person's data. Plain GROUP BY on columns, and one pass over the ledger's JSON in pages (no dialect's JSON SQL).
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The acts whose `purpose` and `channel` scope a consent or an objection: absent, they cover every one. */
const ANY_PURPOSE_ACTS: ReadonlySet<string> = new Set([
  'consent.given',
  'consent.refused',
  'consent.withdrawn',
  'objection',
]);

export interface ProcessingInventory {
  /** Live contacts (not merged, not erased) by type, professional address kind and jurisdiction. */
  contacts: { type: string; address: string | null; jurisdiction: string; count: number }[];
  erasedContacts: number;
  /** Identifiers of live contacts, by kind. */
  identifiers: { kind: string; count: number }[];
  /** Ledger events by type, with the first and last dates of the acts. */
  events: { type: string; count: number; first: string; last: string }[];
  /** Distinct values seen in the ledger's events (at most LIMIT of each, sorted). */
  channels: string[];
  purposes: string[];
  partners: string[];
  /** `data.collected` sources (form, import, acquired, public…) and providers of bought or rented lists. */
  sources: string[];
  providers: string[];
  /** Fields of the evidence kept with events (ip, userAgent, pageUrl, recording…). */
  evidenceFields: string[];
  /** Campaign messages by channel, legal basis and status. */
  sends: { channel: string; basis: string; status: string; count: number }[];
  suppressions: { reason: string; count: number }[];
  rightsRequests: { kind: string; status: string; count: number }[];
  /** Opposition lists imported (completed versions), by name and country. */
  oppositionLists: { name: string; country: string; versions: number; lastAsOf: string }[];
  imports: number;
  /** People erased by the retention purge (`contact.erased` with reason `retention`), and the day of the last. */
  retentionPurges: { count: number; last: string | null };
}

const LIMIT = 500;
const PAGE = 5_000;

export async function processingInventory(db: Db): Promise<ProcessingInventory> {
  const contacts = await db
    .selectFrom('contacts')
    .select(['type', 'address', 'jurisdiction', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('merged_into', 'is', null)
    .where('erased_at', 'is', null)
    .groupBy(['type', 'address', 'jurisdiction'])
    .orderBy('type')
    .orderBy('jurisdiction')
    .orderBy('address')
    .execute();
  const erased = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('erased_at', 'is not', null)
    .where('merged_into', 'is', null) // a record merged into an erased person is that person, counted once
    .executeTakeFirst();
  const identifiers = await db
    .selectFrom('identifiers')
    .select(['kind', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('kind')
    .orderBy('kind')
    .execute();
  const events = await db
    .selectFrom('ledger_events')
    .select([
      'type',
      (eb) => eb.fn.countAll<number | string>().as('n'),
      (eb) => eb.fn.min('at_ms').as('first'),
      (eb) => eb.fn.max('at_ms').as('last'),
    ])
    .groupBy('type')
    .orderBy('type')
    .execute();
  const sends = await db
    .selectFrom('campaign_sends')
    .select(['channel', 'basis', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(['channel', 'basis', 'status'])
    .orderBy('channel')
    .orderBy('basis')
    .orderBy('status')
    .execute();
  const suppressions = await db
    .selectFrom('suppressions')
    .select(['reason', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('reason')
    .orderBy('reason')
    .execute();
  const rights = await db
    .selectFrom('rights_requests')
    .select(['kind', 'status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy(['kind', 'status'])
    .orderBy('kind')
    .orderBy('status')
    .execute();
  const lists = await db
    .selectFrom('list_versions')
    .select([
      'name',
      'country',
      (eb) => eb.fn.countAll<number | string>().as('n'),
      (eb) => eb.fn.max('as_of').as('last'),
    ])
    .where('status', '=', 'complete')
    .groupBy(['name', 'country'])
    .orderBy('name')
    .orderBy('country')
    .execute();
  // Files, not runs: a file imported again (--again, a resume) is one source, and a run that took no row brought none.
  const imports = await db
    .selectFrom('import_batches')
    .where('accepted', '>', 0)
    .select((eb) => eb.fn.count<number | string>('file_sha256').distinct().as('n'))
    .executeTakeFirst();

  const seen = {
    channels: new Set<string>(),
    purposes: new Set<string>(),
    partners: new Set<string>(),
    /** A partner's name as the form showed it beside its id (evidence.partnerNames, in the ids' order). */
    partnerNames: new Map<string, string>(),
    sources: new Set<string>(),
    providers: new Set<string>(),
    evidenceFields: new Set<string>(),
  };
  const purges: ProcessingInventory['retentionPurges'] = { count: 0, last: null };
  const add = (set: Set<string>, v: unknown) => {
    if (typeof v === 'string' && v !== '' && set.size < LIMIT) set.add(v);
  };
  for (let after = -1; ; ) {
    const page = await db
      .selectFrom('ledger_events')
      .select(['seq', 'type', 'at', 'data', 'evidence'])
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    if (page.length === 0) break;
    after = Number(page[page.length - 1]?.seq);
    for (const row of page) {
      const d = JSON.parse(row.data) as Record<string, unknown>;
      add(seen.channels, d.channel);
      add(seen.purposes, d.purpose);
      if (row.type === 'contact.erased' && d.reason === 'retention') {
        purges.count++;
        if (purges.last === null || row.at > purges.last) purges.last = row.at;
      }
      // A consent or objection naming no purpose (or channel) covers every one: the access report says `*` too.
      if (ANY_PURPOSE_ACTS.has(row.type)) {
        if (d.purpose === undefined) add(seen.purposes, '*');
        if (d.channel === undefined) add(seen.channels, '*');
      }
      add(seen.sources, d.source);
      add(seen.providers, d.provider);
      if (Array.isArray(d.partners)) for (const p of d.partners) add(seen.partners, p);
      if (row.evidence !== null) {
        const evidence = JSON.parse(row.evidence) as Record<string, unknown>;
        const names = evidence.partnerNames;
        if (Array.isArray(d.partners) && Array.isArray(names) && names.length === d.partners.length) {
          d.partners.forEach((p, i) => {
            const name = names[i];
            if (typeof p === 'string' && typeof name === 'string' && name.trim() !== '' && name !== p)
              if (!seen.partnerNames.has(p) && seen.partnerNames.size < LIMIT) seen.partnerNames.set(p, name);
          });
        }
        for (const [k, v] of Object.entries(evidence)) {
          if (v !== null && v !== undefined && v !== '') add(seen.evidenceFields, k);
        }
      }
    }
  }
  const n = (v: unknown) => Number(v ?? 0);
  const iso = (ms: unknown) => new Date(Number(ms)).toISOString();
  const sorted = (s: Set<string>) => [...s].sort();
  return {
    contacts: contacts.map((r) => ({ type: r.type, address: r.address, jurisdiction: r.jurisdiction, count: n(r.n) })),
    erasedContacts: n(erased?.n),
    identifiers: identifiers.map((r) => ({ kind: r.kind, count: n(r.n) })),
    events: events.map((r) => ({ type: r.type, count: n(r.n), first: iso(r.first), last: iso(r.last) })),
    channels: sorted(seen.channels),
    purposes: sorted(seen.purposes),
    // Named as the person saw them (art. 30(1)(d): the recipients), with the id the ledger keeps.
    partners: sorted(seen.partners).map((p) => {
      const name = seen.partnerNames.get(p);
      return name === undefined ? p : `${name} (${p})`;
    }),
    sources: sorted(seen.sources),
    providers: sorted(seen.providers),
    evidenceFields: sorted(seen.evidenceFields),
    sends: sends.map((r) => ({ channel: r.channel, basis: r.basis, status: r.status, count: n(r.n) })),
    suppressions: suppressions.map((r) => ({ reason: r.reason, count: n(r.n) })),
    rightsRequests: rights.map((r) => ({ kind: r.kind, status: r.status, count: n(r.n) })),
    oppositionLists: lists.map((r) => ({
      name: r.name,
      country: r.country,
      versions: n(r.n),
      lastAsOf: String(r.last),
    })),
    imports: n(imports?.n),
    retentionPurges: purges,
  };
}
