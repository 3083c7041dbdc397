import React from 'react';
import { COLORMAP_NAMES, COLORMAPS, HEATMAP_THRESHOLD_RANGE, type ColormapName } from '../engine';
import type { FindingOrder, HeatmapColouring, HeatmapSettings } from '../types';

export interface HeatmapControlsProps {
  settings: HeatmapSettings;
  /** Top of the colour scale, in logit units (the manifest's fullScaleLogits). */
  fullScale: number;
  findingOrder: FindingOrder;
  /** Shown maps: name, colour, and whether anything is above the display threshold. */
  shown: { finding: string; label: string; colour: string; empty: boolean }[];
  onOpacity: (value: number) => void;
  onThreshold: (value: number) => void;
  onColormap: (value: HeatmapColouring) => void;
  onStyle: (value: 'fill' | 'outline') => void;
  onOrder: (value: FindingOrder) => void;
  onHideAll: () => void;
}

function gradient(name: ColormapName): string {
  const stops = COLORMAPS[name].map(
    ([t, r, g, b]) =>
      `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)}) ${(t * 100).toFixed(0)}%`,
  );
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

const logits = (value: number) => (Math.round(value * 10) / 10).toString();

/** The shared look of every shown heatmap, what its colours mean in numbers, and the list order. */
function HeatmapControlsView(props: HeatmapControlsProps) {
  const { settings, fullScale, findingOrder, shown } = props;
  const cut = settings.threshold * fullScale;
  const scaleBackground =
    settings.colormap === 'by-finding'
      ? 'linear-gradient(to right, rgba(255,255,255,0.15), rgba(255,255,255,0.95))'
      : gradient(settings.colormap);
  return (
    <section className="cxrai-controls" aria-label="Heatmap display" data-testid="cxrai-controls">
      <div className="cxrai-control-row">
        <label>
          Opacity <span>{Math.round(settings.opacity * 100)}%</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            value={settings.opacity}
            data-testid="cxrai-opacity"
            onChange={(e) => props.onOpacity(Number(e.target.value))}
          />
        </label>
        <label>
          Hide heat below <span data-testid="cxrai-threshold-value">{logits(cut)} logits</span>
          <input
            type="range"
            min={HEATMAP_THRESHOLD_RANGE.min}
            max={HEATMAP_THRESHOLD_RANGE.max}
            step={HEATMAP_THRESHOLD_RANGE.step}
            value={settings.threshold}
            data-testid="cxrai-heatmap-threshold"
            onChange={(e) => props.onThreshold(Number(e.target.value))}
          />
        </label>
      </div>
      <div className="cxrai-control-row">
        <label>
          Colour
          <select
            value={settings.colormap}
            data-testid="cxrai-colormap"
            onChange={(e) => props.onColormap(e.target.value as HeatmapColouring)}
          >
            <option value="by-finding">one per finding</option>
            {COLORMAP_NAMES.map((name) => (
              <option key={name} value={name}>
                {name} scale
              </option>
            ))}
          </select>
        </label>
        <label>
          Draw
          <select
            value={settings.style}
            data-testid="cxrai-heatmap-style"
            onChange={(e) => props.onStyle(e.target.value as 'fill' | 'outline')}
          >
            <option value="fill">filled</option>
            <option value="outline">outlines</option>
          </select>
        </label>
        <label>
          List
          <select
            value={findingOrder}
            data-testid="cxrai-order"
            onChange={(e) => props.onOrder(e.target.value as FindingOrder)}
          >
            <option value="model">model order</option>
            <option value="score">by score</option>
          </select>
        </label>
      </div>
      <div
        className="cxrai-legend"
        data-testid="cxrai-legend"
        title="Heat is in logit units: how much each region adds to the finding's score before averaging (models/README.md). The same scale for every finding and image."
      >
        <div className="cxrai-legend-bar" style={{ background: scaleBackground }} />
        <div className="cxrai-legend-ticks">
          <span>{logits(cut)}</span>
          <span>{logits((cut + fullScale) / 2)}</span>
          <span>≥ {logits(fullScale)} logits</span>
        </div>
        <p>
          Heat: how much a region adds to the finding&apos;s score (logit units, same scale for every finding and
          image). Below {logits(cut)} nothing is drawn.
        </p>
      </div>
      {shown.length > 0 && (
        <ul className="cxrai-shown" data-testid="cxrai-shown">
          {shown.map(({ finding, label, colour, empty }) => (
            <li key={finding} data-finding={finding} data-empty={String(empty)}>
              <span className="cxrai-swatch" style={{ background: colour }} /> {label}
              {empty && (
                <span className="cxrai-muted" data-testid="cxrai-empty-map">
                  {' '}
                  : nothing above {logits(cut)} logits on this image
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        className="cxrai-button cxrai-secondary"
        data-testid="cxrai-hide-all"
        onClick={props.onHideAll}
      >
        Hide all heatmaps
      </button>
    </section>
  );
}

/** Memoised: the panel re-renders on every state change (flushSync), this only when its props change. */
export const HeatmapControls = React.memo(HeatmapControlsView);
