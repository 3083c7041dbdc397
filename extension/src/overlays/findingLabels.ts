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
        const top = Math.min(Math.max(0, canvas[1] - height / 2), (element.clientHeight ?? Infinity) - height);
        label.style.left = `${Math.round(Math.max(0, left))}px`;
        label.style.top = `${Math.round(top)}px`;
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
