import type { Summary } from './summary';
import type { Interval } from './statistics';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );
const fixed = (v: number | undefined, digits = 3) => (v === undefined ? 'n/a' : v.toFixed(digits));
const range = (ci: Interval | undefined) => (ci ? `${ci.lower.toFixed(3)}–${ci.upper.toFixed(3)}` : 'n/a');
const rate = (p: { value?: number; ci?: Interval; k: number; n: number }) =>
  `${fixed(p.value)} <small>[${range(p.ci)}] ${p.k}/${p.n}</small>`;

/** One HTML file with everything inline (styles, the ROC figure as a data URI): mail it, archive it. */
export function htmlReport(summary: Summary, rocPng: Buffer): string {
  const m = summary.model;
  const rows = summary.findings
    .map((f) => {
      const op = f.operatingPoint;
      return `<tr><td>${escape(f.name)}${f.trained ? '' : ' <small>(not trained)</small>'}</td><td>${f.positives}</td><td>${f.negatives}</td><td>${fixed(f.auc, 4)}</td><td>${range(f.aucCi)}</td><td>${fixed(f.threshold)}</td><td>${rate(op.sensitivity)}</td><td>${rate(op.specificity)}</td><td>${rate(op.ppv)}</td><td>${rate(op.npv)}</td></tr>`;
    })
    .join('\n');
  const excluded = summary.excluded.length
    ? `<h2>Left out of the statistics (${summary.excluded.length})</h2><table><tr><th>File</th><th>Why</th><th>Reason</th></tr>${summary.excluded
        .map((e) => `<tr><td>${escape(e.file)}</td><td>${escape(e.gate)}</td><td>${escape(e.reason)}</td></tr>`)
        .join('')}</table>`
    : '<p>No image was refused by the chest-film gate or unreadable.</p>';
  const cautioned = summary.cautioned.length
    ? `<h2>Cautioned by the gate, kept in the statistics (${summary.cautioned.length})</h2><table><tr><th>File</th><th>Caution</th></tr>${summary.cautioned
        .map((e) => `<tr><td>${escape(e.file)}</td><td>${escape(e.reason)}</td></tr>`)
        .join('')}</table>`
    : '';
  const c = summary.counts;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Site validation: ${escape(m.name)} ${escape(m.version)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.demo{background:#b00020;color:#fff;padding:.6em 1em;font-weight:bold}small{color:#555}code{font-size:12px}</style></head>
<body>
${summary.notice ? `<div class="demo">${escape(summary.notice)}</div>` : ''}
<h1>Site validation: ${escape(m.name)} ${escape(m.version)}</h1>
<p>Model sha256 <code>${escape(m.sha256)}</code>, backend ${escape(summary.backend.toUpperCase())}, ${escape(summary.software.name)} ${escape(summary.software.version)}, written ${escape(summary.createdAt)}.</p>
<p>${c.listed} labelled images: ${c.analysed} in the statistics (${c.cautioned} with a gate caution), ${c.refused} refused by the chest-film gate, ${c.unreadable} unreadable.
Data sha256 <code>${summary.data.dataSha256}</code>; file list sha256 <code>${summary.data.fileList.sha256}</code> (${summary.data.fileList.count} files); labels (${escape(summary.labels.format)}) sha256 <code>${summary.labels.sha256}</code>.</p>
<table><tr><th>Finding</th><th>Positives</th><th>Negatives</th><th>AUROC</th><th>AUROC 95% CI (DeLong)</th><th>Threshold</th><th>Sensitivity [Wilson 95% CI]</th><th>Specificity</th><th>PPV</th><th>NPV</th></tr>
${rows}
<tr><th>Mean AUROC</th><td></td><td></td><th>${fixed(summary.meanAuc, 4)}</th><td colspan="6" style="text-align:left">over ${summary.meanAucOver} findings with both classes</td></tr></table>
<img alt="ROC curves, one per finding, with the operating threshold marked" src="data:image/png;base64,${rocPng.toString('base64')}" width="760">
${excluded}
${cautioned}
<h2>Methods</h2><ul>${Object.entries(summary.methods)
    .map(([k, v]) => `<li><b>${escape(k)}</b>: ${escape(v)}</li>`)
    .join('')}</ul>
</body></html>
`;
}
