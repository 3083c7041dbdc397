/**
 * A fixed, deterministic input for comparing backends: smooth structure plus fine detail, in the
 * value range real preprocessed radiographs have, so every layer sees realistic activations.
 */
export function fixedValidationInput(shape: readonly [number, number, number, number]): Float32Array {
  const [, channels, height, width] = shape;
  const data = new Float32Array(channels * height * width);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const u = x / width;
        const v = y / height;
        const smooth = Math.sin(3.1 * u + 1.7 * c) * Math.cos(2.3 * v);
        const detail = 0.3 * Math.sin(37 * u * v + c);
        data[(c * height + y) * width + x] = smooth + detail;
      }
    }
  }
  return data;
}
