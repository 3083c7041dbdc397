/**
 * Our DICOM result objects (issue 8): SR (TID 1500, IHE AIR style), float Parametric Map of the
 * heatmaps, RGB Secondary Captures; written and read back with dcmjs. No OHIF or React: the panel
 * and the CLI both use this. See docs/dicom-results.md.
 */
export * from './types';
export { buildResultObjects, RESULT_OBJECTS_BUDGET_BYTES } from './buildResultObjects';
export { readStoredResult } from './readStoredResult';
export { heatmapFromParametricMap, parametricMapFrames, PARAMETRIC_MAP_STORAGE } from './parametricMap';
export { sourceImageFromDataset } from './sourceImage';
export { parsePart10, writePart10 } from './dcmjs';
export { captureBackground, type GreyImage } from './captureImage';
export { COMPREHENSIVE_3D_SR } from './structuredReport';
export { SECONDARY_CAPTURE_STORAGE } from './secondaryCapture';
