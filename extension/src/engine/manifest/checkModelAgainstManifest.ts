import type { InferenceSession } from 'onnxruntime-web';
import { EngineError } from '../utilities/EngineError';
import type { ModelManifest } from '../types/ModelManifest';

/** What a session tells about itself; a subset so the check runs on any onnxruntime build. */
export interface ModelSignature {
  inputMetadata: readonly InferenceSession.ValueMetadata[];
  outputMetadata: readonly InferenceSession.ValueMetadata[];
}

function describeShape(shape: ReadonlyArray<number | string>): string {
  return `[${shape.join(', ')}]`;
}

/** A symbolic dimension (a string) matches anything; a fixed one must be equal. */
function shapeMatches(actual: ReadonlyArray<number | string>, expected: readonly number[]): boolean {
  if (actual.length === 0) return true; // the model does not declare a shape: checked after the first run
  return actual.length === expected.length && actual.every((dim, i) => typeof dim === 'string' || dim === expected[i]);
}

function checkValue(
  kind: 'input' | 'output',
  metadata: readonly InferenceSession.ValueMetadata[],
  name: string,
  expectedShape: readonly number[] | undefined,
  problems: string[],
): void {
  const value = metadata.find((m) => m.name === name);
  if (!value) {
    const names = metadata.map((m) => m.name).join(', ');
    problems.push(`the manifest's ${kind} "${name}" is not in the model (its ${kind}s: ${names})`);
    return;
  }
  if (!value.isTensor) {
    problems.push(`${kind} "${name}" is not a tensor`);
    return;
  }
  if (value.type !== 'float32') problems.push(`${kind} "${name}" is ${value.type}, expected float32`);
  if (expectedShape && !shapeMatches(value.shape, expectedShape)) {
    problems.push(
      `${kind} "${name}" has shape ${describeShape(value.shape)}, manifest says ${describeShape(expectedShape)}`,
    );
  }
}

/** Refuses a model whose real inputs and outputs differ from what its manifest promises. */
export function checkModelAgainstManifest(model: ModelSignature, manifest: ModelManifest): void {
  const problems: string[] = [];
  const findingCount = manifest.findings.length;
  checkValue('input', model.inputMetadata, manifest.input.name, manifest.input.shape, problems);
  checkValue('output', model.outputMetadata, manifest.outputs.probabilities.name, [1, findingCount], problems);
  checkValue('output', model.outputMetadata, manifest.outputs.cams.name, manifest.outputs.cams.shape, problems);
  if (problems.length > 0) {
    throw new EngineError('model-mismatch', `The model does not match its manifest: ${problems.join('; ')}.`);
  }
}

/** The same check on real output sizes, for models that declare no static shapes. */
export function checkOutputSizes(
  manifest: ModelManifest,
  probabilities: { dims: readonly number[] },
  cams: { dims: readonly number[] },
): void {
  const expectedCams = manifest.outputs.cams.shape;
  const problems: string[] = [];
  if (probabilities.dims.reduce((a, b) => a * b, 1) !== manifest.findings.length) {
    problems.push(
      `probabilities have shape ${describeShape(probabilities.dims)}, expected [1, ${manifest.findings.length}]`,
    );
  }
  if (!shapeMatches(cams.dims, expectedCams) || cams.dims.length !== 4) {
    problems.push(`CAMs have shape ${describeShape(cams.dims)}, manifest says ${describeShape(expectedCams)}`);
  }
  if (problems.length > 0) {
    throw new EngineError('model-mismatch', `The model does not match its manifest: ${problems.join('; ')}.`);
  }
}
