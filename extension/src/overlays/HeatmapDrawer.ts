/**
 * The reader's heatmap choices and drawing them. Two calls for storing and reopening results:
 *
 * - `displayedMaps(result, storedMaps?)`: every finding's `Heatmap` exactly as the viewer draws
 *   it (the very arrays handed to the layers, in `result.findings` order): a small grid over the
 *   model's crop (`imageRegion` set, logit units, `fullScale` the result's). Store these and the
 *   stored Parametric Maps equal the shown maps.
 * - `DrawTarget.storedMaps`: maps read back from a stored result, by finding. When present they are
 *   drawn instead of maps computed from `result.cams` (which a reopened result may not have); a
 *   finding without a stored map is not drawn. Any grid works: a map with `imageRegion` is placed on
 *   that rectangle, one without must have the image's own rows x columns.
 */
import { clampHeatmapThreshold, isColormapName, type AnalysisResult, type Heatmap } from '../engine';
import type { ChestXrayAiConfig } from '../config';
import type { ActiveImageState, HeatmapSettings, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { describeError } from '../utils/describeError';
import { displayedImage } from '../utils/radiographPixelsFromViewport';
import { heatmapLabelText, percentText } from '../utils/wording';
import { DisplayMapCache } from './displayMapCache';
import { HeatmapLayers } from './HeatmapLayers';

/** What to draw: the active image, its viewport and the result computed on it. */
export interface DrawTarget {
  active: ActiveImageState;
  viewport: ViewportLike;
  result: AnalysisResult;
  /** The name a reader sees for a finding. */
  displayName: (finding: string) => string;
  /** Maps of a stored result, by finding: drawn instead of maps computed from `result.cams`. */
  storedMaps?: ReadonlyMap<string, Heatmap>;
}

type Look = Omit<HeatmapSettings, 'visible' | 'hidden'>;

const OPACITY_STEP = 0.1;

/**
 * The reader's heatmap choices (which findings, opacity, threshold, colours, fill or outline) and
 * drawing them: builds small display maps from the result's CAMs only for shown findings (or takes
 * a stored result's maps), keeps them for the shown result within a byte budget
 * (`DisplayMapCache`), and hands them to the layers.
 */
export class HeatmapDrawer {
  private settingsNow: HeatmapSettings;
  readonly layers: HeatmapLayers;
  private readonly maps = new DisplayMapCache();
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
  draw({ active, viewport, result, displayName, storedMaps }: DrawTarget): void {
    this.failure = undefined;
    try {
      const onScreen = displayedImage(this.cornerstone(), viewport)?.imageKey;
      if (result.imageKey !== active.imageKey || onScreen !== active.imageKey) {
        this.clear(active.viewportId, viewport);
        return;
      }
      const { visible, hidden, opacity, threshold, colormap, style } = this.settingsNow;
      const wanted = hidden ? [] : visible;
      const maps = this.mapsOf(result, visible, storedMaps);
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
    this.maps.release();
  }

  /**
   * Every finding's map of `result` as the viewer draws it, in `result.findings` order: the
   * stored maps when given (findings without one left out), else the display maps built from the
   * CAMs, the same objects the layers are given (kept maps are reused, missing ones built).
   */
  displayedMaps(result: AnalysisResult, storedMaps?: ReadonlyMap<string, Heatmap>): Heatmap[] {
    const names = result.findings.map((f) => f.name);
    const maps = this.mapsOf(result, names, storedMaps);
    return names.flatMap((name) => maps.get(name) ?? []);
  }

  /** Bytes of display maps kept now (within `DISPLAY_MAP_BUDGET_BYTES`, shown maps aside). */
  get keptMapBytes(): number {
    return this.maps.bytes;
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

  /** Maps of `findings`: the stored ones when given, else display maps built from the CAMs (kept). */
  private mapsOf(
    result: AnalysisResult,
    findings: readonly string[],
    storedMaps: ReadonlyMap<string, Heatmap> | undefined,
  ): Map<string, Heatmap> {
    const maps = new Map<string, Heatmap>();
    const shown = this.settingsNow.visible;
    for (const name of findings) {
      const map = storedMaps ? storedMaps.get(name) : this.maps.get(result, name, shown);
      if (map) maps.set(name, map);
    }
    return maps;
  }
}
