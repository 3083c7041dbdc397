/**
 * Single-hue colours for heatmaps shown together, one per map in the order they were turned on:
 * saturated, far apart in hue and none grey, so each stays distinct over a greyscale film and
 * from the others. A map in one hue is drawn as that colour with opacity rising with its heat.
 */
export const FINDING_HUES: ReadonlyArray<readonly [number, number, number]> = [
  [1, 0.25, 0.1], // red-orange
  [0.1, 0.85, 1], // cyan
  [0.55, 1, 0.1], // lime
  [1, 0.2, 0.85], // magenta
  [1, 0.85, 0.1], // yellow
  [0.35, 0.45, 1], // blue
];

/** The hue of the n-th shown map (0-based); wraps after six, which no reading needs at once. */
export function findingHue(position: number): readonly [number, number, number] {
  return FINDING_HUES[((position % FINDING_HUES.length) + FINDING_HUES.length) % FINDING_HUES.length];
}

/** CSS colour of a hue, for the panel's legend and the on-image labels. */
export function hueCss([r, g, b]: readonly [number, number, number]): string {
  return `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`;
}
