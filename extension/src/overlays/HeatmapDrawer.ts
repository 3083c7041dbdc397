import {
  clampHeatmapThreshold,
  isColormapName,
  smoothHeatmapForFinding,
  type AnalysisResult,
  type Heatmap,
} from '../engine';
import type { ChestXrayAiConfig } from '../config';
import type { ActiveImageState, HeatmapSettings, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { describeError } from '../utils/describeError';
import { displayedImage } from '../utils/radiographPixelsFromViewport';
import { heatmapLabelText, percentText } from '../utils/wording';
import { HeatmapLayers } from './HeatmapLayers';

/** What to draw: the active image, its viewport and the result computed on it. */
export interface DrawTarget {
  active: ActiveImageState;
  viewport: ViewportLike;
  result: AnalysisResult;
  /** The name a reader sees for a finding. */
  displayName: (finding: string) => string;
}

type Look = Omit<HeatmapSettings, 'visible' | 'hidden'>;

const OPACITY_STEP = 0.1;

/**
 * The reader's heatmap choices (which findings, opacity, threshold, colours, fill or outline) and
 * drawing them: builds smooth image-space maps from the result's small CAMs only for shown
 * findings, keeps them for the shown result only (they are large), and hands them to the layers.
 */
export class HeatmapDrawer {
  private settingsNow: HeatmapSettings;
  readonly layers: HeatmapLayers;
  private maps?: { result: AnalysisResult; byFinding: Map<string, Heatmap> };
  /** Why the last draw failed, for the image it failed on. */
  private failure?: { imageKey: string; message: string };
  /** Shown findings with nothing above the display threshold, for the image last drawn. */
  private empty?: { imageKey: string; findings: string[] };

  /** The image whose default heatmaps were applied (once per visit of an image). */
  private defaultsAppliedFor?: string;

  /** A drawer with the site's initial look. */
  static forConfig(config: ChestXrayAiConfig, cornerstone: () => Cornerstone): HeatmapDrawer {
    return new HeatmapDrawer(cornerstone, {
      opacity: config.defaultOpacity,
      threshold: config.defaultHeatmapThreshold,
      colormap: config.defaultColormap,
      style: config.defaultHeatmapStyle,
    });
  }

  constructor(
    private readonly cornerstone: () => Cornerstone,
    defaults: Look,
  ) {
    this.settingsNow = { visible: [], hidden: false, ...defaults };
    this.layers = new HeatmapLayers(cornerstone);
  }

  get settings(): HeatmapSettings {
    return this.settingsNow;
  }

  private update(patch: Partial<HeatmapSettings>): void {
    this.settingsNow = { ...this.settingsNow, ...patch };
  }

  /** Turns one finding's map on or off (toggles without `visible`); showing one un-hides all. */
  setVisible(finding: string, visible?: boolean): void {
    const current = this.settingsNow.visible;
    const on = visible ?? !current.includes(finding);
    const next = on
      ? current.includes(finding)
        ? current
        : [...current, finding]
      : current.filter((f) => f !== finding);
    this.update({ visible: next, hidden: on ? false : this.settingsNow.hidden });
  }

  /** Exactly these findings' maps (a new image's defaults, or next/previous finding). */
  showOnly(findings: string[]): void {
    this.update({ visible: [...findings], hidden: false });
  }

  setLook(look: Partial<Look>): void {
    const next: Partial<HeatmapSettings> = {};
    if (typeof look.opacity === 'number') next.opacity = Math.min(1, Math.max(0, look.opacity));
    if (typeof look.threshold === 'number') next.threshold = clampHeatmapThreshold(look.threshold);
    if (look.colormap === 'by-finding' || isColormapName(look.colormap)) next.colormap = look.colormap;
    if (look.style === 'fill' || look.style === 'outline') next.style = look.style;
    this.update(next);
  }

  stepOpacity(direction: 1 | -1): void {
    const opacity = Math.round((this.settingsNow.opacity + direction * OPACITY_STEP) * 100) / 100;
    this.setLook({ opacity });
  }

  toggleStyle(): void {
    this.update({ style: this.settingsNow.style === 'fill' ? 'outline' : 'fill' });
  }

  /** Hides (or brings back) every overlay at once, keeping which findings are chosen. */
  toggleHidden(): void {
    this.update({ hidden: !this.settingsNow.hidden });
  }

  hideAll(): void {
    this.update({ visible: [] });
  }

  /** Findings drawn on a viewport right now. */
  shown(viewportId: string | undefined): string[] {
    return viewportId ? this.layers.shown(viewportId) : [];
  }

  /** The message of a failed draw on this image, if the last one failed. */
  failureFor(imageKey: string | undefined): string | undefined {
    return imageKey && this.failure?.imageKey === imageKey ? this.failure.message : undefined;
  }

  /** Shown findings whose map on this image has nothing above the display threshold. */
  emptyFor(imageKey: string | undefined): string[] {
    return imageKey && this.empty?.imageKey === imageKey ? this.empty.findings : [];
  }

  /**
   * Shows the wanted maps of the result on its image, or nothing when the viewport no longer
   * displays the image the result was computed on. A failure clears the layers and is reported.
   */
  draw({ active, viewport, result, displayName }: DrawTarget): void {
    this.failure = undefined;
    try {
      const onScreen = displayedImage(this.cornerstone(), viewport)?.imageKey;
      if (result.imageKey !== active.imageKey || onScreen !== active.imageKey) {
        this.clear(active.viewportId, viewport);
        return;
      }
      const { visible, hidden, opacity, threshold, colormap, style } = this.settingsNow;
      const wanted = hidden ? [] : visible;
      const maps = this.mapsOf(result);
      const cut = clampHeatmapThreshold(threshold) * result.heatmapFullScale;
      this.empty = { imageKey: active.imageKey, findings: visible.filter((f) => (maps.get(f)?.max ?? 0) < cut) };
      // A caption only where its map shows something: an empty map gets its note in the panel.
      const captions = new Map(
        result.findings
          .filter((f) => !this.empty?.findings.includes(f.name))
          .map((f) => [f.name, `${displayName(f.name)} ${percentText(f.probability)}`] as const),
      );
      this.layers.sync({
        viewport,
        baseImageId: active.imageId,
        imageKey: active.imageKey,
        wanted,
        heatmaps: () => maps,
        look: { opacity, threshold, colormap, style },
        label: heatmapLabelText(result.model.demo),
        captions,
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

  /** Leaving an image: its maps go, and its choices too (the next image gets the defaults). */
  leaveImage(): void {
    this.releaseMaps();
    this.showOnly([]);
    this.defaultsAppliedFor = undefined;
  }

  /** Arriving at an image's result: the maps the site wants shown by default (or none). */
  arriveAt(result: AnalysisResult, autoShow: ChestXrayAiConfig['autoShowHeatmaps']): void {
    const key = result.imageKey ?? '';
    if (this.defaultsAppliedFor === key) return;
    this.defaultsAppliedFor = key;
    if (autoShow === 'above-cutoff') this.showOnly(result.findings.filter((f) => f.positive).map((f) => f.name));
  }

  /** Display maps of the visible findings of `result`, built from its CAMs on demand. */
  private mapsOf(result: AnalysisResult): Map<string, Heatmap> {
    if (this.maps?.result !== result) this.maps = { result, byFinding: new Map() };
    const { byFinding } = this.maps;
    const { visible } = this.settingsNow;
    for (const name of [...byFinding.keys()]) if (!visible.includes(name)) byFinding.delete(name);
    for (const name of visible) {
      if (byFinding.has(name)) continue;
      const index = result.findings.findIndex((f) => f.name === name);
      if (index >= 0) byFinding.set(name, smoothHeatmapForFinding(result, index));
    }
    return byFinding;
  }
}
