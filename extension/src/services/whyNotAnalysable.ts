import type { ChestXrayAiConfig } from '../config';
import type { AnalysisState } from '../types';
import type { ViewportReading } from './ActiveImageTracker';

/** Why the active viewport is not analysed, when it is not; undefined when it can be. */
export function whyNotAnalysable(reading: ViewportReading, config: ChestXrayAiConfig): AnalysisState | undefined {
  if (reading.kind === 'none') return { status: 'idle' };
  if (reading.kind === 'no-image') return { status: 'waiting-for-image' };
  if (reading.kind === 'not-a-stack') {
    return {
      status: 'not-applicable',
      message: 'Chest X-ray AI works on a single radiograph in a 2D (stack) viewport.',
    };
  }
  const modality = reading.active.modality?.toUpperCase();
  if (modality && !config.modalities.includes(modality)) {
    return {
      status: 'not-applicable',
      message: `Chest X-ray AI reads ${config.modalities.join(' and ')} radiographs; this image is ${modality}.`,
    };
  }
  return undefined;
}
