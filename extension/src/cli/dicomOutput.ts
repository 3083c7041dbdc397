/** predict --dicom-out / --store: our DICOM result objects for a DICOM input, written or sent. */
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { allDisplayHeatmaps, type AnalysisResult, type FindingSpec, type RadiographPixels } from '../engine';
import {
  buildResultObjects,
  captureBackground,
  parsePart10,
  type NaturalizedDataset,
  type ResultObject,
  sourceImageFromDataset,
} from '../dicomResults';
import { findingDisplayName } from './heatmapPng';
import { stowRs } from './io/stowRs';
import { rasterizeSvgNode } from './svgRasterizer';

/** A message for the person at the terminal (no stack trace). */
export class DicomOutputError extends Error {}

/** Longest side of a capture's film before the size budget shrinks it further (as the panel). */
export const CAPTURE_MAX_SIDE = 1024;
/** At most this many captures: the six hues the viewer gives maps shown together. */
const MAX_CAPTURES = 6;

/**
 * The findings the CLI burns into captures, since nothing is "shown" in a terminal: those at or
 * above their cut-off, highest first (at most six), else the highest-scoring one.
 */
export function captureFindingsOf(result: AnalysisResult): string[] {
  const sorted = [...result.findings].sort((a, b) => b.probability - a.probability);
  const positive = sorted.filter((f) => f.positive).slice(0, MAX_CAPTURES);
  return (positive.length ? positive : sorted.slice(0, 1)).map((f) => f.name);
}

/** The input's DICOM header, read before any analysis so a non-DICOM input fails at once. */
export async function readSourceDataset(file: string): Promise<NaturalizedDataset> {
  const bytes = await readFile(file);
  try {
    return parsePart10(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  } catch {
    throw new DicomOutputError(`--dicom-out and --store need a DICOM Part 10 file; ${basename(file)} is not one.`);
  }
}

export async function resultObjectsForFile(
  dataset: NaturalizedDataset,
  pixels: RadiographPixels,
  result: AnalysisResult,
  specs: readonly FindingSpec[],
): Promise<ResultObject[]> {
  let source;
  try {
    source = sourceImageFromDataset(dataset, 1);
  } catch (error) {
    throw new DicomOutputError((error as Error).message);
  }
  return buildResultObjects({
    result,
    source,
    maps: allDisplayHeatmaps(result),
    captureFindings: captureFindingsOf(result),
    background: captureBackground(pixels, CAPTURE_MAX_SIDE),
    displayName: (name) => findingDisplayName(name, specs.find((f) => f.name === name)?.displayName),
    rasterizeSvg: rasterizeSvgNode,
    now: new Date(),
  });
}

function fileName(imageFile: string, object: ResultObject): string {
  const safe = (text: string) => text.replace(/[^A-Za-z0-9._-]+/g, '_');
  const stem = safe(basename(imageFile, extname(imageFile)));
  if (object.kind === 'sr') return `${stem}__sr.dcm`;
  if (object.kind === 'parametric-map') return `${stem}__heatmaps.dcm`;
  return `${stem}__capture_${safe(object.findings[0] ?? object.sopInstanceUid)}.dcm`;
}

export async function writeResultObjects(dir: string, imageFile: string, objects: ResultObject[]): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const object of objects) {
    const path = join(dir, fileName(imageFile, object));
    await writeFile(path, new Uint8Array(object.part10));
    written.push(path);
  }
  return written;
}

/** Sends the objects in one STOW-RS request, the SR last in the body (its maps come first). */
export async function storeResultObjects(url: string, objects: ResultObject[], timeoutMs?: number) {
  const ordered = [...objects.filter((o) => o.kind !== 'sr'), ...objects.filter((o) => o.kind === 'sr')];
  return stowRs(
    url,
    ordered.map((o) => o.part10),
    timeoutMs,
  );
}
