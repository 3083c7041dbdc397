import { EngineError } from '../engine';
import type { Cornerstone } from '../utils/cornerstoneLibraries';

/** Cornerstone's own words for a load that failed, whatever shape its event detail has. */
function failureText(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object') {
    const e = error as { message?: unknown; error?: unknown; status?: unknown };
    if (typeof e.message === 'string') return e.message;
    if (e.error !== undefined) return failureText(e.error);
    if (e.status !== undefined) return `status ${String(e.status)}`;
  }
  return String(error);
}

/**
 * Transfer syntaxes the viewer's loader (OHIF 3.13, dicom-image-loader 5.6.8) does not read although
 * it has no "No decoder" message for them: it parses a deflated dataset without inflating it.
 */
const VIEWER_UNREAD_SYNTAXES = new Set(['1.2.840.10008.1.2.1.99']);

/** The image could not be loaded by the viewer (Cornerstone's IMAGE_LOAD_FAILED / IMAGE_LOAD_ERROR). */
export class ImageLoadFailed extends EngineError {
  constructor(
    readonly technical: string,
    declaredSyntax?: string,
  ) {
    // The loader names a transfer syntax it has no decoder for; anything else is a damaged file,
    // unless the header declares a syntax the loader is known not to read.
    const syntax =
      /No decoder for transfer syntax ([0-9.]+)/.exec(technical)?.[1] ??
      (declaredSyntax && VIEWER_UNREAD_SYNTAXES.has(declaredSyntax) ? declaredSyntax : undefined);
    super(
      'image-unsupported',
      syntax
        ? `This image is compressed in a way the viewer does not read (transfer syntax ${syntax}).`
        : 'This file is damaged or is not a DICOM image: the viewer could not load it.',
    );
  }
}

/**
 * Cornerstone's image-load failures (IMAGE_LOAD_FAILED / IMAGE_LOAD_ERROR on its event target):
 * which imageIds failed, in its words, and who is waiting for an imageId.
 */
export class ImageLoadFailures {
  private readonly failures = new Map<string, string>();
  private readonly waiters = new Map<string, Set<(technical: string) => void>>();
  private listening?: { target: EventTarget; names: string[]; listener: (event: Event) => void };

  constructor(private readonly cornerstone: () => Cornerstone) {}

  /**
   * Listens (once) to Cornerstone's load-failure events, so an analysis waiting for pixels that
   * will never come ends as soon as Cornerstone says so, not after the timeout.
   */
  listen(): void {
    if (this.listening) return;
    const cornerstone = this.cornerstone() as unknown as {
      eventTarget?: EventTarget;
      Enums?: { Events?: Record<string, string> };
    };
    const target = cornerstone.eventTarget;
    if (!target || typeof target.addEventListener !== 'function') return;
    const events = cornerstone.Enums?.Events ?? {};
    const names = [
      events.IMAGE_LOAD_FAILED ?? 'CORNERSTONE_IMAGE_LOAD_FAILED',
      events.IMAGE_LOAD_ERROR ?? 'IMAGE_LOAD_ERROR',
    ];
    const listener = (event: Event) => {
      const detail = (event as CustomEvent).detail as unknown;
      // StackViewport.loadImages sends a list of settled results; the others one { imageId, error }.
      const items = (Array.isArray(detail) ? detail : [detail]) as {
        imageId?: unknown;
        error?: unknown;
        reason?: unknown;
      }[];
      for (const item of items) {
        if (!item || typeof item.imageId !== 'string') continue;
        const technical = failureText(item.error ?? item.reason);
        // The viewport's "Couldn't decode" after the loader's own report would hide the loader's words.
        if (!(technical === "Couldn't decode" && this.failures.has(item.imageId)))
          this.failures.set(item.imageId, technical);
        for (const waiter of this.waiters.get(item.imageId) ?? []) waiter(technical);
      }
    };
    for (const name of names) target.addEventListener(name, listener);
    this.listening = { target, names, listener };
  }

  /** Stops listening to Cornerstone (the service is being destroyed). */
  dispose(): void {
    if (!this.listening) return;
    const { target, names, listener } = this.listening;
    for (const name of names) target.removeEventListener(name, listener);
    this.listening = undefined;
  }

  /** Listeners held on Cornerstone's event target (leak checks). */
  get listenerCount(): number {
    return this.listening ? this.listening.names.length : 0;
  }

  /** Cornerstone's words for an imageId that failed to load, if it did. */
  failureOf(imageId: string): string | undefined {
    return this.failures.get(imageId);
  }

  /** Calls `waiter` when the imageId fails; returns the way to stop waiting. */
  onFailure(imageId: string, waiter: (technical: string) => void): () => void {
    let set = this.waiters.get(imageId);
    if (!set) this.waiters.set(imageId, (set = new Set()));
    set.add(waiter);
    return () => {
      const current = this.waiters.get(imageId);
      current?.delete(waiter);
      if (current?.size === 0) this.waiters.delete(imageId);
    };
  }
}
