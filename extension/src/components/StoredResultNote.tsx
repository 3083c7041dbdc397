import React from 'react';
import type { ModelIdentity } from '../engine';
import type { StoredResultView } from '../types';
import { localDateTime } from './localDateTime';

const modelText = (m: ModelIdentity) => `${m.name} ${m.version} #${m.sha256.slice(0, 8)}`;

export interface StoredResultNoteProps {
  stored: StoredResultView;
  onAnalyse: () => void;
}

/**
 * The shown result is the one stored in the PACS: when, by which model and backend. When the
 * viewer's model is another one, it says so and offers an analysis with the current model (the
 * stored result is shown as it was, never mixed with the current model's numbers).
 */
function StoredResultNoteView({ stored, onAnalyse }: StoredResultNoteProps) {
  const { currentModel } = stored;
  return (
    <div className="cxrai-notice cxrai-stored" data-testid="cxrai-stored" data-model-differs={String(!!currentModel)}>
      <div data-testid="cxrai-stored-line">
        stored {localDateTime(stored.storedAt)}, model {modelText(stored.model)}, {stored.backend.toUpperCase()}
      </div>
      {stored.maps === 'reading' && <div className="cxrai-muted">Reading the stored heatmaps…</div>}
      {stored.maps === 'failed' && (
        <div className="cxrai-warning" data-testid="cxrai-stored-maps-failed">
          {stored.mapsMessage}
        </div>
      )}
      {currentModel && (
        <div className="cxrai-warning" data-testid="cxrai-stored-other-model">
          This result was stored by another model than this viewer&apos;s ({modelText(currentModel)}).
        </div>
      )}
      <div className="cxrai-actions">
        <button
          type="button"
          className="cxrai-button cxrai-secondary"
          data-testid="cxrai-run-again"
          onClick={onAnalyse}
        >
          {currentModel ? 'Analyse with the current model' : 'Run analyses again'}
        </button>
      </div>
    </div>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const StoredResultNote = React.memo(StoredResultNoteView);
