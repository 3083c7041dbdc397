import type { ViewportLike } from '../types';
import type { Cornerstone } from '../utils/cornerstoneLibraries';

/** One finding's caption on the image, beside its map's hottest point. */
export interface FindingCaption {
  finding: string;
  text: string;
  colour: string;
  /** Image pixel (row, column) of the map's peak. */
  peak: { row: number; column: number };
}

const ATTRIBUTE = 'data-cxrai-finding-label';

/** A caption's box on screen, in the viewport element's CSS pixels. */
export interface CaptionBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Space kept between two captions, so each box's border stays readable. */
const CAPTION_GAP = 2;

const intersects = (a: CaptionBox, b: CaptionBox) =>
  a.left < b.left + b.width + CAPTION_GAP &&
  b.left < a.left + a.width + CAPTION_GAP &&
  a.top < b.top + b.height + CAPTION_GAP &&
  b.top < a.top + a.height + CAPTION_GAP;

/**
 * Where each caption goes so no two overlap: in order, each keeps its wanted box when that is
 * free; otherwise it moves up or down (never sideways, so it stays beside its peak) to the
 * nearest free slot, one that lies inside the viewport's height where there is one.
 */
export function placeCaptions(wanted: CaptionBox[], viewportHeight = Infinity): CaptionBox[] {
  const placed: CaptionBox[] = [];
  for (const box of wanted) {
    const free = (top: number) => !placed.some((other) => intersects({ ...box, top }, other));
    const inside = (top: number) => top >= 0 && top + box.height <= viewportHeight;
    // The slots worth trying: where it wants to be, and just above or below each placed caption.
    const slots = [
      box.top,
      ...placed.flatMap((other) => [other.top - box.height - CAPTION_GAP, other.top + other.height + CAPTION_GAP]),
    ].filter(free);
    const nearest = (tops: number[]) =>
      tops.reduce<number | undefined>(
        (best, top) => (best === undefined || Math.abs(top - box.top) < Math.abs(best - box.top) ? top : best),
        undefined,
      );
    // A free slot always exists: below the lowest placed caption.
    const top = nearest(slots.filter(inside)) ?? nearest(slots) ?? box.top;
    placed.push({ ...box, top });
  }
  return placed;
}

/**
 * Captions ("Cardiomegaly 62%") drawn in each map's own colour beside its hottest point, inside
 * the viewport element; they follow zoom, pan, rotation and flip by re-placing on every camera
 * change, and let the mouse through to the viewer's tools.
 */
export class FindingLabels {
  private readonly byViewport = new Map<
    string,
    { element: HTMLElement; labels: HTMLElement[]; unlisten: () => void; place: () => void }
  >();

  constructor(private readonly cornerstone: () => Cornerstone) {}

  show(viewport: ViewportLike, baseImageId: string, captions: FindingCaption[]): void {
    this.clear(viewport.id);
    const element = viewport.element;
    if (!element || captions.length === 0 || !viewport.worldToCanvas) return;
    const doc = element.ownerDocument;
    const labels = captions.map(({ finding, text, colour }) => {
      const label = doc.createElement('div');
      label.setAttribute(ATTRIBUTE, finding);
      label.setAttribute('data-testid', 'cxrai-finding-label');
      Object.assign(label.style, {
        position: 'absolute',
        zIndex: '10',
        pointerEvents: 'none',
        padding: '1px 5px',
        borderRadius: '3px',
        background: 'rgba(0, 0, 0, 0.65)',
        border: `1px solid ${colour}`,
        color: colour,
        font: '600 12px/1.3 system-ui, sans-serif',
        whiteSpace: 'nowrap',
      });
      label.textContent = text;
      element.appendChild(label);
      return label;
    });
    const { utilities, Enums } = this.cornerstone();
    const place = () => {
      // Through the rendered vtkImageData: Cornerstone 5.6.8's imageToWorldCoords swaps row and
      // column spacing on non-square pixels (NIH films resized to 1024 squares have them).
      const vtkImage = viewport.getImageData?.()?.imageData;
      const viewportHeight = element.clientHeight ?? Infinity;
      const wanted: { label: HTMLElement; box: CaptionBox }[] = [];
      captions.forEach(({ peak }, i) => {
        const world = vtkImage
          ? vtkImage.indexToWorld([peak.column, peak.row, 0])
          : utilities.imageToWorldCoords(baseImageId, [peak.column + 0.5, peak.row + 0.5]);
        const canvas = world && viewport.worldToCanvas?.(world);
        if (!canvas) return;
        // Beside the peak, not on it (the hottest point stays visible), and inside the viewport:
        // to the left of the peak when the right side has no room.
        const label = labels[i];
        const width = label.offsetWidth ?? 0;
        const height = label.offsetHeight ?? 0;
        const room = element.clientWidth ?? Infinity;
        const right = canvas[0] + 12;
        const left = right + width > room - 4 ? canvas[0] - 12 - width : right;
        const top = Math.min(Math.max(0, canvas[1] - height / 2), viewportHeight - height);
        wanted.push({ label, box: { left: Math.max(0, left), top, width, height } });
      });
      // Peaks close together would stack captions on one another: each moves to a free slot.
      const boxes = placeCaptions(
        wanted.map((w) => w.box),
        viewportHeight,
      );
      wanted.forEach(({ label }, i) => {
        label.style.left = `${Math.round(boxes[i].left)}px`;
        label.style.top = `${Math.round(boxes[i].top)}px`;
      });
    };
    const event = Enums.Events.CAMERA_MODIFIED;
    element.addEventListener(event, place);
    place();
    this.byViewport.set(viewport.id, {
      element,
      labels,
      place,
      unlisten: () => element.removeEventListener(event, place),
    });
  }

  /** The captions shown on a viewport (for tests and the panel). */
  texts(viewportId: string): string[] {
    return this.byViewport.get(viewportId)?.labels.map((l) => l.textContent ?? '') ?? [];
  }

  clear(viewportId: string): void {
    const entry = this.byViewport.get(viewportId);
    if (!entry) return;
    entry.unlisten();
    entry.labels.forEach((label) => label.remove());
    this.byViewport.delete(viewportId);
  }
}
