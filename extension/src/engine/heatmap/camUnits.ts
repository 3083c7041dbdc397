/**
 * The graph's CAMs are classic Grad-CAM, ReLU(sum_k w_ck A_k) / (h w): the 1/(h w) is the spatial
 * mean in alpha. The engine shows heat in logit units (what a location adds to the logit before
 * averaging, models/README.md), so every CAM value is multiplied by the number of cells, h w.
 */
export function logitScaleOfCams(shape: readonly number[]): number {
  if (shape.length !== 4) throw new RangeError(`CAMs have shape [1, F, h, w], not [${shape.join(', ')}].`);
  const [, , rows, columns] = shape;
  return rows * columns;
}

/** CAM values as the model gives them, converted to logit units. */
export function camsToLogits(cams: ArrayLike<number>, shape: readonly number[]): Float32Array {
  const scale = logitScaleOfCams(shape);
  return Float32Array.from(cams, (value) => value * scale);
}
