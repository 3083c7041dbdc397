/** The panel's own styles, prefixed so they touch nothing of the host (whose Tailwind build lacks our classes). */
const CSS = `
.cxrai-panel{font-size:13px;line-height:1.35;color:#d7e1ef;padding:8px 10px 16px;display:flex;flex-direction:column;gap:8px;overflow-y:auto;height:100%;box-sizing:border-box}
.cxrai-banner{background:#5c1010;border:1px solid #e0524f;color:#ffd9d6;padding:3px 8px;border-radius:4px;font-size:12px}
.cxrai-banner summary,.cxrai-notice summary{cursor:pointer;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cxrai-banner-detail{margin-top:4px;font-size:11px}
.cxrai-notice{background:#14243d;border:1px solid #2c4a75;padding:3px 8px;border-radius:4px;color:#b9c9e2;font-size:12px}
.cxrai-status{background:#0b1a33;border-radius:4px;padding:6px 8px;color:#b9c9e2}
.cxrai-status strong{color:#e8eef8}
.cxrai-hash{font-family:monospace;color:#8fa3c0}
.cxrai-progress progress{width:100%}
.cxrai-error{background:#3a1212;border:1px solid #c0504d;color:#ffd0cc;padding:6px 8px;border-radius:4px}
.cxrai-warning{background:#3a3212;border:1px solid #b8a040;color:#fff0c0;padding:6px 8px;border-radius:4px}
.cxrai-muted{color:#8fa3c0}
.cxrai-drawn{background:#0b1a33;border-left:3px solid #5acce6;padding:4px 8px;color:#b9c9e2;font-size:12px}
.cxrai-image{color:#8fa3c0;font-size:12px;overflow-wrap:anywhere}
.cxrai-running{display:flex;align-items:center;gap:6px}
.cxrai-spinner{width:12px;height:12px;border:2px solid #5acce6;border-top-color:transparent;border-radius:50%;display:inline-block;animation:cxrai-spin 1s linear infinite}
@keyframes cxrai-spin{to{transform:rotate(360deg)}}
.cxrai-actions{display:flex;gap:6px}
.cxrai-button{background:#1f4e8c;color:#fff;border:1px solid #3c7bd0;border-radius:4px;padding:4px 10px;cursor:pointer;font-size:12px}
.cxrai-button:hover{background:#2a63ad}
.cxrai-secondary{background:transparent}
.cxrai-findings{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:6px}
.cxrai-finding{padding:4px 6px;border-radius:4px;background:#0b1a33}
.cxrai-finding.cxrai-positive{background:#2a1a0b;border-left:3px solid #f0a030}
.cxrai-finding.cxrai-untrained{opacity:.55}
.cxrai-finding-head{display:flex;align-items:center;gap:6px}
.cxrai-finding-name{flex:1;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;color:#e8eef8}
.cxrai-flag{background:#f0a030;color:#1a1000;border-radius:3px;padding:0 4px;font-size:11px;font-weight:600}
.cxrai-prob{font-variant-numeric:tabular-nums;color:#e8eef8;text-align:right}
.cxrai-bar{position:relative;height:6px;background:#1d2c47;border-radius:3px;margin:4px 0}
.cxrai-bar-fill{position:absolute;left:0;top:0;bottom:0;background:#5acce6;border-radius:3px}
.cxrai-positive .cxrai-bar-fill{background:#f0a030}
.cxrai-bar-threshold{position:absolute;top:-3px;bottom:-3px;width:2px;background:#fff;margin-left:-1px}
.cxrai-toggle{display:flex;align-items:center;gap:4px;font-size:12px;color:#b9c9e2;cursor:pointer}
.cxrai-cutoff{color:#8fa3c0;font-size:11px;white-space:nowrap;font-variant-numeric:tabular-nums;min-width:64px;text-align:right}
.cxrai-backend-note summary{cursor:help}
.cxrai-admin-note{font-family:monospace;font-size:11px;word-break:break-word;margin-top:4px}
.cxrai-controls{display:flex;flex-direction:column;gap:4px;border:1px solid #1d2c47;border-radius:4px;padding:6px;position:sticky;top:-8px;z-index:2;background:#050f22}
.cxrai-control-row{display:flex;gap:8px}
.cxrai-control-row label{flex:1;min-width:0}
.cxrai-shown{list-style:none;margin:0;padding:0;font-size:12px;color:#e8eef8}
.cxrai-swatch{display:inline-block;width:10px;height:10px;border-radius:2px;border:1px solid #5a6b85;vertical-align:middle}
.cxrai-summary{display:flex;flex-direction:column;gap:4px}
.cxrai-count{color:#e8eef8}
.cxrai-refused{color:#ffd0cc;font-weight:600}
.cxrai-help{color:#8fa3c0;font-size:11px}
.cxrai-help summary{cursor:pointer}
.cxrai-help kbd{font-family:monospace;color:#e8eef8}
.cxrai-identity{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.cxrai-controls label{display:flex;flex-direction:column;gap:2px;color:#b9c9e2}
.cxrai-controls label span{color:#8fa3c0;font-size:11px}
.cxrai-controls select{background:#0b1a33;color:#e8eef8;border:1px solid #2c4a75;border-radius:3px}
.cxrai-legend-bar{height:10px;border-radius:2px}
.cxrai-legend-ticks{display:flex;justify-content:space-between;color:#8fa3c0;font-size:11px}
.cxrai-legend p,.cxrai-footnote{color:#8fa3c0;font-size:11px;margin:2px 0}
`;

export function injectStyles(doc: Document = document): void {
  if (doc.getElementById('chest-xray-ai-styles')) return;
  const style = doc.createElement('style');
  style.id = 'chest-xray-ai-styles';
  style.textContent = CSS;
  doc.head.appendChild(style);
}
