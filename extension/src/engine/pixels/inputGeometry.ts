import type { InputGeometry } from '../types/Analysis';
import type { Preprocessing } from '../types/ModelManifest';

/** Python's round(): halves go to the even neighbour (torchvision's CenterCrop uses it). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction !== 0.5) return Math.round(x);
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * torchvision Resize(s) + CenterCrop([H, W]) as torchvision computes them: the shorter side becomes
 * s and the longer int(s * long / short), the crop offset is rounded to whole resized pixels. Back
 * in image pixels the crop keeps each axis's own scale.
 */
function resizeThenCenterCrop(
  rows: number,
  columns: number,
  shorterSide: number,
  gridHeight: number,
  gridWidth: number,
) {
  const rowsShorter = rows <= columns;
  const resizedRows = rowsShorter ? shorterSide : Math.floor((shorterSide * rows) / columns);
  const resizedColumns = rowsShorter ? Math.floor((shorterSide * columns) / rows) : shorterSide;
  const top = roundHalfEven((resizedRows - gridHeight) / 2);
  const left = roundHalfEven((resizedColumns - gridWidth) / 2);
  const rowScale = rows / resizedRows;
  const columnScale = columns / resizedColumns;
  return { x: left * columnScale, y: top * rowScale, width: gridWidth * columnScale, height: gridHeight * rowScale };
}

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
      // torchxrayvision's XRayCenterCrop: integer start x // 2 - size // 2.
      crop = {
        x: Math.floor(columns / 2) - Math.floor(shorter / 2),
        y: Math.floor(rows / 2) - Math.floor(shorter / 2),
        width: shorter,
        height: shorter,
      };
      break;
    case 'shorter-side-center-crop':
      crop = resizeThenCenterCrop(rows, columns, preprocessing.resize.shorterSide, gridHeight, gridWidth);
      break;
  }
  return { imageRows: rows, imageColumns: columns, crop, gridSize: [gridHeight, gridWidth] };
}
