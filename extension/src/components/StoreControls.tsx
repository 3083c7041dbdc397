import React from 'react';
import type { StoreState } from '../types';
import { localDateTime } from './localDateTime';

export interface StoreControlsProps {
  store: StoreState;
  onSend: () => void;
}

/**
 * "Send to PACS" and where the shown result's send stands: sending, sent (when, which series), or
 * failed in plain words with "Send again" (the result stays in the panel). When the viewer's data
 * source cannot store, it says storing is off and how to turn it on.
 */
function StoreControlsView({ store, onSend }: StoreControlsProps) {
  if (store.mode === 'never') return null;
  if (!store.available) {
    return (
      <div className="cxrai-muted cxrai-store" data-testid="cxrai-store-off">
        Storing results in the PACS is off: {store.offReason}
        {store.offHint && <div className="cxrai-store-hint">{store.offHint}</div>}
      </div>
    );
  }
  const { send } = store;
  const pacs = store.pacs ?? 'the PACS';
  if (send?.status === 'sending') {
    const progress = send.total > 0 ? ` (${send.sent} of ${send.total} objects)` : '';
    return (
      <div className="cxrai-store" data-testid="cxrai-send-state" data-status="sending">
        <button type="button" className="cxrai-button" data-testid="cxrai-send" disabled>
          <span className="cxrai-spinner" aria-hidden="true" /> Sending to {pacs}…{progress}
        </button>
      </div>
    );
  }
  if (send?.status === 'sent') {
    return (
      <div className="cxrai-store cxrai-sent" data-testid="cxrai-send-state" data-status="sent">
        Stored in {pacs} at <span data-testid="cxrai-sent-at">{localDateTime(send.at)}</span>: {send.objects} DICOM
        objects ({Math.round(send.bytes / 1024)} KiB), new series{' '}
        <span className="cxrai-hash" data-testid="cxrai-sent-series" title={send.seriesInstanceUids.join('\n')}>
          {send.seriesInstanceUids.map((uid) => `…${uid.slice(-8)}`).join(', ')}
        </span>
      </div>
    );
  }
  return (
    <div className="cxrai-store" data-testid="cxrai-send-state" data-status={send?.status ?? 'idle'}>
      {send?.status === 'failed' && (
        <div className="cxrai-error" role="alert" data-testid="cxrai-send-error" data-kind={send.kind}>
          {send.message}
          {send.details && (
            <details className="cxrai-muted">
              <summary>Details</summary>
              <div className="cxrai-admin-note">{send.details}</div>
            </details>
          )}
        </div>
      )}
      <button type="button" className="cxrai-button" data-testid="cxrai-send" onClick={onSend}>
        {send?.status === 'failed' ? 'Send again' : 'Send to PACS'}
      </button>
      {store.mode === 'auto' && !send && <span className="cxrai-muted"> (results are sent automatically)</span>}
    </div>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const StoreControls = React.memo(StoreControlsView);
