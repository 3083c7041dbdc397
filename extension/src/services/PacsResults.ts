import type { ChestXrayAiConfig } from '../config';
import { buildResultObjects, captureBackground, sourceImageFromDataset } from '../dicomResults';
import type { NaturalizedDataset, ResultObject } from '../dicomResults/types';
import type { AnalysisResult, Heatmap, ModelIdentity } from '../engine';
import type { ExtensionManager, ServicesManager } from '../ohifTypes';
import type { ActiveImageState, StoredResultView, StoreState, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { radiographPixelsFromViewport } from '../utils/radiographPixelsFromViewport';
import { rasterizeSvgInBrowser } from '../utils/rasterizeSvgInBrowser';
import { pacsStoreAccess, type PacsStoreAccess } from './PacsStore';
import { ResultSender } from './ResultSender';
import { StoredResults, type ImageIdentity, type StoredEntry } from './StoredResults';

export interface PacsResultsDeps {
  servicesManager: ServicesManager;
  extensionManager: ExtensionManager;
  config(): ChestXrayAiConfig;
  cornerstone(): Cornerstone;
  onChange(): void;
  getViewport(viewportId: string): ViewportLike | undefined;
  /** Tests replace what the browser gives (a store access, a clock, the request objects). */
  access?(): PacsStoreAccess;
  newRequest?(): XMLHttpRequest | undefined;
  now?(): Date;
}

/** What the objects of one result are built from, at the moment the reader sends it. */
export interface ShownResult {
  active: ActiveImageState;
  result: AnalysisResult;
  /** Every finding's map exactly as the viewer draws it. */
  maps: Heatmap[];
  /** Findings whose map is on screen: one burned-in capture each. */
  shown: string[];
  displayName(finding: string): string;
}

/** Longest side of a capture's film (the objects' 10 MB budget may shrink it further). */
const CAPTURE_MAX_SIDE = 1024;

const frameOf = (imageKey: string): number => {
  const frame = Number(imageKey.split('#')[1]);
  return Number.isInteger(frame) && frame > 0 ? frame : 1;
};

/**
 * The PACS side of the panel: storing results through the viewer's own data source, and finding
 * the results stored before in the study of the image on screen.
 */
export class PacsResults {
  readonly sender: ResultSender;
  readonly stored: StoredResults;
  /** Images whose stored result the reader set aside for a new analysis ("Run analyses again"). */
  private readonly analysisWanted = new Set<string>();
  /** Results delivered once already (a kept result shown again is not a new analysis). */
  private readonly delivered = new WeakSet<AnalysisResult>();
  /** The result shape of each stored result, made once per state of its maps. */
  private readonly shapes = new WeakMap<StoredEntry, { maps: StoredEntry['mapsState']; result: AnalysisResult }>();

  constructor(private readonly deps: PacsResultsDeps) {
    this.sender = new ResultSender({
      onChange: deps.onChange,
      newRequest: deps.newRequest ?? (() => (typeof XMLHttpRequest === 'undefined' ? undefined : new XMLHttpRequest())),
      now: deps.now,
    });
    this.stored = new StoredResults(deps.servicesManager, deps.extensionManager, deps.onChange);
  }

  access(): PacsStoreAccess {
    return this.deps.access?.() ?? pacsStoreAccess(this.deps.extensionManager);
  }

  /** Where storing stands for the result shown (none, when it is a stored one). */
  storeState(result: AnalysisResult | undefined): StoreState {
    const config = this.deps.config();
    const access = this.access();
    if (!access.ok) {
      return {
        mode: config.storeResults,
        available: false,
        offReason: access.reason,
        offHint: config.storeResultsOffHint,
      };
    }
    const send = this.sender.stateOf(result);
    return { mode: config.storeResults, available: true, pacs: access.name, ...(send ? { send } : {}) };
  }

  /** OHIF's naturalised metadata of the image on screen (its DicomMetadataStore instance). */
  private instanceOf(active: ActiveImageState): NaturalizedDataset | undefined {
    return this.deps.cornerstone().metaData.get('instance', active.imageId) as NaturalizedDataset | undefined;
  }

  identityOf(active: ActiveImageState): ImageIdentity | undefined {
    const instance = this.instanceOf(active);
    const sop = typeof instance?.SOPInstanceUID === 'string' ? instance.SOPInstanceUID : active.imageKey.split('#')[0];
    if (!sop) return undefined;
    const study = typeof instance?.StudyInstanceUID === 'string' ? instance.StudyInstanceUID : undefined;
    return { studyInstanceUid: study, sopInstanceUid: sop, frameNumber: frameOf(active.imageKey) };
  }

  /** A stored result of ours computed on exactly this image (SOP Instance UID and frame). */
  storedFor(active: ActiveImageState | undefined): StoredEntry | undefined {
    const identity = active && this.identityOf(active);
    return identity ? this.stored.forImage(identity) : undefined;
  }

  /**
   * The stored result to show for this image, in the shape the panel and drawer take results;
   * none once the reader asked for a new analysis of it.
   */
  shown(active: ActiveImageState | undefined): { entry: StoredEntry; result: AnalysisResult } | undefined {
    if (!active || this.analysisWanted.has(active.imageKey)) return undefined;
    const entry = this.storedFor(active);
    if (!entry) return undefined;
    const kept = this.shapes.get(entry);
    if (kept && kept.maps === entry.mapsState) return { entry, result: kept.result };
    const pixel = this.deps.cornerstone().metaData.get('imagePixelModule', active.imageId) as
      { rows?: number; columns?: number } | undefined;
    const result = StoredResults.asResult(
      entry,
      active.imageKey,
      Number(pixel?.rows) || 0,
      Number(pixel?.columns) || 0,
    );
    this.shapes.set(entry, { maps: entry.mapsState, result });
    return { entry, result };
  }

  /** The reader asked for a new analysis of this image: its stored result gives way (never mixed). */
  preferAnalysis(imageKey: string): void {
    this.analysisWanted.add(imageKey);
  }

  /** What the panel says about a stored result; `current` is the configured model, when loaded. */
  viewOf({ stored, mapsState, mapsMessage }: StoredEntry, current: ModelIdentity | undefined): StoredResultView {
    return {
      storedAt: stored.storedAt,
      model: stored.model,
      backend: stored.backend,
      srSeriesInstanceUid: stored.srSeriesInstanceUid,
      ...(current && current.sha256 !== stored.model.sha256 ? { currentModel: current } : {}),
      maps: mapsState,
      ...(mapsMessage ? { mapsMessage } : {}),
    };
  }

  /**
   * 'auto': whether a delivered result goes to the PACS now: on its first delivery only, and not
   * when this image's stored result comes from the same model (no second copy on reopening).
   */
  shouldAutoSend(result: AnalysisResult, active: ActiveImageState | undefined): boolean {
    const first = !this.delivered.has(result);
    this.delivered.add(result);
    if (!first || this.deps.config().storeResults !== 'auto' || !this.access().ok) return false;
    return this.storedFor(active)?.stored.model.sha256 !== result.model.sha256;
  }

  /** Sends the shown result (at most once; a failed one again). */
  send(shown: ShownResult): Promise<void> {
    const access = this.access();
    if (!access.ok) return Promise.resolve();
    return this.sender.send(shown.result, {
      pacs: access.name,
      store: access.store,
      build: () => this.build(shown),
    });
  }

  private build({ active, result, maps, shown, displayName }: ShownResult): Promise<ResultObject[]> {
    const instance = this.instanceOf(active);
    if (!instance) throw new Error('the viewer holds no DICOM metadata for this image');
    const viewport = this.deps.getViewport(active.viewportId);
    const read = viewport && radiographPixelsFromViewport(this.deps.cornerstone(), viewport);
    const pixels = read && read.image.imageKey === active.imageKey ? read.pixels : undefined;
    return buildResultObjects({
      result,
      source: sourceImageFromDataset(instance, frameOf(active.imageKey)),
      maps,
      // Captures are drawn on the film itself: without its pixels there are none (the SR and maps go).
      captureFindings: pixels ? shown : [],
      ...(pixels ? { background: captureBackground(pixels, CAPTURE_MAX_SIDE) } : {}),
      displayName,
      rasterizeSvg: rasterizeSvgInBrowser,
      now: this.deps.now?.() ?? new Date(),
    });
  }
}
