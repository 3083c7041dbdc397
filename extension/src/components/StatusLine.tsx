import React from 'react';
import type { AnalysisResult } from '../engine';
import type { ModelState } from '../services/ChestXrayAiService';

/** Which model, which version and hash, which backend actually ran, and how long it took. */
export function StatusLine({ model, result }: { model: ModelState; result?: AnalysisResult }) {
  const identity = result?.model ?? model.identity;
  if (!identity) return null;
  const backend = (result?.backend ?? model.backend)?.toUpperCase();
  return (
    <div className="cxrai-status" data-testid="cxrai-status" data-backend={backend ?? ''}>
      <div>
        <strong>{identity.name}</strong> {identity.version}{' '}
        <span className="cxrai-hash" title={`sha256 ${identity.sha256}`}>
          #{identity.sha256.slice(0, 8)}
        </span>
      </div>
      <div>
        {backend ? <>ran on <strong data-testid="cxrai-backend">{backend}</strong></> : 'not started'}
        {result && (
          <>
            {' '}
            in <span data-testid="cxrai-time">{Math.round(result.timingsMs.totalMs)} ms</span>
          </>
        )}
      </div>
      {model.backendNote && <div className="cxrai-muted">{model.backendNote}</div>}
    </div>
  );
}
