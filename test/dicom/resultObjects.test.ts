/**
 * Our DICOM result objects from a real analysis (the demo model on WASM) of an NIH radiograph as
 * DICOM: every object passes dciodvfy and pydicom reads it; the SR passes dsrdump; the SR and the
 * Parametric Map read back to the numbers and maps they were built from.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allDisplayHeatmaps, type AnalysisResult, type Heatmap } from '../../extension/src/engine';
import {
  buildResultObjects,
  captureBackground,
  heatmapFromParametricMap,
  parsePart10,
  readStoredResult,
  type ResultObject,
  type SourceImage,
  sourceImageFromDataset,
} from '../../extension/src/dicomResults';
import { readImageFile } from '../../extension/src/cli/io/readImageFile';
import { rasterizeSvgNode } from '../../extension/src/cli/svgRasterizer';
import { DX_MONO2_8BIT } from '../fixtures/paths';
import { realDemoModel } from '../support/realModel';
import { countLines, dciodvfy, dsrdump, pydicomJson, withTool } from './validators';

const NOW = new Date('2026-12-01T10:20:30.456Z');
const displayName = (name: string) => name.replace(/_/g, ' ');

let dir: string;
let result: AnalysisResult;
let maps: Heatmap[];
let source: SourceImage;
let objects: ResultObject[];
let files: string[];
let captured: string[];

const fileOf = (kind: ResultObject['kind']) => files[objects.findIndex((o) => o.kind === kind)];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cxr-dicom-'));
  const pixels = await readImageFile(DX_MONO2_8BIT);
  const model = await realDemoModel();
  result = await model.analyze(pixels);
  maps = allDisplayHeatmaps(result);
  const bytes = readFileSync(DX_MONO2_8BIT);
  source = sourceImageFromDataset(parsePart10(new Uint8Array(bytes).buffer), 1);
  // The two highest findings, as a reader might show them.
  captured = [...result.findings]
    .sort((a, b) => b.probability - a.probability)
    .slice(0, 2)
    .map((f) => f.name);
  objects = await buildResultObjects({
    result,
    source,
    maps,
    captureFindings: captured,
    background: captureBackground(pixels, 1024),
    displayName,
    rasterizeSvg: rasterizeSvgNode,
    now: NOW,
  });
  files = objects.map((o, i) => {
    const file = join(dir, `${i}-${o.kind}.dcm`);
    writeFileSync(file, new Uint8Array(o.part10));
    return file;
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('one SR, one Parametric Map with every map, one capture per shown finding, each in its own new series', () => {
  expect(objects.map((o) => o.kind)).toEqual(['sr', 'parametric-map', 'secondary-capture', 'secondary-capture']);
  expect(objects[1].findings).toEqual(result.findings.map((f) => f.name));
  expect(objects.slice(2).map((o) => o.findings[0])).toEqual(captured);
  const series = new Set(objects.map((o) => o.seriesInstanceUid));
  expect(series.size).toBe(3);
  expect(series.has(source.seriesInstanceUid)).toBe(false);
  for (const o of objects) {
    const dataset = parsePart10(o.part10);
    expect(dataset.StudyInstanceUID).toBe(source.studyInstanceUid);
    expect(dataset.PatientID).toBe(source.attributes.PatientID);
    expect(dataset.SOPInstanceUID).toBe(o.sopInstanceUid);
    expect(String(dataset.SeriesDescription)).toContain('DEMO — untrained weights — not a diagnosis');
  }
});

test('every store makes new UIDs', async () => {
  const again = await buildResultObjects({
    result,
    source,
    maps: maps.slice(0, 1),
    captureFindings: [],
    displayName,
    rasterizeSvg: rasterizeSvgNode,
    now: NOW,
  });
  const before = new Set(objects.flatMap((o) => [o.sopInstanceUid, o.seriesInstanceUid]));
  for (const o of again) {
    expect(before.has(o.sopInstanceUid)).toBe(false);
    expect(before.has(o.seriesInstanceUid)).toBe(false);
  }
});

withTool('dciodvfy')('every object passes dciodvfy with no Error lines', () => {
  const report: string[] = [];
  for (const [i, file] of files.entries()) {
    const { errors, warnings } = dciodvfy(file);
    report.push(
      `${objects[i].kind} (${objects[i].part10.byteLength} bytes): ${warnings.length} warnings\n${countLines(warnings)}`,
    );
    expect({ file, errors }).toEqual({ file, errors: [] });
  }
  console.log(`dciodvfy:\n${report.join('\n')}`);
});

withTool('dsrdump')('the SR passes dsrdump, which reads every finding out of its tree', () => {
  const { status, output } = dsrdump(fileOf('sr'));
  expect(status).toBe(0);
  expect(output).not.toMatch(/^E: /m);
  expect(output).toContain('Imaging Measurement Report');
  for (const f of result.findings) expect(output).toContain(`"Tracking Identifier")="${f.name}"`);
  console.log(
    `dsrdump warnings: ${
      output
        .split('\n')
        .filter((l) => l.startsWith('W: '))
        .join(' | ') || 'none'
    }`,
  );
});

const SR_SCRIPT = `
import sys, json, pydicom
ds = pydicom.dcmread(sys.argv[1])
def walk(items):
    for item in items:
        yield item
        yield from walk(getattr(item, 'ContentSequence', []))
out = {}
for group in walk(ds.ContentSequence):
    if group.ValueType != 'CONTAINER' or group.ConceptNameCodeSequence[0].CodeValue != '125007':
        continue
    row = {}
    for item in group.ContentSequence:
        meaning = item.ConceptNameCodeSequence[0].CodeMeaning
        if meaning == 'Tracking Identifier': row['name'] = item.TextValue
        if item.ValueType == 'NUM':
            value = item.MeasuredValueSequence[0]
            row[meaning] = [float(value.FloatingPointValue), float(value.NumericValue)]
        if meaning == 'Qualitative Evaluations': row['evaluation'] = item.ConceptCodeSequence[0].CodeMeaning
    out[row['name']] = row
print(json.dumps({'sop': ds.SOPClassUID, 'findings': out}))
`;

withTool('pydicom')('pydicom reads the SR and sees every probability, threshold and evaluation', () => {
  type Row = { Probability: [number, number]; 'Operating threshold': [number, number]; evaluation: string };
  const read = pydicomJson<{ sop: string; findings: Record<string, Row> }>(SR_SCRIPT, fileOf('sr'));
  expect(read.sop).toBe('1.2.840.10008.5.1.4.1.1.88.34');
  for (const f of result.findings) {
    const row = read.findings[f.name];
    expect(Math.abs(row.Probability[0] - f.probability)).toBeLessThan(1e-12);
    expect(Math.abs(row.Probability[1] - f.probability)).toBeLessThan(1e-6);
    expect(row['Operating threshold'][0]).toBe(f.threshold);
    expect(row.evaluation).toBe(f.positive ? 'Present' : 'Absent');
  }
});

const PM_SCRIPT = `
import sys, json, pydicom, numpy as np
ds = pydicom.dcmread(sys.argv[1])
frames = np.frombuffer(ds.FloatPixelData, dtype='<f4').reshape(int(ds.NumberOfFrames), ds.Rows, ds.Columns)
out = []
for i, f in enumerate(ds.PerFrameFunctionalGroupsSequence):
    rwv = f.RealWorldValueMappingSequence[0]
    out.append({'label': f.FrameContentSequence[0].FrameLabel, 'max': float(frames[i].max()), 'sum': float(frames[i].astype('f8').sum()),
                'unit': rwv.MeasurementUnitsCodeSequence[0].CodeValue,
                'quantity': rwv.QuantityDefinitionSequence[0].ConceptCodeSequence[0].CodeMeaning})
print(json.dumps({'bits': ds.BitsAllocated, 'frames': out}))
`;

withTool('pydicom')(
  'pydicom reads the Parametric Map: float frames, one per finding, class activation in logits',
  () => {
    type Frame = { label: string; max: number; sum: number; unit: string; quantity: string };
    const read = pydicomJson<{ bits: number; frames: Frame[] }>(PM_SCRIPT, fileOf('parametric-map'));
    expect(read.bits).toBe(32);
    expect(read.frames.map((f) => f.label)).toEqual(maps.map((m) => m.finding));
    read.frames.forEach((frame, i) => {
      const sum = maps[i].data.reduce((s, v) => s + v, 0);
      expect(frame.max).toBeCloseTo(maps[i].max, 5);
      expect(Math.abs(frame.sum - sum)).toBeLessThan(1e-3 * Math.max(1, sum));
      expect(frame).toMatchObject({ unit: '{logit}', quantity: 'Class activation' });
    });
  },
);

const SC_SCRIPT = `
import sys, json, pydicom
ds = pydicom.dcmread(sys.argv[1])
print(json.dumps({'shape': list(ds.pixel_array.shape), 'photometric': ds.PhotometricInterpretation,
  'spacing': [k for k in ('PixelSpacing', 'ImagerPixelSpacing', 'NominalScannedPixelSpacing') if k in ds],
  'burnedIn': ds.BurnedInAnnotation}))
`;

withTool('pydicom')('pydicom reads each capture: RGB pixels, burned-in annotation, no pixel spacing', () => {
  for (const [i, o] of objects.entries()) {
    if (o.kind !== 'secondary-capture') continue;
    const read = pydicomJson<{ shape: number[]; photometric: string; spacing: string[]; burnedIn: string }>(
      SC_SCRIPT,
      files[i],
    );
    expect(read).toMatchObject({ photometric: 'RGB', spacing: [], burnedIn: 'YES' });
    expect(read.shape[2]).toBe(3);
  }
});

test('readStoredResult gives back the analysis: image, model, backend, every probability within 1e-6, the maps', () => {
  const stored = readStoredResult(parsePart10(objects[0].part10));
  expect(stored).toBeDefined();
  if (!stored) return;
  expect(stored).toMatchObject({
    srSopInstanceUid: objects[0].sopInstanceUid,
    srSeriesInstanceUid: objects[0].seriesInstanceUid,
    storedAt: '2026-12-01T10:20:30.456+00:00',
    imageSopInstanceUid: source.sopInstanceUid,
    frameNumber: 1,
    model: result.model,
    backend: result.backend,
  });
  expect(stored.findings.map((f) => f.name)).toEqual(result.findings.map((f) => f.name));
  stored.findings.forEach((f, i) => {
    const shown = result.findings[i];
    expect(Math.abs(f.probability - shown.probability)).toBeLessThan(1e-6);
    expect(f).toMatchObject({ threshold: shown.threshold, positive: shown.positive, trained: shown.trained });
  });
  expect(stored.maps).toEqual(
    maps.map((m, i) => ({ finding: m.finding, sopInstanceUid: objects[1].sopInstanceUid, frameNumber: i + 1 })),
  );
});

test('readStoredResult says undefined for what is not our SR', () => {
  const ours = parsePart10(objects[0].part10);
  expect(readStoredResult(parsePart10(objects[1].part10))).toBeUndefined();
  const children = (ours.ContentSequence as Record<string, unknown>[]).map((item) =>
    item.TextValue === 'Chest X-ray AI for OHIF' ? { ...item, TextValue: 'Another vendor' } : item,
  );
  expect(readStoredResult({ ...ours, ContentSequence: children })).toBeUndefined();
});

test('heatmapFromParametricMap gives back every map within 1e-4 of full scale, on the same image region', () => {
  const dataset = parsePart10(objects[1].part10);
  const pixels = new Float32Array((dataset.FloatPixelData as ArrayBuffer[])[0]);
  maps.forEach((shown, i) => {
    const back = heatmapFromParametricMap(dataset, pixels, i + 1);
    expect({ finding: back.finding, rows: back.rows, columns: back.columns }).toEqual({
      finding: shown.finding,
      rows: shown.rows,
      columns: shown.columns,
    });
    expect(back.fullScale).toBeCloseTo(shown.fullScale, 9);
    const region = shown.imageRegion ?? { x: 0, y: 0, width: shown.columns, height: shown.rows };
    for (const key of ['x', 'y', 'width', 'height'] as const)
      expect(back.imageRegion?.[key]).toBeCloseTo(region[key], 6);
    let worst = 0;
    back.data.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - shown.data[k]))));
    expect(worst).toBeLessThanOrEqual(1e-4 * shown.fullScale);
    expect(back.max).toBeCloseTo(shown.max, 6);
  });
});

/** The dataset with every one-item sequence held as the item itself, as some naturalisers give it. */
function singleItemsAsObjects(value: unknown): unknown {
  if (Array.isArray(value)) {
    const mapped = value.map(singleItemsAsObjects);
    return mapped.length === 1 && mapped[0] && typeof mapped[0] === 'object' ? mapped[0] : mapped;
  }
  if (value && typeof value === 'object' && !(value instanceof ArrayBuffer)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, singleItemsAsObjects(v)]));
  }
  return value;
}

test('readStoredResult reads the same result when one-item sequences are objects, not arrays', () => {
  const dataset = parsePart10(objects[0].part10);
  const reshaped = singleItemsAsObjects(dataset) as typeof dataset;
  expect(Array.isArray(reshaped.ConceptNameCodeSequence)).toBe(false);
  expect(readStoredResult(reshaped)).toEqual(readStoredResult(dataset));
});

test("every measurement group has a point on the analysed image at its map's peak (OHIF 3.13's SR loader needs one)", () => {
  const groups = ((parsePart10(objects[0].part10).ContentSequence as Record<string, unknown>[]).find(
    (item) => (item.ConceptNameCodeSequence as { CodeValue: string }[])[0].CodeValue === '126010',
  )?.ContentSequence ?? []) as { ContentSequence: Record<string, unknown>[] }[];
  expect(groups).toHaveLength(result.findings.length);
  groups.forEach((group, i) => {
    const points = group.ContentSequence.filter((item) => item.ValueType === 'SCOORD');
    expect(points).toHaveLength(1);
    const peak = maps[i].peak ?? { row: -1, column: -1 };
    expect(points[0]).toMatchObject({ GraphicType: 'POINT', GraphicData: [peak.column + 0.5, peak.row + 0.5] });
    const selectedFrom = (points[0].ContentSequence as { ReferencedSOPSequence: Record<string, unknown>[] }[])[0];
    expect(selectedFrom.ReferencedSOPSequence[0].ReferencedSOPInstanceUID).toBe(source.sopInstanceUid);
  });
});
