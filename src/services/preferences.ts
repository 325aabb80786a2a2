// What a person agreed to, per channel, purpose and partner, folded from their ledger history (the ledger is the
// truth; this view is derived): the preference center shows it and records changes against it (issue #5).
import { CHANNELS } from '../domain/channels.js';
import { tieRank } from '../domain/parse-request.js';
import { eventPurpose, eventScope } from '../domain/request.js';
import { PROVING_METHODS } from '../policy/facts.js';

export type PreferenceStatus = 'given' | 'pending' | 'refused' | 'withdrawn' | 'objected';

/** One consent the person was asked for: a channel (or `*`), a purpose (null: every purpose), a scope. */
export interface PreferenceRow {
  /** Stable form value: `channel|purpose|scope`. */
  key: string;
  channel: string;
  purpose: string | null;
  scope: 'own' | 'partners';
  partners: readonly string[] | null;
  /** The partners' names as the form showed them (evidence.partnerNames), for the person to recognise them. */
  partnerNames: readonly string[] | null;
  status: PreferenceStatus;
  /** ISO instant of the event that set the status. */
  since: string;
  /** The stored wording the person was last asked this with (a form's box), if any: a consent given again cites it. */
  textId: string | null;
  /** A given consent proven as some packs want it: confirmed, or by a self-proving method (double opt-in…). */
  proven: boolean;
}

export interface Preferences {
  rows: PreferenceRow[];
  /** Channels the person objected to (RGPD art. 21), with the time; `*` is every channel. */
  objections: Record<string, string>;
}

/** The fields the fold reads: a ledger event's type, time and contract data. */
export interface PreferenceEvent {
  type: string;
  at: string;
  data: Record<string, unknown>;
  evidence?: Readonly<Record<string, unknown>> | null;
}

const STATUS: Record<string, PreferenceStatus> = {
  'consent.given': 'given',
  'consent.confirmed': 'given',
  'consent.requested': 'pending',
  'consent.refused': 'refused',
  'consent.withdrawn': 'withdrawn',
};

export const rowKey = (channel: string, purpose: string | null, scope: string): string =>
  `${channel}|${purpose ?? '*'}|${scope}`;

/**
 * Folds events in time order; among equal times, in the engine's order (negative acts last, `tieRank`), then the
 * ledger's, so the view never shows a consent the engine's decision overrides. Pure: no clock, no store.
 */
export function derivePreferences(history: readonly PreferenceEvent[]): Preferences {
  const events = history
    .map((e, i) => ({ e, i, t: Date.parse(e.at), rank: tieRank({ type: e.type, outcome: e.data.outcome }) }))
    .sort((a, b) => a.t - b.t || a.rank - b.rank || a.i - b.i);
  const rows = new Map<string, PreferenceRow>();
  const objections: Record<string, string> = {};
  for (const { e } of events) {
    const channels = channelList(e.data.channel);
    if (channels === null) continue;
    const purpose = eventPurpose(e.data.purpose);
    const scope = eventScope(e.data.scope, e.data.partners);
    // A withdrawal (of its own scope: `own` by default, as the engine reads it) or an objection (any scope),
    // without a purpose or on every channel, covers every matching consent.
    const covers = (r: PreferenceRow) =>
      (channels.includes('*') || channels.includes(r.channel)) && (purpose === null || purpose === r.purpose);
    if (e.type === 'objection') {
      for (const c of channels) objections[c] = e.at;
      for (const r of rows.values()) if (covers(r) && r.status !== 'refused') set(r, 'objected', e.at);
      continue;
    }
    const status = STATUS[e.type];
    if (status === undefined) continue;
    const textId = typeof e.evidence?.textId === 'string' ? e.evidence.textId : null;
    const names = strings(e.evidence?.partnerNames);
    if (status === 'withdrawn') {
      for (const r of rows.values()) if (covers(r) && r.scope === scope) set(r, status, e.at);
    }
    for (const channel of channels) {
      if (channel === '*' && status === 'withdrawn') continue;
      const key = rowKey(channel, purpose, scope);
      const row = rows.get(key);
      if (status === 'given') liftObjection(objections, channel); // the engine too: the latest act wins
      if (row === undefined) {
        if (status === 'withdrawn') continue;
        const partners = strings(e.data.partners);
        rows.set(key, {
          key,
          channel,
          purpose,
          scope,
          partners,
          partnerNames: names,
          status,
          since: e.at,
          textId,
          proven: provenBy(e),
        });
      } else if (!(status === 'pending' && row.status === 'given')) {
        set(row, status, e.at);
        row.proven = provenBy(e);
        if (Array.isArray(e.data.partners)) {
          row.partners = strings(e.data.partners);
          row.partnerNames = names;
        }
        if (textId !== null) row.textId = textId;
      }
    }
  }
  const order = (c: string) => (c === '*' ? -1 : CHANNELS.indexOf(c as never));
  const sorted = [...rows.values()].sort(
    (a, b) =>
      order(a.channel) - order(b.channel) ||
      (a.purpose ?? '').localeCompare(b.purpose ?? '') ||
      a.scope.localeCompare(b.scope),
  );
  return { rows: sorted, objections };
}

/** A consent given after an objection lifts it on that channel only (an objection to all stays on the others). */
function liftObjection(objections: Record<string, string>, channel: string): void {
  const all = objections['*'];
  if (channel === '*') {
    for (const c of Object.keys(objections)) delete objections[c];
    return;
  }
  if (all !== undefined) {
    for (const c of CHANNELS) objections[c] ??= all;
    delete objections['*'];
  }
  delete objections[channel];
}

function set(row: PreferenceRow, status: PreferenceStatus, at: string): void {
  row.status = status;
  row.since = at;
}

function provenBy(e: PreferenceEvent): boolean {
  return e.type === 'consent.confirmed' || (typeof e.data.method === 'string' && PROVING_METHODS.has(e.data.method));
}

function strings(value: unknown): string[] | null {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : null;
}

function channelList(value: unknown): string[] | null {
  if (value === '*') return ['*'];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return null;
}
