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
