import type { Heatmap } from '../engine';
import { indexToWorld, layerPlacement, type ImagePlane } from './layerPlacement';

/** A 1841 x 1955 film with non-square pixels, rotated in its plane and offset, as a CR can be. */
const c = Math.cos(0.3);
const s = Math.sin(0.3);
const base: ImagePlane = {
  origin: [-120.5, 40.25, 7],
  direction: [c, s, 0, -s, c, 0, 0, 0, 1],
  spacing: [0.139, 0.143, 1],
  dimensions: [1841, 1955, 1],
};

const map = (region: Heatmap['imageRegion'], rows = 224, columns = 224): Heatmap => ({
  finding: 'Mass',
  rows,
  columns,
  imageRegion: region,
  data: new Float32Array(rows * columns),
  fullScale: 4,
  max: 0,
});

/** World point of a continuous image pixel coordinate (pixel centres at integer + 0.5). */
const imagePoint = (x: number, y: number) => indexToWorld(base, [x - 0.5, y - 0.5]);

function expectSamePoint(a: number[], b: number[]) {
  for (let k = 0; k < 3; k++) expect(a[k]).toBeCloseTo(b[k], 9);
}

describe('layerPlacement', () => {
  const region = { x: 0, y: 57, width: 1841, height: 1841 };
  const heatmap = map(region);
  const placed = layerPlacement(base, heatmap);

  it("puts each map sample's centre where the image pixels of its share of the region centre", () => {
    const step = region.width / 224;
    // First sample, last sample, a middle one, and the opposite corners.
    for (const [u, v] of [
      [0, 0],
      [223, 223],
      [111, 60],
      [223, 0],
      [0, 223],
    ]) {
      const atSample = indexToWorld(placed, [u, v]);
      expectSamePoint(atSample, imagePoint(region.x + (u + 0.5) * step, region.y + (v + 0.5) * step));
    }
    expect(placed.dimensions).toEqual([224, 224]);
  });

  it("covers the region edge to edge: the grid's outer edges are the region's", () => {
    // A renderer draws an image from index -0.5 to n - 0.5 (pixel edges).
    expectSamePoint(indexToWorld(placed, [-0.5, -0.5]), imagePoint(region.x, region.y));
    expectSamePoint(
      indexToWorld(placed, [223.5, 223.5]),
      imagePoint(region.x + region.width, region.y + region.height),
    );
    // The centre of the map is the centre of the region.
    expectSamePoint(indexToWorld(placed, [111.5, 111.5]), imagePoint(region.x + 920.5, region.y + 920.5));
  });

  it("keeps the image's orientation and each axis's own pixel spacing", () => {
    expect(placed.direction).toEqual(Array.from(base.direction));
    expect(placed.spacing[0]).toBeCloseTo((0.139 * 1841) / 224, 12);
    expect(placed.spacing[1]).toBeCloseTo((0.143 * 1841) / 224, 12);
  });

  it('places a map on the image grid exactly on the image, and refuses one of another size', () => {
    const full = { ...map(undefined, 1955, 1841) };
    const onImage = layerPlacement(base, full);
    expectSamePoint(onImage.origin, Array.from(base.origin));
    expect(onImage.spacing).toEqual([0.139, 0.143]);
    expect(() => layerPlacement(base, map(undefined, 2, 3))).toThrow(/does not match/);
    expect(() => layerPlacement(base, { ...heatmap, data: new Float32Array(5) })).toThrow(/values/);
  });
});
