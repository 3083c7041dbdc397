import { regionOfHeatmap, type Heatmap } from '../engine';

type Vec3 = [number, number, number];

/**
 * An image's plane as Cornerstone builds its vtkImageData (`utilities.getImageDataMetadata`):
 * world = origin + i * spacing[0] * row + j * spacing[1] * column, for pixel index (i, j) = (column,
 * row) with pixel centres at integers.
 */
export interface ImagePlane {
  origin: ArrayLike<number>;
  /** Row cosines, column cosines, normal (9 numbers). */
  direction: ArrayLike<number>;
  /** Between columns (x), between rows (y), ... */
  spacing: ArrayLike<number>;
  /** Columns, rows, ... */
  dimensions: ArrayLike<number>;
}

/** Where a layer image goes: the plane of the map's own grid, in the base image's world. */
export interface LayerPlacement {
  origin: Vec3;
  direction: number[];
  /** Between map columns, between map rows. */
  spacing: [number, number];
  /** Map columns, map rows. */
  dimensions: [number, number];
}

/**
 * The plane of a heatmap's grid on the base image: its rows x columns tile `imageRegion` edge to
 * edge, so map sample (u, v) is centred at image pixel coordinate (x + (u + 0.5) w / columns,
 * y + (v + 0.5) h / rows), on the base's index grid that minus 0.5. A map without `imageRegion` is
 * on the image's own grid and must have its size (it is then placed exactly on the image).
 */
export function layerPlacement(base: ImagePlane, heatmap: Heatmap): LayerPlacement {
  const imageColumns = base.dimensions[0];
  const imageRows = base.dimensions[1];
  if (heatmap.data.length !== heatmap.rows * heatmap.columns) {
    throw new Error(`Heatmap data has ${heatmap.data.length} values, not ${heatmap.columns}x${heatmap.rows}.`);
  }
  if (!heatmap.imageRegion && (heatmap.rows !== imageRows || heatmap.columns !== imageColumns)) {
    throw new Error(`Heatmap size ${heatmap.columns}x${heatmap.rows} does not match the image.`);
  }
  const region = regionOfHeatmap(heatmap);
  const stepX = region.width / heatmap.columns;
  const stepY = region.height / heatmap.rows;
  const first: [number, number] = [region.x + stepX / 2 - 0.5, region.y + stepY / 2 - 0.5];
  return {
    origin: indexToWorld(base, first),
    direction: Array.from(base.direction),
    spacing: [base.spacing[0] * stepX, base.spacing[1] * stepY],
    dimensions: [heatmap.columns, heatmap.rows],
  };
}

/** World point of a continuous pixel index (column, row) of a plane. */
export function indexToWorld(plane: Pick<ImagePlane, 'origin' | 'direction' | 'spacing'>, [i, j]: readonly number[]) {
  const { origin, direction: d, spacing } = plane;
  return [0, 1, 2].map((k) => origin[k] + i * spacing[0] * d[k] + j * spacing[1] * d[3 + k]) as Vec3;
}
