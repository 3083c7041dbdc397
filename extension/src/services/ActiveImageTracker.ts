import type { ServicesManager, Subscription } from '../ohifTypes';
import type { ActiveImageState, ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';
import { displayedImage } from '../utils/radiographPixelsFromViewport';

/** What the active viewport holds right now. */
export type ViewportReading =
  | { kind: 'none' }
  /** Not a 2D stack (a volume or a non-image viewport): the model does not apply. */
  | { kind: 'not-a-stack'; viewportId: string }
  /** A stack whose image is not set yet. */
  | { kind: 'no-image'; viewportId: string }
  | { kind: 'image'; viewport: ViewportLike; active: ActiveImageState };

/** Whether two readings show the same image in the same viewport. */
export const sameImage = (a: ViewportReading, b: ViewportReading) =>
  a.kind === 'image' &&
  b.kind === 'image' &&
  a.active.viewportId === b.active.viewportId &&
  a.active.imageId === b.active.imageId &&
  a.active.imageKey === b.active.imageKey;

export interface ActiveImageEvents {
  /** Something may have changed which image is active: re-read it. */
  onViewerChanged(): void;
  /** A viewport's image was swapped (synchronously, before the next render). */
  onImageSwapped(viewportId: string): void;
}

/**
 * Follows the viewer: OHIF's grid and viewport events, and Cornerstone's new-image events on each
 * viewport element. Owns those subscriptions and nothing else; `read()` says what is active.
 */
export class ActiveImageTracker {
  private subscriptions: Subscription[] = [];
  private events?: ActiveImageEvents;
  private readonly elementListeners = new Map<HTMLElement, () => void>();

  constructor(
    private readonly servicesManager: ServicesManager,
    private readonly cornerstone: () => Cornerstone,
  ) {}

  get following(): boolean {
    return this.events !== undefined;
  }

  getViewport(viewportId: string): ViewportLike | undefined {
    const { cornerstoneViewportService } = this.servicesManager.services;
    return (cornerstoneViewportService.getCornerstoneViewport(viewportId) ?? undefined) as ViewportLike | undefined;
  }

  start(events: ActiveImageEvents): void {
    if (this.following) return;
    const { viewportGridService, cornerstoneViewportService } = this.servicesManager.services;
    const changed = () => events.onViewerChanged();
    this.events = events;
    this.subscriptions = [
      viewportGridService.subscribe(viewportGridService.EVENTS.ACTIVE_VIEWPORT_ID_CHANGED, changed),
      viewportGridService.subscribe(viewportGridService.EVENTS.GRID_STATE_CHANGED, changed),
      cornerstoneViewportService.subscribe(cornerstoneViewportService.EVENTS.VIEWPORT_DATA_CHANGED, changed),
    ].filter(Boolean);
  }

  stop(): void {
    this.subscriptions.forEach((s) => s.unsubscribe());
    this.subscriptions = [];
    for (const remove of this.elementListeners.values()) remove();
    this.elementListeners.clear();
    this.events = undefined;
  }

  /** Listeners on viewport elements (for tests and leak checks). */
  get watchedElementCount(): number {
    return this.elementListeners.size;
  }

  read(): ViewportReading {
    let viewportId: string | undefined;
    let viewport: ViewportLike | undefined;
    try {
      viewportId = this.servicesManager.services.viewportGridService.getActiveViewportId?.();
      viewport = viewportId ? this.getViewport(viewportId) : undefined;
    } catch {
      viewport = undefined;
    }
    if (!viewportId || !viewport) return { kind: 'none' };
    this.watchElement(viewportId, viewport.element);
    const shown = displayedImage(this.cornerstone(), viewport);
    if (shown) return { kind: 'image', viewport, active: { ...shown, viewportId } };
    return typeof viewport.getCurrentImageId === 'function'
      ? { kind: 'no-image', viewportId }
      : { kind: 'not-a-stack', viewportId };
  }

  /**
   * Listens for image changes on a viewport's element. OHIF replaces the viewport object (same id,
   * same element) on a series switch, so the listener holds only the id; listeners of elements no
   * longer in the page are dropped.
   */
  private watchElement(viewportId: string, element: HTMLElement | undefined): void {
    for (const [watched, remove] of this.elementListeners) {
      if (!watched.isConnected) {
        remove();
        this.elementListeners.delete(watched);
      }
    }
    if (!element || this.elementListeners.has(element) || !this.following) return;
    const { Events } = this.cornerstone().Enums;
    const onNewImage = (event: Event) => {
      const id = (event as CustomEvent<{ viewportId?: string } | undefined>).detail?.viewportId ?? viewportId;
      this.events?.onImageSwapped(id);
    };
    const names = [Events.PRE_STACK_NEW_IMAGE, Events.STACK_NEW_IMAGE, Events.VIEWPORT_NEW_IMAGE_SET];
    names.forEach((name) => element.addEventListener(name, onNewImage));
    this.elementListeners.set(element, () => names.forEach((name) => element.removeEventListener(name, onNewImage)));
  }

  activeViewportId(): string | undefined {
    try {
      return this.servicesManager.services.viewportGridService.getActiveViewportId?.();
    } catch {
      return undefined;
    }
  }
}
