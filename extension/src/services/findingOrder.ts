import type { AnalysisResult } from '../engine';
import type { FindingOrder } from '../types';

const STORAGE_KEY = 'chest-xray-ai:findingOrder';

/** The reader's last choice of list order on this workstation, else the site's default. */
export function rememberedFindingOrder(fallback: FindingOrder): FindingOrder {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === 'model' || stored === 'score' ? stored : fallback;
  } catch {
    return fallback; // storage blocked: the default it is
  }
}

export function rememberFindingOrder(order: FindingOrder): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, order);
  } catch {
    // Not remembered; the choice still holds for this session.
  }
}

/** The findings as the panel lists them: the site's selection, in model order or by score. */
export function listFindings(
  result: AnalysisResult | undefined,
  selection: string[] | undefined,
  order: FindingOrder,
): string[] {
  if (!result) return [];
  const chosen = result.findings.filter((f) => !selection || selection.includes(f.name));
  const ordered = order === 'score' ? [...chosen].sort((a, b) => b.probability - a.probability) : chosen;
  return ordered.map((f) => f.name);
}

/** The finding after (or before) `current` in the list, wrapping; the first (or last) without one. */
export function stepFinding(listed: string[], current: string | undefined, direction: 1 | -1): string | undefined {
  if (listed.length === 0) return undefined;
  const at = current === undefined ? -1 : listed.indexOf(current);
  if (at < 0) return direction > 0 ? listed[0] : listed[listed.length - 1];
  return listed[(at + direction + listed.length) % listed.length];
}
