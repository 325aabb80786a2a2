import type { Decision } from '../domain/decision.js';
import type { DecisionRequest } from '../domain/request.js';
import { recipientTimeZone } from './context.js';
import type { PackRegistry, TraceEntry } from './evaluate.js';
import { audienceOf } from './evaluate.js';
import { hhmm } from './format.js';
import { localTime } from './local-time.js';

const MARK: Record<TraceEntry['outcome'], string> = {
  granted: '✓ grants  ',
  'not granted': '· no basis',
  blocked: '✗ blocks  ',
  clear: '✓ clear   ',
  error: '! error   ',
};

const AUDIENCE = {
  b2c: 'an individual (B2C)',
  'b2b-named': 'a named professional address (B2B)',
  'b2b-generic': 'a generic business address (B2B)',
};

/** A decision and the rules behind it, told for a person: each rule considered, its outcome, why, and its source. */
export function explainText(
  req: DecisionRequest,
  decision: Decision,
  trace: readonly TraceEntry[],
  packs: PackRegistry,
): string {
  const lines: string[] = [];
  const main = decision.decision === 'allow' ? decision.basis : decision.reasons[0]?.code;
  lines.push(`${decision.decision.toUpperCase()} (${main})${decision.rules ? ` under ${decision.rules}` : ''}`);
  const compiled = packs.get(req.jurisdiction);
  const { message } = req;
  const sender =
    message.sender === 'partner'
      ? message.partner === null
        ? ' for an unnamed partner'
        : ` for partner "${message.partner}"`
      : '';
  lines.push(
    `${message.channel} message, purpose "${message.purpose}"${sender}, to ${AUDIENCE[audienceOf(req)]} in ${compiled?.pack.name ?? req.jurisdiction}`,
  );
  if (compiled) {
    const zone = recipientTimeZone(req, compiled.pack);
    const t = localTime(req.at, zone);
    lines.push(
      `at ${new Date(req.at).toISOString()} (${t.date} ${hhmm(t.minutes)} in ${zone}), ${req.history.length} history event(s)`,
    );
  }
  lines.push('');
  if (trace.length > 0) {
    lines.push('Rules considered, in order:');
    for (const t of trace) {
      lines.push(`  ${MARK[t.outcome]}  ${t.rule.id}: ${t.rule.title}`);
      lines.push(`               ${t.message}`);
      lines.push(`               ref: ${t.rule.ref}`);
    }
    lines.push('');
  }
  if (decision.decision === 'deny') {
    lines.push('Reasons, main first:');
    for (const r of decision.reasons) lines.push(`  ${r.code}: ${r.message} [${r.ref}]`);
  } else {
    lines.push(`Allowed on the basis ${decision.basis}. The message must carry:`);
    for (const o of decision.obligations) lines.push(`  ${o.code}: ${o.message} [${o.ref}]`);
  }
  return `${lines.join('\n')}\n`;
}
