import vtkColorTransferFunction from '@kitware/vtk.js/Rendering/Core/ColorTransferFunction.js';
import vtkPiecewiseFunction from '@kitware/vtk.js/Common/DataModel/PiecewiseFunction.js';
import { COLORMAPS, clampHeatmapThreshold } from '../engine';
import type { HeatmapActor, HeatmapColouring } from '../types';

export interface HeatmapLook {
  opacity: number;
  /** Fraction of the colour scale (0..1) below which nothing is drawn. */
  threshold: number;
  colormap: HeatmapColouring;
  style: 'fill' | 'outline';
}

/** Isoline levels in outline mode, as fractions of the range above the threshold. */
export const OUTLINE_LEVELS = [0, 1 / 3, 2 / 3];
/** Half-width of an isoline band, as a fraction of the full scale. */
const OUTLINE_HALF_WIDTH = 0.012;

/** (value, opacity) points of the scalar-opacity function. */
export function opacityPoints(fullScale: number, look: HeatmapLook): [number, number][] {
  const cut = clampHeatmapThreshold(look.threshold) * fullScale;
  const eps = fullScale * 1e-3;
  if (look.style === 'outline') {
    // Narrow opaque bands at a few heat levels and nothing between them: the film stays untouched
    // except on the lines (the renderer's interpolation makes the bands thin contours).
    const half = OUTLINE_HALF_WIDTH * fullScale;
    const points: [number, number][] = [[0, 0]];
    for (const level of OUTLINE_LEVELS) {
      const at = cut + level * (fullScale - cut);
      points.push([at - half, 0], [at, look.opacity], [at + half, 0]);
    }
    return points;
  }
  const points: [number, number][] = [[0, 0]];
  if (cut > eps) points.push([cut - eps, 0]);
  // Fainter at the threshold, full opacity at the top of the scale: weak heat stays see-through.
  points.push([cut, look.opacity * 0.6], [fullScale, look.opacity]);
  return points;
}

/** (value, r, g, b) points of the colour function: a single hue, or the chosen colour scale. */
export function colourPoints(
  fullScale: number,
  look: HeatmapLook,
  hue: readonly [number, number, number],
): [number, number, number, number][] {
  if (look.colormap === 'by-finding') {
    const [r, g, b] = hue;
    return [
      [0, r * 0.7, g * 0.7, b * 0.7],
      [fullScale, r, g, b],
    ];
  }
  return COLORMAPS[look.colormap].map(([t, r, g, b]) => [t * fullScale, r, g, b]);
}

/** Colours and opacities of one layer's actor. */
export function applyLook(
  actor: HeatmapActor,
  fullScale: number,
  look: HeatmapLook,
  hue: readonly [number, number, number],
): void {
  const property = actor.getProperty();
  const ctf = vtkColorTransferFunction.newInstance();
  for (const [x, r, g, b] of colourPoints(fullScale, look, hue)) ctf.addRGBPoint(x, r, g, b);
  const pwf = vtkPiecewiseFunction.newInstance();
  for (const [x, y] of opacityPoints(fullScale, look)) pwf.addPoint(x, y);
  pwf.setClamping(true);
  property.setRGBTransferFunction(0, ctf);
  property.setScalarOpacity(0, pwf);
  property.setUseLookupTableScalarRange?.(true);
  property.setInterpolationTypeToLinear?.();
}
