import { HEATMAP_THRESHOLD_RANGE, displayHeatmapForFinding, type Heatmap } from '../engine';
import { resultWithCams } from './resultWithCams.fixture';
import { FakeStackViewport, fakeCornerstone, type FakeImage } from '../../../test/support/fakeOhif';
import type { RecordedFunction } from '../../../test/support/vtkTransferFunctionRecorder';
import { HeatmapLayers, LAYER_PREFIX, type HeatmapLayerRequest } from './HeatmapLayers';
import { indexToWorld } from './layerPlacement';

const A: FakeImage = {
  imageId: 'wadouri:/a.dcm',
  sopInstanceUid: '1.1',
  rows: 2,
  columns: 3,
  pixelData: new Uint8Array(6),
};
const B: FakeImage = { ...A, imageId: 'wadouri:/b.dcm', sopInstanceUid: '1.2' };

const map = (finding: string, peak: number): Heatmap => ({
  finding,
  rows: 2,
  columns: 3,
  data: Float32Array.from([0, 1, 2, 3, 4, peak]),
  fullScale: 10,
  max: peak,
});

describe('HeatmapLayers', () => {
  const images = new Map([A, B].map((i) => [i.imageId, i]));
  let cornerstone: ReturnType<typeof fakeCornerstone>;
  let viewport: FakeStackViewport;
  let layers: HeatmapLayers;
  let built: string[];

  const request = (wanted: string[], extra: Partial<HeatmapLayerRequest> = {}): HeatmapLayerRequest => ({
    viewport: viewport.asViewport(),
    baseImageId: A.imageId,
    imageKey: A.sopInstanceUid,
    wanted,
    heatmaps: () => {
      built.push(...wanted);
      return new Map(wanted.map((f, i) => [f, map(f, 5 + i)]));
    },
    look: { opacity: 0.5, threshold: 0.2, colormap: 'jet', style: 'fill' },
    label: 'DEMO MODEL heatmap',
    ...extra,
  });

  beforeEach(() => {
    cornerstone = fakeCornerstone(images);
    viewport = new FakeStackViewport('vp', images);
    viewport.showImage(A.imageId);
    layers = new HeatmapLayers(() => cornerstone);
    built = [];
  });

  it('adds one layer per wanted finding with the heat copied in, and a label', () => {
    layers.sync(request(['Mass', 'Nodule']));
    expect(layers.shown('vp')).toEqual(['Mass', 'Nodule']);
    expect(viewport.getActors().map((a) => a.uid)).toEqual([`${LAYER_PREFIX}Mass`, `${LAYER_PREFIX}Nodule`]);
    expect(viewport.element.labelText).toBe('DEMO MODEL heatmap');
    const opacity = viewport.getActors()[0].actor.property.opacity as RecordedFunction;
    // Transparent below 20% of the 10-logit scale, half opaque at the top.
    expect(opacity.points[0]).toEqual([0, 0]);
    expect(opacity.points.at(-1)).toEqual([10, 0.5]);
    expect(opacity.points.find(([, y]) => y > 0)?.[0]).toBeCloseTo(2);
  });

  it('clamps the threshold to the one shared range', () => {
    layers.sync(request(['Mass'], { look: { opacity: 1, threshold: 0.9999, colormap: 'hot', style: 'fill' } }));
    const opacity = viewport.getActors()[0].actor.property.opacity as RecordedFunction;
    expect(opacity.points.find(([, y]) => y > 0)?.[0]).toBeCloseTo(HEATMAP_THRESHOLD_RANGE.max * 10);
  });

  it('builds maps only for missing layers and removes the ones no longer wanted', () => {
    layers.sync(request(['Mass']));
    layers.sync(request(['Mass']));
    expect(built).toEqual(['Mass']);
    layers.sync(request([]));
    expect(viewport.getActors()).toEqual([]);
    expect(cornerstone.cached.size).toBe(0);
    expect(viewport.element.labelText).toBeUndefined();
  });

  it('re-adds a layer Cornerstone dropped from the scene', () => {
    layers.sync(request(['Mass']));
    viewport.removeActors([`${LAYER_PREFIX}Mass`]);
    layers.sync(request(['Mass']));
    expect(viewport.getActors().map((a) => a.uid)).toEqual([`${LAYER_PREFIX}Mass`]);
  });

  it('draws nothing, and clears what was there, when the viewport shows another image', () => {
    layers.sync(request(['Mass']));
    viewport.showImage(B.imageId);
    layers.sync(request(['Mass']));
    expect(viewport.getActors()).toEqual([]);
    expect(layers.shown('vp')).toEqual([]);
    expect(cornerstone.cached.size).toBe(0);
  });

  it('takes a layer off the very viewport object it was added to when OHIF replaces it under the same id', () => {
    layers.sync(request(['Mass']));
    const replaced = viewport;
    viewport = new FakeStackViewport('vp', images);
    viewport.showImage(A.imageId);
    layers.sync(request(['Mass']));
    expect(replaced.getActors()).toEqual([]);
    expect(viewport.getActors().map((a) => a.uid)).toEqual([`${LAYER_PREFIX}Mass`]);
    // Gone with the viewport: forgetting the id still empties the object the layer lives on.
    layers.forget('vp');
    expect(viewport.getActors()).toEqual([]);
    expect(cornerstone.cached.size).toBe(0);
  });

  it("adds a small map as an image of the map's own size, registered over its region of the film", () => {
    // A 300 x 200 film (rows x columns) with non-square pixels, offset, and the engine's map of it.
    const film: FakeImage = { ...A, imageId: 'wadouri:/film.dcm', rows: 300, columns: 200 };
    images.set(film.imageId, film);
    viewport.showImage(film.imageId);
    const plane = { origin: [10, -4, 2], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1], spacing: [0.2, 0.3, 1] };
    const metadata = cornerstone.utilities.getImageDataMetadata as (image: { imageId: string }) => object;
    cornerstone.utilities.getImageDataMetadata = ((image: { imageId: string }) => ({
      ...metadata(image),
      ...plane,
    })) as never;
    const created: { imageId: string; options: Record<string, unknown> }[] = [];
    const create = cornerstone.imageLoader.createAndCacheLocalImage;
    cornerstone.imageLoader.createAndCacheLocalImage = ((imageId: string, options: Record<string, unknown>) => {
      created.push({ imageId, options });
      return create(imageId, options as never);
    }) as never;
    let seed = 5;
    const cams = Float32Array.from({ length: 49 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.1);
    const heatmap = displayHeatmapForFinding(resultWithCams(cams, 1), 0);
    layers.sync(request(['F0'], { baseImageId: film.imageId, heatmaps: () => new Map([['F0', heatmap]]) }));

    expect(created).toHaveLength(1);
    const { options } = created[0];
    // The heat itself, not a copy and not a film-sized image: within the 2 MiB a shown map may take.
    expect(options.scalarData).toBe(heatmap.data);
    expect(options.dimensions).toEqual([heatmap.columns, heatmap.rows]);
    expect(heatmap.data.byteLength).toBeLessThanOrEqual(2 * 1024 * 1024);
    // Its plane: map sample (u, v) centred where the film's pixels of its share of the region centre.
    const layerPlane = {
      origin: options.origin as number[],
      direction: options.direction as number[],
      spacing: options.spacing as number[],
    };
    const region = heatmap.imageRegion!;
    const filmAt = (x: number, y: number) => indexToWorld(plane, [x - 0.5, y - 0.5]);
    const [columns, rows] = [heatmap.columns, heatmap.rows];
    for (const [u, v] of [
      [0, 0],
      [columns - 1, rows - 1],
      [columns - 1, 0],
      [0, rows - 1],
      [(columns - 1) / 2, (rows - 1) / 2],
    ]) {
      const expected = filmAt(
        region.x + ((u + 0.5) * region.width) / columns,
        region.y + ((v + 0.5) * region.height) / rows,
      );
      const placed = indexToWorld(layerPlane, [u, v]);
      for (let k = 0; k < 3; k++) expect(placed[k]).toBeCloseTo(expected[k], 9);
    }
    expect(layers.placements('vp').get('F0')?.dimensions).toEqual([columns, rows]);
    // Cornerstone's addImages reads the layer's modality: it is the film's.
    const provider = cornerstone.utilities.genericMetadataProvider;
    expect(provider.get('generalSeriesModule', created[0].imageId)).toEqual({ modality: 'DX' });
    layers.sync(request([], { baseImageId: film.imageId }));
    expect(cornerstone.cached.size).toBe(0);
  });

  it('refuses a map on the image grid whose size is not the image size', () => {
    const wrong = { ...map('Mass', 5), rows: 1, columns: 2, data: new Float32Array(2) };
    expect(() => layers.sync(request(['Mass'], { heatmaps: () => new Map([['Mass', wrong]]) }))).toThrow(
      /does not match/,
    );
    expect(cornerstone.cached.size).toBe(0);
  });
});
