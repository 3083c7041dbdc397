import React from 'react';
import { COLORMAP_NAMES, COLORMAPS, HEATMAP_THRESHOLD_RANGE, type ColormapName } from '../engine';
import type { HeatmapSettings } from '../types';

export interface HeatmapControlsProps {
  settings: HeatmapSettings;
  fullScale: number;
  onOpacity: (value: number) => void;
  onThreshold: (value: number) => void;
  onColormap: (value: ColormapName) => void;
  onHideAll: () => void;
}

function gradient(name: ColormapName): string {
  const stops = COLORMAPS[name].map(
    ([t, r, g, b]) =>
      `rgb(${Math.round(r * 255)},${Math.round(g * 255)},${Math.round(b * 255)}) ${(t * 100).toFixed(0)}%`,
  );
  return `linear-gradient(to right, ${stops.join(', ')})`;
}

/** Shared look of every shown heatmap, and what its colours mean. */
export function HeatmapControls({
  settings,
  fullScale,
  onOpacity,
  onThreshold,
  onColormap,
  onHideAll,
}: HeatmapControlsProps) {
  return (
    <section className="cxrai-controls" aria-label="Heatmap display">
      <label>
        Opacity <span>{Math.round(settings.opacity * 100)}%</span>
        <input
          type="range"
          min={0}
          max={1}
          step={0.05}
          value={settings.opacity}
          data-testid="cxrai-opacity"
          onChange={(e) => onOpacity(Number(e.target.value))}
        />
      </label>
      <label>
        Hide heat below <span>{Math.round(settings.threshold * 100)}% of the colour scale</span>
        <input
          type="range"
          min={HEATMAP_THRESHOLD_RANGE.min}
          max={HEATMAP_THRESHOLD_RANGE.max}
          step={HEATMAP_THRESHOLD_RANGE.step}
          value={settings.threshold}
          data-testid="cxrai-heatmap-threshold"
          onChange={(e) => onThreshold(Number(e.target.value))}
        />
      </label>
      <label>
        Colour map
        <select
          value={settings.colormap}
          data-testid="cxrai-colormap"
          onChange={(e) => onColormap(e.target.value as ColormapName)}
        >
          {COLORMAP_NAMES.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <div
        className="cxrai-legend"
        data-testid="cxrai-legend"
        title={`The colour scale is the same for every finding and every image: 0 to ${fullScale} logit units, the model's full scale (models/README.md).`}
      >
        <div className="cxrai-legend-bar" style={{ background: gradient(settings.colormap) }} />
        <div className="cxrai-legend-ticks">
          <span>low contribution</span>
          <span>high contribution</span>
        </div>
        <p>
          Colour shows how much each region adds to the finding&apos;s score, on the same scale for every finding and
          image. Heat below the slider&apos;s level is not drawn. Decision support only.
        </p>
      </div>
      <button type="button" className="cxrai-button cxrai-secondary" data-testid="cxrai-hide-all" onClick={onHideAll}>
        Hide all heatmaps
      </button>
    </section>
  );
}
