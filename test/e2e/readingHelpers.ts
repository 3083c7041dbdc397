/**
 * In-page helpers for the reading-workflow test (passed to page.evaluate: browser globals and
 * what OHIF puts on window only).
 */
type OhifWindow = Window & { services: any; extensionManager: any; commandsManager: any } & Record<string, any>;

/**
 * Samples every animation frame until stopped: the image the active viewport is set to show,
 * against what the panel shows (its image key, its result's key) and the heatmap layers in the
 * viewport. A frame is a violation when the panel names or shows a result of another image, or a
 * layer computed on another image is in the viewport.
 */
export function inPageStartFrameSampling(): void {
  const w = window as unknown as OhifWindow;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  const sampling = { frames: 0, withResult: 0, violations: [] as string[], running: true };
  w.__cxrSampling = sampling;
  const sample = () => {
    if (!sampling.running) return;
    const id = w.services.viewportGridService.getActiveViewportId();
    const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
    const imageId = vp?.getCurrentImageId?.();
    if (imageId) {
      sampling.frames++;
      const sop = cs.metaData.get('sopCommonModule', imageId)?.sopInstanceUID;
      const panel = document.querySelector('[data-testid=cxrai-panel]');
      const panelKey = panel?.getAttribute('data-image-key') || undefined;
      const resultKey = document.querySelector('[data-testid=cxrai-findings]')?.getAttribute('data-image-key');
      const nameKey = document.querySelector('[data-testid=cxrai-active-image]')?.getAttribute('data-image-key');
      if (resultKey) sampling.withResult++;
      if (panelKey && panelKey !== sop) sampling.violations.push(`panel key ${panelKey} on ${sop}`);
      if (resultKey && resultKey !== sop) sampling.violations.push(`result ${resultKey} on ${sop}`);
      if (nameKey && nameKey !== sop) sampling.violations.push(`name of ${nameKey} on ${sop}`);
      for (const actor of vp.getActors()) {
        if (
          String(actor.uid).startsWith('chest-xray-ai-heatmap:') &&
          !String(actor.referencedId).includes(`:${sop}:`)
        ) {
          sampling.violations.push(`layer ${actor.referencedId} on ${sop}`);
        }
      }
    }
    requestAnimationFrame(sample);
  };
  requestAnimationFrame(sample);
}

export function inPageStopFrameSampling(): { frames: number; withResult: number; violations: string[] } {
  const w = window as unknown as OhifWindow;
  w.__cxrSampling.running = false;
  const { frames, withResult, violations } = w.__cxrSampling;
  return { frames, withResult, violations };
}

/** The display sets of the study, in series order: what the reader switches between. */
export function inPageDisplaySetUids(): string[] {
  const w = window as unknown as OhifWindow;
  return w.services.displaySetService
    .getActiveDisplaySets()
    .slice()
    .sort((a: any, b: any) => Number(a.SeriesNumber) - Number(b.SeriesNumber))
    .map((d: any) => d.displaySetInstanceUID);
}

/**
 * Puts a display set into the active viewport, as a double click on its thumbnail does; returns
 * the SOP Instance UID of its image.
 */
export function inPageShowDisplaySet(uid: string): string {
  const w = window as unknown as OhifWindow;
  const viewportId = w.services.viewportGridService.getActiveViewportId();
  w.services.viewportGridService.setDisplaySetsForViewport({ viewportId, displaySetInstanceUIDs: [uid] });
  return w.services.displaySetService.getDisplaySetByUID(uid).instances[0].SOPInstanceUID;
}

/**
 * Where each shown layer's hottest pixel is drawn on the page, with its value and the full
 * scale: through the rendered vtkImageData, as the heatmap probe does.
 */
export function inPageLayerPeaks(): { finding: string; page: [number, number]; value: number }[] {
  const w = window as unknown as OhifWindow;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  const rect = vp.canvas.getBoundingClientRect();
  return vp
    .getActors()
    .filter((a: any) => String(a.uid).startsWith('chest-xray-ai-heatmap:'))
    .map((a: any) => {
      const image = cs.cache.getImage(a.referencedId);
      const data: Float32Array = image.voxelManager?.getScalarData?.() ?? image.getPixelData();
      let best = 0;
      for (let i = 1; i < data.length; i++) if (data[i] > data[best]) best = i;
      // The layer is the map's own small grid, placed in world space by its own vtkImageData.
      const layerImage = a.actor.getMapper().getInputData();
      const c = vp.worldToCanvas(layerImage.indexToWorld([best % image.columns, Math.floor(best / image.columns), 0]));
      return {
        finding: String(a.uid).slice('chest-xray-ai-heatmap:'.length),
        page: [rect.left + c[0], rect.top + c[1]] as [number, number],
        value: data[best],
      };
    });
}

/**
 * For each point (page pixels), the value of the (single) shown layer's map there, or -1 where
 * the point is not on the image: so a test can tell pixels near an isoline from those far away.
 */
export function inPageLayerValuesAt(points: [number, number][]): number[] {
  const w = window as unknown as OhifWindow;
  const cs = w.extensionManager
    .getModuleEntry('@ohif/extension-cornerstone.utilityModule.common')
    .exports.getCornerstoneLibraries().cornerstone;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  const rect = vp.canvas.getBoundingClientRect();
  const vtkImage = vp.getImageData().imageData;
  const layer = vp.getActors().find((a: any) => String(a.uid).startsWith('chest-xray-ai-heatmap:'));
  const image = cs.cache.getImage(layer.referencedId);
  const data: Float32Array = image.voxelManager?.getScalarData?.() ?? image.getPixelData();
  // The layer is the map's own small grid over part of the image: read it through its placement.
  const layerImage = layer.actor.getMapper().getInputData();
  return points.map(([x, y]) => {
    const world = vp.canvasToWorld([x - rect.left, y - rect.top]);
    const [i, j] = vtkImage.worldToIndex(world).map((v: number) => Math.round(v));
    const [imageColumns, imageRows] = vtkImage.getDimensions();
    if (i < 0 || j < 0 || i >= imageColumns || j >= imageRows) return -1;
    // As the renderer draws it: linear between samples, clamped at the edge ones, none beyond.
    const [u, v] = layerImage.worldToIndex(world);
    const [columns, rows] = [image.columns, image.rows];
    if (u < -0.5 || v < -0.5 || u > columns - 0.5 || v > rows - 0.5) return 0;
    const [cu, cv] = [Math.min(columns - 1, Math.max(0, u)), Math.min(rows - 1, Math.max(0, v))];
    const [u0, v0] = [
      Math.min(Math.max(0, columns - 2), Math.floor(cu)),
      Math.min(Math.max(0, rows - 2), Math.floor(cv)),
    ];
    const [u1, v1] = [Math.min(columns - 1, u0 + 1), Math.min(rows - 1, v0 + 1)];
    const [fu, fv] = [cu - u0, cv - v0];
    const at = (c: number, r: number) => data[r * columns + c];
    return (1 - fv) * ((1 - fu) * at(u0, v0) + fu * at(u1, v0)) + fv * ((1 - fu) * at(u0, v1) + fu * at(u1, v1));
  });
}

/** The page rectangle of the displayed image (its corners through the rendered vtkImageData). */
export function inPageImageRect(): { left: number; top: number; right: number; bottom: number } {
  const w = window as unknown as OhifWindow;
  const id = w.services.viewportGridService.getActiveViewportId();
  const vp = w.services.cornerstoneViewportService.getCornerstoneViewport(id);
  const rect = vp.canvas.getBoundingClientRect();
  const vtkImage = vp.getImageData().imageData;
  const [columns, rows] = vtkImage.getDimensions();
  const a = vp.worldToCanvas(vtkImage.indexToWorld([0, 0, 0]));
  const b = vp.worldToCanvas(vtkImage.indexToWorld([columns - 1, rows - 1, 0]));
  return {
    left: rect.left + Math.min(a[0], b[0]),
    top: rect.top + Math.min(a[1], b[1]),
    right: rect.left + Math.max(a[0], b[0]),
    bottom: rect.top + Math.max(a[1], b[1]),
  };
}
