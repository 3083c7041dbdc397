import { HEATMAP_THRESHOLD_RANGE, displayHeatmapForFinding, type Heatmap } from '../engine';
import { resultWithCams } from './resultWithCams.fixture';
import { FakeStackViewport, fakeCornerstone, type FakeImage } from '../../../test/support/fakeOhif';
import { HeatmapDrawer } from './HeatmapDrawer';

describe('HeatmapDrawer settings', () => {
  const drawer = () =>
    new HeatmapDrawer(() => fakeCornerstone(new Map()), {
      opacity: 0.5,
      threshold: 0.2,
      colormap: 'jet',
      style: 'fill',
    });

  it('toggles findings in the order they were turned on', () => {
    const d = drawer();
    d.setVisible('Mass');
    d.setVisible('Nodule');
    d.setVisible('Mass', true);
    expect(d.settings.visible).toEqual(['Mass', 'Nodule']);
    d.setVisible('Mass');
    expect(d.settings.visible).toEqual(['Nodule']);
    d.hideAll();
    expect(d.settings.visible).toEqual([]);
  });

  it('keeps the look within its bounds and ignores unknown colour maps', () => {
    const d = drawer();
    d.setLook({ opacity: 3, threshold: 2, colormap: 'rainbow' as never });
    expect(d.settings).toMatchObject({
      opacity: 1,
      threshold: HEATMAP_THRESHOLD_RANGE.max,
      colormap: 'jet',
      style: 'fill',
    });
    d.setLook({ opacity: -1, threshold: -1, colormap: 'turbo' });
    expect(d.settings).toMatchObject({ opacity: 0, threshold: 0, colormap: 'turbo' });
  });
});

describe('HeatmapDrawer maps', () => {
  const image: FakeImage = {
    imageId: 'wadouri:/f.dcm',
    sopInstanceUid: '1.9',
    rows: 300,
    columns: 200,
    pixelData: new Uint8Array(6e4),
  };
  const images = new Map([[image.imageId, image]]);
  let seed = 9;
  const cams = Float32Array.from({ length: 3 * 49 }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 0.12);
  const result = { ...resultWithCams(cams, 3), imageKey: image.sopInstanceUid };
  let cornerstone: ReturnType<typeof fakeCornerstone>;
  let viewport: FakeStackViewport;
  let drawer: HeatmapDrawer;
  /** The arrays handed to Cornerstone as layer images, by image id. */
  let drawnArrays: Map<string, Float32Array>;

  const target = (storedMaps?: ReadonlyMap<string, Heatmap>) => ({
    active: { viewportId: 'vp', imageId: image.imageId, imageKey: image.sopInstanceUid },
    viewport: viewport.asViewport(),
    result,
    displayName: (f: string) => f,
    storedMaps,
  });

  beforeEach(() => {
    cornerstone = fakeCornerstone(images);
    drawnArrays = new Map();
    const create = cornerstone.imageLoader.createAndCacheLocalImage;
    cornerstone.imageLoader.createAndCacheLocalImage = ((id: string, options: { scalarData: Float32Array }) => {
      drawnArrays.set(id, options.scalarData);
      return create(id, options as never);
    }) as never;
    viewport = new FakeStackViewport('vp', images);
    viewport.showImage(image.imageId);
    drawer = new HeatmapDrawer(() => cornerstone, { opacity: 0.5, threshold: 0, colormap: 'jet', style: 'fill' });
  });

  it('displayedMaps gives every finding the very map the viewer draws: the small grid over the crop', () => {
    drawer.setVisible('F1');
    drawer.draw(target());
    const maps = drawer.displayedMaps(result);
    expect(maps.map((m) => m.finding)).toEqual(['F0', 'F1', 'F2']);
    for (const [i, map] of maps.entries()) {
      expect(map.imageRegion).toEqual(result.geometry.crop);
      expect(map.data).toEqual(displayHeatmapForFinding(result, i).data);
    }
    // The drawn layer's image holds exactly the array displayedMaps returns for F1.
    expect([...drawnArrays.values()]).toEqual([maps[1].data]);
    expect([...drawnArrays.values()][0]).toBe(maps[1].data);
    expect(drawer.keptMapBytes).toBe(maps.reduce((n, m) => n + m.data.byteLength, 0));
  });

  it('draws stored maps instead of computing from the CAMs, and leaves out findings without one', () => {
    const stored: Heatmap = {
      finding: 'F0',
      rows: 4,
      columns: 5,
      imageRegion: { x: 10, y: 20, width: 100, height: 80 },
      data: Float32Array.from({ length: 20 }, (_, i) => i / 4),
      fullScale: 5,
      max: 19 / 4,
    };
    const storedMaps = new Map([['F0', stored]]);
    drawer.showOnly(['F0', 'F2']);
    drawer.draw(target(storedMaps));
    expect(drawer.shown('vp')).toEqual(['F0']);
    expect([...drawnArrays.values()]).toEqual([stored.data]);
    expect(drawer.layers.placements('vp').get('F0')?.dimensions).toEqual([5, 4]);
    expect(drawer.displayedMaps(result, storedMaps)).toEqual([stored]);
    expect(drawer.keptMapBytes).toBe(0);
  });

  it('builds maps only for shown findings', () => {
    drawer.setVisible('F2');
    drawer.draw(target());
    expect(drawer.keptMapBytes).toBe(displayHeatmapForFinding(result, 2).data.byteLength);
    drawer.leaveImage();
    expect(drawer.keptMapBytes).toBe(0);
  });
});
