import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import {
  type AnalysisResult,
  type ColormapName,
  displayIntensities,
  type FindingSpec,
  smoothHeatmapForFinding,
} from '../../engine';
import { findingDisplayName, heatmapPng } from '../heatmapPng';
import { readSourceDataset, resultObjectsForFile, storeResultObjects, writeResultObjects } from '../dicomOutput';
import type { NaturalizedDataset } from '../../dicomResults';
import { checkOutputDir } from '../io/outputPaths';
import { readImageFile } from '../io/readImageFile';
import { loadModelFromDisk, type CliBackend } from '../nodeModel';

export interface PredictOptions {
  file: string;
  manifest?: string;
  json: boolean;
  heatmapsDir?: string;
  colormap: ColormapName;
  heatmapThreshold: number;
  dumpTensorsDir?: string;
  threads?: number;
  backend?: CliBackend;
  /** Write the SR, Parametric Map and captures here (DICOM input only). */
  dicomOutDir?: string;
  /** Send them to this DICOMweb server (STOW-RS). */
  storeUrl?: string;
  /** How long to wait for the PACS, in milliseconds. */
  storeTimeoutMs?: number;
}

const DEMO_NOTICE = 'DEMO WEIGHTS (untrained, random): these numbers mean nothing clinically. Not for diagnostic use.';

function summary(result: AnalysisResult) {
  return {
    image: result.imageKey,
    findings: result.findings.map(({ name, probability, threshold, positive }) => ({
      name,
      probability,
      threshold,
      positive,
    })),
    backend: result.backend,
    model: result.model,
    intendedUse: result.intendedUse,
    timingsMs: result.timingsMs,
    voiSource: result.voiSource,
    gate: result.gate,
    ...(result.model.demo ? { notice: DEMO_NOTICE } : {}),
  };
}

function table(result: AnalysisResult): string {
  const lines = result.model.demo ? [`*** ${DEMO_NOTICE} ***`, ''] : [];
  lines.push(
    `${result.imageKey ?? ''}: ${result.model.name} ${result.model.version} on ${result.backend.toUpperCase()}`,
  );
  lines.push(`model sha256 ${result.model.sha256}`, '');
  // The chest-film gate's cautions, before the numbers they qualify.
  for (const caution of result.gate?.findings ?? []) lines.push(`CAUTION: ${caution.sentence}`);
  if (result.gate?.findings.length) lines.push('');
  lines.push(`${'Finding'.padEnd(20)}${'Probability'.padStart(12)}${'Threshold'.padStart(11)}  Flag`);
  const sorted = [...result.findings].sort((a, b) => b.probability - a.probability);
  for (const f of sorted) {
    const flag = !f.trained ? 'not trained' : f.positive ? 'POSITIVE' : '';
    lines.push(
      `${f.name.padEnd(20)}${f.probability.toFixed(4).padStart(12)}${f.threshold.toFixed(3).padStart(11)}  ${flag}`,
    );
  }
  lines.push(
    '',
    `time: prepare ${result.timingsMs.prepareMs.toFixed(0)} ms, inference ${result.timingsMs.inferenceMs.toFixed(0)} ms`,
  );
  return lines.join('\n');
}

/** `<image basename>__<Finding>.png`: PNGs of several images share a folder without overwriting. */
export function heatmapFileName(imageFile: string, finding: string): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${safe(basename(imageFile, extname(imageFile)))}__${safe(finding)}.png`;
}

async function writeHeatmaps(
  dir: string,
  options: PredictOptions,
  result: AnalysisResult,
  display: Float32Array,
  specs: readonly FindingSpec[],
) {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  // The viewer's display maps (smooth interpolation of the coarse grid; values unchanged).
  const maps = result.findings.map((_, i) => smoothHeatmapForFinding(result, i));
  for (const heatmap of maps) {
    const path = join(dir, heatmapFileName(options.file, heatmap.finding));
    const finding = result.findings.find((f) => f.name === heatmap.finding);
    const label = {
      title: findingDisplayName(heatmap.finding, specs.find((f) => f.name === heatmap.finding)?.displayName),
      probability: finding?.probability ?? Number.NaN,
      cutoff: finding?.threshold ?? Number.NaN,
      demo: result.model.demo,
    };
    const look = { colormap: options.colormap, threshold: options.heatmapThreshold, opacity: 0.5 };
    await writeFile(path, heatmapPng(display, heatmap, look, label));
    written.push(path);
  }
  return written;
}

/** Raw tensors for checking an exported model against PyTorch on exactly the input the engine ran. */
async function dumpTensors(dir: string, result: AnalysisResult) {
  if (!result.input) throw new Error('the analysis did not keep its input tensor');
  await mkdir(dir, { recursive: true });
  const raw = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  await writeFile(join(dir, 'input.f32'), raw(result.input.data));
  await writeFile(join(dir, 'probabilities.f32'), raw(result.probabilities));
  await writeFile(join(dir, 'cams.f32'), raw(result.cams.data));
  const meta = {
    inputShape: result.input.shape,
    camShape: result.cams.shape,
    findings: result.findings.map((f) => f.name),
    geometry: result.geometry,
  };
  await writeFile(join(dir, 'dump.json'), JSON.stringify(meta, null, 2));
}

interface DicomSummary {
  dicom?: {
    kind: string;
    sopClassUid: string;
    sopInstanceUid: string;
    seriesInstanceUid: string;
    findings: string[];
    bytes: number;
    file?: string;
  }[];
  stored?: { url: string; stored: number; status: number };
}

/** --dicom-out and --store: the same objects the panel stores, written and/or sent. */
async function dicomResults(
  options: PredictOptions,
  dataset: NaturalizedDataset,
  pixels: Awaited<ReturnType<typeof readImageFile>>,
  result: AnalysisResult,
  specs: readonly FindingSpec[],
): Promise<DicomSummary> {
  const objects = await resultObjectsForFile(dataset, pixels, result, specs);
  const files = options.dicomOutDir ? await writeResultObjects(options.dicomOutDir, options.file, objects) : [];
  const stored = options.storeUrl
    ? { url: options.storeUrl, ...(await storeResultObjects(options.storeUrl, objects, options.storeTimeoutMs)) }
    : undefined;
  return {
    dicom: objects.map((o, i) => ({
      kind: o.kind,
      sopClassUid: o.sopClassUid,
      sopInstanceUid: o.sopInstanceUid,
      seriesInstanceUid: o.seriesInstanceUid,
      findings: o.findings,
      bytes: o.part10.byteLength,
      ...(files[i] ? { file: files[i] } : {}),
    })),
    ...(stored ? { stored } : {}),
  };
}

export async function predict(options: PredictOptions): Promise<void> {
  // Output paths first: a bad one fails before any analysis runs.
  if (options.heatmapsDir) await checkOutputDir(options.heatmapsDir, '--heatmaps');
  if (options.dumpTensorsDir) await checkOutputDir(options.dumpTensorsDir, '--dump-tensors');
  if (options.dicomOutDir) await checkOutputDir(options.dicomOutDir, '--dicom-out');
  const dataset = options.dicomOutDir || options.storeUrl ? await readSourceDataset(options.file) : undefined;
  const pixels = await readImageFile(options.file);
  const model = await loadModelFromDisk(options.manifest, options.threads, options.backend);
  try {
    const result = await model.analyze(pixels, { keepInput: options.dumpTensorsDir !== undefined });
    const written = options.heatmapsDir
      ? await writeHeatmaps(
          options.heatmapsDir,
          options,
          result,
          displayIntensities(pixels).values,
          model.manifest.findings,
        )
      : [];
    if (options.dumpTensorsDir) await dumpTensors(options.dumpTensorsDir, result);
    const dicom = dataset ? await dicomResults(options, dataset, pixels, result, model.manifest.findings) : {};
    if (options.json) {
      process.stdout.write(
        `${JSON.stringify({ ...summary(result), ...(written.length ? { heatmaps: written } : {}), ...dicom })}\n`,
      );
    } else {
      process.stdout.write(`${table(result)}\n`);
      if (written.length) process.stdout.write(`heatmaps: ${written.length} PNGs in ${options.heatmapsDir}\n`);
      if (dicom.dicom) {
        const total = dicom.dicom.reduce((n, o) => n + o.bytes, 0);
        process.stdout.write(`DICOM: ${dicom.dicom.length} objects, ${(total / 1e6).toFixed(2)} MB`);
        process.stdout.write(options.dicomOutDir ? ` in ${options.dicomOutDir}` : '');
        process.stdout.write(dicom.stored ? `, stored in ${dicom.stored.url}\n` : '\n');
      }
    }
  } finally {
    await model.dispose();
  }
}
