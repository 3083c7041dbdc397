/**
 * Storing and reopening through the service, with fake OHIF services, the real engine and the
 * real DICOM writers and readers: what "Send to PACS" hands the data source, and what the panel
 * shows when the study holds our SR (and when it must not).
 */
import { buildResultObjects, parsePart10 } from '../dicomResults';
import type { ResultObject } from '../dicomResults/types';
import type { LoadedModel } from '../engine';
import type { ChestXrayAiState } from '../types';
import {
  FakeDisplaySetService,
  FakeStackViewport,
  fakeOhif,
  type FakeImage,
  type FakeOhif,
} from '../../../test/support/fakeOhif';
import { countingModel, nihImage, realDemoModel, type CountingModel } from '../../../test/support/realModel';
import getCommandsModule from '../commandsModule';
import { SERVICE_NAME } from '../id';
import type { ExtensionParams } from '../ohifTypes';
import { ChestXrayAiService } from './ChestXrayAiService';
import type { PacsStoreAccess } from './PacsStore';

const STUDY = '2.25.1001';

function until(service: ChestXrayAiService, ready: (s: ChestXrayAiState) => boolean): Promise<ChestXrayAiState> {
  return new Promise((resolve, reject) => {
    if (ready(service.getState())) return resolve(service.getState());
    const timer = setTimeout(
      () => reject(new Error(`timed out; ${JSON.stringify(service.getState().analysis)}`)),
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

/** OHIF's naturalised instance metadata of a fake image (what DicomMetadataStore holds). */
const instanceOf = (image: FakeImage, series: string) => ({
  StudyInstanceUID: STUDY,
  SeriesInstanceUID: series,
  SOPInstanceUID: image.sopInstanceUid,
  SOPClassUID: '1.2.840.10008.5.1.4.1.1.1.1',
  Modality: 'DX',
  Rows: image.rows,
  Columns: image.columns,
  PatientID: 'P1',
  PatientName: 'Test^Patient',
});

describe('Send to PACS and reopening a study, through the service', () => {
  let model: LoadedModel;
  let a: FakeImage;
  let b: FakeImage;
  let ohif: FakeOhif;
  let displaySets: FakeDisplaySetService;
  let viewport: FakeStackViewport;
  let counting: CountingModel;
  let service: ChestXrayAiService;
  /** What the fake PACS received, parsed, and the raw objects by SOP Instance UID. */
  let received: ArrayBuffer[];
  let pacsFiles: Map<string, ArrayBuffer>;

  beforeAll(async () => {
    model = await realDemoModel();
    a = await nihImage('jrzech__00001369_000.png', '2.25.1369');
    b = await nihImage('jrzech__00001968_000.png', '2.25.1968');
    a.instance = instanceOf(a, '2.25.11') as unknown as Record<string, string>;
    b.instance = instanceOf(b, '2.25.12') as unknown as Record<string, string>;
  });

  function start(config: Record<string, unknown> = {}, access?: PacsStoreAccess): void {
    const images = new Map([a, b].map((image) => [image.imageId, image]));
    ohif = fakeOhif(images);
    displaySets = new FakeDisplaySetService();
    ohif.servicesManager.services.displaySetService = displaySets as never;
    // The data source's WADO-RS client serves what the fake PACS holds.
    Object.assign(ohif.extensionManager, {
      getActiveDataSource: () => [
        {
          retrieve: {
            getWadoDicomWebClient: () => ({
              retrieveInstance: async ({ sopInstanceUID }: { sopInstanceUID: string }) => {
                const file = pacsFiles.get(sopInstanceUID);
                if (!file) throw Object.assign(new Error('request failed'), { status: 404 });
                return file;
              },
            }),
          },
        },
      ],
    });
    viewport = new FakeStackViewport('default', images);
    ohif.cornerstoneViewportService.viewports.set('default', viewport);
    viewport.showImage(a.imageId);
    counting = countingModel(model);
    received = [];
    const storeAccess: PacsStoreAccess = access ?? {
      ok: true,
      name: 'Test PACS',
      store: async (part10) => {
        received.push(part10);
        pacsFiles.set(String(parsePart10(part10).SOPInstanceUID), part10);
      },
    };
    service = new ChestXrayAiService(
      ohif.servicesManager,
      ohif.extensionManager,
      { wasmThreads: 1, ...config },
      { loadModel: () => async () => counting, pacs: { access: () => storeAccess } },
    );
    ohif.servicesManager.services[SERVICE_NAME] = service;
  }

  const commands = () => getCommandsModule({ servicesManager: ohif.servicesManager } as ExtensionParams).actions;

  /** The PACS's objects of one store as OHIF's metadata holds them: one display set per series. */
  function studyHolds(objects: ArrayBuffer[]): void {
    const bySeries = new Map<string, Record<string, unknown>[]>();
    for (const bytes of objects) {
      const dataset = parsePart10(bytes);
      const series = String(dataset.SeriesInstanceUID);
      bySeries.set(series, [...(bySeries.get(series) ?? []), dataset]);
    }
    for (const instances of bySeries.values()) displaySets.addSeries(instances);
  }

  beforeEach(() => {
    pacsFiles = new Map();
  });
  afterEach(() => service?.deactivate());

  it('sends once however often it is asked, SR last, then shows when and which series', async () => {
    start();
    service.activate();
    const done = await until(service, (s) => s.analysis.status === 'done' && !!s.result);
    expect(done.store).toMatchObject({ available: true, mode: 'ask', pacs: 'Test PACS' });
    await Promise.all([commands().chestXrayAiSendToPacs({}), commands().chestXrayAiSendToPacs({})]);
    await commands().chestXrayAiSendToPacs({});
    const kinds = received.map((bytes) => String(parsePart10(bytes).Modality));
    expect(kinds.at(-1)).toBe('SR');
    expect(kinds.filter((k) => k === 'SR')).toHaveLength(1);
    const sent = service.getState().store.send;
    expect(sent).toMatchObject({ status: 'sent', objects: received.length });
    const series = new Set(received.map((bytes) => String(parsePart10(bytes).SeriesInstanceUID)));
    expect(sent?.status === 'sent' && new Set(sent.seriesInstanceUids)).toEqual(series);
    expect(series.has('2.25.11')).toBe(false);
  });

  it('reopening: the stored result and its maps, without a new analysis; Run analyses again analyses', async () => {
    start();
    service.activate();
    const first = await until(service, (s) => s.analysis.status === 'done' && !!s.result);
    await commands().chestXrayAiSendToPacs({});
    const objects = [...received];
    service.deactivate();

    start({ autoRun: true });
    studyHolds(objects);
    service.activate();
    const reopened = await until(service, (s) => s.stored?.maps === 'ready');
    expect(counting.analysed).toEqual([]);
    expect(reopened.stored).toMatchObject({ backend: 'wasm', model: first.result!.model });
    expect(reopened.stored?.currentModel).toBeUndefined();
    expect(reopened.result!.findings.map((f) => f.probability)).toEqual(
      first.result!.findings.map((f) => f.probability),
    );
    const finding = reopened.result!.findings[0].name;
    commands().chestXrayAiShowHeatmap({ finding });
    expect(service.getState().drawn).toEqual([finding]);
    // Sending a stored result again does nothing: it is in the PACS already.
    received = [];
    await commands().chestXrayAiSendToPacs({});
    expect(received).toEqual([]);
    // Image B has no stored result: analysed as usual.
    viewport.showImage(b.imageId);
    await until(service, (s) => s.analysis.status === 'done' && s.result?.imageKey === b.sopInstanceUid);
    expect(service.getState().stored).toBeUndefined();
    expect(counting.analysed).toEqual([b.sopInstanceUid]);
    viewport.showImage(a.imageId);
    await until(service, (s) => !!s.stored && s.active?.imageKey === a.sopInstanceUid);
    await commands().chestXrayAiRun({});
    const fresh = await until(service, (s) => s.analysis.status === 'done' && !!s.result && !s.stored);
    expect(counting.analysed).toEqual([b.sopInstanceUid, a.sopInstanceUid]);
    expect(fresh.result?.imageKey).toBe(a.sopInstanceUid);
  });

  it('a stored result of another model is shown as it was, with the current model named, never mixed', async () => {
    start();
    service.activate();
    const first = await until(service, (s) => s.analysis.status === 'done' && !!s.result);
    const other = { ...first.result!, model: { ...first.result!.model, version: '0.9', sha256: 'f'.repeat(64) } };
    const objects: ResultObject[] = await buildResultObjects({
      result: other,
      source: (await import('../dicomResults')).sourceImageFromDataset(instanceOf(a, '2.25.11')),
      maps: [],
      captureFindings: [],
      displayName: (f) => f,
      rasterizeSvg: () => Promise.reject(new Error('no captures here')),
      now: new Date('2026-11-30T08:00:00Z'),
    });
    service.deactivate();
    start({ autoRun: true });
    studyHolds(objects.map((o) => o.part10));
    service.activate();
    const reopened = await until(service, (s) => !!s.stored && s.model.status === 'ready');
    expect(reopened.stored).toMatchObject({ model: { sha256: 'f'.repeat(64) }, currentModel: first.result!.model });
    expect(Date.parse(reopened.stored!.storedAt)).toBe(Date.parse('2026-11-30T08:00:00Z'));
    expect(reopened.result?.model.sha256).toBe('f'.repeat(64));
    expect(counting.analysed).toEqual([]);
  });

  it('an SR arriving after the image is shown replaces nothing the reader asked for, and shows at once', async () => {
    start();
    service.activate();
    await until(service, (s) => s.analysis.status === 'done' && !!s.result);
    await commands().chestXrayAiSendToPacs({});
    const objects = [...received];
    service.deactivate();
    start({ autoRun: false });
    service.activate();
    expect(service.getState()).toMatchObject({ analysis: { status: 'idle' }, result: undefined });
    studyHolds(objects);
    await until(service, (s) => !!s.stored && !!s.result);
    expect(counting.analysed).toEqual([]);
  });

  it("'auto' sends each new analysis once; a viewer without a PACS says storing is off, with the site's hint", async () => {
    start({ storeResults: 'auto' });
    service.activate();
    await until(service, (s) => s.store.send?.status === 'sent');
    const count = received.length;
    viewport.showImage(b.imageId);
    await until(service, (s) => s.result?.imageKey === b.sopInstanceUid && s.store.send?.status === 'sent');
    viewport.showImage(a.imageId);
    await until(service, (s) => s.result?.imageKey === a.sopInstanceUid);
    expect(received.length).toBe(2 * count);
    service.deactivate();

    start({ storeResultsOffHint: 'Start the PACS.' }, { ok: false, reason: 'No DICOMweb PACS.' });
    service.activate();
    const off = await until(service, (s) => s.analysis.status === 'done');
    expect(off.store).toEqual({
      mode: 'ask',
      available: false,
      offReason: 'No DICOMweb PACS.',
      offHint: 'Start the PACS.',
    });
    await commands().chestXrayAiSendToPacs({});
    expect(off.store.send).toBeUndefined();
  });
});
