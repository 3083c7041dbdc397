import { gridToImage, imageToGrid, inputGeometry } from './inputGeometry';
import { resampleRegion } from './resampleRegion';

const pre = (resize: Parameters<typeof inputGeometry>[2]['resize']) => ({
  outputSize: [224, 224] as [number, number],
  resize,
  intensity: { kind: 'range' as const, min: 0, max: 1 },
});

describe('input geometry', () => {
  it('places the crop of each resize policy', () => {
    expect(inputGeometry(1000, 800, pre({ kind: 'stretch' })).crop).toEqual({ x: 0, y: 0, width: 800, height: 1000 });
    expect(inputGeometry(1000, 800, pre({ kind: 'center-square' })).crop).toEqual({ x: 0, y: 100, width: 800, height: 800 });
    // Shorter side 800 -> 256, central 224: 700 image pixels, centred.
    expect(inputGeometry(1000, 800, pre({ kind: 'shorter-side-center-crop', shorterSide: 256 })).crop).toEqual({
      x: 50,
      y: 150,
      width: 700,
      height: 700,
    });
  });

  it('maps grid and image coordinates both ways exactly', () => {
    const geometry = inputGeometry(1955, 1841, pre({ kind: 'shorter-side-center-crop', shorterSide: 256 }));
    for (const [x, y] of [[0, 0], [120.5, 1700], [1840, 977]]) {
      const { u, v } = imageToGrid(geometry, x, y);
      const back = gridToImage(geometry, u, v);
      expect(back.x).toBeCloseTo(x, 9);
      expect(back.y).toBeCloseTo(y, 9);
    }
    // The centre of the image is the centre of the grid.
    const centre = imageToGrid(geometry, 1841 / 2 - 0.5, 1955 / 2 - 0.5);
    expect(centre.u).toBeCloseTo(111.5, 9);
    expect(centre.v).toBeCloseTo(111.5, 9);
  });
});

describe('resampling', () => {
  const ramp = (rows: number, columns: number) => Float32Array.from({ length: rows * columns }, (_, i) => (i % columns) + 0.5);

  it('keeps a linear ramp linear when shrinking (away from the edges)', () => {
    const out = resampleRegion(ramp(40, 400), 40, 400, { x: 0, y: 0, width: 400, height: 40 }, 4, 40);
    // Output pixel o covers source [10o, 10o + 10): its mean is 10o + 5.
    for (let o = 2; o < 38; o++) expect(out[o]).toBeCloseTo(10 * o + 5, 3);
  });

  it('averages fine detail instead of aliasing it', () => {
    const checker = Float32Array.from({ length: 512 * 512 }, (_, i) => ((i % 512) + Math.floor(i / 512)) % 2);
    const out = resampleRegion(checker, 512, 512, { x: 0, y: 0, width: 512, height: 512 }, 224, 224);
    expect(Math.max(...out.map((v) => Math.abs(v - 0.5)))).toBeLessThan(0.06);
  });

  it('interpolates when enlarging and reads only the crop', () => {
    const image = Float32Array.from({ length: 100 }, (_, i) => ((i % 10) < 5 ? 0 : 1));
    const left = resampleRegion(image, 10, 10, { x: 0, y: 0, width: 5, height: 10 }, 10, 10);
    expect(Math.max(...left.slice(0, 8))).toBeLessThan(0.2);
  });
});
