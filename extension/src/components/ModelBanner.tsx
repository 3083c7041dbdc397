import React from 'react';
import type { ModelState } from '../types';
import { needsWarningBanner } from '../utils/wording';

/** The panel's note on site-calibrated thresholds. */
export function calibrationNote(calibration: ModelState['calibration']): string | undefined {
  return calibration && `cut-offs calibrated on ${calibration.images} site images, ${calibration.date}`;
}

const ms = (value: number) => `${Math.round(value)} ms`;
const HASH_WORDS = { webcrypto: 'WebCrypto', js: 'JavaScript', remembered: 'remembered from the cache' } as const;

/** Each start-up stage's time in one line, for the administrator (and the bench, which reads ModelState). */
export function startupSummary(startup: NonNullable<ModelState['startup']>): string {
  const parts = [
    ...(startup.ortLoadMs !== undefined ? [`runtime ${ms(startup.ortLoadMs)}`] : []),
    `manifest ${ms(startup.manifestMs)}`,
    `${startup.source === 'cache' ? 'cache read' : 'download'} ${ms(startup.readMs)}`,
    `hash (${HASH_WORDS[startup.hashMethod]}) ${ms(startup.hashMs)}`,
    `session ${ms(startup.sessionMs)}`,
    ...(startup.warmupMs !== undefined ? [`warm-up ${ms(startup.warmupMs)}`] : []),
    ...(startup.webgpuCheckMs !== undefined
      ? [`WebGPU check ${ms(startup.webgpuCheckMs)} (${startup.webgpuOutcome ?? 'done'})`]
      : []),
  ];
  const where = startup.thread === 'worker' ? 'in a worker' : startup.thread === 'main' ? "on the page's thread" : '';
  return `Start-up${where ? ` ${where}` : ''}: ${parts.join(' · ')}`;
}

/** The model's standing in one line, always visible; the intended use one click away. */
function ModelBannerView({ model }: { model: ModelState }) {
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
      {model.startup && (
        <div
          className="cxrai-banner-detail"
          data-testid="cxrai-startup"
          data-thread={model.startup.thread}
          data-backend={model.backend}
        >
          {startupSummary(model.startup)}
        </div>
      )}
    </details>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const ModelBanner = React.memo(ModelBannerView);
