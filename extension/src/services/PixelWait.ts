import { EngineError, type RadiographPixels } from '../engine';
import type { ActiveImageState, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { radiographPixelsFromViewport } from '../utils/radiographPixelsFromViewport';
import { ImageLoadFailed, type ImageLoadFailures } from './ImageLoadFailures';

/** How long an image may take to load before the analysis gives up on it. */
export const IMAGE_LOAD_TIMEOUT_MS = 60_000;

export interface PixelWaitDeps {
  getViewport(viewportId: string): ViewportLike | undefined;
  cornerstone(): Cornerstone;
  loadFailures: ImageLoadFailures;
}

/** The wait was called off (the reader moved on, or the mode was left); never shown. */
export class StaleRequest extends Error {}

type EventNames = Record<string, string | undefined>;

/**
 * One wait for the active image's pixels, driven by Cornerstone's events, not by polling. In
 * Cornerstone 5.6.8 a stack viewport sets its image object (`_setCSImage`) and then fires
 * STACK_NEW_IMAGE on its element, and IMAGE_RENDERED once drawn; a display that throws after the
 * image object is set reports IMAGE_LOAD_ERROR on the event target (sometimes without an
 * imageId); a replaced viewport is announced by ELEMENT_ENABLED. Each of these makes the wait look
 * again. Every listener it adds goes when it settles or is aborted.
 */
export class PixelWait {
  readonly pixels: Promise<RadiographPixels>;
  private settled = false;
  private element?: EventTarget;
  private timer?: ReturnType<typeof setTimeout>;
  private stopFailureWait?: () => void;
  private resolve!: (pixels: RadiographPixels) => void;
  private reject!: (error: unknown) => void;
  private readonly look = () => this.attempt();
  private readonly onFailure = (technical: string) => this.failed(technical);

  constructor(
    private readonly active: ActiveImageState,
    private readonly deps: PixelWaitDeps,
    timeoutMs = IMAGE_LOAD_TIMEOUT_MS,
  ) {
    this.pixels = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const target = this.eventTarget();
    for (const name of this.targetEvents()) target?.addEventListener(name, this.look);
    this.stopFailureWait = deps.loadFailures.onFailure(active.imageId, this.onFailure);
    this.timer = setTimeout(
      () => this.finish(() => this.reject(new EngineError('image-unsupported', 'The image did not finish loading.'))),
      timeoutMs,
    );
    this.attempt();
  }

  get viewportId(): string {
    return this.active.viewportId;
  }

  /** Listeners this wait holds now (0 once settled). */
  get listenerCount(): number {
    if (this.settled) return 0;
    return this.targetEvents().length + (this.element ? this.elementEvents().length : 0) + 1;
  }

  /** Calls the wait off: it rejects with StaleRequest and drops its listeners. */
  abort(): void {
    this.finish(() => this.reject(new StaleRequest()));
  }

  private names(): EventNames {
    return ((this.deps.cornerstone() as unknown as { Enums?: { Events?: EventNames } }).Enums?.Events ??
      {}) as EventNames;
  }

  private elementEvents(): string[] {
    const e = this.names();
    return [e.STACK_NEW_IMAGE, e.IMAGE_RENDERED, e.VIEWPORT_NEW_IMAGE_SET].filter((n): n is string => !!n);
  }

  private targetEvents(): string[] {
    const e = this.names();
    return [e.IMAGE_LOAD_ERROR, e.ELEMENT_ENABLED].filter((n): n is string => !!n);
  }

  private eventTarget(): EventTarget | undefined {
    const target = (this.deps.cornerstone() as unknown as { eventTarget?: EventTarget }).eventTarget;
    return target && typeof target.addEventListener === 'function' ? target : undefined;
  }

  /** Listens on the element of the viewport that holds the id now (OHIF may have replaced it). */
  private follow(viewport: ViewportLike | undefined): void {
    const element = viewport?.element as EventTarget | undefined;
    if (element === this.element) return;
    this.unfollow();
    if (!element || typeof element.addEventListener !== 'function') return;
    for (const name of this.elementEvents()) element.addEventListener(name, this.look);
    this.element = element;
  }

  private unfollow(): void {
    if (!this.element) return;
    for (const name of this.elementEvents()) this.element.removeEventListener(name, this.look);
    this.element = undefined;
  }

  /** The active image's pixels if the viewport holds that image object now. */
  private read(): RadiographPixels | undefined {
    const viewport = this.deps.getViewport(this.active.viewportId);
    this.follow(viewport);
    const got = viewport ? radiographPixelsFromViewport(this.deps.cornerstone(), viewport) : undefined;
    return got && got.image.imageId === this.active.imageId && got.image.imageKey === this.active.imageKey
      ? got.pixels
      : undefined;
  }

  /** Settles the wait when the pixels can be read now (or reading them throws); says whether it did. */
  private settleIfReadable(): boolean {
    let pixels: RadiographPixels | undefined;
    try {
      pixels = this.read();
    } catch (error) {
      this.finish(() => this.reject(error));
      return true;
    }
    if (!pixels) return false;
    const loaded = pixels;
    this.finish(() => this.resolve(loaded));
    return true;
  }

  private attempt(): void {
    if (this.settled || this.settleIfReadable()) return;
    const failure = this.deps.loadFailures.failureOf(this.active.imageId);
    if (failure !== undefined) this.failed(failure);
  }

  /**
   * Cornerstone reported a failure for this imageId. StackViewport also sends IMAGE_LOAD_ERROR
   * when the image loaded but its display threw afterwards (OHIF 3.13: a VOI LUT Function of
   * LINEAR_EXACT reaches the image as "L", and setting the VOI range throws "Invalid VOI LUT
   * function"): the image object is then in the viewport already, and its pixels are whole.
   */
  private failed(technical: string): void {
    if (this.settled || this.settleIfReadable()) return;
    const declared = this.deps.cornerstone().metaData.get('transferSyntax', this.active.imageId) as
      { transferSyntaxUID?: unknown } | undefined;
    const syntax = typeof declared?.transferSyntaxUID === 'string' ? declared.transferSyntaxUID : undefined;
    this.finish(() => this.reject(new ImageLoadFailed(technical, syntax)));
  }

  private finish(settle: () => void): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.unfollow();
    const target = this.eventTarget();
    for (const name of this.targetEvents()) target?.removeEventListener(name, this.look);
    this.stopFailureWait?.();
    this.stopFailureWait = undefined;
    settle();
  }
}
