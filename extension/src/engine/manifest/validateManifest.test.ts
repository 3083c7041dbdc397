import { IMAGENET_NORMALIZATION } from '../../../../models/contract';
import { EngineError } from '../utilities/EngineError';
import { validateManifest } from './validateManifest';

/** A manifest as parsed JSON: loosely typed so each test can break one field of it. */
interface ManifestDraft {
  formatVersion: number;
  name: string;
  version: string;
  file: string;
  sha256: string;
  input: { name: string; shape: number[]; channels: number };
  preprocessing: { outputSize: number[]; resize: Record<string, unknown>; intensity: Record<string, unknown> };
  outputs: { probabilities: { name: string; activation: string }; cams: { name: string; shape: number[] } };
  findings: { name: string; threshold: number }[];
  heatmap: { fullScaleLogits: number };
  intendedUse?: string;
  demo?: boolean;
}

function soundManifest(): ManifestDraft {
  return {
    formatVersion: 1,
    name: 'test-model',
    version: '1.0.0',
    file: 'model.onnx',
    sha256: 'a'.repeat(64),
    input: { name: 'image', shape: [1, 3, 224, 224], channels: 3 },
    preprocessing: {
      outputSize: [224, 224],
      resize: { kind: 'stretch' },
      intensity: { kind: 'mean-std', mean: [...IMAGENET_NORMALIZATION.mean], std: [...IMAGENET_NORMALIZATION.std] },
    },
    outputs: {
      probabilities: { name: 'probabilities', activation: 'none' },
      cams: { name: 'cams', shape: [1, 2, 7, 7] },
    },
    findings: [
      { name: 'Cardiomegaly', threshold: 0.5 },
      { name: 'Nodule', threshold: 0.2 },
    ],
    heatmap: { fullScaleLogits: 4 },
    intendedUse: 'Test only.',
    demo: true,
  };
}

function refusal(mutate: (m: ManifestDraft) => void): string {
  const manifest = soundManifest();
  mutate(manifest);
  try {
    validateManifest(manifest);
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).code).toBe('manifest-invalid');
    return (error as Error).message;
  }
  throw new Error('the manifest was accepted');
}

describe('validateManifest', () => {
  it('accepts a sound manifest and returns it', () => {
    const manifest = soundManifest();
    expect(validateManifest(manifest)).toBe(manifest);
  });

  it('names each thing that is wrong', () => {
    expect(refusal((m) => (m.formatVersion = 2))).toMatch(/formatVersion: must be 1, got 2/);
    expect(refusal((m) => (m.sha256 = 'xyz'))).toMatch(/sha256: must be the 64 lower-case hex digits/);
    expect(refusal((m) => delete m.demo)).toMatch(/demo: must be true or false/);
    expect(refusal((m) => (m.input.channels = 2))).toMatch(/input.channels: must be 1 or 3/);
    expect(refusal((m) => (m.input.shape = [1, 1, 224, 224]))).toMatch(
      /input.shape: has 1 channels but input.channels is 3/,
    );
    expect(refusal((m) => (m.preprocessing.outputSize = [256, 256]))).toMatch(
      /outputSize: \[256, 256\] differs from input.shape's \[224, 224\]/,
    );
    expect(refusal((m) => (m.preprocessing.resize = { kind: 'zoom' }))).toMatch(/resize.kind: unknown policy "zoom"/);
    expect(refusal((m) => (m.preprocessing.resize = { kind: 'shorter-side-center-crop' }))).toMatch(
      /shorterSide: must be a positive integer/,
    );
    expect(refusal((m) => (m.preprocessing.intensity.std = [0.2, 0.2]))).toMatch(/intensity.std: must be 3 numbers/);
    expect(refusal((m) => (m.preprocessing.intensity = { kind: 'range', min: 1024, max: -1024 }))).toMatch(
      /range needs finite min < max/,
    );
    expect(refusal((m) => (m.outputs.probabilities.activation = 'softmax'))).toMatch(
      /activation: must be "none" or "sigmoid"/,
    );
    expect(refusal((m) => (m.outputs.cams.shape = [1, 14, 7, 7]))).toMatch(
      /cams.shape: has 14 maps but there are 2 findings/,
    );
    expect(refusal((m) => (m.findings[1].threshold = 1.5))).toMatch(
      /findings\[1\].threshold: must be a probability strictly between 0 and 1/,
    );
    expect(refusal((m) => (m.findings[1].name = 'Cardiomegaly'))).toMatch(
      /findings\[1\].name: duplicate finding Cardiomegaly/,
    );
    expect(refusal((m) => (m.heatmap.fullScaleLogits = 0))).toMatch(
      /heatmap.fullScaleLogits: must be a positive number/,
    );
    expect(refusal((m) => delete m.intendedUse)).toMatch(/intendedUse: must be a non-empty string/);
  });

  it('lists several problems at once', () => {
    const message = refusal((m) => {
      m.name = '';
      m.findings = [];
    });
    expect(message).toMatch(/name: must be a non-empty string/);
    expect(message).toMatch(/findings: must be a non-empty array/);
  });

  it('accepts a calibration record and names what is wrong with one', () => {
    const calibration = {
      rule: 'sensitivity',
      targetSensitivity: 0.9,
      images: 1200,
      dataSha256: 'b'.repeat(64),
      labelsSha256: 'c'.repeat(64),
      date: '2026-11-30',
      findings: ['Nodule'],
    };
    const manifest = { ...soundManifest(), calibration };
    expect(validateManifest(manifest)).toBe(manifest);
    expect(
      validateManifest({
        ...soundManifest(),
        calibration: { ...calibration, rule: 'youden', targetSensitivity: undefined },
      }),
    ).toBeTruthy();
    const broken = (change: Record<string, unknown>) =>
      refusal((m) => Object.assign(m, { calibration: { ...calibration, ...change } }));
    expect(broken({ rule: 'best' })).toMatch(/calibration.rule: must be "youden" or "sensitivity"/);
    expect(broken({ targetSensitivity: 1 })).toMatch(
      /calibration.targetSensitivity: must be a sensitivity strictly between 0 and 1/,
    );
    expect(broken({ rule: 'youden' })).toMatch(/calibration.targetSensitivity: is only for rule "sensitivity"/);
    expect(broken({ images: 0 })).toMatch(/calibration.images: must be a positive integer/);
    expect(broken({ dataSha256: 'xyz' })).toMatch(/calibration.dataSha256: must be 64 lower-case hex digits/);
    expect(broken({ labelsSha256: 'A'.repeat(64) })).toMatch(
      /calibration.labelsSha256: must be 64 lower-case hex digits/,
    );
    expect(broken({ date: '30/11/2026' })).toMatch(/calibration.date: must be a date YYYY-MM-DD/);
    expect(broken({ findings: ['Hernia'] })).toMatch(/calibration.findings: unknown finding Hernia/);
    expect(refusal((m) => Object.assign(m, { calibration: 'yes' }))).toMatch(/calibration: must be an object/);
  });

  it('refuses what is not an object', () => {
    expect(() => validateManifest([1, 2])).toThrow(/not a JSON object/);
  });
});
