/**
 * The CLI's heatmap PNG: the film with the map, unchanged, above a caption band whose text (name,
 * score, cut-off, legend numbers, DEMO or not-a-diagnosis label) is really drawn, by resvg with the
 * DejaVu fonts loaded by path.
 */
import { PNG } from 'pngjs';
import { heatmapFileName } from '../../extension/src/cli/commands/predict';
import {
  findingDisplayName,
  heatmapOverlayPng,
  heatmapPng,
  type HeatmapPngLabel,
} from '../../extension/src/cli/heatmapPng';
import type { Heatmap } from '../../extension/src/engine';

const SIZE = 256;
const LOOK = { colormap: 'jet' as const, threshold: 0.6, opacity: 0.5 };
const LABEL: HeatmapPngLabel = { title: 'Pleural thickening', probability: 0.42, cutoff: 0.35, demo: true };

function film(): { display: Float32Array; heatmap: Heatmap } {
  const display = new Float32Array(SIZE * SIZE);
  const data = new Float32Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      display[y * SIZE + x] = 0.2 + (0.6 * x) / SIZE;
      data[y * SIZE + x] = 4 * Math.exp(-((x - 80) ** 2 + (y - 100) ** 2) / 2000);
    }
  }
  return { display, heatmap: { finding: 'Pleural_Thickening', rows: SIZE, columns: SIZE, data, fullScale: 4, max: 4 } };
}

/** Pixels of the band (rows from `SIZE`) that are not the band's background. */
function inkInBand(png: PNG): number {
  let ink = 0;
  for (let i = SIZE * png.width; i < png.width * png.height; i++) {
    const [r, g, b] = png.data.subarray(4 * i, 4 * i + 3);
    if (Math.abs(r - 17) + Math.abs(g - 17) + Math.abs(b - 17) > 30) ink++;
  }
  return ink;
}

describe('heatmap PNG', () => {
  const { display, heatmap } = film();
  const plain = PNG.sync.read(heatmapOverlayPng(display, heatmap, LOOK));
  const demo = PNG.sync.read(heatmapPng(display, heatmap, LOOK, LABEL));

  it('keeps the film and map as they are above a caption band', () => {
    expect(demo.width).toBe(SIZE);
    expect(demo.height).toBeGreaterThan(SIZE + 60);
    let diff = 0;
    for (let i = 0; i < SIZE * SIZE * 4; i++) diff += Math.abs(demo.data[i] - plain.data[i]);
    expect(diff / (SIZE * SIZE * 4)).toBeLessThan(1);
  });

  it('draws text and the legend in the band, different for demo and real models', () => {
    // The band holds far more than a blank bar: glyphs of four lines and the colour scale.
    expect(inkInBand(demo)).toBeGreaterThan(2000);
    const real = PNG.sync.read(heatmapPng(display, heatmap, LOOK, { ...LABEL, demo: false }));
    let differs = 0;
    for (let i = SIZE * SIZE * 4; i < demo.data.length; i++) if (demo.data[i] !== real.data[i]) differs++;
    expect(differs).toBeGreaterThan(500);
    // Another finding's name and score change the text too.
    const other = PNG.sync.read(heatmapPng(display, heatmap, LOOK, { ...LABEL, title: 'Cardiomegaly' }));
    expect(Buffer.compare(other.data, demo.data)).not.toBe(0);
  });

  it('renders the same bytes twice (fonts by path, no system lookup)', () => {
    expect(heatmapPng(display, heatmap, LOOK, LABEL).equals(heatmapPng(display, heatmap, LOOK, LABEL))).toBe(true);
  });

  it('names files after the image and the finding, and shows display names', () => {
    expect(heatmapFileName('/data/a b/00000001_000.dcm', 'Pleural_Thickening')).toBe(
      '00000001_000__Pleural_Thickening.png',
    );
    expect(heatmapFileName('x/film 1.png', 'Mass')).toBe('film_1__Mass.png');
    expect(findingDisplayName('Pleural_Thickening')).toBe('Pleural Thickening');
    expect(findingDisplayName('Pleural_Thickening', 'Pleural thickening')).toBe('Pleural thickening');
  });
});
