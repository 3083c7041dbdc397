import React from 'react';
import type { FindingResult } from '../engine';

export interface FindingRowProps {
  finding: FindingResult;
  heatmapOn: boolean;
  onToggleHeatmap: (finding: string) => void;
}

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** One finding: probability bar with its operating threshold marked, flag, heatmap toggle. */
export function FindingRow({ finding, heatmapOn, onToggleHeatmap }: FindingRowProps) {
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
        <span className="cxrai-finding-name" title={trained ? undefined : 'The model was not trained on this finding.'}>
          {name}
        </span>
        {positive && <span className="cxrai-flag" title="At or above the operating threshold">above threshold</span>}
        <span className="cxrai-prob">{percent(probability)}</span>
      </div>
      <div
        className="cxrai-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={probability}
        aria-label={`${name} ${percent(probability)}, threshold ${percent(threshold)}`}
      >
        <div className="cxrai-bar-fill" style={{ width: percent(Math.min(1, Math.max(0, probability))) }} />
        <div className="cxrai-bar-threshold" style={{ left: percent(threshold) }} title={`Operating threshold ${percent(threshold)}`} />
      </div>
      <label className="cxrai-toggle" htmlFor={inputId}>
        <input
          id={inputId}
          type="checkbox"
          data-testid="cxrai-heatmap-toggle"
          data-finding={name}
          checked={heatmapOn}
          disabled={!trained}
          onChange={() => onToggleHeatmap(name)}
        />
        heatmap
        <span className="cxrai-threshold-text">threshold {percent(threshold)}</span>
      </label>
    </li>
  );
}
