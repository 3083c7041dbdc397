/** Marks the label we put inside a viewport element, so we find (and remove) only our own. */
const LABEL_ATTRIBUTE = 'data-cxrai-heatmap-label';

/**
 * Shows `text` in a small label inside Cornerstone's viewport element (positioned, in OHIF), on
 * top of the image and its heatmap, letting mouse events through to the viewer's tools. Returns
 * the label element.
 */
export function showHeatmapLabel(element: HTMLElement, text: string): HTMLElement {
  let label = element.querySelector<HTMLElement>(`:scope > [${LABEL_ATTRIBUTE}]`);
  if (!label) {
    label = element.ownerDocument.createElement('div');
    label.setAttribute(LABEL_ATTRIBUTE, '');
    label.setAttribute('data-testid', 'cxrai-heatmap-label');
    label.setAttribute('role', 'note');
    Object.assign(label.style, {
      position: 'absolute',
      left: '50%',
      bottom: '28px',
      transform: 'translateX(-50%)',
      zIndex: '10',
      pointerEvents: 'none',
      padding: '2px 8px',
      borderRadius: '3px',
      background: 'rgba(0, 0, 0, 0.7)',
      border: '1px solid #f5a623',
      color: '#ffd28a',
      font: '600 12px/1.4 system-ui, sans-serif',
      whiteSpace: 'nowrap',
    } satisfies Partial<CSSStyleDeclaration>);
    element.appendChild(label);
  }
  if (label.textContent !== text) label.textContent = text;
  return label;
}

/** Removes our label: the element itself, or the one inside a viewport element. */
export function removeHeatmapLabel(elementOrLabel: HTMLElement): void {
  if (elementOrLabel.hasAttribute(LABEL_ATTRIBUTE)) {
    elementOrLabel.remove();
    return;
  }
  elementOrLabel.querySelector(`:scope > [${LABEL_ATTRIBUTE}]`)?.remove();
}
