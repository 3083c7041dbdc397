import React from 'react';
import type { FindingResult } from '../engine';
import { percentText } from '../utils/wording';

export interface FindingRowProps {
  finding: FindingResult;
  displayName: string;
  heatmapOn: boolean;
  /** The colour its map is drawn in, while it is on and coloured by finding. */
  colour?: string;
  onToggleHeatmap: (finding: string) => void;
}

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** One finding: probability against its cut-off (the operating threshold), bar, flag, heatmap toggle. */
function FindingRowView({ finding, displayName, heatmapOn, colour, onToggleHeatmap }: FindingRowProps) {
  const { name, probability, threshold, positive, trained } = finding;
  const inputId = `cxrai-heatmap-${name.replace(/\W+/g, '-')}`;
  return (
    <li
      className={`cxrai-finding${positive ? ' cxrai-positive' : ''}${trained ? '' : ' cxrai-untrained'}`}
      data-testid="cxrai-finding-row"
      data-finding={name}
      data-probability={String(probability)}
      data-threshold={String(threshold)}
      data-positive={String(positive)}
    >
      <div className="cxrai-finding-head">
        <label className="cxrai-toggle" htmlFor={inputId} title={`Show the heatmap of ${displayName} on the image`}>
          <input
            id={inputId}
            type="checkbox"
            data-testid="cxrai-heatmap-toggle"
            data-finding={name}
            checked={heatmapOn}
            disabled={!trained}
            onChange={() => onToggleHeatmap(name)}
          />
          <span className="cxrai-swatch" style={{ background: heatmapOn && colour ? colour : 'transparent' }} />
        </label>
        <span
          className="cxrai-finding-name"
          title={trained ? displayName : `${displayName}: the model was not trained on this finding.`}
        >
          {displayName}
        </span>
        {positive && (
          <span className="cxrai-flag" title="At or above the cut-off (operating threshold)" aria-label="above cut-off">
            ≥
          </span>
        )}
        <span className="cxrai-prob">{percent(probability)}</span>
        <span
          className="cxrai-cutoff"
          data-testid="cxrai-cutoff"
          title="Operating threshold: at or above it the finding is flagged"
        >
          cut-off {percentText(threshold)}
        </span>
      </div>
      <div
        className="cxrai-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={probability}
        aria-label={`${displayName} ${percent(probability)}, cut-off ${percentText(threshold)}`}
      >
        <div className="cxrai-bar-fill" style={{ width: percent(Math.min(1, Math.max(0, probability))) }} />
        <div
          className="cxrai-bar-threshold"
          style={{ left: percent(threshold) }}
          title={`Cut-off (operating threshold) ${percentText(threshold)}`}
        />
      </div>
    </li>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const FindingRow = React.memo(FindingRowView);
