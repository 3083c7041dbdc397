/**
 * Stand-ins for the OHIF services and the Cornerstone stack viewport that the extension's OHIF
 * layer talks to, in the spirit of OHIF's own service tests: plain objects with the same calls and
 * events, so the service's parts can be unit-tested in Node. Cornerstone's real classes run in the
 * e2e tests (test/e2e) inside Chromium. Node has EventTarget and CustomEvent but no DOM, so a
 * small element stand-in carries the events and the heatmap label the layers put in it.
 */
import type { ActorEntry, HeatmapActor, ImageLayerInput, ViewportLike } from '../../extension/src/types';
import type { Cornerstone } from '../../extension/src/utils/cornerstoneLibraries';
import type { ServicesManager, Subscription } from '../../extension/src/ohifTypes';

type Callback = (payload: unknown) => void;

/** An EventTarget that counts its listeners, so tests can check that every one is removed. */
export class CountingEventTarget extends EventTarget {
  private readonly held = new Map<string, Set<EventListenerOrEventListenerObject>>();

  override addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: AddEventListenerOptions | boolean,
  ): void {
    if (listener) {
      const set = this.held.get(type) ?? new Set();
      set.add(listener);
      this.held.set(type, set);
    }
    super.addEventListener(type, listener, options);
  }

  override removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: EventListenerOptions | boolean,
  ): void {
    if (listener) this.held.get(type)?.delete(listener);
    super.removeEventListener(type, listener, options);
  }

  /** Listeners held now, of one event or of all. */
  listenerCount(type?: string): number {
    if (type !== undefined) return this.held.get(type)?.size ?? 0;
    return [...this.held.values()].reduce((n, set) => n + set.size, 0);
  }
}

/** The DOM calls the extension makes on a viewport element and on the label it adds. */
export class FakeElement extends CountingEventTarget {
  readonly children: FakeElement[] = [];
  readonly attributes = new Map<string, string>();
  readonly style: Record<string, string> = {};
  textContent = '';
  isConnected = true;
  parent?: FakeElement;
  readonly ownerDocument = { createElement: () => new FakeElement() };

  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }

  hasAttribute(name: string): boolean {
    return this.attributes.has(name);
  }

  appendChild(child: FakeElement): FakeElement {
    child.parent = this;
    this.children.push(child);
    return child;
  }

  remove(): void {
    const siblings = this.parent?.children;
    if (siblings) siblings.splice(siblings.indexOf(this), 1);
    this.parent = undefined;
  }

  /** Only the form the label code uses: `:scope > [attribute]`. */
  querySelector(selector: string): FakeElement | null {
    const attribute = /^:scope > \[([^\]]+)\]$/.exec(selector)?.[1];
    if (!attribute) throw new Error(`FakeElement does not support the selector ${selector}`);
    return this.children.find((c) => c.hasAttribute(attribute)) ?? null;
  }

  /** Text of our heatmap label inside this element, if one is there. */
  get labelText(): string | undefined {
    return this.children.find((c) => c.hasAttribute('data-cxrai-heatmap-label'))?.textContent;
  }
}

export class FakePubSub<E extends Record<string, string>> {
  private readonly listeners = new Map<string, Set<Callback>>();

  // OHIF's services name their event table EVENTS.
  // eslint-disable-next-line @typescript-eslint/naming-convention
  constructor(readonly EVENTS: E) {}

  subscribe(event: string, callback: Callback): Subscription {
    const set = this.listeners.get(event) ?? new Set<Callback>();
    set.add(callback);
    this.listeners.set(event, set);
    return { unsubscribe: () => set.delete(callback) };
  }

  publish(event: string, payload?: unknown): void {
    for (const callback of [...(this.listeners.get(event) ?? [])]) callback(payload);
  }

  get listenerCount(): number {
    return [...this.listeners.values()].reduce((n, set) => n + set.size, 0);
  }
}

export class FakeViewportGridService extends FakePubSub<{
  ACTIVE_VIEWPORT_ID_CHANGED: string;
  GRID_STATE_CHANGED: string;
}> {
  activeViewportId = 'default';

  constructor() {
    super({ ACTIVE_VIEWPORT_ID_CHANGED: 'activeViewportIdChanged', GRID_STATE_CHANGED: 'gridStateChanged' });
  }

  getActiveViewportId(): string {
    return this.activeViewportId;
  }

  setActiveViewportId(viewportId: string): void {
    this.activeViewportId = viewportId;
    this.publish(this.EVENTS.ACTIVE_VIEWPORT_ID_CHANGED, { viewportId });
  }
}

export class FakeCornerstoneViewportService extends FakePubSub<{ VIEWPORT_DATA_CHANGED: string }> {
  readonly viewports = new Map<string, FakeStackViewport>();

  constructor() {
    super({ VIEWPORT_DATA_CHANGED: 'viewportDataChanged' });
  }

  getCornerstoneViewport(viewportId: string): FakeStackViewport | null {
    return this.viewports.get(viewportId) ?? null;
  }

  /** Puts a viewport object under an id, as OHIF does on a series switch (same id, new object). */
  setViewport(viewport: FakeStackViewport): void {
    this.viewports.set(viewport.id, viewport);
    this.publish(this.EVENTS.VIEWPORT_DATA_CHANGED, { viewportId: viewport.id });
  }
}

/** OHIF's display sets of the loaded studies (every series' instances), with their events. */
export class FakeDisplaySetService extends FakePubSub<{ DISPLAY_SETS_ADDED: string; DISPLAY_SETS_CHANGED: string }> {
  private readonly sets: Record<string, unknown>[] = [];

  constructor() {
    super({
      DISPLAY_SETS_ADDED: 'event::displaySetService:displaySetsAdded',
      DISPLAY_SETS_CHANGED: 'event::displaySetService:displaySetsChanged',
    });
  }

  getActiveDisplaySets(): Record<string, unknown>[] {
    return this.sets;
  }

  getDisplaySetByUID(uid: string): Record<string, unknown> | undefined {
    return this.sets.find((set) => set.displaySetInstanceUID === uid);
  }

  /** A series arrives (as OHIF's lazy study loading adds them): one display set of its instances. */
  addSeries(instances: Record<string, unknown>[]): void {
    const first = instances[0] ?? {};
    this.sets.push({
      displaySetInstanceUID: `ds-${this.sets.length + 1}`,
      StudyInstanceUID: first.StudyInstanceUID,
      SeriesInstanceUID: first.SeriesInstanceUID,
      SOPClassUID: first.SOPClassUID,
      Modality: first.Modality,
      instances,
    });
    this.publish(this.EVENTS.DISPLAY_SETS_ADDED, {});
  }
}

/** A greyscale image as Cornerstone's loader hands it over, with the metadata modules we read. */
export interface FakeImage {
  imageId: string;
  sopInstanceUid: string;
  rows: number;
  columns: number;
  pixelData: Uint8Array | Uint16Array;
  modality?: string;
  seriesDescription?: string;
  photometricInterpretation?: string;
  bitsStored?: number;
  /** OHIF's naturalised instance metadata (ViewPosition, PatientAge, ...). */
  instance?: Record<string, string>;
}

export const EVENTS = {
  PRE_STACK_NEW_IMAGE: 'CORNERSTONE_PRE_STACK_NEW_IMAGE',
  STACK_NEW_IMAGE: 'CORNERSTONE_STACK_NEW_IMAGE',
  VIEWPORT_NEW_IMAGE_SET: 'CORNERSTONE_VIEWPORT_NEW_IMAGE_SET',
  IMAGE_RENDERED: 'CORNERSTONE_IMAGE_RENDERED',
  // On the event target: a viewport (re)enabled on an element, an image loaded into the cache.
  ELEMENT_ENABLED: 'CORNERSTONE_ELEMENT_ENABLED',
  IMAGE_LOADED: 'CORNERSTONE_IMAGE_LOADED',
  // Cornerstone 5.6.8's load-failure events on its eventTarget (enums/Events.js).
  IMAGE_LOAD_FAILED: 'CORNERSTONE_IMAGE_LOAD_FAILED',
  IMAGE_LOAD_ERROR: 'IMAGE_LOAD_ERROR',
};

function fakeActor(): HeatmapActor & { property: Record<string, unknown> } {
  const property: Record<string, unknown> = {};
  return {
    property,
    getMapper: () => ({ getInputData: () => ({}) }),
    getProperty: () => ({
      setRGBTransferFunction: (_i: number, fn: unknown) => {
        property.rgb = fn;
      },
      setScalarOpacity: (_i: number, fn: unknown) => {
        property.opacity = fn;
      },
    }),
  };
}

/**
 * A stack viewport: the current imageId changes at once, the image object only when it "loads"
 * (as Cornerstone 5.6 does), and new-image events fire on its element: PRE_STACK_NEW_IMAGE on the
 * switch, STACK_NEW_IMAGE once the image object is set, IMAGE_RENDERED on each render.
 */
export class FakeStackViewport implements Omit<ViewportLike, 'element'> {
  readonly element: FakeElement;
  private currentImageId?: string;
  private loaded?: FakeImage;
  readonly actors = new Map<string, ActorEntry & { actor: ReturnType<typeof fakeActor> }>();
  renders = 0;

  constructor(
    readonly id: string,
    private readonly images: Map<string, FakeImage>,
    element?: FakeElement,
  ) {
    this.element = element ?? new FakeElement();
  }

  /** This fake as the structural viewport type the extension's code takes. */
  asViewport(): ViewportLike {
    return this as unknown as ViewportLike;
  }

  getCurrentImageId(): string | undefined {
    return this.currentImageId;
  }

  getCornerstoneImage(): unknown {
    const image = this.loaded;
    if (!image) return undefined;
    return {
      imageId: image.imageId,
      rows: image.rows,
      columns: image.columns,
      getPixelData: () => image.pixelData,
      color: false,
      slope: 1,
      intercept: 0,
    };
  }

  /** Switches the image; with `load: false` the previous image object stays until `finishLoading`. */
  showImage(imageId: string, { load = true }: { load?: boolean } = {}): void {
    this.currentImageId = imageId;
    this.element.dispatchEvent(new CustomEvent(EVENTS.PRE_STACK_NEW_IMAGE, { detail: { viewportId: this.id } }));
    if (load) this.finishLoading();
  }

  /**
   * The image object arrives. With `events: false` it is set but nothing fires on the element, as
   * when Cornerstone's display of it throws after `_setCSImage` (the test sends IMAGE_LOAD_ERROR).
   */
  finishLoading({ events = true }: { events?: boolean } = {}): void {
    this.loaded = this.currentImageId ? this.images.get(this.currentImageId) : undefined;
    if (!events) return;
    this.element.dispatchEvent(new CustomEvent(EVENTS.STACK_NEW_IMAGE, { detail: { viewportId: this.id } }));
    this.render();
  }

  getActor(uid: string) {
    return this.actors.get(uid);
  }

  getActors() {
    return [...this.actors.values()];
  }

  removeActors(uids: string[]): void {
    for (const uid of uids) this.actors.delete(uid);
  }

  addImages(inputs: ImageLayerInput[]): void {
    for (const { imageId, actorUID, callback } of inputs) {
      const actor = fakeActor();
      this.actors.set(actorUID, { uid: actorUID, referencedId: imageId, actor });
      callback({ imageActor: actor });
    }
  }

  render(): void {
    this.renders++;
    this.element.dispatchEvent(new CustomEvent(EVENTS.IMAGE_RENDERED, { detail: { viewportId: this.id } }));
  }
}

/** Cornerstone's metadata, cache and derived-image calls over a set of fake images. */
export function fakeCornerstone(
  images: Map<string, FakeImage>,
): Cornerstone & { cached: Set<string>; eventTarget: CountingEventTarget } {
  const cached = new Set<string>();
  const derived = new Map<string, Float32Array>();
  const generic = new Map<string, unknown>();
  const metaData = {
    get(type: string, imageId: string): unknown {
      const image = images.get(imageId);
      if (!image) return undefined;
      switch (type) {
        case 'instance':
          return image.instance;
        case 'sopCommonModule':
          return { sopInstanceUID: image.sopInstanceUid };
        case 'generalSeriesModule':
          return { modality: image.modality ?? 'DX', seriesDescription: image.seriesDescription };
        case 'imagePixelModule':
          return {
            photometricInterpretation: image.photometricInterpretation ?? 'MONOCHROME2',
            samplesPerPixel: 1,
            bitsStored: image.bitsStored ?? 8,
            pixelRepresentation: 0,
          };
        default:
          return undefined;
      }
    },
  };
  const cornerstone = {
    cached,
    metaData,
    Enums: { Events: EVENTS },
    // Cornerstone's global event target: tests fire IMAGE_LOAD_FAILED on it as the loader does.
    eventTarget: new CountingEventTarget(),
    cache: {
      getImage: (imageId: string) => (images.has(imageId) ? { imageId } : undefined),
      getImageLoadObject: (imageId: string) => (cached.has(imageId) ? {} : undefined),
      removeImageLoadObject: (imageId: string) => {
        cached.delete(imageId);
        derived.delete(imageId);
      },
    },
    imageLoader: {
      // A layer image of its own size (the heatmap layers' small maps), sharing the given array.
      createAndCacheLocalImage: (imageId: string, { scalarData }: { scalarData: Float32Array }) => {
        cached.add(imageId);
        derived.set(imageId, scalarData);
        return { imageId, getPixelData: () => scalarData };
      },
    },
    utilities: {
      updateVTKImageDataWithCornerstoneImage: () => undefined,
      // The plane Cornerstone builds a stack image's vtkImageData from: identity, unit spacing.
      getImageDataMetadata: ({ imageId }: { imageId: string }) => {
        const image = images.get(imageId);
        if (!image) throw new Error(`no image ${imageId}`);
        return {
          origin: [0, 0, 0],
          direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
          spacing: [1, 1, 1],
          dimensions: [image.columns, image.rows, 1],
          modality: image.modality ?? 'DX',
          imagePlaneModule: { rows: image.rows, columns: image.columns, frameOfReferenceUID: '1.2.3' },
        };
      },
      genericMetadataProvider: {
        add: (imageId: string, { type, metadata }: { type: string; metadata: unknown }) =>
          generic.set(`${type}:${imageId}`, metadata),
        addRaw: (imageId: string, { type, metadata }: { type: string; metadata: unknown }) =>
          generic.set(`${type}:${imageId}`, metadata),
        get: (type: string, imageId: string) => generic.get(`${type}:${imageId}`),
      },
    },
  };
  return cornerstone as unknown as Cornerstone & { cached: Set<string>; eventTarget: CountingEventTarget };
}

export interface FakeOhif {
  servicesManager: ServicesManager;
  viewportGridService: FakeViewportGridService;
  cornerstoneViewportService: FakeCornerstoneViewportService;
  extensionManager: { getModuleEntry(id: string): { exports: Record<string, unknown> } | undefined };
  cornerstone: ReturnType<typeof fakeCornerstone>;
}

/** The services an OHIF viewer hands the extension, with the cornerstone extension's utility module. */
export function fakeOhif(images: Map<string, FakeImage>): FakeOhif {
  const viewportGridService = new FakeViewportGridService();
  const cornerstoneViewportService = new FakeCornerstoneViewportService();
  const cornerstone = fakeCornerstone(images);
  const servicesManager = {
    services: { viewportGridService, cornerstoneViewportService },
    registerService: () => undefined,
  } as unknown as ServicesManager;
  const extensionManager = {
    getModuleEntry: (id: string) =>
      id === '@ohif/extension-cornerstone.utilityModule.common'
        ? { exports: { getCornerstoneLibraries: () => ({ cornerstone }) } }
        : undefined,
  };
  return { servicesManager, viewportGridService, cornerstoneViewportService, extensionManager, cornerstone };
}
