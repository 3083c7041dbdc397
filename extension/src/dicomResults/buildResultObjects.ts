/** All DICOM objects of one analysed image: the SR, one Parametric Map, the captures. */
import { findingHue } from '../engine';
import { captureRows, SC_SERIES_NUMBER, secondaryCapture } from './secondaryCapture';
import { fitBackground, type GreyImage } from './captureImage';
import { writePart10 } from './dcmjs';
import { PARAMETRIC_MAP_STORAGE, parametricMap } from './parametricMap';
import { COMPREHENSIVE_3D_SR, type ObjectReference, structuredReport } from './structuredReport';
import type { ResultObject, ResultObjectsInput } from './types';
import { newUid } from './uids';

/** All objects of one image together stay under this (the 10 MB), headers included. */
export const RESULT_OBJECTS_BUDGET_BYTES = 10_000_000;
/** Room kept for the SR and the headers of every object. */
const HEADROOM_BYTES = 400_000;

export { SC_SERIES_NUMBER };

/** The film of each capture, shrunk so that all captures fit what the SR and map leave. */
function captureFilm(background: GreyImage, count: number, mapBytes: number): GreyImage {
  const perCapture = (RESULT_OBJECTS_BUDGET_BYTES - HEADROOM_BYTES - mapBytes) / Math.max(1, count);
  if (perCapture < 64 * 64 * 3) throw new Error('The heatmaps leave no room for the captures within 10 MB.');
  let film = background;
  // The caption band grows with the width: shrink until film + band fit.
  while (captureRows(film) * film.columns * 3 > perCapture) {
    film = fitBackground(film, Math.floor(film.rows * film.columns * 0.9));
  }
  return film;
}

/**
 * The SR, the Parametric Map of every map given and one capture per `captureFindings` entry, as
 * Part 10 bytes, each in a new series with new UIDs (the source is never touched). The same code
 * runs in the panel and the CLI.
 */
export async function buildResultObjects(input: ResultObjectsInput): Promise<ResultObject[]> {
  const { result, source, maps, now } = input;
  const series = { sr: newUid(), pm: newUid(), sc: newUid() };
  const objects: ResultObject[] = [];
  const mapRefs = new Map<string, ObjectReference>();
  let mapBytes = 0;
  if (maps.length > 0) {
    const sopInstanceUid = newUid();
    const dataset = parametricMap({
      maps,
      source,
      model: result.model,
      displayName: input.displayName,
      now,
      sopInstanceUid,
      seriesInstanceUid: series.pm,
    });
    const part10 = writePart10(dataset);
    mapBytes = part10.byteLength;
    if (mapBytes > RESULT_OBJECTS_BUDGET_BYTES - HEADROOM_BYTES) {
      throw new Error(
        `The heatmaps take ${(mapBytes / 1e6).toFixed(1)} MB as DICOM; send coarse maps (under 10 MB in all).`,
      );
    }
    maps.forEach((m, i) =>
      mapRefs.set(m.finding, {
        sopClassUid: PARAMETRIC_MAP_STORAGE,
        sopInstanceUid,
        seriesInstanceUid: series.pm,
        frameNumber: i + 1,
      }),
    );
    objects.push({
      kind: 'parametric-map',
      sopClassUid: PARAMETRIC_MAP_STORAGE,
      sopInstanceUid,
      seriesInstanceUid: series.pm,
      findings: maps.map((m) => m.finding),
      part10,
    });
  }
  const captureRefs = new Map<string, ObjectReference>();
  const shown = input.captureFindings.filter((f) => maps.some((m) => m.finding === f));
  if (shown.length > 0) {
    if (!input.background) throw new Error('Heatmap captures need the image background.');
    const film = captureFilm(input.background, shown.length, mapBytes);
    for (const [k, name] of shown.entries()) {
      const finding = result.findings.find((f) => f.name === name);
      const map = maps.find((m) => m.finding === name);
      if (!finding || !map) continue;
      const sopInstanceUid = newUid();
      const dataset = await secondaryCapture({
        background: film,
        map,
        finding,
        title: input.displayName(name),
        hue: findingHue(k),
        source,
        model: result.model,
        rasterizeSvg: input.rasterizeSvg,
        now,
        instanceNumber: k + 1,
        sopInstanceUid,
        seriesInstanceUid: series.sc,
      });
      const ref = { sopClassUid: String(dataset.SOPClassUID), sopInstanceUid, seriesInstanceUid: series.sc };
      captureRefs.set(name, ref);
      objects.push({ kind: 'secondary-capture', ...ref, findings: [name], part10: writePart10(dataset) });
    }
  }
  const srUid = newUid();
  const sr = structuredReport({
    result,
    source,
    displayName: input.displayName,
    now,
    maps: mapRefs,
    peaks: new Map(
      maps.filter((m) => m.peak && m.max > 0).map((m) => [m.finding, m.peak as { row: number; column: number }]),
    ),
    captures: captureRefs,
    sopInstanceUid: srUid,
    seriesInstanceUid: series.sr,
  });
  objects.unshift({
    kind: 'sr',
    sopClassUid: COMPREHENSIVE_3D_SR,
    sopInstanceUid: srUid,
    seriesInstanceUid: series.sr,
    findings: result.findings.map((f) => f.name),
    part10: writePart10(sr),
  });
  return objects;
}
