import { EngineError } from '../utilities/EngineError';
import { MANIFEST_FORMAT_VERSION, type ModelManifest } from '../types/ModelManifest';

type Json = Record<string, unknown>;

/** Collects every problem with its JSON path, so a refusal names all that is wrong at once. */
class Problems {
  readonly list: string[] = [];
  add(path: string, problem: string): void {
    this.list.push(`${path}: ${problem}`);
  }
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isPositiveInteger = (value: unknown): value is number => Number.isInteger(value) && (value as number) > 0;

function requireString(obj: Json, key: string, path: string, problems: Problems): void {
  if (typeof obj[key] !== 'string' || (obj[key] as string).length === 0) {
    problems.add(`${path}${key}`, 'must be a non-empty string');
  }
}

function requireObject(obj: Json, key: string, path: string, problems: Problems): Json | undefined {
  const value = obj[key];
  if (!isObject(value)) {
    problems.add(`${path}${key}`, 'must be an object');
    return undefined;
  }
  return value;
}

function checkShape(value: unknown, path: string, problems: Problems): value is number[] {
  if (!Array.isArray(value) || value.length !== 4 || !value.every(isPositiveInteger)) {
    problems.add(path, 'must be 4 positive integers [1, C, H, W]');
    return false;
  }
  if (value[0] !== 1) problems.add(path, `batch dimension must be 1, got ${value[0]}`);
  return true;
}

function checkInput(manifest: Json, problems: Problems): void {
  const input = requireObject(manifest, 'input', '', problems);
  if (!input) return;
  requireString(input, 'name', 'input.', problems);
  if (input.channels !== 1 && input.channels !== 3) problems.add('input.channels', 'must be 1 or 3');
  if (checkShape(input.shape, 'input.shape', problems) && input.shape[1] !== input.channels) {
    problems.add('input.shape', `has ${input.shape[1]} channels but input.channels is ${String(input.channels)}`);
  }
}

function checkResize(resize: unknown, problems: Problems): void {
  if (!isObject(resize)) return problems.add('preprocessing.resize', 'must be an object');
  switch (resize.kind) {
    case 'stretch':
    case 'center-square':
      return;
    case 'shorter-side-center-crop':
      if (!isPositiveInteger(resize.shorterSide)) {
        problems.add('preprocessing.resize.shorterSide', 'must be a positive integer');
      }
      return;
    default:
      problems.add(
        'preprocessing.resize.kind',
        `unknown policy ${JSON.stringify(resize.kind)} (stretch, center-square, shorter-side-center-crop)`,
      );
  }
}

function checkIntensity(intensity: unknown, channels: unknown, problems: Problems): void {
  const path = 'preprocessing.intensity';
  if (!isObject(intensity)) return problems.add(path, 'must be an object');
  if (intensity.kind === 'mean-std') {
    for (const key of ['mean', 'std'] as const) {
      const values = intensity[key];
      if (!Array.isArray(values) || !values.every(isFiniteNumber) || values.length !== channels) {
        problems.add(`${path}.${key}`, `must be ${String(channels)} numbers, one per input channel`);
      } else if (key === 'std' && values.some((v) => v <= 0)) {
        problems.add(`${path}.std`, 'must be positive');
      }
    }
  } else if (intensity.kind === 'range') {
    if (!isFiniteNumber(intensity.min) || !isFiniteNumber(intensity.max) || intensity.min >= intensity.max) {
      problems.add(path, 'range needs finite min < max');
    }
  } else {
    problems.add(`${path}.kind`, `unknown mapping ${JSON.stringify(intensity.kind)} (mean-std, range)`);
  }
}

function checkPreprocessing(manifest: Json, problems: Problems): void {
  const pre = requireObject(manifest, 'preprocessing', '', problems);
  if (!pre) return;
  const size = pre.outputSize;
  if (!Array.isArray(size) || size.length !== 2 || !size.every(isPositiveInteger)) {
    problems.add('preprocessing.outputSize', 'must be [height, width] in pixels');
  } else if (isObject(manifest.input) && Array.isArray(manifest.input.shape)) {
    const [, , h, w] = manifest.input.shape as number[];
    if (size[0] !== h || size[1] !== w) {
      problems.add('preprocessing.outputSize', `[${size.join(', ')}] differs from input.shape's [${h}, ${w}]`);
    }
  }
  checkResize(pre.resize, problems);
  checkIntensity(pre.intensity, isObject(manifest.input) ? manifest.input.channels : undefined, problems);
}

function checkFindings(manifest: Json, problems: Problems): number {
  const findings = manifest.findings;
  if (!Array.isArray(findings) || findings.length === 0) {
    problems.add('findings', 'must be a non-empty array, one entry per model output in order');
    return 0;
  }
  const seen = new Set<string>();
  findings.forEach((finding: unknown, i) => {
    const path = `findings[${i}]`;
    if (!isObject(finding)) return problems.add(path, 'must be an object');
    if (typeof finding.name !== 'string' || finding.name.length === 0) problems.add(`${path}.name`, 'must be a name');
    else if (seen.has(finding.name)) problems.add(`${path}.name`, `duplicate finding ${finding.name}`);
    else seen.add(finding.name);
    if (!isFiniteNumber(finding.threshold) || finding.threshold <= 0 || finding.threshold >= 1) {
      problems.add(`${path}.threshold`, 'must be a probability strictly between 0 and 1');
    }
    if (finding.trained !== undefined && typeof finding.trained !== 'boolean') {
      problems.add(`${path}.trained`, 'must be true or false');
    }
    if (finding.displayName !== undefined && (typeof finding.displayName !== 'string' || !finding.displayName)) {
      problems.add(`${path}.displayName`, 'must be a non-empty name');
    }
  });
  return findings.length;
}

function checkOutputs(manifest: Json, findingCount: number, problems: Problems): void {
  const outputs = requireObject(manifest, 'outputs', '', problems);
  if (!outputs) return;
  const probabilities = requireObject(outputs, 'probabilities', 'outputs.', problems);
  if (probabilities) {
    requireString(probabilities, 'name', 'outputs.probabilities.', problems);
    if (probabilities.activation !== 'none' && probabilities.activation !== 'sigmoid') {
      problems.add('outputs.probabilities.activation', 'must be "none" or "sigmoid"');
    }
  }
  const cams = requireObject(outputs, 'cams', 'outputs.', problems);
  if (cams) {
    requireString(cams, 'name', 'outputs.cams.', problems);
    if (checkShape(cams.shape, 'outputs.cams.shape', problems) && findingCount > 0 && cams.shape[1] !== findingCount) {
      problems.add('outputs.cams.shape', `has ${cams.shape[1]} maps but there are ${findingCount} findings`);
    }
  }
}

function checkIntendedPopulation(population: unknown, problems: Problems): void {
  if (population === undefined) return;
  if (!isObject(population)) return problems.add('intendedPopulation', 'must be an object');
  for (const key of ['minAgeYears', 'maxAgeYears']) {
    const age = population[key];
    if (age !== undefined && (!isFiniteNumber(age) || age < 0)) {
      problems.add(`intendedPopulation.${key}`, 'must be a number of years');
    }
  }
  const views = population.views;
  if (views !== undefined && (!Array.isArray(views) || !views.every((v) => typeof v === 'string' && v))) {
    problems.add('intendedPopulation.views', 'must list view positions such as "PA"');
  }
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function checkCalibration(calibration: unknown, findingNames: Set<string>, problems: Problems): void {
  if (calibration === undefined) return;
  if (!isObject(calibration)) return problems.add('calibration', 'must be an object');
  if (calibration.rule !== 'youden' && calibration.rule !== 'sensitivity') {
    problems.add('calibration.rule', 'must be "youden" or "sensitivity"');
  }
  const target = calibration.targetSensitivity;
  if (calibration.rule === 'sensitivity' && (!isFiniteNumber(target) || target <= 0 || target >= 1)) {
    problems.add('calibration.targetSensitivity', 'must be a sensitivity strictly between 0 and 1');
  } else if (calibration.rule === 'youden' && target !== undefined) {
    problems.add('calibration.targetSensitivity', 'is only for rule "sensitivity"');
  }
  if (!isPositiveInteger(calibration.images)) problems.add('calibration.images', 'must be a positive integer');
  if (typeof calibration.dataSha256 !== 'string' || !HEX_SHA256.test(calibration.dataSha256)) {
    problems.add('calibration.dataSha256', 'must be 64 lower-case hex digits');
  }
  if (
    calibration.labelsSha256 !== undefined &&
    (typeof calibration.labelsSha256 !== 'string' || !HEX_SHA256.test(calibration.labelsSha256))
  ) {
    problems.add('calibration.labelsSha256', 'must be 64 lower-case hex digits');
  }
  const date = calibration.date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) {
    problems.add('calibration.date', 'must be a date YYYY-MM-DD');
  }
  const names = calibration.findings;
  if (names !== undefined) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) {
      problems.add('calibration.findings', 'must list finding names');
    } else {
      for (const name of names)
        if (!findingNames.has(name)) problems.add('calibration.findings', `unknown finding ${name}`);
    }
  }
}

/**
 * Checks a parsed manifest against the model contract. Throws an EngineError that lists every
 * problem by its path; returns the manifest typed when it is sound.
 */
export function validateManifest(value: unknown): ModelManifest {
  const problems = new Problems();
  if (!isObject(value)) {
    throw new EngineError('manifest-invalid', 'Model manifest is invalid: it is not a JSON object.');
  }
  if (value.formatVersion !== MANIFEST_FORMAT_VERSION) {
    problems.add('formatVersion', `must be ${MANIFEST_FORMAT_VERSION}, got ${JSON.stringify(value.formatVersion)}`);
  }
  for (const key of ['name', 'version', 'file', 'intendedUse']) requireString(value, key, '', problems);
  if (typeof value.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(value.sha256)) {
    problems.add('sha256', 'must be the 64 lower-case hex digits of the model file');
  }
  if (typeof value.demo !== 'boolean') problems.add('demo', 'must be true or false');
  checkInput(value, problems);
  checkPreprocessing(value, problems);
  const findingCount = checkFindings(value, problems);
  checkOutputs(value, findingCount, problems);
  const heatmap = requireObject(value, 'heatmap', '', problems);
  if (heatmap && (!isFiniteNumber(heatmap.fullScaleLogits) || heatmap.fullScaleLogits <= 0)) {
    problems.add('heatmap.fullScaleLogits', 'must be a positive number');
  }
  checkIntendedPopulation(value.intendedPopulation, problems);
  const findingNames = new Set(
    (Array.isArray(value.findings) ? value.findings : []).map((f: unknown) => (isObject(f) ? f.name : undefined)),
  );
  checkCalibration(value.calibration, findingNames as Set<string>, problems);
  if (value.webgpuTolerance !== undefined && (!isFiniteNumber(value.webgpuTolerance) || value.webgpuTolerance <= 0)) {
    problems.add('webgpuTolerance', 'must be a positive number');
  }
  if (problems.list.length > 0) {
    throw new EngineError('manifest-invalid', `Model manifest is invalid: ${problems.list.join('; ')}.`);
  }
  return value as unknown as ModelManifest;
}
