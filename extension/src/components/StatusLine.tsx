import React from 'react';
import type { ChestXrayAiState } from '../types';
import { backendSentence } from '../utils/wording';

/**
 * One line that says where things stand for the image on screen (loading the model, analysing
 * this image, refused, done on which backend, or why not), under the model's name, version and
 * hash. It shows one state at a time, so it never contradicts itself.
 */
export function StatusLine({ state }: { state: ChestXrayAiState }) {
  const { model, result, active } = state;
  const identity = result?.model ?? model.identity;
  return (
    <div className="cxrai-status" data-testid="cxrai-status" data-backend={result?.backend.toUpperCase() ?? ''}>
      {identity && (
        <div className="cxrai-identity">
          <strong>{identity.name}</strong> {identity.version}{' '}
          <span className="cxrai-hash" title={`sha256 ${identity.sha256}`}>
            #{identity.sha256.slice(0, 8)}
          </span>
        </div>
      )}
      <div className="cxrai-state" role="status">
        <StateText state={state} hasImage={!!active} />
      </div>
      {result && !state.stored && <div className="cxrai-muted">VOI: {result.voiSource}</div>}
      {model.backendNote && (
        // The engine's own note, for the administrator: on hover, and one click away.
        <details className="cxrai-muted cxrai-backend-note" data-testid="cxrai-backend-note" title={model.backendNote}>
          <summary>{backendSentence(model.backendNote)}</summary>
          <div className="cxrai-admin-note">{model.backendNote}</div>
        </details>
      )}
    </div>
  );
}

function StateText({ state, hasImage }: { state: ChestXrayAiState; hasImage: boolean }) {
  const { model, analysis, result } = state;
  if (model.status === 'error') {
    return (
      <div className="cxrai-error" role="alert" data-testid="cxrai-error">
        {model.error}
      </div>
    );
  }
  if (analysis.status === 'running') {
    const loading = model.status === 'loading' ? ` (${model.progress?.message ?? 'loading the model'})` : '';
    return (
      <span data-testid="cxrai-running">
        <span className="cxrai-spinner" aria-hidden="true" /> Analysing this image…{loading}
        {model.status === 'loading' && (
          <progress data-testid="cxrai-progress" max={1} value={model.progress?.fraction ?? undefined} />
        )}
      </span>
    );
  }
  if (model.status === 'loading') {
    return (
      <span data-testid="cxrai-progress-line">
        {model.progress?.message ?? 'Loading the AI model…'}
        <progress data-testid="cxrai-progress" max={1} value={model.progress?.fraction ?? undefined} />
      </span>
    );
  }
  switch (analysis.status) {
    case 'done':
      if (result && state.stored) {
        return <span data-testid="cxrai-stored-status">Result read from the PACS: not analysed again.</span>;
      }
      return result ? (
        <span>
          Ran on <strong data-testid="cxrai-backend">{result.backend.toUpperCase()}</strong> in{' '}
          <span data-testid="cxrai-time">{Math.round(result.timingsMs.totalMs)} ms</span>
        </span>
      ) : null;
    case 'refused':
      return (
        <span className="cxrai-refused" data-testid="cxrai-refused">
          {analysis.message}
        </span>
      );
    case 'waiting-for-image':
      return <span className="cxrai-muted">Waiting for the image to load…</span>;
    case 'not-applicable':
      return <span className="cxrai-muted">{analysis.message}</span>;
    case 'error':
      return (
        <div className="cxrai-error" role="alert" data-testid="cxrai-error">
          {analysis.message}
        </div>
      );
    default:
      return (
        <span className="cxrai-muted">
          {hasImage ? 'Not analysed yet.' : 'Select a chest radiograph in the viewer.'}
        </span>
      );
  }
}
