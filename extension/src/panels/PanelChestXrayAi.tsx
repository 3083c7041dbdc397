import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import { FindingRow } from '../components/FindingRow';
import { HeatmapControls } from '../components/HeatmapControls';
import { HotkeyHelp } from '../components/HotkeyHelp';
import { ImageSummary } from '../components/ImageSummary';
import { ModelBanner } from '../components/ModelBanner';
import { StatusLine } from '../components/StatusLine';
import { StoreControls } from '../components/StoreControls';
import { StoredResultNote } from '../components/StoredResultNote';
import { findingHue, hueCss } from '../engine';
import type { CommandsManager } from '../ohifTypes';
import type { ChestXrayAiService } from '../services/ChestXrayAiService';
import type { ChestXrayAiState, FindingOrder, HeatmapColouring } from '../types';

const NONE: readonly string[] = [];

export interface PanelChestXrayAiProps {
  service: ChestXrayAiService;
  commandsManager: CommandsManager;
}

/**
 * The findings panel: reads the service's state, acts through commands. Every state change is
 * rendered synchronously (flushSync), so from the moment the viewport's image changes the panel
 * shows that image's result, "analysing this image", or nothing: never the previous image's.
 */
export function PanelChestXrayAi({ service, commandsManager }: PanelChestXrayAiProps) {
  const [state, setState] = useState<ChestXrayAiState>(() => service.getState());

  useEffect(() => {
    const subscription = service.subscribe(service.EVENTS.STATE_CHANGED, (next) => flushSync(() => setState(next)));
    setState(service.getState());
    return () => subscription.unsubscribe();
  }, [service]);

  // Stable across renders, with the values derived below, so the memoised rows and controls
  // skip re-rendering on state changes that do not touch them.
  const run = useCallback(
    (name: string, options: Record<string, unknown> = {}) => {
      void Promise.resolve(commandsManager.runCommand(name, options)).catch((error) =>
        console.error(`[chest-xray-ai] ${name} failed`, error),
      );
    },
    [commandsManager],
  );
  const commands = useMemo(
    () => ({
      analyse: () => run('chestXrayAiRun'),
      opacity: (opacity: number) => run('chestXrayAiSetOpacity', { opacity }),
      threshold: (threshold: number) => run('chestXrayAiSetHeatmapThreshold', { threshold }),
      colormap: (colormap: HeatmapColouring) => run('chestXrayAiSetColormap', { colormap }),
      style: (style: 'fill' | 'outline') => run('chestXrayAiSetHeatmapStyle', { style }),
      order: (order: FindingOrder) => run('chestXrayAiSetFindingOrder', { order }),
      hideAll: () => run('chestXrayAiClear'),
      toggleHeatmap: (finding: string) => run('chestXrayAiShowHeatmap', { finding }),
      send: () => run('chestXrayAiSendToPacs'),
    }),
    [run],
  );

  const { config, model, analysis, result, active, heatmaps, drawn, emptyMaps, findingOrder, store, stored } = state;
  // config and findingOrder are what service.findings.listed reads besides the result.
  const listed = useMemo(() => service.findings.listed(result), [service, result, config, findingOrder]);
  const byName = useMemo(() => new Map(result?.findings.map((f) => [f.name, f]) ?? []), [result]);
  const visible = heatmaps.hidden ? NONE : heatmaps.visible;
  const colourOf = useCallback(
    (finding: string) => {
      const at = visible.indexOf(finding);
      if (at < 0) return undefined;
      return heatmaps.colormap === 'by-finding' ? hueCss(findingHue(at)) : '#ffd28a';
    },
    [visible, heatmaps.colormap],
  );
  const shown = useMemo(
    () =>
      visible.map((finding) => ({
        finding,
        label: service.findings.displayName(finding),
        colour: colourOf(finding) ?? 'transparent',
        empty: emptyMaps.includes(finding),
      })),
    [visible, colourOf, emptyMaps, service],
  );

  return (
    <div
      className="cxrai-panel"
      data-testid="cxrai-panel"
      data-analysis-status={analysis.status}
      data-model-status={model.status}
      data-image-key={active?.imageKey ?? ''}
      data-image-id={active?.imageId ?? ''}
      data-result-key={result?.imageKey ?? ''}
      data-result-source={result ? (stored ? 'pacs' : 'analysis') : ''}
    >
      <ModelBanner model={model} />
      <StatusLine state={state} />
      {active && <ImageSummary active={active} result={result} listed={listed} />}
      {stored && <StoredResultNote stored={stored} onAnalyse={commands.analyse} />}

      {result && (
        <HeatmapControls
          settings={heatmaps}
          fullScale={result.heatmapFullScale}
          findingOrder={findingOrder}
          shown={shown}
          onOpacity={commands.opacity}
          onThreshold={commands.threshold}
          onColormap={commands.colormap}
          onStyle={commands.style}
          onOrder={commands.order}
          onHideAll={commands.hideAll}
        />
      )}

      {result && drawn.length > 0 && (
        <div className="cxrai-drawn" data-testid="cxrai-drawn">
          Heatmap on the image: <strong>{drawn.map((f) => service.findings.displayName(f)).join(', ')}</strong>
          <span data-testid="cxrai-drawn-findings" hidden>
            {drawn.join(',')}
          </span>{' '}
          (decision support, not a diagnosis)
        </div>
      )}

      {result && (
        <ul className="cxrai-findings" data-testid="cxrai-findings" data-image-key={result.imageKey}>
          {listed.map((name) => {
            const finding = byName.get(name);
            return finding ? (
              <FindingRow
                key={name}
                finding={finding}
                displayName={service.findings.displayName(name)}
                heatmapOn={heatmaps.visible.includes(name)}
                colour={colourOf(name)}
                onToggleHeatmap={commands.toggleHeatmap}
              />
            ) : null;
          })}
        </ul>
      )}

      {active && !stored && (result || !store.available) && <StoreControls store={store} onSend={commands.send} />}

      {active && !stored && !['running', 'not-applicable', 'refused'].includes(analysis.status) && (
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
      <HotkeyHelp hotkeys={service.hotkeys()} />
      <p className="cxrai-footnote">
        Runs in this browser: no image leaves this computer, except results you send to your own PACS. Probabilities are
        model outputs, not calibrated risks; each is shown against its cut-off (the model&apos;s operating threshold).
      </p>
    </div>
  );
}
