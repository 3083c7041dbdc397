import React from 'react';
import type { ModelState } from '../types';
import { needsWarningBanner } from '../utils/wording';

/** The panel's note on site-calibrated thresholds. */
export function calibrationNote(calibration: ModelState['calibration']): string | undefined {
  return calibration && `cut-offs calibrated on ${calibration.images} site images, ${calibration.date}`;
}

/** The model's standing in one line, always visible; the intended use one click away. */
export function ModelBanner({ model }: { model: ModelState }) {
  if (!model.identity) return null;
  const demo = model.identity.demo;
  const loud = needsWarningBanner(demo, model.intendedUse);
  const headline = demo
    ? 'DEMO MODEL: untrained weights, not a diagnosis'
    : loud
      ? 'Research model: not for diagnostic use'
      : 'Decision support only: the reader makes the diagnosis';
  return (
    <details
      className={loud ? 'cxrai-banner' : 'cxrai-notice'}
      data-testid="cxrai-banner"
      data-demo={String(!!demo)}
      role={loud ? 'alert' : undefined}
    >
      <summary>
        <strong>{headline}</strong>
        {model.calibration && (
          <div className="cxrai-calibration" data-testid="cxrai-calibration">
            {calibrationNote(model.calibration)}
          </div>
        )}
      </summary>
      {model.intendedUse && <div className="cxrai-banner-detail">{model.intendedUse}</div>}
    </details>
  );
}
