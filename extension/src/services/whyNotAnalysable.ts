import type { ChestXrayAiConfig } from '../config';
import { modalityRefusal } from '../engine';
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
  // The chest-film gate's own modality check and sentence, before the model is even loaded.
  const refusal =
    config.gatePolicy.modality === 'off' ? undefined : modalityRefusal(reading.active.modality, config.modalities);
  if (refusal) return { status: 'refused', message: `Not analysed. ${refusal}` };
  return undefined;
}
