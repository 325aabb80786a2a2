import { CHANNELS } from '../domain/channels.js';
import { describeCheck } from './checks/index.js';
import { compilePack, indexKey } from './compile.js';
import { AUDIENCES, type Rule, type RulePack } from './rule-pack.js';

const AUDIENCE_LABEL = { b2c: 'B2C', 'b2b-named': 'B2B named', 'b2b-generic': 'B2B generic' };

function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/** The rules reference (docs/rules.md), generated from the packs so it never drifts from the code. */
export function rulesReference(packs: readonly RulePack[]): string {
  const out: string[] = [
    '# Rules reference',
    '',
    '<!-- Generated from src/policy/packs by `npm run docs:rules`; CI fails if it drifts. Do not edit by hand. -->',
    '',
    'For each jurisdiction and each period between two changes of the law: what allows a message (permits, with',
    'the basis code they give) and what denies it (forbids, with their reason code), per channel and audience.',
    'A message is allowed when at least one permit holds and no forbid applies. Rule ids link to the rule list.',
    '',
  ];
  for (const pack of packs) {
    const compiled = compilePack(pack);
    out.push(`## ${pack.name} (${pack.jurisdiction})`, '');
    out.push(`Effective dates are read in ${pack.timeZone}; calls are timed in the recipient's own zone.`, '');
    for (const note of pack.notes ?? []) out.push(`- ${note}`);
    if (pack.notes?.length) out.push('');
    const versions = compiled.versions;
    versions.forEach((v, i) => {
      const next = versions[i + 1];
      out.push(`### ${v.label}${next ? ` (until the day before ${next.label.split('@')[1]})` : ' (in force)'}`, '');
      out.push('| Channel | Audience | Allowed when (basis) | Denied when (reason) |', '|---|---|---|---|');
      for (const channel of CHANNELS) {
        for (const audience of AUDIENCES) {
          const rules = (compiled.rules.get(indexKey(channel, audience)) ?? [])
            .filter((r) => r.start <= v.start && v.start < r.end)
            .map((r) => r.rule);
          const permits = rules
            .filter((r) => r.effect === 'permit')
            .map((r) => `${describe(r)} → **${r.basis}** (\`${r.id}\`)`);
          const forbids = rules
            .filter((r) => r.effect === 'forbid')
            .map((r) => `${describe(r)} → **${r.code}** (\`${r.id}\`)`);
          out.push(
            `| ${channel} | ${AUDIENCE_LABEL[audience]} | ${cell(permits.join('<br>'))} | ${cell(forbids.join('<br>'))} |`,
          );
        }
      }
      out.push('');
    });
    out.push(
      `### ${pack.jurisdiction} rules and their sources`,
      '',
      '| Rule | What it says | In force | Reference |',
      '|---|---|---|---|',
    );
    for (const r of pack.rules) {
      out.push(`| \`${r.id}\` | ${cell(r.title)} | ${r.from} → ${r.until ?? ''} | ${cell(r.ref)} |`);
    }
    out.push(
      '',
      `### ${pack.jurisdiction} obligations on an allowed message`,
      '',
      '| Obligation | Channels | In force | Reference |',
      '|---|---|---|---|',
    );
    for (const o of pack.obligations) {
      const who = o.audiences ? ` (${o.audiences.map((a) => AUDIENCE_LABEL[a]).join(', ')})` : '';
      const when = [
        ...(o.when?.bases ? [`basis ${o.when.bases.join(' or ')}`] : []),
        ...(o.when?.source === 'indirect' ? ['data from a third party or a public source'] : []),
      ];
      const only = when.length > 0 ? `; only with ${when.join(', ')}` : '';
      out.push(
        `| ${o.code}: ${cell(o.message)} | ${o.channels.join(', ')}${who}${only} | ${o.from} → ${o.until ?? ''} | ${cell(o.ref)}${o.indirect ? `; data from a third party: ${cell(o.indirect.ref)}` : ''} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function describe(rule: Rule): string {
  return describeCheck(rule.check, rule.params);
}
