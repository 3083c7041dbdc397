/**
 * Helpers for the viewer end-to-end test. The `inPage*` functions run inside the OHIF page (passed
 * to page.evaluate), so they use only browser globals and what OHIF puts on window.
 */
import { type PNG } from 'pngjs';

export interface ViewportPoint {
  /** Image pixel (column, row). */
  image: [number, number];
  /** Page CSS pixel of that image pixel's centre as rendered now. */
  page: [number, number];
  value: number;
}

export interface HeatProbe {
  imageId: string;
  derivedImageId: string;
  fullScale: number;
  max: number;
  /** The layer's grid (columns, rows) and the bytes of its values. */
  layerSize: [number, number];
  layerBytes: number;
  hot: ViewportPoint;
  cold: ViewportPoint;
  actors: string[];
}

type OhifWindow = Window & {
  services: any;
  extensionManager: any;
  commandsManager: any;
};

/** Actor UIDs of the active viewport and the image it shows. */
export function inPageViewportState(): {
  imageId: string;
  actors: { uid: string; referencedId: string }[];
  sop?: string;
} {
  const w = window as unknown as OhifWindow;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  const imageId = vp.getCurrentImageId();
  return {
    imageId,
    sop: cs.metaData.get('sopCommonModule', imageId)?.sopInstanceUID,
    actors: vp.getActors().map((a: any) => ({ uid: a.uid, referencedId: a.referencedId })),
  };
}

/** Whether Cornerstone's cache holds an image. */
export function inPageIsCached(imageId: string): boolean {
  const w = window as unknown as OhifWindow;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  return !!cs.cache.getImageLoadObject(imageId);
}

/** A layer actor's vtkImageData and the base image's, with the calls the probes make. */
interface VtkImage {
  getDimensions(): number[];
  indexToWorld(ijk: number[]): number[];
  worldToIndex(world: number[]): number[];
  getPointData(): { getScalars(): { getData(): Float32Array } };
}

/**
 * Finds, on a finding's heatmap layer (a small grid placed over the image), its hottest sample and
 * a cold sample (no heat in a wide neighbourhood, near the image centre), the image pixels under
 * them and where those are drawn on the page right now.
 */
export function inPageHeatProbe(args: {
  actorUID: string;
  fullScale: number;
  keep?: { hot: [number, number]; cold: [number, number] };
}): HeatProbe {
  const w = window as unknown as OhifWindow;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  const actor = vp.getActors().find((a: any) => a.uid === args.actorUID);
  if (!actor) throw new Error(`no actor ${args.actorUID}`);
  const derivedImageId: string = actor.referencedId;
  // What the renderer draws: the actor's own vtkImageData (the map's grid, placed in world space).
  const layer: VtkImage = actor.actor.getMapper().getInputData();
  const [columns, rows] = layer.getDimensions();
  const data = layer.getPointData().getScalars().getData();
  // Through the vtkImageData that is rendered (utilities.imageToWorldCoords swaps row and column
  // spacing in Cornerstone 5.6.8, visible on this study's non-square pixels).
  const base: VtkImage = vp.getImageData().imageData;
  const [imageColumns, imageRows] = base.getDimensions();
  const imagePixelOf = (u: number, v: number): [number, number] => {
    const ijk = base.worldToIndex(layer.indexToWorld([u, v, 0]));
    return [Math.round(ijk[0]), Math.round(ijk[1])];
  };
  let max = -Infinity;
  let hotSample: [number, number] = [0, 0];
  for (let i = 0; i < data.length; i++) {
    if (data[i] > max) {
      max = data[i];
      hotSample = [i % columns, Math.floor(i / columns)];
    }
  }
  // Cold: no heat within ~5% of the map's width around it, in the central part of the image.
  const radius = Math.max(2, Math.round(columns * 0.05));
  const quiet = (u: number, v: number) => {
    for (let dv = -radius; dv <= radius; dv++) {
      for (let du = -radius; du <= radius; du++) {
        const uu = Math.min(columns - 1, Math.max(0, u + du));
        const vv = Math.min(rows - 1, Math.max(0, v + dv));
        if (data[vv * columns + uu] > 0.05 * args.fullScale) return false;
      }
    }
    return true;
  };
  let cold: [number, number] | undefined;
  let best = Infinity;
  for (let v = 0; v < rows; v += 2) {
    for (let u = 0; u < columns; u += 2) {
      const [x, y] = imagePixelOf(u, v);
      // Away from the image edge (the film border is black: a change there could hide).
      if (x < imageColumns * 0.2 || x > imageColumns * 0.8 || y < imageRows * 0.2 || y > imageRows * 0.8) continue;
      if (!quiet(u, v)) continue;
      const d = Math.hypot(x - imageColumns / 2, y - imageRows / 2);
      if (d < best) {
        best = d;
        cold = [x, y];
      }
    }
  }
  let hot = imagePixelOf(hotSample[0], hotSample[1]);
  if (args.keep) {
    hot = args.keep.hot;
    cold = args.keep.cold;
  }
  if (!cold) throw new Error('no cold region found on the heatmap');
  const rect = vp.canvas.getBoundingClientRect();
  const toPage = (p: [number, number]): [number, number] => {
    const c = vp.worldToCanvas(base.indexToWorld([p[0], p[1], 0]));
    return [rect.left + c[0], rect.top + c[1]];
  };
  // The layer's value over an image pixel, as drawn (linear between samples, clamped at the edge).
  const valueAt = (p: [number, number]) => {
    const [u, v] = layer.worldToIndex(base.indexToWorld([p[0], p[1], 0]));
    const cu = Math.min(columns - 1, Math.max(0, u));
    const cv = Math.min(rows - 1, Math.max(0, v));
    const u0 = Math.min(Math.max(0, columns - 2), Math.floor(cu));
    const v0 = Math.min(Math.max(0, rows - 2), Math.floor(cv));
    const u1 = Math.min(columns - 1, u0 + 1);
    const v1 = Math.min(rows - 1, v0 + 1);
    const [fu, fv] = [cu - u0, cv - v0];
    const at = (uu: number, vv: number) => data[vv * columns + uu];
    return (1 - fv) * ((1 - fu) * at(u0, v0) + fu * at(u1, v0)) + fv * ((1 - fu) * at(u0, v1) + fu * at(u1, v1));
  };
  return {
    imageId: vp.getCurrentImageId(),
    derivedImageId,
    fullScale: args.fullScale,
    max,
    layerSize: [columns, rows],
    layerBytes: data.byteLength,
    hot: { image: hot, page: toPage(hot), value: valueAt(hot) },
    cold: { image: cold, page: toPage(cold), value: valueAt(cold) },
    actors: vp.getActors().map((a: any) => a.uid),
  };
}

/** What the test needs of the shown result to compute the engine's map itself. */
export interface ResultForMaps {
  findings: string[];
  geometry: unknown;
  cams: { data: number[]; shape: [number, number, number, number] };
  heatmapFullScale: number;
}

export function inPageResultForMaps(): ResultForMaps {
  const w = window as unknown as OhifWindow;
  const result = w.services.chestXrayAiService.getState().result;
  return {
    findings: result.findings.map((f: { name: string }) => f.name),
    geometry: result.geometry,
    cams: { data: Array.from(result.cams.data as Float32Array), shape: result.cams.shape },
    heatmapFullScale: result.heatmapFullScale,
  };
}

/** One canvas point: the base image coordinate under it and the layer's value drawn there. */
export interface LayerSample {
  canvas: [number, number];
  /** Continuous image pixel coordinates (pixel centres at integer + 0.5) under the point. */
  image: [number, number];
  /** The layer's value there as the renderer interpolates it; null where the layer does not reach. */
  value: number | null;
}

/**
 * Samples a finding's layer at canvas points (fractions of the canvas's CSS size): each point goes to
 * world through the camera, to the base image's pixel grid through the base vtkImageData, and to
 * the layer's own grid through the layer's vtkImageData, where the value is interpolated as the
 * renderer does (linear, clamped to the edge samples, nothing beyond the edge pixels' outer sides).
 * Also hands back the layer's whole grid.
 */
export function inPageLayerSamples(args: { actorUID: string; fractions: [number, number][] }): {
  samples: LayerSample[];
  layer: { columns: number; rows: number; data: number[] };
  canvasSize: [number, number];
} {
  const w = window as unknown as OhifWindow;
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(
    w.services.viewportGridService.getActiveViewportId(),
  );
  const actor = vp.getActors().find((a: any) => a.uid === args.actorUID);
  if (!actor) throw new Error(`no actor ${args.actorUID}`);
  const layer: VtkImage = actor.actor.getMapper().getInputData();
  const base: VtkImage = vp.getImageData().imageData;
  const [columns, rows] = layer.getDimensions();
  const data = layer.getPointData().getScalars().getData();
  const rect = vp.canvas.getBoundingClientRect();
  const samples = args.fractions.map(([fx, fy]): LayerSample => {
    const canvas: [number, number] = [fx * rect.width, fy * rect.height];
    const world = vp.canvasToWorld(canvas);
    const [i, j] = base.worldToIndex(world);
    const [u, v] = layer.worldToIndex(world);
    const inside = u >= -0.5 && v >= -0.5 && u <= columns - 0.5 && v <= rows - 0.5;
    let value: number | null = null;
    if (inside) {
      const cu = Math.min(columns - 1, Math.max(0, u));
      const cv = Math.min(rows - 1, Math.max(0, v));
      const u0 = Math.min(Math.max(0, columns - 2), Math.floor(cu));
      const v0 = Math.min(Math.max(0, rows - 2), Math.floor(cv));
      const u1 = Math.min(columns - 1, u0 + 1);
      const v1 = Math.min(rows - 1, v0 + 1);
      const [fu, fv] = [cu - u0, cv - v0];
      const at = (uu: number, vv: number) => data[vv * columns + uu];
      value = (1 - fv) * ((1 - fu) * at(u0, v0) + fu * at(u1, v0)) + fv * ((1 - fu) * at(u0, v1) + fu * at(u1, v1));
    }
    return { canvas, image: [i + 0.5, j + 0.5], value };
  });
  return { samples, layer: { columns, rows, data: Array.from(data) }, canvasSize: [rect.width, rect.height] };
}

/**
 * Starts watching every rendered frame for a heatmap layer of image `oldKey` while the viewport
 * shows another image. OHIF replaces the viewport object on a series switch, so the viewport is
 * looked up by id when the frame renders (a captured object would be the destroyed one), and the
 * listener sits on the document in the capture phase (Cornerstone's events do not bubble).
 */
export function inPageWatchStaleLayers(args: { actorUID: string; oldKey: string }): void {
  const w = window as unknown as OhifWindow & Record<string, any>;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  w.__cxrStale = [];
  w.__cxrNewFrames = 0;
  w.__cxrWatch = (event: CustomEvent<{ viewportId?: string }>) => {
    const id = event.detail?.viewportId ?? w.services.viewportGridService.getActiveViewportId();
    const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
    if (!vp) return;
    const sop = cs.metaData.get('sopCommonModule', vp.getCurrentImageId())?.sopInstanceUID;
    if (sop === args.oldKey) return;
    w.__cxrNewFrames++;
    const layer = vp.getActors().find((a: any) => a.uid === args.actorUID);
    if (layer && String(layer.referencedId).includes(args.oldKey)) w.__cxrStale.push(sop);
  };
  document.addEventListener(cs.Enums.Events.IMAGE_RENDERED, w.__cxrWatch, true);
}

/** Stops the watch: the images on which an old layer was rendered, and how many frames of other images it saw. */
export function inPageStopWatchingStaleLayers(): { stale: string[]; newFrames: number } {
  const w = window as unknown as OhifWindow & Record<string, any>;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  document.removeEventListener(cs.Enums.Events.IMAGE_RENDERED, w.__cxrWatch, true);
  return { stale: w.__cxrStale, newFrames: w.__cxrNewFrames };
}

/** Zooms, pans, flips and rotates the active viewport the way the toolbar and mouse do. */
export function inPageTransform(): void {
  const w = window as unknown as OhifWindow;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  vp.setZoom(1.7);
  const [x, y] = vp.getPan();
  vp.setPan([x + 40, y - 25]);
  vp.render();
  w.commandsManager.runCommand('flipViewportHorizontal');
  w.commandsManager.runCommand('rotateViewportCW');
}

/** Mean RGB of a (2r+1)^2 square of a PNG screenshot around a page point. */
export function sampleRgb(png: PNG, [x, y]: [number, number], r = 2): [number, number, number] {
  const sum = [0, 0, 0];
  let n = 0;
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      const px = Math.round(x) + dx;
      const py = Math.round(y) + dy;
      if (px < 0 || py < 0 || px >= png.width || py >= png.height) continue;
      const i = (py * png.width + px) * 4;
      sum[0] += png.data[i];
      sum[1] += png.data[i + 1];
      sum[2] += png.data[i + 2];
      n++;
    }
  }
  return [sum[0] / n, sum[1] / n, sum[2] / n];
}

export function rgbDistance(a: [number, number, number], b: [number, number, number]): number {
  return Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);
}
