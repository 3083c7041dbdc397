import { resultWithCams } from './resultWithCams.fixture';
import { displayHeatmapForFinding, heatmapValueAt, allDisplayHeatmaps } from './displayHeatmap';
import { smoothHeatmapForFinding } from './smoothHeatmap';

describe('displayHeatmapForFinding (the small map the viewer draws)', () => {
  let seed = 11;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.1;
  const result = resultWithCams(Float32Array.from({ length: 2 * 49 }, random), 2);
  const coarse = displayHeatmapForFinding(result, 0);
  const smooth = smoothHeatmapForFinding(result, 0);
  const { crop } = result.geometry;

  it('tiles the model crop with a whole number of samples per CAM cell, in the same units', () => {
    expect(coarse.imageRegion).toEqual(crop);
    expect(coarse.rows % 7).toBe(0);
    expect(coarse.columns % 7).toBe(0);
    expect(coarse.data).toHaveLength(coarse.rows * coarse.columns);
    // The 200-pixel crop has fewer pixels than 7 x 32 samples: no more samples than pixels per cell.
    expect(coarse.columns).toBeLessThanOrEqual(7 * Math.ceil(crop.width / 7));
    expect([coarse.finding, coarse.fullScale]).toEqual(['F0', smooth.fullScale]);
  });

  it('equals the full-resolution smooth map wherever a sample centre sits on a pixel centre', () => {
    // Sample s is centred at crop.x + (s + 0.5) * crop.width / columns; where that is k + 0.5 the
    // image pixel k has the very same Catmull-Rom value. A 672-pixel crop: 3 pixels per sample.
    const wide = { ...result, geometry: { ...result.geometry, imageRows: 700, imageColumns: 672 } };
    wide.geometry.crop = { x: 0, y: 14, width: 672, height: 672 };
    const coarse = displayHeatmapForFinding(wide, 0);
    const smooth = smoothHeatmapForFinding(wide, 0);
    const { crop } = wide.geometry;
    expect([coarse.rows, coarse.columns]).toEqual([224, 224]);
    let compared = 0;
    let worst = 0;
    for (let s = 0; s < coarse.columns; s++) {
      const x = crop.x + ((s + 0.5) * crop.width) / coarse.columns - 0.5;
      if (Math.abs(x - Math.round(x)) > 1e-9) continue;
      for (let r = 0; r < coarse.rows; r++) {
        const y = crop.y + ((r + 0.5) * crop.height) / coarse.rows - 0.5;
        if (Math.abs(y - Math.round(y)) > 1e-9) continue;
        const full = smooth.data[Math.round(y) * smooth.columns + Math.round(x)];
        worst = Math.max(worst, Math.abs(coarse.data[r * coarse.columns + s] - full));
        compared++;
      }
    }
    expect(compared).toBe(224 * 224);
    expect(worst).toBeLessThan(1e-5);
  });

  it('drawn with linear interpolation, stays within 1% of full scale of the smooth map everywhere in the crop', () => {
    let worst = 0;
    for (let y = Math.ceil(crop.y); y < crop.y + crop.height; y += 3) {
      for (let x = Math.ceil(crop.x); x < crop.x + crop.width; x += 3) {
        const drawn = heatmapValueAt(coarse, x + 0.5, y + 0.5);
        worst = Math.max(worst, Math.abs((drawn ?? NaN) - smooth.data[y * smooth.columns + x]));
      }
    }
    expect(worst).toBeLessThan(0.01 * 49 * 0.1);
  });

  it('records its largest sample and the image pixel under it, and nothing outside the crop', () => {
    let best = 0;
    for (let i = 1; i < coarse.data.length; i++) if (coarse.data[i] > coarse.data[best]) best = i;
    expect(coarse.max).toBe(coarse.data[best]);
    const [column, row] = [best % coarse.columns, Math.floor(best / coarse.columns)];
    expect(coarse.peak).toEqual({
      row: Math.floor(crop.y + ((row + 0.5) * crop.height) / coarse.rows),
      column: Math.floor(crop.x + ((column + 0.5) * crop.width) / coarse.columns),
    });
    expect(smooth.max - coarse.max).toBeLessThan(0.01 * smooth.max);
    expect(smooth.max).toBeGreaterThanOrEqual(coarse.max - 1e-5);
    expect(heatmapValueAt(coarse, 100, crop.y - 1)).toBeUndefined();
    expect(allDisplayHeatmaps(result).map((m) => m.finding)).toEqual(['F0', 'F1']);
  });

  it('keeps a large image small: 7 x 32 samples per axis on a 1955 x 1841 film', () => {
    const big = { ...result, geometry: { ...result.geometry, imageRows: 1955, imageColumns: 1841 } };
    big.geometry.crop = { x: 0, y: 57, width: 1841, height: 1841 };
    const map = displayHeatmapForFinding(big, 1);
    expect([map.rows, map.columns]).toEqual([224, 224]);
    expect(map.data.byteLength).toBeLessThanOrEqual(256 * 1024);
  });
});
