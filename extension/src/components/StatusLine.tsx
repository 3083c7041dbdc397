import React from 'react';
import type { AnalysisResult } from '../engine';
import type { ModelState } from '../types';
import { backendSentence } from '../utils/wording';

/** Which model, which version and hash, which backend ran on this image, and how long it took. */
export function StatusLine({ model, result }: { model: ModelState; result?: AnalysisResult }) {
  const identity = result?.model ?? model.identity;
  if (!identity) return null;
  const backend = (result?.backend ?? model.backend)?.toUpperCase();
  const where = backendSentence(model.backendNote);
  return (
    <div className="cxrai-status" data-testid="cxrai-status" data-backend={backend ?? ''}>
      <div>
        <strong>{identity.name}</strong> {identity.version}{' '}
        <span className="cxrai-hash" title={`sha256 ${identity.sha256}`}>
          #{identity.sha256.slice(0, 8)}
        </span>
      </div>
      <div>
        {result ? (
          <>
            ran on <strong data-testid="cxrai-backend">{result.backend.toUpperCase()}</strong> in{' '}
            <span data-testid="cxrai-time">{Math.round(result.timingsMs.totalMs)} ms</span>
          </>
        ) : backend ? (
          <>ready on {backend}; not run on this image yet</>
        ) : (
          'not started'
        )}
      </div>
      {where && (
        // The engine's own note, for the administrator: on hover, and one click away.
        <details className="cxrai-muted cxrai-backend-note" data-testid="cxrai-backend-note" title={model.backendNote}>
          <summary>{where}</summary>
          <div className="cxrai-admin-note">{model.backendNote}</div>
        </details>
      )}
    </div>
  );
}
