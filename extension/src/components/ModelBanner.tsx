import React from 'react';
import type { ModelState } from '../types';
import { needsWarningBanner } from '../utils/wording';

/** The panel's note on site-calibrated thresholds. */
export function calibrationNote(calibration: ModelState['calibration']): string | undefined {
  return calibration && `cut-offs calibrated on ${calibration.images} site images, ${calibration.date}`;
}

/** The model's standing, always visible: demo weights and research models say so in red. */
export function ModelBanner({ model }: { model: ModelState }) {
  const demo = model.identity?.demo;
  const intendedUse = model.intendedUse;
  const loud = needsWarningBanner(demo, intendedUse);
  if (!model.identity) return null;
  return (
    <div
      className={loud ? 'cxrai-banner' : 'cxrai-notice'}
      data-testid="cxrai-banner"
      data-demo={String(!!demo)}
      role={loud ? 'alert' : undefined}
    >
      {demo && <strong>DEMO MODEL: untrained weights. Results are meaningless and not a diagnosis.</strong>}
      {model.calibration && (
        <div className="cxrai-calibration" data-testid="cxrai-calibration">
          {calibrationNote(model.calibration)}
        </div>
      )}
      {intendedUse && <div>{intendedUse}</div>}
      {!demo && <div>Decision support only: the reader makes the diagnosis.</div>}
    </div>
  );
}
