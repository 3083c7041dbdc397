import type { LoadedModel } from '../engine';
import type { ChestXrayAiState } from '../types';
import { FakeStackViewport, fakeOhif, type FakeImage, type FakeOhif } from '../../../test/support/fakeOhif';
import { countingModel, nihImage, realDemoModel, type CountingModel } from '../../../test/support/realModel';
import getCommandsModule from '../commandsModule';
import { SERVICE_NAME } from '../id';
import type { ExtensionParams } from '../ohifTypes';
import { ChestXrayAiService } from './ChestXrayAiService';

/** Resolves when the service's state satisfies `ready` (checked on every change). */
function until(service: ChestXrayAiService, ready: (s: ChestXrayAiState) => boolean): Promise<ChestXrayAiState> {
  return new Promise((resolve, reject) => {
    if (ready(service.getState())) return resolve(service.getState());
    const timer = setTimeout(
      () => reject(new Error(`timed out; state ${JSON.stringify(service.getState().analysis)}`)),
      30_000,
    );
    const subscription = service.subscribe(service.EVENTS.STATE_CHANGED, (state) => {
      if (!ready(state)) return;
      clearTimeout(timer);
      subscription.unsubscribe();
      resolve(state);
    });
  });
}

/** The extension's commands, as the panel and hotkeys run them, on the service in `ohif`. */
function commands(ohif: FakeOhif, service: ChestXrayAiService) {
  ohif.servicesManager.services[SERVICE_NAME] = service;
  return getCommandsModule({ servicesManager: ohif.servicesManager } as ExtensionParams).actions;
}

const doneOn = (imageKey: string) => (s: ChestXrayAiState) =>
  s.analysis.status === 'done' && s.result?.imageKey === imageKey;

describe('ChestXrayAiService with fake OHIF services and the real engine', () => {
  let model: LoadedModel;
  let a: FakeImage;
  let b: FakeImage;

  beforeAll(async () => {
    model = await realDemoModel();
    a = await nihImage('jrzech__00001369_000.png', '1.2.826.0.1.1369');
    b = await nihImage('jrzech__00001968_000.png', '1.2.826.0.1.1968');
  });

  let ohif: FakeOhif;
  let viewport: FakeStackViewport;
  let counting: CountingModel;
  let loads: number;
  let service: ChestXrayAiService;
  /** Every snapshot the panel was sent. */
  let seen: ChestXrayAiState[];

  beforeEach(() => {
    const images = new Map([a, b].map((image) => [image.imageId, image]));
    ohif = fakeOhif(images);
    viewport = new FakeStackViewport('default', images);
    ohif.cornerstoneViewportService.viewports.set('default', viewport);
    viewport.showImage(a.imageId);
    counting = countingModel(model);
    loads = 0;
    service = new ChestXrayAiService(
      ohif.servicesManager,
      ohif.extensionManager,
      { wasmThreads: 1 },
      {
        loadModel: () => async () => {
          loads++;
          return counting;
        },
      },
    );
    seen = [];
    service.subscribe(service.EVENTS.STATE_CHANGED, (state) => seen.push(state));
  });

  afterEach(() => service.deactivate());

  it("analyses the active image on activation and shows the engine's own result for it", async () => {
    service.activate();
    const state = await until(service, doneOn(a.sopInstanceUid));
    const direct = await model.analyze(
      (await import('../utils/radiographPixelsFromViewport')).radiographPixelsFromViewport(
        ohif.cornerstone,
        viewport.asViewport(),
      )!.pixels,
    );
    expect(state.active?.imageKey).toBe(a.sopInstanceUid);
    expect(state.result?.findings.map((f) => f.probability)).toEqual(direct.findings.map((f) => f.probability));
    expect(state.model).toMatchObject({ status: 'ready', backend: 'wasm', identity: { sha256: direct.model.sha256 } });
    expect(counting.analysed).toEqual([a.sopInstanceUid]);
  });

  it('never shows a result beside another image, and analyses each image once', async () => {
    service.activate();
    await until(service, (s) => s.analysis.status === 'running');
    // Switch while A is still running; then back and forth.
    viewport.showImage(b.imageId);
    await until(service, doneOn(b.sopInstanceUid));
    viewport.showImage(a.imageId);
    await until(service, doneOn(a.sopInstanceUid));
    viewport.showImage(b.imageId);
    await until(service, doneOn(b.sopInstanceUid));
    for (const state of seen) {
      if (state.result) expect(state.result.imageKey).toBe(state.active?.imageKey);
    }
    // A's first run finished after the switch: kept, and shown on return without a new run.
    expect(counting.analysed).toEqual([a.sopInstanceUid, b.sopInstanceUid]);
    expect(loads).toBe(1);
  });

  it('waits for the new image to load instead of analysing the previous pixels', async () => {
    service.activate();
    await until(service, doneOn(a.sopInstanceUid));
    viewport.showImage(b.imageId, { load: false });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(service.getState()).toMatchObject({
      active: { imageKey: b.sopInstanceUid },
      analysis: { status: 'running' },
    });
    expect(service.getState().result).toBeUndefined();
    expect(counting.analysed).toEqual([a.sopInstanceUid]);
    viewport.finishLoading();
    const state = await until(service, doneOn(b.sopInstanceUid));
    expect(counting.analysed).toEqual([a.sopInstanceUid, b.sopInstanceUid]);
    expect(state.result?.imageKey).toBe(b.sopInstanceUid);
  });

  it('draws a heatmap layer on the viewport and removes it (and its image) when the image changes', async () => {
    service.activate();
    const state = await until(service, doneOn(a.sopInstanceUid));
    const finding = state.result!.findings[0].name;
    commands(ohif, service).chestXrayAiShowHeatmap({ finding: finding });
    expect(service.getState().drawn).toEqual([finding]);
    const [layer] = viewport.getActors();
    expect(layer.uid).toContain(finding);
    expect(layer.referencedId).toContain(a.sopInstanceUid);
    expect(ohif.cornerstone.cached.has(layer.referencedId!)).toBe(true);
    expect(viewport.element.labelText).toContain('DEMO MODEL');

    viewport.showImage(b.imageId);
    // Synchronous with the swap: the old layer, its cached image and the label are gone at once.
    expect(viewport.getActors().filter((x) => x.referencedId === layer.referencedId)).toEqual([]);
    expect(ohif.cornerstone.cached.has(layer.referencedId!)).toBe(false);
    const onB = await until(service, doneOn(b.sopInstanceUid));
    // Heatmap choices belong to the image they were made on: B starts with none.
    expect(onB.heatmaps.visible).toEqual([]);
    expect(onB.drawn).toEqual([]);
    commands(ohif, service).chestXrayAiShowHeatmap({ finding: finding });
    expect(viewport.getActors().map((x) => x.referencedId)).toEqual([expect.stringContaining(b.sopInstanceUid)]);

    service.clear();
    expect(service.getState().drawn).toEqual([]);
    expect(viewport.getActors()).toEqual([]);
    expect(viewport.element.labelText).toBeUndefined();
  });

  it('shows by default only the maps of findings above their cut-off, when the site asks for it', async () => {
    service.configure({ autoShowHeatmaps: 'above-cutoff' });
    service.activate();
    const state = await until(service, doneOn(a.sopInstanceUid));
    const positives = state.result!.findings.filter((f) => f.positive).map((f) => f.name);
    expect(state.heatmaps.visible).toEqual(positives);
    expect(state.drawn).toEqual(positives);
  });

  it('hotkey actions: next/previous map, all overlays off and on, outline, opacity steps', async () => {
    service.activate();
    const state = await until(service, doneOn(a.sopInstanceUid));
    const listed = service.findings.listed(state.result);
    commands(ohif, service).chestXrayAiNextHeatmap({});
    expect(service.getState().drawn).toEqual([listed[0]]);
    commands(ohif, service).chestXrayAiNextHeatmap({});
    expect(service.getState().drawn).toEqual([listed[1]]);
    commands(ohif, service).chestXrayAiPreviousHeatmap({});
    commands(ohif, service).chestXrayAiPreviousHeatmap({});
    expect(service.getState().drawn).toEqual([listed[listed.length - 1]]);
    commands(ohif, service).chestXrayAiToggleOverlays({});
    expect(service.getState()).toMatchObject({ drawn: [], heatmaps: { hidden: true, visible: [listed.at(-1)] } });
    expect(viewport.getActors()).toEqual([]);
    commands(ohif, service).chestXrayAiToggleOverlays({});
    expect(service.getState().drawn).toEqual([listed[listed.length - 1]]);
    const opacity = service.getState().heatmaps.opacity;
    commands(ohif, service).chestXrayAiOpacityUp({});
    expect(service.getState().heatmaps.opacity).toBeCloseTo(Math.min(1, opacity + 0.1));
    commands(ohif, service).chestXrayAiOpacityDown({});
    commands(ohif, service).chestXrayAiOpacityDown({});
    expect(service.getState().heatmaps.opacity).toBeCloseTo(opacity - 0.1);
    commands(ohif, service).chestXrayAiToggleOutline({});
    expect(service.getState().heatmaps.style).toBe('outline');
    // Outline: opacity only in narrow bands, zero between them.
    const fn = viewport.getActors()[0].actor.property.opacity as { points: [number, number][] };
    expect(fn.points.filter(([, y]) => y > 0)).toHaveLength(3);
    expect(viewport.element.labelText).toContain('DEMO MODEL');
  });

  it('the chest-film gate: a lateral film is refused with its sentence, an AP film cautioned', async () => {
    const images = new Map<string, FakeImage>([
      [a.imageId, { ...a, instance: { ViewPosition: 'LL', Modality: 'DX' } }],
      [b.imageId, { ...b, instance: { ViewPosition: 'AP', PatientAge: '060Y', Modality: 'DX' } }],
    ]);
    ohif = fakeOhif(images);
    viewport = new FakeStackViewport('default', images);
    ohif.cornerstoneViewportService.viewports.set('default', viewport);
    viewport.showImage(a.imageId);
    service = new ChestXrayAiService(
      ohif.servicesManager,
      ohif.extensionManager,
      {},
      {
        loadModel: () => async () => counting,
      },
    );
    service.activate();
    const refused = await until(service, (s) => s.analysis.status === 'refused');
    expect(refused.analysis.message).toBe(
      'Not analysed. This is a lateral view; the model reads frontal (PA or AP) chest films.',
    );
    expect(refused.result).toBeUndefined();
    viewport.showImage(b.imageId);
    const cautioned = await until(service, doneOn(b.sopInstanceUid));
    expect(cautioned.result!.gate).toMatchObject({ outcome: 'caution', findings: [{ check: 'view-position' }] });
    // A site that makes the view check "off" gets no caution.
    service.configure({ gatePolicy: { 'view-position': 'off' } });
    await service.run({ force: true });
    expect(service.getState().result!.gate).toEqual({ outcome: 'pass', findings: [] });
  });

  it('a model that fails to load is reported once and retried only by an explicit run', async () => {
    service = new ChestXrayAiService(
      ohif.servicesManager,
      ohif.extensionManager,
      {},
      {
        loadModel: () => async () => {
          loads++;
          throw new Error('protobuf parsing failed');
        },
      },
    );
    service.activate();
    const failed = await until(service, (s) => s.analysis.status === 'error');
    expect(failed.model.status).toBe('error');
    expect(failed.analysis.message).toBe(failed.model.error);
    viewport.showImage(b.imageId);
    await until(service, (s) => s.active?.imageKey === b.sopInstanceUid && s.analysis.status === 'error');
    expect(loads).toBe(1);
    await service.run();
    expect(loads).toBe(2);
  });

  it('refuses a modality it does not read, without running the model', async () => {
    service.configure({ modalities: ['CR'] });
    service.activate();
    const state = await until(service, (s) => s.analysis.status === 'refused');
    expect(state.analysis.message).toBe('Not analysed. This image is DX; the model reads chest radiographs (CR).');
    expect(state.result).toBeUndefined();
    expect(counting.analysed).toEqual([]);
  });

  it('leaves nothing subscribed after deactivation', async () => {
    service.activate();
    await until(service, doneOn(a.sopInstanceUid));
    expect(ohif.viewportGridService.listenerCount).toBe(2);
    expect(ohif.cornerstoneViewportService.listenerCount).toBe(1);
    expect(service.listenerCounts.elements).toBe(1);
    service.deactivate();
    expect(ohif.viewportGridService.listenerCount).toBe(0);
    expect(ohif.cornerstoneViewportService.listenerCount).toBe(0);
    expect(service.listenerCounts.elements).toBe(0);
    viewport.showImage(b.imageId);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(counting.analysed).toEqual([a.sopInstanceUid]);
    expect(service.getState().active).toBeUndefined();
  });
});
