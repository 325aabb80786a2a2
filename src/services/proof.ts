// The proof of a person's consents and opt-outs, as a statement an auditor reads: each act with when, on what, how,
// from where, the wording shown (checked against its SHA-256 again), and its place in the hash chain. CNIL: the
// controller must be able to prove consent (GDPR art. 7(1)) and that it honoured each objection (art. 21).
import { createHash } from 'node:crypto';
import type { Channel } from '../domain/channels.js';
import { type Evidence, isRecordType, type LedgerEvent } from '../domain/ledger.js';
import { type Store, StoreError } from '../store/store.js';
import { suppressionHash } from './lists/suppression.js';

/** The acts a proof statement shows: consents and their steps, refusals, opt-outs, where the data came from, and
 * what was done to the person's record (merge, erasure, rectification, restriction). Purchases and visits are in
 * `history`. */
const PROOF_TYPES: ReadonlySet<string> = new Set([
  'data.collected',
  'consent.requested',
  'consent.confirmed',
  'consent.given',
  'consent.refused',
  'consent.withdrawn',
  'objection',
  'call',
  'contact.merged',
  'contact.rectified',
  'contact.erased',
  'contact.restricted',
  'contact.unrestricted',
]);

export interface ProvenWording {
  id: string;
  /** The SHA-256 the event recorded, and whether the stored body still hashes to it. */
  sha256: string | null;
  matches: boolean | null;
  /** When the wording was stored; `storedAfterAct` when that is after the act (it cannot have been shown then). */
  storedAt: string | null;
  storedAfterAct: boolean;
  body: string | null;
}

export interface ProvenAct {
  seq: number;
  hash: string;
  type: string;
  at: string;
  recordedAt: string;
  recordedBy: string;
  /** The contract fields of the act (channel, purpose, scope, partners, method, source…). */
  data: Record<string, unknown>;
  /** How it was captured, as recorded (null: erased from the event, its chained SHA-256 kept). */
  evidence: Evidence | null;
  evidenceRemoved: boolean;
  wording: ProvenWording | null;
  /**
   * The address a double opt-in confirmation went to (its SHA-256, as the suppression list keeps it), and which of
   * the person's current identifiers it is, or null when it is none of them any more (rectified, erased).
   */
  address: { sha256: string; current: string | null } | null;
  /** What an auditor should know of this act that its fields do not say (a claim the ledger holds no proof of). */
  notes: string[];
}

export interface ProofStatement {
  generatedAt: string;
  contact: { id: string; jurisdiction: string; type: string; erasedAt: string | null; merged: string[] };
  /** Only on request (the walk reads the whole ledger): whether the chain verifies, its head, or the first break. */
  ledger: { intact: boolean; events: number; head: string; problem: string | null } | null;
  acts: ProvenAct[];
}

/** The proof statement of one contact (its merged records' acts included), optionally for one channel only. */
export async function proofOf(
  store: Store,
  id: string,
  now: Date,
  o: { channel?: Channel; verify?: boolean } = {},
): Promise<ProofStatement> {
  const contact = await store.findContact({ id });
  if (contact === null) throw new StoreError('NOT_FOUND', `no contact ${id}`);
  const events = (await store.historyOf(contact.id)).filter(
    (e) => PROOF_TYPES.has(e.type) && (e.type !== 'call' || e.data.outcome === 'refused') && onChannel(e, o.channel),
  );
  // The person's identifiers by their suppression hash: which one a confirmation's hash is.
  const current = new Map(contact.identifiers.map((i) => [suppressionHash(i.kind, i.value), `${i.kind} ${i.value}`]));
  const texts = new Map<string, Awaited<ReturnType<Store['getConsentText']>>>();
  const acts: ProvenAct[] = [];
  for (const e of events) {
    const textId = typeof e.evidence?.textId === 'string' ? e.evidence.textId : null;
    if (textId !== null && !texts.has(textId)) texts.set(textId, await store.getConsentText(textId));
    acts.push({
      seq: e.seq,
      hash: e.hash,
      type: e.type,
      at: e.at,
      recordedAt: e.recordedAt,
      recordedBy: e.recordedBy,
      data: e.data,
      evidence: e.evidence ?? null,
      evidenceRemoved: (e.evidence === null || e.evidence === undefined) && e.evidenceHash !== null,
      wording: textId === null ? null : wordingOf(textId, e, texts.get(textId) ?? null),
      notes: notesOf(e, events),
      address: typeof e.evidence?.addressSha256 === 'string' ? addressOf(e.evidence.addressSha256, current) : null,
    });
  }
  let ledger: ProofStatement['ledger'] = null;
  if (o.verify === true) {
    const check = await store.verifyLedger();
    ledger = {
      intact: check.broken === null,
      events: check.events,
      head: check.head,
      problem: check.broken === null ? null : `event ${check.broken.seq}: ${check.broken.problem}`,
    };
  }
  return {
    generatedAt: now.toISOString(),
    contact: {
      id: contact.id,
      jurisdiction: contact.jurisdiction,
      type: contact.type,
      erasedAt: contact.erasedAt ?? null,
      merged: contact.merged,
    },
    ledger,
    acts,
  };
}

/**
 * A consent said to be double opt-in, with no confirmation in the ledger (no `consent.confirmed` on its channel after
 * it, no confirmation time in its evidence): the method is the sender's word, which Germany, Austria and Switzerland
 * expect the controller to prove (BGH, I ZR 164/09).
 */
function notesOf(e: LedgerEvent, events: readonly LedgerEvent[]): string[] {
  if (e.type !== 'consent.given' || e.data.method !== 'double_opt_in' || e.evidence?.confirmedAt !== undefined)
    return [];
  const channels = [e.data.channel].flat();
  const confirmed = events.some(
    (c) =>
      c.type === 'consent.confirmed' &&
      Date.parse(c.at) >= Date.parse(e.at) &&
      [c.data.channel].flat().some((ch) => ch === '*' || channels.includes(ch)),
  );
  return confirmed
    ? []
    : [
        'recorded as double opt-in, but the ledger holds no confirmation of it (no consent.confirmed after it, no confirmedAt in its evidence): keep the confirmation proof (time, IP) where it was made',
      ];
}

function addressOf(sha256: string, current: ReadonlyMap<string, string>): ProvenAct['address'] {
  return { sha256, current: current.get(sha256) ?? null };
}

function onChannel(e: LedgerEvent, channel: Channel | undefined): boolean {
  if (channel === undefined) return true;
  // A call is on the phone, whether or not it names the channel (the contract gives it none).
  const c = e.type === 'call' ? (e.data.channel ?? 'phone') : e.data.channel;
  // Acts of no channel (where the data came from, merges, erasure) concern every channel.
  if (c === undefined || c === null || c === '*') return true;
  return Array.isArray(c) ? c.includes(channel) : c === channel;
}

function wordingOf(
  id: string,
  e: LedgerEvent,
  text: { body: string; sha256: string; createdAt: string } | null,
): ProvenWording {
  const recorded = typeof e.evidence?.textSha256 === 'string' ? e.evidence.textSha256 : null;
  const actual = text === null ? null : createHash('sha256').update(text.body, 'utf8').digest('hex');
  return {
    id,
    sha256: recorded,
    matches: recorded === null || actual === null ? null : recorded === actual,
    storedAt: text?.createdAt ?? null,
    storedAfterAct: text !== null && Date.parse(text.createdAt) > Date.parse(e.at),
    body: text?.body ?? null,
  };
}

const ACT_NAMES: Record<string, string> = {
  'data.collected': 'Details collected',
  'consent.requested': 'Consent asked (double opt-in, first step)',
  'consent.confirmed': 'Consent confirmed (double opt-in, second step)',
  'consent.given': 'Consent given',
  'consent.refused': 'Consent refused',
  'consent.withdrawn': 'Consent withdrawn',
  objection: 'Objection',
  call: 'Refusal during a call',
  'contact.merged': 'Records merged',
  'contact.rectified': 'Record rectified',
  'contact.erased': 'Person erased',
  'contact.restricted': 'Processing restricted (GDPR art. 18)',
  'contact.unrestricted': 'Restriction ended',
};

/** Evidence fields the statement shows under a label of their own, in this order. */
const EVIDENCE_LABELS: readonly (readonly [field: string, label: string])[] = [
  ['method', 'Captured by'],
  ['pageUrl', 'Page'],
  ['ip', 'IP address'],
  ['userAgent', 'Browser'],
  ['recording', 'Recording'],
  ['importBatch', 'Import batch'],
  ['sourceFile', 'File imported'],
  ['sourceSha256', 'File SHA-256'],
  ['acquisition', 'Bought or rented list'],
  ['formId', 'Form'],
  ['formRevision', 'Form revision'],
  ['language', 'Page language'],
  ['privacyPolicyUrl', 'Privacy policy linked'],
  ['controller', 'Controller named'],
  ['requestId', 'Double opt-in request'],
  ['requestedAt', 'Confirmation asked'],
  ['confirmedAt', 'Confirmed'],
];

/** Those, and the fields shown as the wording or the address confirmed: the rest is shown as recorded. */
const LABELLED_EVIDENCE: ReadonlySet<string> = new Set([
  ...EVIDENCE_LABELS.map(([field]) => field),
  'textId',
  'textSha256',
  'addressSha256',
]);

/** The controller a form named (GDPR art. 13(1)(a)) as one line; as recorded when it is not the usual object. */
function controllerOf(c: unknown): unknown {
  if (c === undefined || c === null || typeof c !== 'object') return c;
  const parts = ['name', 'email', 'address']
    .map((k) => (c as Record<string, unknown>)[k])
    .filter((v) => typeof v === 'string');
  return parts.length > 0 ? parts.join(', ') : JSON.stringify(c);
}

/**
 * What a merge, rectification, erasure or restriction record says: why, on which request, what it removed and
 * suppressed, how a restriction ended.
 */
function recordLines(a: ProvenAct): string[] {
  if (!isRecordType(a.type)) return [];
  const d = a.data;
  const lines: string[] = [];
  if (typeof d.reason === 'string')
    lines.push(
      `- Reason: ${inline(d.reason)}${d.reason === 'retention' ? ': the retention period ran out (retention purge, GDPR art. 5(1)(e))' : ''}`,
    );
  if (typeof d.why === 'string')
    lines.push(`- Why: ${inline(d.why)}${typeof d.rule === 'string' ? ` (rule ${inline(d.rule)})` : ''}`);
  if (typeof d.request === 'string') lines.push(`- Rights request: ${inline(d.request)}`);
  if (typeof d.from === 'string') lines.push(`- Record merged into this one: ${inline(d.from)}`);
  if (d.ended === 'refused') lines.push('- Ended: the request was refused');
  if (d.ended === 'lifted') lines.push(`- Ended: lifted, the person told on ${inline(d.informedAt)}`);
  const kinds = (v: unknown) => (Array.isArray(v) && v.length > 0 ? v.map(inline).join(', ') : 'none');
  if (a.type === 'contact.rectified')
    lines.push(`- Identifiers added: ${kinds(d.added)}; removed: ${kinds(d.removed)}`);
  if (a.type === 'contact.erased') {
    lines.push(`- Identifiers erased: ${typeof d.identifiers === 'number' ? d.identifiers : 'not recorded'}`);
    const hashes = Array.isArray(d.suppressedHashes) ? (d.suppressedHashes as Record<string, unknown>[]) : [];
    lines.push(
      hashes.length > 0
        ? `- Put on the suppression list: ${hashes.map((h) => `${String(h.kind)} (${String(h.reason)}) ${inline(h.hash)}`).join(', ')}`
        : `- Put on the suppression list: ${typeof d.suppressed === 'number' && d.suppressed > 0 ? `${d.suppressed} (hashes not recorded)` : 'none'}`,
    );
  }
  return lines;
}

/** Plain text for an inline Markdown span: backticks and line breaks cannot break out of it. */
const inline = (v: unknown): string => `\`${String(v).replace(/[`\r\n]/g, ' ')}\``;

function scopeOf(data: Record<string, unknown>): string {
  const parts: string[] = [];
  const channel = data.channel;
  if (channel !== undefined && channel !== null) {
    const list = channel === '*' ? 'every channel' : [channel].flat().map(String).join(', ');
    parts.push(`on ${list}`);
  }
  parts.push(typeof data.purpose === 'string' ? `for ${inline(data.purpose)}` : 'for every purpose');
  if (data.scope === 'partners') {
    const named = Array.isArray(data.partners) ? data.partners.map(inline).join(', ') : 'partners';
    parts.push(`to be passed to ${named}`);
  }
  return parts.join(' ');
}

/** The statement as a Markdown document a person reads (a DPO, an auditor). */
export function proofMarkdown(p: ProofStatement): string {
  const out: string[] = [
    `# Proof of consents and opt-outs: contact ${inline(p.contact.id)}`,
    '',
    `Generated ${p.generatedAt}. ${p.contact.type === 'professional' ? 'A professional' : 'An individual'} of ${p.contact.jurisdiction}` +
      `${p.contact.erasedAt === null ? '' : `, erased on ${p.contact.erasedAt} (the proof is kept: GDPR art. 17(3)(b), (e))`}` +
      `${p.contact.merged.length > 0 ? `; records merged into it: ${p.contact.merged.map(inline).join(', ')}` : ''}.`,
    '',
  ];
  if (p.ledger === null) {
    out.push(
      'Each act below carries its place in the hash-chained ledger (seq and SHA-256). `assent ledger verify` checks that no act was altered, removed or reordered since it was recorded.',
    );
  } else if (p.ledger.intact) {
    out.push(
      `Ledger verified now: intact, ${p.ledger.events} events, head ${inline(p.ledger.head)}: no act below was altered, removed or reordered since it was recorded.`,
    );
  } else {
    out.push(`**Ledger verified now: BROKEN** (${p.ledger.problem}); last good hash ${inline(p.ledger.head)}.`);
  }
  out.push('');
  if (p.acts.length === 0) out.push('_No consent, refusal or opt-out is recorded._');
  for (const a of p.acts) {
    // Where the data came from and what was done to the record concern no channel or purpose: "for every purpose"
    // under an erasure would read as an objection.
    const what = a.type === 'data.collected' || isRecordType(a.type) ? '' : ` ${scopeOf(a.data)}`;
    out.push(`## ${a.at}: ${ACT_NAMES[a.type] ?? a.type}${what}`, '');
    if (a.type === 'data.collected') {
      out.push(
        `- Source: ${inline(a.data.source ?? 'unknown')}${a.data.provider ? ` from ${inline(a.data.provider)}` : ''}${a.data.informed === true ? ', the person informed' : ''}`,
      );
    }
    out.push(...recordLines(a));
    if (typeof a.data.method === 'string') out.push(`- How: ${inline(a.data.method)}`);
    const ev = a.evidence;
    if (a.evidenceRemoved) out.push('- Evidence: removed (its SHA-256 stays in the chain)');
    else if (ev !== null) {
      for (const [field, label] of EVIDENCE_LABELS) {
        const value = field === 'controller' ? controllerOf(ev.controller) : ev[field];
        if (value !== undefined && value !== null) out.push(`- ${label}: ${inline(value)}`);
      }
      // The rest as recorded (a STOP's sender `from`, a call id, the controller the form named…): an auditor sees all
      // of the evidence, not only what has a label here.
      for (const [key, value] of Object.entries(ev))
        if (!LABELLED_EVIDENCE.has(key) && value !== undefined && value !== null)
          out.push(
            `- Also recorded, ${inline(key)}: ${inline(typeof value === 'string' ? value : JSON.stringify(value))}`,
          );
    }
    const w = a.wording;
    if (w !== null) {
      const check =
        w.matches === true
          ? 'its stored body still hashes to the SHA-256 recorded with the act'
          : w.matches === false
            ? '**the stored body no longer hashes to the SHA-256 recorded with the act**'
            : w.body === null
              ? '**the text is no longer stored**'
              : 'no SHA-256 was recorded with the act';
      out.push(`- Wording shown: ${inline(w.id)}, SHA-256 ${inline(w.sha256 ?? 'none')}: ${check}`);
      if (w.storedAfterAct) {
        out.push(
          `- **Warning:** this wording was stored on ${w.storedAt}, after the act: it may not be what the person was shown then`,
        );
      }
      // The wording as stored, in a fence no run of backticks in it can close: shown, never rendered as markup.
      if (w.body !== null) {
        const fence = '`'.repeat(Math.max(3, ...[...w.body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
        out.push('', `${fence}text`, w.body, fence, '');
      }
    }
    if (a.address !== null) {
      out.push(
        `- Address confirmed: SHA-256 ${inline(a.address.sha256)}, ${a.address.current === null ? 'none of the person’s current identifiers (rectified or erased since)' : `the person’s ${inline(a.address.current)}`}`,
      );
    }
    for (const note of a.notes) out.push(`- **Note:** ${note}`);
    out.push(
      `- Recorded ${a.recordedAt} by ${inline(a.recordedBy)}; ledger event ${a.seq}, SHA-256 ${inline(a.hash)}`,
      '',
    );
  }
  return `${out.join('\n').trimEnd()}\n`;
}
