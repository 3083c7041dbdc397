import { clampHeatmapThreshold, heatmapForFinding, isColormapName, type AnalysisResult, type Heatmap } from '../engine';
import type { ActiveImageState, HeatmapSettings, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { describeError } from '../utils/describeError';
import { displayedImage } from '../utils/radiographPixelsFromViewport';
import { heatmapLabelText } from '../utils/wording';
import { HeatmapLayers } from './HeatmapLayers';

/** What to draw: the active image, its viewport and the result computed on it. */
export interface DrawTarget {
  active: ActiveImageState;
  viewport: ViewportLike;
  result: AnalysisResult;
}

/**
 * The reader's heatmap choices (which findings, opacity, threshold, colours) and drawing them:
 * builds image-space maps from the result's small CAMs only for shown findings, keeps them for
 * the shown result only (they are large), and hands them to the layers.
 */
export class HeatmapDrawer {
  private settingsNow: HeatmapSettings;
  private readonly layers: HeatmapLayers;
  private maps?: { result: AnalysisResult; byFinding: Map<string, Heatmap> };
  /** Why the last draw failed, for the image it failed on. */
  private failure?: { imageKey: string; message: string };

  constructor(
    private readonly cornerstone: () => Cornerstone,
    defaults: Omit<HeatmapSettings, 'visible'>,
  ) {
    this.settingsNow = { visible: [], ...defaults };
    this.layers = new HeatmapLayers(cornerstone);
  }

  get settings(): HeatmapSettings {
    return this.settingsNow;
  }

  /** Turns one finding's map on or off (toggles without `visible`). */
  setVisible(finding: string, visible?: boolean): void {
    const current = this.settingsNow.visible;
    const on = visible ?? !current.includes(finding);
    const next = on
      ? current.includes(finding)
        ? current
        : [...current, finding]
      : current.filter((f) => f !== finding);
    this.settingsNow = { ...this.settingsNow, visible: next };
  }

  setLook(look: Partial<Omit<HeatmapSettings, 'visible'>>): void {
    const next = { ...this.settingsNow };
    if (typeof look.opacity === 'number') next.opacity = Math.min(1, Math.max(0, look.opacity));
    if (typeof look.threshold === 'number') next.threshold = clampHeatmapThreshold(look.threshold);
    if (isColormapName(look.colormap)) next.colormap = look.colormap;
    this.settingsNow = next;
  }

  hideAll(): void {
    this.settingsNow = { ...this.settingsNow, visible: [] };
  }

  /** Findings drawn on a viewport right now. */
  shown(viewportId: string | undefined): string[] {
    return viewportId ? this.layers.shown(viewportId) : [];
  }

  /** The message of a failed draw on this image, if the last one failed. */
  failureFor(imageKey: string | undefined): string | undefined {
    return imageKey && this.failure?.imageKey === imageKey ? this.failure.message : undefined;
  }

  /**
   * Shows the wanted maps of the result on its image, or nothing when the viewport no longer
   * displays the image the result was computed on. A failure clears the layers and is reported.
   */
  draw({ active, viewport, result }: DrawTarget): void {
    this.failure = undefined;
    try {
      const onScreen = displayedImage(this.cornerstone(), viewport)?.imageKey;
      if (result.imageKey !== active.imageKey || onScreen !== active.imageKey) {
        this.clear(active.viewportId, viewport);
        return;
      }
      const { visible, opacity, threshold, colormap } = this.settingsNow;
      this.layers.sync({
        viewport,
        baseImageId: active.imageId,
        imageKey: active.imageKey,
        wanted: visible,
        heatmaps: () => this.mapsOf(result),
        look: { opacity, threshold, colormap },
        label: heatmapLabelText(result.model.demo),
      });
    } catch (error) {
      console.error('[chest-xray-ai] heatmap layer failed', error);
      this.clear(active.viewportId, viewport);
      this.failure = {
        imageKey: active.imageKey,
        message: `The heatmap could not be drawn: ${describeError(error, 'heatmap')}`,
      };
    }
  }

  /** Removes our layers from the viewport (or forgets them, when the viewport object is gone). */
  clear(viewportId: string, viewport: ViewportLike | undefined): void {
    if (viewport) this.layers.clear(viewport);
    else this.layers.forget(viewportId);
  }

  /** Drops the maps kept for the shown result (leaving the image). */
  releaseMaps(): void {
    this.maps = undefined;
  }

  /** Maps of the visible findings of `result`, built from its CAMs on demand. */
  private mapsOf(result: AnalysisResult): Map<string, Heatmap> {
    if (this.maps?.result !== result) this.maps = { result, byFinding: new Map() };
    const { byFinding } = this.maps;
    const { visible } = this.settingsNow;
    for (const name of [...byFinding.keys()]) if (!visible.includes(name)) byFinding.delete(name);
    for (const name of visible) {
      if (byFinding.has(name)) continue;
      const index = result.findings.findIndex((f) => f.name === name);
      if (index >= 0) byFinding.set(name, heatmapForFinding(result, index));
    }
    return byFinding;
  }
}
