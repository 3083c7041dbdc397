import React from 'react';
import type { AnalysisResult } from '../engine';
import type { ActiveImageState } from '../types';

/** Which image this is, how many findings are at or above their cut-off, and the gate's cautions. */
function ImageSummaryView({
  active,
  result,
  listed,
}: {
  active: ActiveImageState;
  result?: AnalysisResult;
  listed: string[];
}) {
  const above = result ? result.findings.filter((f) => f.positive && listed.includes(f.name)).length : 0;
  const cautions = result?.gate?.findings.filter((f) => f.action === 'caution') ?? [];
  return (
    <div className="cxrai-summary">
      <div className="cxrai-image" data-testid="cxrai-active-image" data-image-key={active.imageKey}>
        {active.seriesDescription ?? active.imageKey}
      </div>
      {result && (
        <div className="cxrai-count" data-testid="cxrai-count">
          <strong>{above}</strong> of {listed.length} above cut-off
        </div>
      )}
      {cautions.map((caution) => (
        <div key={caution.check} className="cxrai-warning" data-testid="cxrai-caution" data-check={caution.check}>
          Caution: {caution.sentence}
        </div>
      ))}
    </div>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const ImageSummary = React.memo(ImageSummaryView);
