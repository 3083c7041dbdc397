/**
 * The demo model: DenseNet-121 with a 14-finding CheXNet head, seeded random (untrained)
 * weights, and its manifest. Lets the whole pipeline run without downloading real weights.
 */
import { MANIFEST_FORMAT_VERSION, type ModelManifest } from '../../extension/src/engine';
import { buildDenseNet, type DenseNetModel, densenet121Config, TENSOR_NAMES } from './densenet';
import { createHash } from 'node:crypto';
import { IMAGENET_NORMALIZATION, NIH_FINDING_NAMES, NIH_FINDINGS, NIH_INTENDED_POPULATION } from '../contract';

/** NIH ChestX-ray14 findings in the CheXNet (and reproduce-chexnet) output order: the shared contract. */
export const CHEXNET_FINDINGS: readonly string[] = NIH_FINDING_NAMES;

export const DEMO_MODEL_NAME = 'chexnet-densenet121-demo';
export const DEFAULT_DEMO_SEED = 121;
export const DEMO_MODEL_FILE = 'model.onnx';

/**
 * Colour-scale top for the demo CAMs in logit units (cams x h x w). Measured on NIH radiographs
 * with seed 121: the 90th / 99th percentile of all CAM cells is ~2.3 / ~4.1 and the hottest cell
 * 5-6.5, so 4 puts ordinary hot spots mid-scale and saturates only the top percent.
 */
export const DEMO_FULL_SCALE_LOGITS = 4;

export interface DemoModelOptions {
  /** Include the `cams` output (default true); false gives the variant for timing the CAM subgraph. */
  includeCams?: boolean;
}

export interface DemoModel {
  onnxBytes: Uint8Array;
  manifest: ModelManifest;
  /** Shapes and parameter count of the built network. */
  network: DenseNetModel;
}

export function buildDemoModel(seed: number = DEFAULT_DEMO_SEED, options: DemoModelOptions = {}): DemoModel {
  const includeCams = options.includeCams ?? true;
  const network = buildDenseNet({
    ...densenet121Config,
    numClasses: CHEXNET_FINDINGS.length,
    seed,
    includeCams,
    exposeFeatures: false,
  });
  const [, channels, height, width] = network.inputShape;
  if (channels !== 3) throw new Error('the demo model takes ImageNet-normalised RGB input');
  const [, , featureHeight, featureWidth] = network.featureShape;

  const manifest: ModelManifest = {
    formatVersion: MANIFEST_FORMAT_VERSION,
    name: DEMO_MODEL_NAME,
    // Build metadata names the seed; a CAM-less build says so, as its manifest lists an output the file lacks.
    version: `1.0.0-demo+seed.${seed}${includeCams ? '' : '.no-cams'}`,
    file: DEMO_MODEL_FILE,
    sha256: createHash('sha256').update(network.onnxBytes).digest('hex'),
    input: { name: TENSOR_NAMES.image, shape: network.inputShape, channels },
    preprocessing: {
      outputSize: [height, width],
      resize: { kind: 'stretch' },
      intensity: { kind: 'mean-std', mean: [...IMAGENET_NORMALIZATION.mean], std: [...IMAGENET_NORMALIZATION.std] },
    },
    outputs: {
      probabilities: { name: TENSOR_NAMES.probabilities, activation: 'none' },
      cams: { name: TENSOR_NAMES.cams, shape: [1, CHEXNET_FINDINGS.length, featureHeight, featureWidth] },
    },
    findings: NIH_FINDINGS.map(({ name, displayName }) => ({ name, displayName, threshold: 0.5, trained: true })),
    heatmap: { fullScaleLogits: DEMO_FULL_SCALE_LOGITS },
    intendedUse:
      'DEMO WEIGHTS: untrained DenseNet-121 with random weights generated from a fixed seed. ' +
      'Its probabilities and heatmaps are meaningless and it is not for diagnostic use; ' +
      'it only exercises the viewer pipeline end to end.',
    intendedPopulation: { minAgeYears: NIH_INTENDED_POPULATION.minAgeYears, views: [...NIH_INTENDED_POPULATION.views] },
    demo: true,
    webgpuTolerance: 1e-3,
  };
  return { onnxBytes: network.onnxBytes, manifest, network };
}
