import type { ScreeningSummary } from './summary.js';

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const n = (v: number): string => v.toLocaleString('en-US');

/**
 * A horizontal bar chart as inline SVG (role img, a title and a description read by screen readers), followed by
 * the same figures as a table: the chart is a picture of the table, never the only copy of the data.
 */
function chart(id: string, caption: string, bars: readonly [string, number][]): string {
  if (bars.length === 0) return `<h2 id="${id}">${esc(caption)}</h2><p>None.</p>`;
  const max = Math.max(...bars.map(([, v]) => v), 1);
  const row = 28;
  const label = 190;
  const width = 640;
  const scale = (width - label - 90) / max;
  const rects = bars
    .map(([name, value], i) => {
      const y = i * row;
      const w = Math.max(value * scale, value > 0 ? 2 : 0);
      return (
        `<text x="${label - 8}" y="${y + 18}" text-anchor="end">${esc(name)}</text>` +
        `<rect x="${label}" y="${y + 5}" width="${w.toFixed(1)}" height="18" rx="2"></rect>` +
        `<text x="${(label + w + 6).toFixed(1)}" y="${y + 18}">${n(value)}</text>`
      );
    })
    .join('');
  const desc = bars.map(([name, value]) => `${name}: ${n(value)}`).join(', ');
  const table = bars.map(([name, value]) => `<tr><th scope="row">${esc(name)}</th><td>${n(value)}</td></tr>`).join('');
  return (
    `<h2 id="${id}">${esc(caption)}</h2>` +
    `<svg role="img" aria-labelledby="${id}-t ${id}-d" width="${width}" height="${bars.length * row + 4}" ` +
    `viewBox="0 0 ${width} ${bars.length * row + 4}"><title id="${id}-t">${esc(caption)}</title>` +
    `<desc id="${id}-d">${esc(desc)}</desc>${rects}</svg>` +
    `<table aria-labelledby="${id}"><thead><tr><th scope="col">${esc(caption.split(' by ')[1] ?? 'item')}</th>` +
    `<th scope="col">rows</th></tr></thead><tbody>${table}</tbody></table>`
  );
}

const sorted = (record: Record<string, number>): [string, number][] =>
  Object.entries(record).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/** The screening summary as one self-contained, accessible HTML page (no script, no external asset). */
export function reportHtml(s: ScreeningSummary): string {
  const state = s.refused
    ? `<p class="alert" role="alert"><strong>Refused:</strong> ${s.listProblems.map((p) => esc(p.message)).join('; ')}. No row was screened.</p>`
    : s.listProblems.length > 0
      ? `<p class="alert" role="alert"><strong>${s.dryRun ? 'Dry run on lists that are not current' : 'Lists not current: the rows they would decide were excluded (LIST_STALE, LIST_MISSING)'}:</strong> ${s.listProblems.map((p) => esc(p.message)).join('; ')}.</p>`
      : '';
  const lists = s.lists
    .map(
      (l) =>
        `<tr><th scope="row">${esc(l.name)}${l.country ? ` (${esc(l.country)})` : ''}</th>` +
        `<td>${l.versionId ?? '—'}</td><td>${esc(l.asOf ?? '—')}</td>` +
        `<td>${l.ageDays ?? '—'}</td><td>${esc(l.importedAt ?? '—')}</td>` +
        `<td><code>${esc(l.fileSha256 ?? '—')}</code></td>` +
        `<td>${n(l.entries)}</td><td>${l.stale ? `stale${l.reason ? ` (${esc(l.reason)})` : ''}` : 'current'}</td>` +
        `<td>${n(s.byList[l.name]?.matched ?? 0)}</td><td>${n(s.byList[l.name]?.excluded ?? 0)}</td></tr>`,
    )
    .join('');
  const channels = Object.entries(s.byChannel).map(([c, v]) => [`${c} allowed`, v.allowed] as [string, number]);
  for (const [c, v] of Object.entries(s.byChannel)) channels.push([`${c} excluded`, v.excluded]);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Screening report: ${esc(s.channel)}, ${esc(s.purpose)}, ${esc(s.at)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:46rem;padding:0 1rem;color:#1a1a1a;background:#fff}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}
svg{display:block;max-width:100%;height:auto;font-size:13px}svg rect{fill:#1f5fa8}svg text{fill:#1a1a1a}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #bbb;padding:.2rem .6rem;text-align:left}
td{font-variant-numeric:tabular-nums}code{font-size:.75rem;word-break:break-all}.alert{border:2px solid #a30000;padding:.6rem;color:#a30000}
dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
</style>
</head>
<body>
<main>
<h1>Screening report</h1>
${state}
<dl>
<dt>Channel</dt><dd>${esc(s.channel)}</dd>
<dt>Purpose</dt><dd>${esc(s.purpose)}</dd>
<dt>Screening</dt><dd>${esc(s.id)}</dd>
<dt>Judged at</dt><dd>${esc(s.at)} (the date the law, the calling hours and the list versions are those of)</dd>
<dt>Ran at</dt><dd>${esc(s.startedAt)} (clock)</dd>
<dt>National numbers read in</dt><dd>${esc(s.jurisdiction ?? 'FR (default)')}; each contact decided under its own country's law</dd>
<dt>Dry run</dt><dd>${s.dryRun ? 'yes' : 'no'}</dd>
<dt>Rows</dt><dd>${n(s.rows)}</dd>
<dt>Allowed</dt><dd>${n(s.allowed)}</dd>
<dt>Excluded</dt><dd>${n(s.excluded)}</dd>
<dt>Duration</dt><dd>${(s.durationMs / 1000).toFixed(1)} s</dd>
</dl>
${chart('reasons', 'Excluded rows by reason', sorted(s.byReason))}
${chart('bases', 'Allowed rows by legal basis', sorted(s.byBasis))}
${chart('channels', 'Rows by channel', channels)}
<h2 id="lists">Opposition lists</h2>
${
  s.lists.length === 0
    ? '<p>No list imported.</p>'
    : `<table aria-labelledby="lists"><thead><tr><th scope="col">list</th><th scope="col">version</th><th scope="col">as of</th><th scope="col">days old at the date judged</th><th scope="col">imported</th><th scope="col">file SHA-256</th><th scope="col">entries</th><th scope="col">state</th><th scope="col">rows on it</th><th scope="col">excluded for it</th></tr></thead><tbody>${lists}</tbody></table>`
}
</main>
</body>
</html>
`;
}
