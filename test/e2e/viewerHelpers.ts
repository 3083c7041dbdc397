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

/**
 * Finds, on a finding's heatmap layer, its hottest pixel and a cold pixel (no heat in a wide
 * neighbourhood, near the image centre) and where both are drawn on the page right now.
 */
export function inPageHeatProbe(args: {
  actorUID: string;
  fullScale: number;
  keep?: { hot: [number, number]; cold: [number, number] };
}): HeatProbe {
  const w = window as unknown as OhifWindow;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  const actor = vp.getActors().find((a: any) => a.uid === args.actorUID);
  if (!actor) throw new Error(`no actor ${args.actorUID}`);
  const derivedImageId: string = actor.referencedId;
  const image = cs.cache.getImage(derivedImageId);
  const data: Float32Array = image.voxelManager?.getScalarData?.() ?? image.getPixelData();
  const { rows, columns } = image;
  let max = -Infinity;
  let hot: [number, number] = [0, 0];
  for (let i = 0; i < data.length; i++) {
    if (data[i] > max) {
      max = data[i];
      hot = [i % columns, Math.floor(i / columns)];
    }
  }
  let cold: [number, number] | undefined;
  let best = Infinity;
  const radius = 12;
  const quiet = (x: number, y: number) => {
    for (let dy = -radius; dy <= radius; dy += 3) {
      for (let dx = -radius; dx <= radius; dx += 3) {
        const xx = x + dx;
        const yy = y + dy;
        if (xx < 0 || yy < 0 || xx >= columns || yy >= rows) return false;
        if (data[yy * columns + xx] > 0.05 * args.fullScale) return false;
      }
    }
    return true;
  };
  for (let y = radius; y < rows - radius; y += 8) {
    for (let x = radius; x < columns - radius; x += 8) {
      // Away from the image edge (the film border is black: a change there could hide).
      if (x < columns * 0.2 || x > columns * 0.8 || y < rows * 0.2 || y > rows * 0.8) continue;
      if (!quiet(x, y)) continue;
      const d = Math.hypot(x - columns / 2, y - rows / 2);
      if (d < best) {
        best = d;
        cold = [x, y];
      }
    }
  }
  if (args.keep) {
    hot = args.keep.hot;
    cold = args.keep.cold;
  }
  if (!cold) throw new Error('no cold region found on the heatmap');
  const baseImageId = vp.getCurrentImageId();
  const rect = vp.canvas.getBoundingClientRect();
  // Through the vtkImageData that is rendered (utilities.imageToWorldCoords swaps row and column
  // spacing in Cornerstone 5.6.8, visible on this study's non-square pixels).
  const vtkImage = vp.getImageData().imageData;
  const toPage = (p: [number, number]): [number, number] => {
    const world = vtkImage.indexToWorld([p[0], p[1], 0]);
    const c = vp.worldToCanvas(world);
    return [rect.left + c[0], rect.top + c[1]];
  };
  return {
    imageId: baseImageId,
    derivedImageId,
    fullScale: args.fullScale,
    max,
    hot: { image: hot, page: toPage(hot), value: data[hot[1] * columns + hot[0]] },
    cold: { image: cold, page: toPage(cold), value: data[cold[1] * columns + cold[0]] },
    actors: vp.getActors().map((a: any) => a.uid),
  };
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

/** Zooms, flips and rotates the active viewport the way the toolbar does. */
export function inPageTransform(): void {
  const w = window as unknown as OhifWindow;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  vp.setZoom(1.7);
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
