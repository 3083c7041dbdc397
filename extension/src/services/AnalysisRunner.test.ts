import type { AnalysisResult, LoadedModel, RadiographPixels } from '../engine';
import type { ActiveImageState } from '../types';
import { FakeStackViewport, fakeCornerstone, type FakeImage } from '../../../test/support/fakeOhif';
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

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

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
    return { runner, viewport, pending, delivered };
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
});
