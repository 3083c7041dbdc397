import { inputGeometry } from './inputGeometry';
import { resampleRegion } from './resampleRegion';

const pre = (resize: Parameters<typeof inputGeometry>[2]['resize']) => ({
  outputSize: [224, 224] as [number, number],
  resize,
  intensity: { kind: 'range' as const, min: 0, max: 1 },
});

describe('input geometry', () => {
  it('places the crop of each resize policy', () => {
    expect(inputGeometry(1000, 800, pre({ kind: 'stretch' })).crop).toEqual({ x: 0, y: 0, width: 800, height: 1000 });
    expect(inputGeometry(1000, 800, pre({ kind: 'center-square' })).crop).toEqual({
      x: 0,
      y: 100,
      width: 800,
      height: 800,
    });
    // Shorter side 800 -> 256, central 224: 700 image pixels, centred.
    expect(inputGeometry(1000, 800, pre({ kind: 'shorter-side-center-crop', shorterSide: 256 })).crop).toEqual({
      x: 50,
      y: 150,
      width: 700,
      height: 700,
    });
  });

  it('follows torchvision: integer resized size, crop offset rounded half to even', () => {
    // 1955 x 1841 (rows x columns): shorter side 1841 -> 256, longer int(256 * 1955 / 1841) = 271;
    // offsets round((271 - 224) / 2) = 24 (23.5 rounds to even) and round((256 - 224) / 2) = 16.
    const { crop } = inputGeometry(1955, 1841, pre({ kind: 'shorter-side-center-crop', shorterSide: 256 }));
    expect(crop.y).toBeCloseTo((24 * 1955) / 271, 9);
    expect(crop.height).toBeCloseTo((224 * 1955) / 271, 9);
    expect(crop.x).toBeCloseTo((16 * 1841) / 256, 9);
    expect(crop.width).toBeCloseTo((224 * 1841) / 256, 9);
    // torchxrayvision's centre crop starts at x // 2 - size // 2, whole pixels.
    expect(inputGeometry(1000, 801, pre({ kind: 'center-square' })).crop).toEqual({
      x: 0,
      y: 100,
      width: 801,
      height: 801,
    });
  });
});

describe('resampling', () => {
  const ramp = (rows: number, columns: number) =>
    Float32Array.from({ length: rows * columns }, (_, i) => (i % columns) + 0.5);

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
    const image = Float32Array.from({ length: 100 }, (_, i) => (i % 10 < 5 ? 0 : 1));
    const left = resampleRegion(image, 10, 10, { x: 0, y: 0, width: 5, height: 10 }, 10, 10);
    expect(Math.max(...left.slice(0, 8))).toBeLessThan(0.2);
  });
});
