import type { InputGeometry } from '../types/Analysis';
import type { Preprocessing } from '../types/ModelManifest';

/** The region of the image (continuous pixel coordinates) that the resize policy maps onto the model grid. */
export function inputGeometry(rows: number, columns: number, preprocessing: Preprocessing): InputGeometry {
  const [gridHeight, gridWidth] = preprocessing.outputSize;
  const shorter = Math.min(rows, columns);
  let crop: InputGeometry['crop'];
  switch (preprocessing.resize.kind) {
    case 'stretch':
      crop = { x: 0, y: 0, width: columns, height: rows };
      break;
    case 'center-square':
      crop = { x: (columns - shorter) / 2, y: (rows - shorter) / 2, width: shorter, height: shorter };
      break;
    case 'shorter-side-center-crop': {
      // Resized image has shorter side `shorterSide`; the central grid-sized crop of it, back in image pixels.
      const imagePixelsPerResized = shorter / preprocessing.resize.shorterSide;
      const width = gridWidth * imagePixelsPerResized;
      const height = gridHeight * imagePixelsPerResized;
      crop = { x: (columns - width) / 2, y: (rows - height) / 2, width, height };
      break;
    }
  }
  return { imageRows: rows, imageColumns: columns, crop, gridSize: [gridHeight, gridWidth] };
}

/** Image pixel-centre coordinate -> model grid coordinate (grid cell centres at integers). */
export function imageToGrid(geometry: InputGeometry, x: number, y: number): { u: number; v: number } {
  const { crop, gridSize } = geometry;
  return {
    u: ((x + 0.5 - crop.x) * gridSize[1]) / crop.width - 0.5,
    v: ((y + 0.5 - crop.y) * gridSize[0]) / crop.height - 0.5,
  };
}

/** Model grid coordinate -> image pixel-centre coordinate; the inverse of imageToGrid. */
export function gridToImage(geometry: InputGeometry, u: number, v: number): { x: number; y: number } {
  const { crop, gridSize } = geometry;
  return {
    x: crop.x + ((u + 0.5) * crop.width) / gridSize[1] - 0.5,
    y: crop.y + ((v + 0.5) * crop.height) / gridSize[0] - 0.5,
  };
}
