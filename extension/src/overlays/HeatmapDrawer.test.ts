import { HEATMAP_THRESHOLD_RANGE } from '../engine';
import { fakeCornerstone } from '../../../test/support/fakeOhif';
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
