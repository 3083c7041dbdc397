import { resultWithCams } from './resultWithCams.fixture';
import { colormapRgb } from './colormaps';
import { allHeatmaps, heatmapForFinding } from './heatmapForFinding';

describe('heatmaps in image space', () => {
  it('undoes the crop: a hot CAM cell lands on the image region the model saw there', () => {
    const cams = new Float32Array(2 * 49);
    cams[49 + 2 * 7 + 5] = 1; // finding 1, cell row 2, column 5
    const heatmap = heatmapForFinding(resultWithCams(cams, 2), 1);
    expect([heatmap.rows, heatmap.columns, heatmap.finding]).toEqual([300, 200, 'F1']);
    // The square crop spans rows 50..250; cell (2, 5) is centred at x = (5.5/7)*200, y = 50 + (2.5/7)*200.
    let best = 0;
    for (let i = 1; i < heatmap.data.length; i++) if (heatmap.data[i] > heatmap.data[best]) best = i;
    const [x, y] = [best % 200, Math.floor(best / 200)];
    expect(Math.abs(x + 0.5 - (5.5 / 7) * 200)).toBeLessThanOrEqual(1);
    expect(Math.abs(y + 0.5 - (50 + (2.5 / 7) * 200))).toBeLessThanOrEqual(1);
    // In logit units: the CAM value times h*w.
    expect(heatmap.max).toBeGreaterThan(47);
    expect(heatmap.max).toBeLessThanOrEqual(49 + 1e-4);
    // Outside the crop the model saw nothing: no heat.
    expect(heatmap.data[10 * 200 + 190]).toBe(0);
    expect(heatmap.data[290 * 200 + 100]).toBe(0);
  });

  it('keeps a uniform CAM uniform and separates findings', () => {
    const cams = new Float32Array(2 * 49);
    cams.fill(0.1, 0, 49);
    const [first, second] = allHeatmaps(resultWithCams(cams, 2));
    const inside = first.data.slice(60 * 200, 240 * 200);
    expect(Math.min(...inside)).toBeCloseTo(4.9, 4);
    expect(Math.max(...inside)).toBeCloseTo(4.9, 4);
    expect(second.max).toBe(0);
    expect(first.fullScale).toBe(5);
  });

  it('places every pixel exactly: CAM cell centres at (j + 0.5) / 7 of the crop, bilinear between', () => {
    const cams = new Float32Array(49).map((_, i) => i % 7); // value j in column j
    const result = resultWithCams(cams, 1);
    const { crop } = result.geometry;
    const { data } = heatmapForFinding(result, 0);
    const row = 150;
    for (let x = 0; x < 200; x++) {
      const camCoordinate = ((x + 0.5 - crop.x) / crop.width) * 7 - 0.5;
      const expected = 49 * Math.min(6, Math.max(0, camCoordinate));
      expect(data[row * 200 + x]).toBeCloseTo(expected, 4);
    }
    // Rows outside the square crop (rows 50..250) get no heat; the first and last rows inside do.
    expect(data[49 * 200 + 100]).toBe(0);
    expect(data[50 * 200 + 100]).toBeGreaterThan(0);
    expect(data[249 * 200 + 100]).toBeGreaterThan(0);
    expect(data[250 * 200 + 100]).toBe(0);
  });

  it('interpolates smoothly between cells', () => {
    const cams = new Float32Array(49).map((_, i) => i % 7); // ramps left to right
    const { data } = heatmapForFinding(resultWithCams(cams, 1), 0);
    const row = data.slice(150 * 200, 151 * 200);
    for (let x = 20; x < 180; x++) expect(row[x + 1]).toBeGreaterThanOrEqual(row[x] - 1e-4);
  });

  it('refuses a finding the model does not have', () => {
    expect(() => heatmapForFinding(resultWithCams(new Float32Array(49), 1), 3)).toThrow(RangeError);
  });
});

describe('colormaps', () => {
  it('runs from cold to hot', () => {
    expect(colormapRgb('jet', 0)).toEqual([0, 0, 128]);
    expect(colormapRgb('jet', 1)).toEqual([128, 0, 0]);
    expect(colormapRgb('jet', 0.5)).toEqual([128, 255, 128]);
  });
});
