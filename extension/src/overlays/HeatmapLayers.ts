import { findingHue, hueCss, type Heatmap } from '../engine';
import type { HeatmapActor, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { FindingLabels, type FindingCaption } from './findingLabels';
import { removeHeatmapLabel, showHeatmapLabel } from './heatmapLabel';
import { applyLook, type HeatmapLook } from './heatmapLook';
import { createLayerImage, releaseLayerImage } from './layerImage';
import type { LayerPlacement } from './layerPlacement';

export type { HeatmapLook } from './heatmapLook';

/** What one viewport should show: exactly these findings' maps of one image, with one look. */
export interface HeatmapLayerRequest {
  viewport: ViewportLike;
  /** The imageId the maps were computed on; nothing is drawn unless the viewport shows it. */
  baseImageId: string;
  imageKey: string;
  /** The findings to show, in order. */
  wanted: string[];
  /** Builds the maps of the wanted findings; called only when a layer must be added. */
  heatmaps: () => Map<string, Heatmap>;
  look: HeatmapLook;
  /** Text of the label inside the viewport while any layer is drawn. */
  label: string;
  /** Caption beside each map's hottest point ("Cardiomegaly 62%"), by finding. */
  captions?: Map<string, string>;
}

interface Layer {
  /**
   * The viewport object the layer was added to. OHIF replaces the object under the same id on a
   * series switch and keeps the old one alive: removal must reach this one, not whatever the id
   * names now, or the old object keeps the actor and its pixel array.
   */
  viewport: ViewportLike;
  finding: string;
  actorUID: string;
  derivedImageId: string;
  imageKey: string;
  baseImageId: string;
  fullScale: number;
  hue: readonly [number, number, number];
  peak?: { row: number; column: number };
  /** Where the layer image was placed (the map's own grid on the base image's plane). */
  placement: LayerPlacement;
  actor?: HeatmapActor;
}

/** Actor UIDs we own start with this, so we can find (and only remove) our own layers. */
export const LAYER_PREFIX = 'chest-xray-ai-heatmap:';

const layerKey = (viewportId: string, finding: string) => `${viewportId}\u0000${finding}`;
const ofViewport = (viewportId: string, key: string) => key.startsWith(`${viewportId}\u0000`);

/**
 * One Cornerstone image layer per shown finding on a stack viewport: a local Float32 image of the
 * heat in logit units at the map's own size (a few hundred samples a side, not the film's), placed
 * on the base image's plane over the map's `imageRegion` (`layerPlacement`), added with
 * `addImages`, coloured by its own transfer functions and linearly interpolated by the renderer.
 * Being an actor in the viewport's scene, it follows pan, zoom, rotation and flip and is untouched
 * by window/level. Layers are tied to the imageId they were computed on and removed when it
 * changes. While any layer is drawn, a label inside the viewport says what the colours are.
 */
export class HeatmapLayers {
  private readonly layers = new Map<string, Layer>();
  /** The label element per viewport, so it goes even when the viewport object is gone. */
  private readonly labels = new Map<string, HTMLElement>();
  private readonly captions: FindingLabels;

  constructor(private readonly cornerstone: () => Cornerstone) {
    this.captions = new FindingLabels(cornerstone);
  }

  /** Findings currently drawn on a viewport. */
  shown(viewportId: string): string[] {
    return [...this.layers.entries()].filter(([key]) => ofViewport(viewportId, key)).map(([, layer]) => layer.finding);
  }

  /**
   * Makes the viewport show exactly the wanted maps with the look, if and only if it still
   * displays the base image; otherwise clears it. What is drawn is read from the viewport itself:
   * a layer Cornerstone dropped (its scene rebuilt) is added again.
   */
  sync({ viewport, baseImageId, imageKey, wanted, heatmaps, look, label, captions }: HeatmapLayerRequest): void {
    const viewportId = viewport.id;
    if (viewport.getCurrentImageId?.() !== baseImageId) {
      this.clear(viewport);
      return;
    }
    // Drop layers of another image, those no longer wanted, and those no longer in the scene.
    for (const [key, layer] of [...this.layers.entries()]) {
      if (!ofViewport(viewportId, key)) continue;
      const inScene = viewport.getActor?.(layer.actorUID)?.referencedId === layer.derivedImageId;
      const stale = layer.imageKey !== imageKey || layer.baseImageId !== baseImageId || layer.viewport !== viewport;
      // Each shown map's hue follows its place among the shown ones: re-colour when that changes.
      const moved = layer.hue !== findingHue(wanted.indexOf(layer.finding));
      if (!inScene || stale || !wanted.includes(layer.finding) || moved) this.removeLayer(viewport, key, layer);
    }
    const present = new Set(this.shown(viewportId));
    const missing = wanted.filter((f) => !present.has(f));
    if (missing.length) {
      const maps = heatmaps();
      for (const finding of missing) {
        const heatmap = maps.get(finding);
        const hue = findingHue(wanted.indexOf(finding));
        if (heatmap) this.addLayer(viewport, baseImageId, imageKey, heatmap, look, hue);
      }
    }
    const shownLayers = [...this.layers.entries()].filter(([key]) => ofViewport(viewportId, key)).map(([, l]) => l);
    for (const layer of shownLayers) if (layer.actor) applyLook(layer.actor, layer.fullScale, look, layer.hue);
    this.updateLabel(viewport, label);
    const placed: FindingCaption[] = shownLayers.flatMap((layer) => {
      const text = captions?.get(layer.finding);
      return text && layer.peak
        ? [{ finding: layer.finding, text, colour: this.captionColour(layer, look), peak: layer.peak }]
        : [];
    });
    this.captions.show(viewport, baseImageId, placed);
    viewport.render?.();
  }

  /** Captions on a viewport now (what the reader sees beside each map). */
  captionTexts(viewportId: string): string[] {
    return this.captions.texts(viewportId);
  }

  private captionColour(layer: Layer, look: HeatmapLook): string {
    return look.colormap === 'by-finding' ? hueCss(layer.hue) : '#ffd28a';
  }

  /** Removes every layer of ours from the viewport, including ones Cornerstone kept. */
  clear(viewport: ViewportLike): void {
    const viewportId = viewport.id;
    for (const [key, layer] of [...this.layers.entries()]) {
      if (ofViewport(viewportId, key)) this.removeLayer(viewport, key, layer);
    }
    const leftovers = (viewport.getActors?.() ?? []).filter((a) => a.uid.startsWith(LAYER_PREFIX));
    if (leftovers.length) {
      viewport.removeActors?.(leftovers.map((a) => a.uid));
      for (const { referencedId } of leftovers) if (referencedId?.startsWith(LAYER_PREFIX)) this.uncache(referencedId);
    }
    this.updateLabel(viewport, undefined);
    this.captions.clear(viewportId);
    viewport.render?.();
  }

  /** Forgets layers of a viewport that is gone (image change, viewport replaced), and their images. */
  forget(viewportId: string): void {
    for (const [key, layer] of [...this.layers.entries()]) {
      if (ofViewport(viewportId, key)) this.removeLayer(undefined, key, layer);
    }
    const label = this.labels.get(viewportId);
    if (label) removeHeatmapLabel(label);
    this.labels.delete(viewportId);
    this.captions.clear(viewportId);
  }

  private updateLabel(viewport: ViewportLike, text: string | undefined): void {
    const viewportId = viewport.id;
    const old = this.labels.get(viewportId);
    if (text && this.shown(viewportId).length > 0 && viewport.element) {
      const label = showHeatmapLabel(viewport.element, text);
      if (old && old !== label) removeHeatmapLabel(old);
      this.labels.set(viewportId, label);
    } else {
      if (old) removeHeatmapLabel(old);
      if (viewport.element) removeHeatmapLabel(viewport.element);
      this.labels.delete(viewportId);
    }
  }

  private uncache(derivedImageId: string): void {
    releaseLayerImage(this.cornerstone(), derivedImageId);
  }

  /** Takes the layer off the object it was added to (and off `viewport`, if that is another). */
  private removeLayer(viewport: ViewportLike | undefined, key: string, layer: Layer): void {
    this.layers.delete(key);
    for (const target of new Set([layer.viewport, viewport])) {
      if (target?.getActor?.(layer.actorUID)?.referencedId === layer.derivedImageId) {
        target.removeActors?.([layer.actorUID]);
        try {
          target.render?.();
        } catch {
          // A replaced viewport may no longer render; the actor is gone from it all the same.
        }
      }
    }
    this.uncache(layer.derivedImageId);
  }

  private addLayer(
    viewport: ViewportLike,
    baseImageId: string,
    imageKey: string,
    heatmap: Heatmap,
    look: HeatmapLook,
    hue: readonly [number, number, number],
  ) {
    const { utilities } = this.cornerstone();
    const viewportId = viewport.id;
    const derivedImageId = `${LAYER_PREFIX}${viewportId}:${imageKey}:${heatmap.finding}`;
    const { image, placement } = createLayerImage(this.cornerstone(), derivedImageId, baseImageId, heatmap);
    const layer: Layer = {
      viewport,
      finding: heatmap.finding,
      actorUID: `${LAYER_PREFIX}${heatmap.finding}`,
      derivedImageId,
      imageKey,
      baseImageId,
      fullScale: heatmap.fullScale,
      hue,
      peak: heatmap.peak,
      placement,
    };
    viewport.addImages?.([
      {
        imageId: derivedImageId,
        actorUID: layer.actorUID,
        callback: ({ imageActor }) => {
          // addImages builds the actor's vtkImageData empty: copy the heat in.
          const vtkImage = imageActor.getMapper().getInputData();
          utilities.updateVTKImageDataWithCornerstoneImage(
            vtkImage as Parameters<typeof utilities.updateVTKImageDataWithCornerstoneImage>[0],
            image,
          );
          layer.actor = imageActor;
          imageActor.setForceTranslucent?.(true);
          applyLook(imageActor, layer.fullScale, look, hue);
        },
      },
    ]);
    this.layers.set(layerKey(viewportId, heatmap.finding), layer);
  }

  /** Where each shown layer of a viewport was placed, by finding (for tests and checks). */
  placements(viewportId: string): Map<string, LayerPlacement> {
    const entries = [...this.layers.entries()].filter(([key]) => ofViewport(viewportId, key));
    return new Map(entries.map(([, layer]) => [layer.finding, layer.placement]));
  }
}
