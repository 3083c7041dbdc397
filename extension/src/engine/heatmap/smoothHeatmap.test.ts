import { resultWithCams } from './resultWithCams.fixture';
import { heatmapForFinding } from './heatmapForFinding';
import { smoothHeatmapForFinding } from './smoothHeatmap';

const result = (cams: Float32Array) => resultWithCams(cams, 1);

describe('smoothHeatmapForFinding', () => {
  let seed = 3;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.1;
  const cams = Float32Array.from({ length: 49 }, random);
  const smooth = smoothHeatmapForFinding(result(cams), 0);
  const bilinear = heatmapForFinding(result(cams), 0);

  it('has the registration of the bilinear map: equal where a pixel sits on a cell centre, zero outside the crop', () => {
    // The 200-pixel square crop starts at row 50; cell (r, c) is centred at x = (c + 0.5) * 200/7.
    for (const [r, c] of [
      [1, 1],
      [3, 4],
      [5, 2],
    ]) {
      const x = (c + 0.5) * (200 / 7) - 0.5;
      const y = 50 + (r + 0.5) * (200 / 7) - 0.5;
      // Pixel centres fall near but not on cell centres: compare the interpolants there.
      const at = Math.round(y) * 200 + Math.round(x);
      expect(Math.abs(smooth.data[at] - bilinear.data[at])).toBeLessThan(0.05 * 49 * 0.1);
    }
    expect(smooth.data[10 * 200 + 100]).toBe(0);
    expect([smooth.rows, smooth.columns, smooth.fullScale]).toEqual([300, 200, 5]);
  });

  it('is never negative and records where its peak is', () => {
    expect(smooth.data.every((v) => v >= 0)).toBe(true);
    const { row, column } = smooth.peak!;
    expect(smooth.data[row * 200 + column]).toBe(smooth.max);
  });

  it('is smoother than bilinear: no slope jumps at the cell boundaries', () => {
    // Largest change of slope along one row through the crop.
    const row = 150 * 200;
    const kink = (d: Float32Array) => {
      let worst = 0;
      for (let x = 2; x < 198; x++) worst = Math.max(worst, Math.abs(d[row + x + 1] - 2 * d[row + x] + d[row + x - 1]));
      return worst;
    };
    expect(kink(smooth.data)).toBeLessThan(kink(bilinear.data));
  });
});
