/**
 * Words the panel and the viewport show a radiologist: plain sentences, with the technical detail
 * kept for the administrator (tooltip, console).
 */

/** Intended uses that ask for the loud banner, on top of the manifest's `demo` flag. */
const RESTRICTED_USE =
  /\bnot\s+(?:be\s+)?(?:(?:intended|approved|cleared|used|to\s+be\s+used)\s+)?(?:for|in)\s+(?:\w+\s+){0,2}?(?:clinical|diagnos\w*|primary)|research|investigational|\bdemo/i;

/** Whether the model's banner is the red warning: demo weights, or an intended use that restricts it. */
export function needsWarningBanner(demo: boolean | undefined, intendedUse: string | undefined): boolean {
  return !!demo || (!!intendedUse && RESTRICTED_USE.test(intendedUse));
}

/** The label inside the viewport while a heatmap is drawn. */
export function heatmapLabelText(demo: boolean): string {
  return demo ? 'DEMO MODEL — AI heatmap, not a diagnosis' : 'AI heatmap (decision support, not a diagnosis)';
}

/**
 * Where the model runs, in plain words, when the engine left a note: it does so only when WebGPU
 * was wanted and the CPU (WASM) runs instead. The note itself is for the administrator.
 */
export function backendSentence(backendNote: string | undefined): string | undefined {
  return backendNote ? "Running on this computer's processor; the graphics card (WebGPU) is not in use." : undefined;
}

/** A probability or cut-off as a percentage: one decimal, none when it is a whole number. */
export function percentText(fraction: number): string {
  const text = (fraction * 100).toFixed(1);
  return `${text.endsWith('.0') ? text.slice(0, -2) : text}%`;
}

/** A finding's name for a reader: the manifest's display name, else the label made readable. */
export function findingDisplayName(name: string, displayName?: string): string {
  if (displayName) return displayName;
  const words = name.replace(/_/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
