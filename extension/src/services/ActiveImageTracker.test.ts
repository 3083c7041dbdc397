import { FakeStackViewport, fakeOhif, type FakeImage } from '../../../test/support/fakeOhif';
import { ActiveImageTracker } from './ActiveImageTracker';

const A: FakeImage = {
  imageId: 'wadouri:/a.dcm',
  sopInstanceUid: '1.1',
  rows: 1,
  columns: 1,
  pixelData: new Uint8Array(1),
};

describe('ActiveImageTracker', () => {
  function setup() {
    const images = new Map([[A.imageId, A]]);
    const ohif = fakeOhif(images);
    const viewport = new FakeStackViewport('vp', images);
    ohif.cornerstoneViewportService.viewports.set('vp', viewport);
    ohif.viewportGridService.activeViewportId = 'vp';
    const tracker = new ActiveImageTracker(ohif.servicesManager, () => ohif.cornerstone);
    const calls: string[] = [];
    const events = {
      onViewerChanged: () => calls.push('changed'),
      onImageSwapped: (id: string) => calls.push(`swapped:${id}`),
    };
    return { ohif, viewport, tracker, calls, events, images };
  }

  it('says what the active viewport holds', () => {
    const { ohif, viewport, tracker } = setup();
    expect(tracker.read()).toEqual({ kind: 'no-image', viewportId: 'vp' });
    viewport.showImage(A.imageId);
    expect(tracker.read()).toMatchObject({
      kind: 'image',
      active: { viewportId: 'vp', imageKey: '1.1', modality: 'DX' },
    });
    ohif.cornerstoneViewportService.viewports.set('volume', { id: 'volume' } as unknown as FakeStackViewport);
    ohif.viewportGridService.activeViewportId = 'volume';
    expect(tracker.read()).toEqual({ kind: 'not-a-stack', viewportId: 'volume' });
    ohif.viewportGridService.activeViewportId = 'missing';
    expect(tracker.read()).toEqual({ kind: 'none' });
  });

  it("forwards OHIF's events and the element's new-image events, and drops all of them on stop", () => {
    const { ohif, viewport, tracker, calls, events } = setup();
    tracker.start(events);
    tracker.start(events); // a second start does not subscribe twice
    expect(ohif.viewportGridService.listenerCount).toBe(2);
    ohif.viewportGridService.setActiveViewportId('vp');
    tracker.read(); // reading the viewport starts watching its element
    viewport.showImage(A.imageId);
    expect(calls).toEqual(['changed', 'swapped:vp', 'swapped:vp']);
    tracker.stop();
    calls.length = 0;
    viewport.showImage(A.imageId);
    ohif.viewportGridService.setActiveViewportId('vp');
    expect(calls).toEqual([]);
    expect(ohif.viewportGridService.listenerCount + ohif.cornerstoneViewportService.listenerCount).toBe(0);
    expect(tracker.watchedElementCount).toBe(0);
  });

  it('stops watching elements that left the page (a replaced viewport)', () => {
    const { ohif, viewport, tracker, events, images } = setup();
    tracker.start(events);
    tracker.read();
    expect(tracker.watchedElementCount).toBe(1);
    viewport.element.isConnected = false;
    ohif.cornerstoneViewportService.viewports.set('vp', new FakeStackViewport('vp', images));
    tracker.read();
    expect(tracker.watchedElementCount).toBe(1);
  });
});
