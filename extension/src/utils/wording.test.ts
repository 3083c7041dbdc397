import { backendSentence, heatmapLabelText, needsWarningBanner, percentText } from './wording';

describe('needsWarningBanner', () => {
  it('is on for demo weights, whatever the intended use says', () => {
    expect(needsWarningBanner(true, undefined)).toBe(true);
    expect(needsWarningBanner(true, 'Cleared for clinical use.')).toBe(true);
  });

  it.each([
    'Not for primary diagnosis.',
    'Not for diagnostic use.',
    'For research use only.',
    'Research use only; not for clinical use.',
    'Not intended for clinical decision making.',
    'Must not be used for diagnosis.',
    'Investigational device.',
  ])('is on for a restricted intended use: %s', (intendedUse) => {
    expect(needsWarningBanner(false, intendedUse)).toBe(true);
  });

  it.each([
    'Decision support for radiologists reading chest radiographs; not a diagnosis.',
    'Second reader for adult PA chest films.',
  ])('is off for an unrestricted intended use: %s', (intendedUse) => {
    expect(needsWarningBanner(false, intendedUse)).toBe(false);
  });
});

describe('panel wording', () => {
  it('labels the heatmap as demo output for demo models', () => {
    expect(heatmapLabelText(true)).toMatch(/^DEMO MODEL.*not a diagnosis/);
    expect(heatmapLabelText(false)).toMatch(/^AI heatmap.*not a diagnosis/);
  });

  it('says where the model runs in plain words, and only when the engine left a note', () => {
    const note = 'Running on the CPU (WASM): WebGPU could not start the model (Error: no available backend found).';
    expect(backendSentence(note)).toBe(
      "Running on this computer's processor; the graphics card (WebGPU) is not in use.",
    );
    expect(backendSentence(undefined)).toBeUndefined();
  });

  it('writes cut-offs as short percentages', () => {
    expect(percentText(0.5)).toBe('50%');
    expect(percentText(0.123)).toBe('12.3%');
    expect(percentText(0.0995)).toBe('10%');
  });
});
