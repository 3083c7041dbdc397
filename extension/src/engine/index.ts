/**
 * The numerical core shared by the OHIF panel, the CLI and the tests. No OHIF or React here.
 * This file is the engine's only public door: nothing outside the engine imports its folders.
 */
export * from './types';
export { EngineError, type EngineErrorCode } from './utilities/EngineError';
export { validateManifest } from './manifest/validateManifest';
export { checkModelAgainstManifest } from './manifest/checkModelAgainstManifest';
export { preparePixels } from './pixels/preparePixels';
export { displayIntensities } from './pixels/displayIntensities';
export { checkPixelBudget, DEFAULT_MAX_PIXELS, maxPixelsOrDefault } from './pixels/pixelBudget';
export { loadModel } from './session/loadModel';
export { createCacheApiByteStore } from './session/cacheApiByteStore';
export { heatmapForFinding, allHeatmaps } from './heatmap/heatmapForFinding';
export { camsToLogits, logitScaleOfCams } from './heatmap/camUnits';
export { colormapRgb, COLORMAPS, type ColormapName } from './heatmap/colormaps';
export { LatestRequestGate, type RequestToken } from './requests/LatestRequestGate';
export {
  COLORMAP_NAMES,
  isColormapName,
  HEATMAP_THRESHOLD_RANGE,
  clampHeatmapThreshold,
  DEFAULT_HEATMAP_THRESHOLD,
} from './heatmap/displayBounds';
export {
  assessChestFilm,
  DEFAULT_GATE_POLICY,
  DEFAULT_POPULATION,
  modalityRefusal,
  PROJECTION_MODALITIES,
} from './gate/assessChestFilm';
export { FINDING_HUES, findingHue, hueCss } from './heatmap/findingHues';
export { smoothHeatmapForFinding } from './heatmap/smoothHeatmap';
export {
  displayHeatmapForFinding,
  allDisplayHeatmaps,
  heatmapValueAt,
  regionOfHeatmap,
  DISPLAY_SAMPLES_PER_CELL,
  DISPLAY_MAX_SAMPLES,
} from './heatmap/displayHeatmap';
