/**
 * Colour scales for heatmaps over a greyscale radiograph. Each is a list of control points
 * [t, r, g, b] with t and the channels in [0, 1]; the same points feed the viewer's vtk colour
 * transfer function and the CLI's PNG writer, so both draw the same colours.
 */
export type ColormapName = 'jet' | 'turbo' | 'hot';

export const COLORMAPS: Record<ColormapName, ReadonlyArray<readonly [number, number, number, number]>> = {
  // The convention for CXR saliency (Chester, most CAM papers); never grey, so it stands out on the film.
  jet: [
    [0, 0, 0, 0.5],
    [0.125, 0, 0, 1],
    [0.375, 0, 1, 1],
    [0.625, 1, 1, 0],
    [0.875, 1, 0, 0],
    [1, 0.5, 0, 0],
  ],
  // Perceptually smoother than jet (Google's Turbo, sampled).
  turbo: [
    [0, 0.19, 0.07, 0.23],
    [0.125, 0.27, 0.37, 0.88],
    [0.25, 0.16, 0.67, 0.99],
    [0.375, 0.1, 0.9, 0.75],
    [0.5, 0.39, 0.99, 0.4],
    [0.625, 0.76, 0.94, 0.2],
    [0.75, 0.99, 0.71, 0.21],
    [0.875, 0.93, 0.37, 0.09],
    [1, 0.48, 0.02, 0.01],
  ],
  hot: [
    [0, 0.4, 0, 0],
    [0.4, 1, 0, 0],
    [0.8, 1, 1, 0],
    [1, 1, 1, 1],
  ],
};

/** Colour at t in [0, 1] as 0..255 RGB. */
export function colormapRgb(name: ColormapName, t: number): [number, number, number] {
  const points = COLORMAPS[name];
  const x = Math.min(1, Math.max(0, t));
  let i = 1;
  while (i < points.length - 1 && points[i][0] < x) i++;
  const [t0, r0, g0, b0] = points[i - 1];
  const [t1, r1, g1, b1] = points[i];
  const f = t1 > t0 ? (x - t0) / (t1 - t0) : 0;
  const mix = (a: number, b: number) => Math.round((a + (b - a) * f) * 255);
  return [mix(r0, r1), mix(g0, g1), mix(b0, b1)];
}
