/**
 * The numerical core shared by the OHIF panel, the CLI and the tests. No OHIF or React here.
 */
export * from './types';
export * from './session/types';
export { EngineError } from './utilities/EngineError';
export { validateManifest } from './manifest/validateManifest';
export { checkModelAgainstManifest } from './manifest/checkModelAgainstManifest';
export { preparePixels } from './pixels/preparePixels';
export { loadModel } from './session/loadModel';
export { createCacheApiByteStore } from './session/cacheApiByteStore';
export { heatmapForFinding, allHeatmaps } from './heatmap/heatmapForFinding';
export { colormapRgba, COLORMAPS, type ColormapName } from './heatmap/colormaps';
export { LatestRequestGate } from './requests/LatestRequestGate';
export {
  COLORMAP_NAMES,
  isColormapName,
  HEATMAP_THRESHOLD_RANGE,
  clampHeatmapThreshold,
} from './heatmap/displayBounds';
