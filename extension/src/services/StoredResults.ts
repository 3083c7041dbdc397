import { heatmapFromParametricMap, parsePart10, readStoredResult } from '../dicomResults';
import type { NaturalizedDataset, StoredResult } from '../dicomResults/types';
import type { AnalysisResult, Heatmap } from '../engine';
import type { ServicesManager, Subscription } from '../ohifTypes';
import type { DataSourceManager } from './PacsStore';

const COMPREHENSIVE_3D_SR = '1.2.840.10008.5.1.4.1.1.88.34';

/** A display set as OHIF 3.13 holds it (any SOP class handler, the "unsupported" one too). */
interface DisplaySetLike {
  StudyInstanceUID?: string;
  SOPClassUID?: string;
  instances?: NaturalizedDataset[];
  instance?: NaturalizedDataset;
}

interface DisplaySetSource {
  EVENTS: Record<string, string>;
  getActiveDisplaySets(): DisplaySetLike[];
  subscribe(event: string, callback: () => void): Subscription;
}

/** The data source's own WADO-RS client (`retrieve.getWadoDicomWebClient`), as far as we use it. */
interface WadoClient {
  retrieveInstance(options: {
    studyInstanceUID: string;
    seriesInstanceUID: string;
    sopInstanceUID: string;
  }): Promise<ArrayBuffer | ArrayBuffer[]>;
}

/** The image a stored result must have been computed on. */
export interface ImageIdentity {
  studyInstanceUid?: string;
  sopInstanceUid: string;
  frameNumber: number;
}

export interface StoredEntry {
  stored: StoredResult;
  /** The stored maps, per finding, once read from the PACS. */
  maps: Map<string, Heatmap>;
  mapsState: 'reading' | 'ready' | 'failed';
  mapsMessage?: string;
}

const text = (value: unknown): string | undefined => {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' ? v : undefined;
};

/** The Float Pixel Data of a map read with dcmjs (one ArrayBuffer, or one per fragment). */
function floatPixelsOf(dataset: NaturalizedDataset): Float32Array {
  const value = dataset.FloatPixelData;
  const buffers = (Array.isArray(value) ? value : [value]).filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
  const bytes = buffers.reduce((n, b) => n + b.byteLength, 0);
  if (bytes === 0 || bytes % 4 !== 0) throw new Error('the Parametric Map has no float pixel data');
  const joined = new Uint8Array(bytes);
  let at = 0;
  for (const b of buffers) {
    joined.set(new Uint8Array(b), at);
    at += b.byteLength;
  }
  return new Float32Array(joined.buffer);
}

/**
 * Our SRs in the studies the viewer has loaded, found through OHIF's own metadata (its display
 * sets, which hold every series' instances, SR included), never a query of our own. Reading an SR
 * of the study is synchronous (its content tree is in the series metadata); its Parametric Maps
 * are fetched once, through the data source's WADO-RS client (the viewer's connection and auth).
 */
export class StoredResults {
  /** By SR SOP Instance UID: what it says, or null when it is not one of ours. */
  private readonly read = new Map<string, StoredResult | null>();
  private readonly entries = new Map<string, StoredEntry>();
  /**
   * The studies' instances as last walked, while display-set events say when they change: the
   * panel asks on every state snapshot, and a walk is over every instance of the study.
   */
  private readonly instancesByStudy = new Map<string, NaturalizedDataset[]>();
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly servicesManager: ServicesManager,
    private readonly extensionManager: DataSourceManager,
    private readonly onChange: () => void,
  ) {}

  private get displaySets(): DisplaySetSource | undefined {
    const service = this.servicesManager.services.displaySetService as unknown as Partial<DisplaySetSource> | undefined;
    return typeof service?.getActiveDisplaySets === 'function' ? (service as DisplaySetSource) : undefined;
  }

  /** Follows series arriving (lazy study loading): an SR may come after the image is shown. */
  start(): void {
    const source = this.displaySets;
    if (!source || this.subscriptions.length) return;
    const names = ['DISPLAY_SETS_ADDED', 'DISPLAY_SETS_CHANGED'].map((key) => source.EVENTS[key]).filter(Boolean);
    this.subscriptions = names.map((name) =>
      source.subscribe(name, () => {
        this.instancesByStudy.clear();
        this.onChange();
      }),
    );
  }

  stop(): void {
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.subscriptions = [];
    this.instancesByStudy.clear();
  }

  /** Every instance of the loaded studies, once each; kept while the display-set events are followed. */
  private instances(studyInstanceUid: string | undefined): NaturalizedDataset[] {
    if (!this.subscriptions.length) return this.walkInstances(studyInstanceUid);
    const key = studyInstanceUid ?? '';
    let instances = this.instancesByStudy.get(key);
    if (!instances) {
      instances = this.walkInstances(studyInstanceUid);
      this.instancesByStudy.set(key, instances);
    }
    return instances;
  }

  /** Every instance of the loaded studies, once each (display sets may share instances). */
  private walkInstances(studyInstanceUid: string | undefined): NaturalizedDataset[] {
    const seen = new Set<unknown>();
    const out: NaturalizedDataset[] = [];
    let sets: DisplaySetLike[];
    try {
      sets = this.displaySets?.getActiveDisplaySets() ?? [];
    } catch {
      return out;
    }
    for (const set of sets) {
      if (studyInstanceUid && set.StudyInstanceUID && set.StudyInstanceUID !== studyInstanceUid) continue;
      for (const instance of set.instances ?? (set.instance ? [set.instance] : [])) {
        if (!instance || seen.has(instance)) continue;
        seen.add(instance);
        out.push(instance);
      }
    }
    return out;
  }

  private storedOf(instance: NaturalizedDataset): StoredResult | undefined {
    const uid = text(instance.SOPInstanceUID);
    if (!uid || text(instance.SOPClassUID) !== COMPREHENSIVE_3D_SR) return undefined;
    if (!this.read.has(uid)) {
      let stored: StoredResult | undefined;
      try {
        stored = readStoredResult(instance);
      } catch (error) {
        console.warn('[chest-xray-ai] an SR of the study could not be read', error);
      }
      this.read.set(uid, stored ?? null);
    }
    return this.read.get(uid) ?? undefined;
  }

  /**
   * The newest stored result of ours computed on exactly this image (SOP Instance UID and frame),
   * if its study holds one; its maps start loading on first ask.
   */
  forImage(image: ImageIdentity): StoredEntry | undefined {
    const instances = this.instances(image.studyInstanceUid);
    const matching = instances
      .map((instance) => this.storedOf(instance))
      .filter(
        (s): s is StoredResult =>
          !!s && s.imageSopInstanceUid === image.sopInstanceUid && s.frameNumber === image.frameNumber,
      )
      .sort((a, b) => Date.parse(b.storedAt) - Date.parse(a.storedAt));
    const stored = matching[0];
    if (!stored) return undefined;
    let entry = this.entries.get(stored.srSopInstanceUid);
    if (!entry) {
      entry = { stored, maps: new Map(), mapsState: 'reading' };
      this.entries.set(stored.srSopInstanceUid, entry);
      void this.readMaps(entry, instances);
    }
    return entry;
  }

  private wadoClient(): WadoClient | undefined {
    try {
      const dataSource = this.extensionManager.getActiveDataSource?.()?.[0] as
        { retrieve?: { getWadoDicomWebClient?: () => WadoClient } } | undefined;
      return dataSource?.retrieve?.getWadoDicomWebClient?.();
    } catch {
      return undefined;
    }
  }

  /** Fetches each Parametric Map of the result once (a multi-frame map serves all its findings). */
  private async readMaps(entry: StoredEntry, instances: NaturalizedDataset[]): Promise<void> {
    const { stored } = entry;
    try {
      const client = this.wadoClient();
      if (!client) throw new Error('the data source has no WADO-RS client');
      const files = new Map<string, Promise<NaturalizedDataset>>();
      const fetchMap = (sopInstanceUid: string) => {
        const instance = instances.find((i) => text(i.SOPInstanceUID) === sopInstanceUid);
        const seriesInstanceUid = text(instance?.SeriesInstanceUID);
        const studyInstanceUid = text(instance?.StudyInstanceUID);
        if (!seriesInstanceUid || !studyInstanceUid) {
          return Promise.reject(new Error(`the study holds no map ${sopInstanceUid}`));
        }
        return client
          .retrieveInstance({
            studyInstanceUID: studyInstanceUid,
            seriesInstanceUID: seriesInstanceUid,
            sopInstanceUID: sopInstanceUid,
          })
          .then((bytes) => parsePart10(Array.isArray(bytes) ? bytes[0] : bytes));
      };
      for (const map of stored.maps) {
        if (!files.has(map.sopInstanceUid)) files.set(map.sopInstanceUid, fetchMap(map.sopInstanceUid));
        const dataset = await files.get(map.sopInstanceUid)!;
        entry.maps.set(map.finding, heatmapFromParametricMap(dataset, floatPixelsOf(dataset), map.frameNumber));
      }
      entry.mapsState = 'ready';
    } catch (error) {
      console.error('[chest-xray-ai] the stored heatmaps could not be read', error);
      entry.mapsState = 'failed';
      entry.mapsMessage = `The stored heatmaps could not be read: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.onChange();
  }

  /** The stored result in the shape the panel and the drawer take (no CAMs: its maps are stored). */
  static asResult(entry: StoredEntry, imageKey: string, rows: number, columns: number): AnalysisResult {
    const { stored } = entry;
    const fullScale = [...entry.maps.values()][0]?.fullScale ?? 1;
    return {
      imageKey,
      findings: stored.findings,
      backend: stored.backend,
      model: stored.model,
      intendedUse: '',
      timingsMs: { prepareMs: 0, inferenceMs: 0, totalMs: 0 },
      geometry: {
        imageRows: rows,
        imageColumns: columns,
        crop: { x: 0, y: 0, width: columns, height: rows },
        gridSize: [0, 0],
      },
      voiSource: 'voi-lut',
      cams: { data: new Float32Array(0), shape: [1, 0, 0, 0] },
      probabilities: Float32Array.from(stored.findings.map((f) => f.probability)),
      heatmapFullScale: fullScale,
    };
  }
}
