import type { BasisCode } from '../domain/codes.js';
import { REASON_RANK } from '../domain/codes.js';
import type { Decision, Obligation, Reason } from '../domain/decision.js';
import type { DecisionRequest } from '../domain/request.js';
import { runCheck } from './checks/index.js';
import { type CompiledPack, indexKey, versionAt } from './compile.js';
import { DecisionContext, type Verdict } from './context.js';
import { foldHistory } from './facts.js';
import type { Audience, Rule } from './rule-pack.js';

/** One rule as the engine saw it, for `explain`. */
export interface TraceEntry {
  rule: Rule;
  /** granted: a permit gave its basis; blocked: a forbid denied; else the rule did not change the outcome. */
  outcome: 'granted' | 'not granted' | 'blocked' | 'clear' | 'error';
  message: string;
}

export interface EvaluateOptions {
  /** Collects every rule considered, in order. */
  trace?: TraceEntry[];
}

/** The packs the engine knows, by ISO 3166-1 alpha-2 code. */
export type PackRegistry = ReadonlyMap<string, CompiledPack>;

export function audienceOf(req: DecisionRequest): Audience {
  if (req.contact.type === 'individual') return 'b2c';
  return req.contact.address === 'generic' ? 'b2b-generic' : 'b2b-named';
}

function unsupported(req: DecisionRequest, message: string): Decision {
  return {
    id: req.id,
    decision: 'deny',
    basis: null,
    reasons: [{ code: 'UNSUPPORTED_JURISDICTION', message, ref: 'Assent: fail closed' }],
    obligations: [],
    rules: null,
  };
}

/**
 * Decides whether the message may go out (decision contract). Pure and deterministic: the time is the request's
 * `at`, the law is `packs`. Permits give a legal basis; forbids deny; a check that throws denies (fail closed).
 */
export function evaluate(req: DecisionRequest, packs: PackRegistry, options: EvaluateOptions = {}): Decision {
  const compiled = packs.get(req.jurisdiction);
  if (compiled === undefined) {
    // "UK" is only reserved in ISO 3166-1: the contract names the United Kingdom GB. Say so rather than guess.
    const hint = req.jurisdiction === 'UK' ? ' (the United Kingdom is GB in ISO 3166-1)' : '';
    return unsupported(req, `no rule pack for jurisdiction ${req.jurisdiction}${hint}`);
  }
  const version = versionAt(compiled, req.at);
  if (version === null) return unsupported(req, `the ${req.jurisdiction} rule pack does not cover this date`);
  const audience = audienceOf(req);
  const key = indexKey(req.message.channel, audience);
  const rules = compiled.rules.get(key) ?? [];
  const ctx = new DecisionContext(req, foldHistory(req), compiled.pack);
  const trace = options.trace;

  let basis: BasisCode | null = null;
  const forbids: Reason[] = [];
  const shortfalls: Reason[] = [];
  for (const { rule, start, end } of rules) {
    if (req.at < start || req.at >= end) continue;
    let verdict: Verdict;
    try {
      verdict = runCheck(rule.check, ctx, rule.params);
    } catch (error) {
      const message = `rule ${rule.id} failed to evaluate: ${error instanceof Error ? error.message : String(error)}`;
      forbids.push({ code: 'RULE_ERROR', message, ref: rule.ref, rule: rule.id });
      trace?.push({ rule, outcome: 'error', message });
      continue;
    }
    if (rule.effect === 'permit') {
      if (verdict.pass) basis ??= rule.basis;
      else
        shortfalls.push({ code: verdict.code ?? 'NO_CONSENT', message: verdict.message, ref: rule.ref, rule: rule.id });
      trace?.push({ rule, outcome: verdict.pass ? 'granted' : 'not granted', message: verdict.message });
    } else {
      // A forbid denies with its code, unless its check names a more precise one (an objection followed by a new,
      // unconfirmed sign-up still blocks, but what is missing now is the confirmation).
      if (!verdict.pass)
        forbids.push({ code: verdict.code ?? rule.code, message: verdict.message, ref: rule.ref, rule: rule.id });
      trace?.push({ rule, outcome: verdict.pass ? 'clear' : 'blocked', message: verdict.message });
    }
  }

  if (basis !== null && forbids.length === 0) {
    return {
      id: req.id,
      decision: 'allow',
      basis,
      reasons: [],
      obligations: obligationsFor(compiled, ctx, key, version, basis),
      rules: version,
    };
  }
  const reasons = basis === null ? forbids.concat(shortfalls) : forbids;
  if (reasons.length === 0) {
    reasons.push({
      code: 'NO_CONSENT',
      message: 'no rule of the pack permits this message',
      ref: 'Assent: fail closed',
    });
  }
  return { id: req.id, decision: 'deny', basis: null, reasons: rankReasons(reasons), obligations: [], rules: version };
}

/** Main reason first (see REASON_CODES); one reason per code, the first found. */
function rankReasons(reasons: Reason[]): Reason[] {
  const seen = new Set<string>();
  const unique = reasons.filter((r) => !seen.has(r.code) && seen.add(r.code) !== undefined);
  return unique.sort((a, b) => REASON_RANK[a.code] - REASON_RANK[b.code]);
}

/** Obligation lists are the same for every allow of a channel, audience, period, source and basis: shared, frozen. */
const sharedObligations = new WeakMap<CompiledPack, Map<string, readonly Obligation[]>>();

function obligationsFor(
  compiled: CompiledPack,
  ctx: DecisionContext,
  key: string,
  version: string,
  basis: BasisCode,
): Obligation[] {
  const at = ctx.req.at;
  // From a third party, unless the person also gave us the details themselves (a CRM customer later found on a
  // bought list was not told "a broker gave us your details").
  const indirect = (ctx.facts.acquired !== null || ctx.facts.publicSource) && !ctx.facts.collectedDirectly;
  const provider = indirect ? ctx.facts.acquired?.provider : undefined;
  const kind = ctx.facts.acquired !== null ? 'acquired' : 'public';
  const timed = compiled.obligations.get(key) ?? [];
  let cacheKey: string | null = null;
  let byKey = sharedObligations.get(compiled);
  // The pack version fixes which obligations are in force (versions change whenever an obligation does).
  if (provider === undefined || provider === null) {
    cacheKey = `${key}|${version}|${indirect && kind}|${basis}`;
    const hit = byKey?.get(cacheKey);
    if (hit !== undefined) return hit as Obligation[];
  }
  const out: Obligation[] = [];
  for (const { rule, start, end } of timed) {
    if (at < start || at >= end) continue;
    const when = rule.when;
    if (when?.bases !== undefined && !when.bases.includes(basis)) continue;
    if (when?.source === 'indirect' && !indirect) continue;
    let o: Obligation;
    if (indirect && rule.indirect !== undefined) {
      const message = provider ? `${rule.indirect.message} Source: ${provider}.` : rule.indirect.message;
      // The source as data too: a sending system outside Assent prints it (screening's allowed.csv).
      o = { code: rule.code, message, ref: rule.indirect.ref, source: { kind, provider: provider ?? null } };
    } else {
      o = { code: rule.code, message: rule.message, ref: rule.ref };
    }
    // One entry per code, as for reasons: two rules asking for the same mention (FR calls: the right to object and,
    // in the Bloctel era, the list itself) make one obligation that says both and cites both.
    const same = out.findIndex((p) => p.code === o.code);
    if (same === -1) out.push(o);
    else {
      const first = out[same] as Obligation;
      const source = first.source ?? o.source;
      out[same] = {
        code: o.code,
        message: `${first.message} ${o.message}`,
        ref: `${first.ref}; ${o.ref}`,
        ...(source !== undefined ? { source } : {}),
      };
    }
  }
  if (cacheKey !== null) {
    if (byKey === undefined) {
      byKey = new Map();
      sharedObligations.set(compiled, byKey);
    }
    for (const o of out) {
      if (o.source !== undefined) Object.freeze(o.source); // shared by every later allow of this key
      Object.freeze(o);
    }
    byKey.set(cacheKey, Object.freeze(out));
  }
  return out;
}
