import React, { useEffect, useState } from 'react';
import { HeatmapControls } from '../components/HeatmapControls';
import { FindingRow } from '../components/FindingRow';
import { ModelBanner } from '../components/ModelBanner';
import { StatusLine } from '../components/StatusLine';
import type { ColormapName } from '../engine';
import type { CommandsManager } from '../ohifTypes';
import type { ChestXrayAiService } from '../services/ChestXrayAiService';
import type { ChestXrayAiState } from '../types';

export interface PanelChestXrayAiProps {
  service: ChestXrayAiService;
  commandsManager: CommandsManager;
}

/** The findings panel: reads the service's state, acts through commands. */
export function PanelChestXrayAi({ service, commandsManager }: PanelChestXrayAiProps) {
  const [state, setState] = useState<ChestXrayAiState>(() => service.getState());

  useEffect(() => {
    const subscription = service.subscribe(service.EVENTS.STATE_CHANGED, setState);
    setState(service.getState());
    return () => subscription.unsubscribe();
  }, [service]);

  const run = (name: string, options: Record<string, unknown> = {}) => {
    void Promise.resolve(commandsManager.runCommand(name, options)).catch((error) =>
      console.error(`[chest-xray-ai] ${name} failed`, error),
    );
  };

  const { model, analysis, result, active, heatmaps, config, drawn } = state;
  const shownFindings = result
    ? result.findings
        .filter((f) => !config.findings || config.findings.includes(f.name))
        .slice()
        .sort((a, b) => b.probability - a.probability)
    : [];

  return (
    <div
      className="cxrai-panel"
      data-testid="cxrai-panel"
      data-analysis-status={analysis.status}
      data-model-status={model.status}
    >
      <ModelBanner model={model} />
      <StatusLine model={model} result={result} />

      {model.status === 'loading' && (
        <div className="cxrai-progress" data-testid="cxrai-progress">
          <div>{model.progress?.message ?? 'Loading the AI model…'}</div>
          <progress max={1} value={model.progress?.fraction ?? undefined} />
        </div>
      )}
      {model.status === 'error' && (
        <div className="cxrai-error" role="alert" data-testid="cxrai-error">
          {model.error}
        </div>
      )}

      {active && (
        <div className="cxrai-image" data-testid="cxrai-active-image" data-image-key={active.imageKey}>
          {active.seriesDescription ?? active.imageKey}
        </div>
      )}
      {!active && analysis.status !== 'not-applicable' && (
        <div className="cxrai-muted">Select a chest radiograph in the viewer.</div>
      )}
      {analysis.status === 'waiting-for-image' && <div className="cxrai-muted">Waiting for the image to load…</div>}
      {analysis.status === 'not-applicable' && <div className="cxrai-muted">{analysis.message}</div>}
      {analysis.status === 'running' && (
        <div className="cxrai-running" data-testid="cxrai-running">
          <span className="cxrai-spinner" aria-hidden="true" /> {analysis.message ?? 'Analysing…'}
        </div>
      )}
      {analysis.status === 'error' && model.status !== 'error' && (
        <div className="cxrai-error" role="alert" data-testid="cxrai-error">
          {analysis.message}
          {analysis.details && (
            <details data-testid="cxrai-error-details">
              <summary>Details</summary>
              {analysis.details}
            </details>
          )}
        </div>
      )}
      {analysis.status === 'done' && analysis.message && <div className="cxrai-warning">{analysis.message}</div>}

      {active && analysis.status !== 'running' && analysis.status !== 'not-applicable' && (
        <div className="cxrai-actions">
          <button
            type="button"
            className="cxrai-button"
            data-testid="cxrai-run"
            onClick={() => run('chestXrayAiRun', { force: !!result })}
          >
            {result ? 'Analyse again' : 'Analyse this image'}
          </button>
        </div>
      )}

      {result && drawn.length > 0 && (
        <div className="cxrai-drawn" data-testid="cxrai-drawn">
          Heatmap on the image: <strong>{drawn.join(', ')}</strong> (decision support, not a diagnosis)
        </div>
      )}

      {result && (
        <>
          <ul className="cxrai-findings" data-testid="cxrai-findings" data-image-key={result.imageKey}>
            {shownFindings.map((finding) => (
              <FindingRow
                key={finding.name}
                finding={finding}
                heatmapOn={heatmaps.visible.includes(finding.name)}
                onToggleHeatmap={(name) => run('chestXrayAiShowHeatmap', { finding: name })}
              />
            ))}
          </ul>
          <HeatmapControls
            settings={heatmaps}
            fullScale={result.heatmapFullScale}
            onOpacity={(opacity) => run('chestXrayAiSetOpacity', { opacity })}
            onThreshold={(threshold) => run('chestXrayAiSetHeatmapThreshold', { threshold })}
            onColormap={(colormap: ColormapName) => run('chestXrayAiSetColormap', { colormap })}
            onHideAll={() => run('chestXrayAiClear')}
          />
        </>
      )}
      <p className="cxrai-footnote">
        Runs in this browser: no image leaves this computer. Probabilities are model outputs, not calibrated risks; each
        is shown against its cut-off (the model&apos;s operating threshold).
      </p>
    </div>
  );
}
