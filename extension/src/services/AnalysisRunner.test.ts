import type { AnalysisResult, LoadedModel, RadiographPixels } from '../engine';
import type { ActiveImageState } from '../types';
import { EVENTS, FakeStackViewport, fakeCornerstone, type FakeImage } from '../../../test/support/fakeOhif';
import { AnalysisRunner } from './AnalysisRunner';

const image = (n: number): FakeImage => ({
  imageId: `wadouri:/img${n}.dcm`,
  sopInstanceUid: `1.2.${n}`,
  rows: 2,
  columns: 2,
  pixelData: new Uint8Array([0, 50, 100, 150 + n]),
});
const A = image(1);
const B = image(2);
const activeOf = (img: FakeImage): ActiveImageState => ({
  imageId: img.imageId,
  imageKey: img.sopInstanceUid,
  viewportId: 'vp',
});

/** A model whose analyses finish when the test says, echoing the image key they were given. */
function heldModel() {
  const pending: {
    pixels: RadiographPixels;
    finish: (r: Partial<AnalysisResult>) => void;
    fail: (e: unknown) => void;
  }[] = [];
  const model = {
    backend: 'wasm',
    analyze: (pixels: RadiographPixels) =>
      new Promise<AnalysisResult>((resolve, reject) =>
        pending.push({
          pixels,
          finish: (r) => resolve({ imageKey: pixels.imageKey, ...r } as AnalysisResult),
          fail: reject,
        }),
      ),
  } as unknown as LoadedModel;
  return { model, pending };
}

/** Lets pending promise callbacks run (setImmediate: not faked where a test stops the clock). */
const tick = () => new Promise((resolve) => setImmediate(resolve));

afterEach(() => jest.useRealTimers());

describe('AnalysisRunner', () => {
  function setup() {
    const images = new Map([A, B].map((i) => [i.imageId, i]));
    const viewport = new FakeStackViewport('vp', images);
    const cornerstone = fakeCornerstone(images);
    const { model, pending } = heldModel();
    const delivered: string[] = [];
    const runner = new AnalysisRunner({
      ensureModel: async () => model,
      modelError: () => undefined,
      getViewport: () => viewport.asViewport(),
      cornerstone: () => cornerstone,
      onDelivered: (result) => delivered.push(result.imageKey ?? ''),
      onChange: () => undefined,
    });
    return { runner, viewport, pending, delivered, cornerstone };
  }

  it('delivers only the current request: a run for an image left behind is kept but never shown', async () => {
    const { runner, viewport, pending, delivered } = setup();
    viewport.showImage(A.imageId);
    const first = runner.analyse(activeOf(A));
    await tick();
    runner.cancel('vp');
    viewport.showImage(B.imageId);
    const second = runner.analyse(activeOf(B));
    await tick();
    pending[1].finish({});
    pending[0].finish({});
    await Promise.all([first, second]);
    expect(delivered).toEqual([B.sopInstanceUid]);
    expect(runner.resultFor(B.sopInstanceUid)?.imageKey).toBe(B.sopInstanceUid);
    // A finished after it was left: kept for the session, shown on return without a new run.
    expect(runner.hasResult(A.sopInstanceUid)).toBe(true);
    viewport.showImage(A.imageId);
    await runner.analyse(activeOf(A));
    expect(pending).toHaveLength(2);
    expect(delivered).toEqual([B.sopInstanceUid, A.sopInstanceUid]);
  });

  it("starts on Cornerstone's events for the loading image, with no timer, and then drops its listeners", async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { runner, viewport, pending, cornerstone } = setup();
    const baseline = viewport.element.listenerCount();
    viewport.showImage(A.imageId, { load: false });
    const run = runner.analyse(activeOf(A));
    await tick();
    expect(pending).toHaveLength(0);
    expect(viewport.element.listenerCount(EVENTS.STACK_NEW_IMAGE)).toBe(1);
    expect(runner.listenerCount).toBeGreaterThan(0);
    viewport.finishLoading(); // STACK_NEW_IMAGE: the image object is in the viewport now
    await tick();
    expect(pending).toHaveLength(1);
    expect(pending[0].pixels.imageKey).toBe(A.sopInstanceUid);
    expect(viewport.element.listenerCount()).toBe(baseline);
    pending[0].finish({});
    await run;
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('done');
    // Only the load-failure listeners stay until the mode is left.
    expect(cornerstone.eventTarget.listenerCount()).toBe(runner.listenerCount);
    runner.dispose();
    expect(runner.listenerCount).toBe(0);
    expect(cornerstone.eventTarget.listenerCount()).toBe(0);
  });

  it('removes every listener of a wait on cancel, on a new image and on dispose, and never delivers it', async () => {
    const { runner, viewport, pending, delivered, cornerstone } = setup();
    const listeners = () => viewport.element.listenerCount() + cornerstone.eventTarget.listenerCount();
    viewport.showImage(A.imageId, { load: false });
    void runner.analyse(activeOf(A));
    await tick();
    const waiting = listeners();
    runner.cancel('vp');
    expect(listeners()).toBeLessThan(waiting);
    expect(viewport.element.listenerCount()).toBe(0);
    // A new image in the same viewport calls off the wait for the old one.
    void runner.analyse(activeOf(A));
    await tick();
    expect(listeners()).toBe(waiting);
    viewport.showImage(B.imageId, { load: false });
    void runner.analyse(activeOf(B));
    await tick();
    expect(listeners()).toBe(waiting); // one wait (B's), not two
    runner.dispose();
    expect(listeners()).toBe(0);
    viewport.finishLoading();
    await tick();
    expect(pending).toHaveLength(0);
    expect(delivered).toEqual([]);
  });

  it('follows a viewport replaced under the same id (new element) while waiting', async () => {
    const images = new Map([A, B].map((i) => [i.imageId, i]));
    const cornerstone = fakeCornerstone(images);
    let viewport = new FakeStackViewport('vp', images);
    const { model, pending } = heldModel();
    const runner = new AnalysisRunner({
      ensureModel: async () => model,
      modelError: () => undefined,
      getViewport: () => viewport.asViewport(),
      cornerstone: () => cornerstone,
      onDelivered: () => undefined,
      onChange: () => undefined,
    });
    viewport.showImage(A.imageId, { load: false });
    void runner.analyse(activeOf(A));
    await tick();
    const old = viewport;
    viewport = new FakeStackViewport('vp', images);
    viewport.showImage(A.imageId, { load: false });
    cornerstone.eventTarget.dispatchEvent(new CustomEvent(EVENTS.ELEMENT_ENABLED, { detail: { viewportId: 'vp' } }));
    expect(old.element.listenerCount()).toBe(0);
    expect(viewport.element.listenerCount(EVENTS.STACK_NEW_IMAGE)).toBe(1);
    viewport.finishLoading();
    await tick();
    expect(pending).toHaveLength(1);
    expect(viewport.element.listenerCount()).toBe(0);
  });

  it('analyses an image set in the viewport whose display threw, reported without an imageId', async () => {
    // StackViewport.loadImages: a throw after _setCSImage rejects the settled list, and the
    // IMAGE_LOAD_ERROR it sends carries only { status, reason } items.
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { runner, viewport, pending, cornerstone } = setup();
    viewport.showImage(A.imageId, { load: false });
    void runner.analyse(activeOf(A));
    await tick();
    viewport.finishLoading({ events: false });
    await tick();
    expect(pending).toHaveLength(0);
    cornerstone.eventTarget.dispatchEvent(
      new CustomEvent('IMAGE_LOAD_ERROR', {
        detail: [{ status: 'rejected', reason: new Error('Invalid VOI LUT function') }],
      }),
    );
    await tick();
    expect(pending).toHaveLength(1);
    expect(pending[0].pixels.imageKey).toBe(A.sopInstanceUid);
  });

  it("shows an error only for the image it happened on, and never another image's status", async () => {
    const { runner, viewport, pending } = setup();
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    viewport.showImage(A.imageId);
    const run = runner.analyse(activeOf(A));
    await tick();
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('running');
    expect(runner.stateFor(B.sopInstanceUid).status).toBe('idle');
    pending[0].fail(new Error('boom'));
    await run;
    expect(runner.stateFor(A.sopInstanceUid)).toMatchObject({ status: 'error' });
    expect(runner.resultFor(A.sopInstanceUid)).toBeUndefined();
    error.mockRestore();
  });

  it('refuses a result that comes back for another image', async () => {
    const { runner, viewport, pending } = setup();
    const error = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    viewport.showImage(A.imageId);
    const run = runner.analyse(activeOf(A));
    await tick();
    pending[0].finish({ imageKey: B.sopInstanceUid });
    await run;
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('error');
    expect(runner.hasResult(A.sopInstanceUid)).toBe(false);
    error.mockRestore();
  });

  it('runs once per image unless forced; force runs again and hides the old result meanwhile', async () => {
    const { runner, viewport, pending } = setup();
    viewport.showImage(A.imageId);
    const run = runner.analyse(activeOf(A));
    await tick();
    void runner.analyse(activeOf(A)); // a second event for the same image
    await tick();
    expect(pending).toHaveLength(1);
    pending[0].finish({});
    await run;
    const again = runner.analyse(activeOf(A), { force: true });
    await tick();
    expect(pending).toHaveLength(2);
    expect(runner.resultFor(A.sopInstanceUid)).toBeUndefined();
    pending[1].finish({});
    await again;
    expect(runner.resultFor(A.sopInstanceUid)).toBeDefined();
  });

  it("ends the wait for pixels as soon as Cornerstone reports the image's load failure", async () => {
    // Timers stand still: the wait can only end on Cornerstone's event, not on a poll or timeout.
    jest.useFakeTimers({ doNotFake: ['setImmediate'] });
    const { runner, viewport, pending, cornerstone } = setup();
    viewport.showImage(A.imageId, { load: false });
    const run = runner.analyse(activeOf(A));
    await tick();
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('running');
    // Another image's failure is not this one's.
    const target = (cornerstone as unknown as { eventTarget: EventTarget }).eventTarget;
    target.dispatchEvent(
      new CustomEvent('CORNERSTONE_IMAGE_LOAD_FAILED', { detail: { imageId: B.imageId, error: new Error('x') } }),
    );
    await tick();
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('running');
    target.dispatchEvent(
      new CustomEvent('CORNERSTONE_IMAGE_LOAD_FAILED', {
        detail: { imageId: A.imageId, error: new Error('dicomParser.readPart10Header: DICM prefix not found') },
      }),
    );
    await run;
    const state = runner.stateFor(A.sopInstanceUid);
    expect(state.status).toBe('error');
    expect(state.message).toMatch(/damaged or is not a DICOM image/);
    expect(state.message).not.toMatch(/DICM/);
    expect(state.details).toMatch(/DICM prefix not found/);
    expect(pending).toHaveLength(0);
    // An analysis asked for after the failure ends at once too (IMAGE_LOAD_ERROR, the viewport's event).
    target.dispatchEvent(new CustomEvent('IMAGE_LOAD_ERROR', { detail: { imageId: B.imageId, error: 'HTTP 404' } }));
    viewport.showImage(B.imageId, { load: false });
    await runner.analyse(activeOf(B));
    expect(runner.stateFor(B.sopInstanceUid)).toMatchObject({ status: 'error', details: 'HTTP 404' });
  });

  it('names the transfer syntax the loader has no decoder for', async () => {
    const { runner, viewport, cornerstone } = setup();
    const target = (cornerstone as unknown as { eventTarget: EventTarget }).eventTarget;
    viewport.showImage(A.imageId, { load: false });
    const run = runner.analyse(activeOf(A));
    await tick();
    target.dispatchEvent(
      new CustomEvent('CORNERSTONE_IMAGE_LOAD_FAILED', {
        detail: { imageId: A.imageId, error: new Error('No decoder for transfer syntax 1.2.840.10008.1.2.4.100') },
      }),
    );
    target.dispatchEvent(
      new CustomEvent('IMAGE_LOAD_ERROR', { detail: { imageId: A.imageId, error: "Couldn't decode" } }),
    );
    await run;
    const expected = {
      status: 'error',
      message: expect.stringMatching(
        /compressed in a way the viewer does not read \(transfer syntax 1\.2\.840\.10008\.1\.2\.4\.100\)/,
      ),
      details: 'No decoder for transfer syntax 1.2.840.10008.1.2.4.100',
    };
    expect(runner.stateFor(A.sopInstanceUid)).toMatchObject(expected);
    // Asked again: the loader's words are kept, not the viewport's "Couldn't decode" after them.
    await runner.analyse(activeOf(A), { force: true });
    expect(runner.stateFor(A.sopInstanceUid)).toMatchObject(expected);
  });

  it('analyses an image whose load succeeded although its display then threw IMAGE_LOAD_ERROR', async () => {
    // OHIF 3.13: a file with VOI LUT Function LINEAR_EXACT loads, then StackViewport throws
    // "Invalid VOI LUT function" setting its VOI range and reports IMAGE_LOAD_ERROR for it.
    const { runner, viewport, pending, cornerstone } = setup();
    viewport.showImage(A.imageId, { load: false });
    const run = runner.analyse(activeOf(A));
    await tick();
    viewport.finishLoading();
    const target = (cornerstone as unknown as { eventTarget: EventTarget }).eventTarget;
    target.dispatchEvent(
      new CustomEvent('IMAGE_LOAD_ERROR', {
        detail: { imageId: A.imageId, error: new Error('Invalid VOI LUT function') },
      }),
    );
    await tick();
    expect(pending).toHaveLength(1);
    expect(pending[0].pixels.imageKey).toBe(A.sopInstanceUid);
    pending[0].finish({});
    await run;
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('done');
    // Asked again later (the failure is remembered), the loaded image is still analysed.
    const again = runner.analyse(activeOf(A), { force: true });
    await tick();
    expect(pending).toHaveLength(2);
    pending[1].finish({});
    await again;
    expect(runner.stateFor(A.sopInstanceUid).status).toBe('done');
  });

  it('refuses an image above the pixel budget before the model runs', async () => {
    const { viewport, pending } = setup();
    const images = new Map([A].map((i) => [i.imageId, i]));
    const cs = fakeCornerstone(images);
    const { model } = heldModel();
    const runner = new AnalysisRunner({
      ensureModel: async () => model,
      modelError: () => undefined,
      getViewport: () => viewport.asViewport(),
      cornerstone: () => cs,
      onDelivered: () => undefined,
      onChange: () => undefined,
      maxPixels: () => 3,
    });
    viewport.showImage(A.imageId);
    await runner.analyse(activeOf(A));
    const state = runner.stateFor(A.sopInstanceUid);
    expect(state.status).toBe('error');
    expect(state.message).toMatch(/2x2 pixels .* more than the 0\.0 megapixels/);
    expect(pending).toHaveLength(0);
  });

  it('refuses an image whose header declares more than the budget, without waiting for its pixels', async () => {
    const { viewport, pending } = setup();
    const images = new Map([A].map((i) => [i.imageId, i]));
    const base = fakeCornerstone(images);
    const cs = {
      ...base,
      metaData: {
        get: (type: string, imageId: string) =>
          type === 'imagePixelModule' ? { rows: 30000, columns: 30000 } : base.metaData.get(type, imageId),
      },
    } as typeof base;
    const { model } = heldModel();
    const runner = new AnalysisRunner({
      ensureModel: async () => model,
      modelError: () => undefined,
      getViewport: () => viewport.asViewport(),
      cornerstone: () => cs,
      onDelivered: () => undefined,
      onChange: () => undefined,
    });
    viewport.showImage(A.imageId, { load: false });
    jest.useFakeTimers({ doNotFake: ['setImmediate'] }); // the image never loads: no wait can end
    await runner.analyse(activeOf(A));
    expect(runner.stateFor(A.sopInstanceUid).message).toMatch(/30000x30000 pixels .*more than the 60 megapixels/);
    expect(pending).toHaveLength(0);
  });

  it('names a declared transfer syntax the viewer is known not to read (deflated) when its load fails', async () => {
    const { viewport } = setup();
    const images = new Map([A].map((i) => [i.imageId, i]));
    const base = fakeCornerstone(images);
    const cs = {
      ...base,
      metaData: {
        get: (type: string, imageId: string) =>
          type === 'transferSyntax'
            ? { transferSyntaxUID: '1.2.840.10008.1.2.1.99' }
            : base.metaData.get(type, imageId),
      },
    } as typeof base;
    const { model } = heldModel();
    const runner = new AnalysisRunner({
      ensureModel: async () => model,
      modelError: () => undefined,
      getViewport: () => viewport.asViewport(),
      cornerstone: () => cs,
      onDelivered: () => undefined,
      onChange: () => undefined,
    });
    viewport.showImage(A.imageId, { load: false });
    const run = runner.analyse(activeOf(A));
    await tick();
    const target = (cs as unknown as { eventTarget: EventTarget }).eventTarget;
    target.dispatchEvent(
      new CustomEvent('IMAGE_LOAD_ERROR', {
        detail: {
          imageId: A.imageId,
          error: new Error('loadImageFromNaturalizedMetadata: no pixel data in NATURALIZED'),
        },
      }),
    );
    await run;
    expect(runner.stateFor(A.sopInstanceUid).message).toMatch(
      /compressed in a way the viewer does not read \(transfer syntax 1\.2\.840\.10008\.1\.2\.1\.99\)/,
    );
  });
});
