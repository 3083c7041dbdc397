import type { InferenceSession } from 'onnxruntime-web';
import { assessChestFilm } from '../gate/assessChestFilm';
import { checkOutputSizes } from '../manifest/checkModelAgainstManifest';
import { preparePixels } from '../pixels/preparePixels';
import type { AnalysisResult, BackendName } from '../types/Analysis';
import type { ModelManifest } from '../types/ModelManifest';
import type { RadiographPixels } from '../types/RadiographPixels';
import { EngineError } from '../utilities/EngineError';
import type { AnalyzeOptions, Ort } from '../types/Session';

const now = () => globalThis.performance.now();
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** One image through the model: preparation, session.run, and the result with its provenance. */
export async function runAnalysis(
  ort: Ort,
  session: InferenceSession,
  manifest: ModelManifest,
  backend: BackendName,
  pixels: RadiographPixels,
  options: AnalyzeOptions = {},
): Promise<AnalysisResult> {
  const start = now();
  const gate = assessChestFilm(pixels, manifest, options.gatePolicy);
  if (gate.outcome === 'refuse') {
    const sentences = gate.findings.filter((f) => f.action === 'refuse').map((f) => f.sentence);
    throw new EngineError('image-refused', `Not analysed. ${sentences.join(' ')}`, gate);
  }
  const prepared = preparePixels(pixels, manifest);
  const preparedAt = now();
  const input = new ort.Tensor('float32', prepared.tensorData, prepared.shape);
  // The array handed to session.run itself; a copy only where a proxy worker would transfer it away.
  const fed = options.keepInput
    ? { data: ort.env.wasm.proxy ? prepared.tensorData.slice() : prepared.tensorData, shape: prepared.shape }
    : undefined;
  const { probabilities: probabilitiesSpec, cams: camsSpec } = manifest.outputs;
  const outputs = await session.run({ [manifest.input.name]: input }, [probabilitiesSpec.name, camsSpec.name]);
  const ranAt = now();

  const rawProbabilities = outputs[probabilitiesSpec.name];
  const rawCams = outputs[camsSpec.name];
  checkOutputSizes(manifest, rawProbabilities, rawCams);
  const probabilities = Float32Array.from(rawProbabilities.data as Float32Array, (v) =>
    probabilitiesSpec.activation === 'sigmoid' ? sigmoid(v) : v,
  );
  if (probabilities.some((p) => !Number.isFinite(p))) {
    throw new EngineError('inference-failed', 'The model returned invalid numbers for this image; no result is shown.');
  }
  const cams = new Float32Array(rawCams.data as Float32Array);
  const findings = manifest.findings.map((finding, i) => {
    const trained = finding.trained ?? true;
    return {
      name: finding.name,
      probability: probabilities[i],
      threshold: finding.threshold,
      positive: trained && probabilities[i] >= finding.threshold,
      trained,
    };
  });
  return {
    gate,
    imageKey: pixels.imageKey,
    findings,
    backend,
    model: { name: manifest.name, version: manifest.version, sha256: manifest.sha256, demo: manifest.demo },
    intendedUse: manifest.intendedUse,
    timingsMs: { prepareMs: preparedAt - start, inferenceMs: ranAt - preparedAt, totalMs: now() - start },
    geometry: prepared.geometry,
    voiSource: prepared.voiSource,
    cams: { data: cams, shape: rawCams.dims as unknown as [number, number, number, number] },
    probabilities,
    heatmapFullScale: manifest.heatmap.fullScaleLogits,
    ...(fed ? { input: fed } : {}),
  };
}
