/**
 * Sizes of the objects for one full-size NIH radiograph (1024 x 1024, as DICOM DX): all 14 maps
 * and six captures (the most the viewer shows at once in distinct hues), and all 14 captured, stay
 * under 10 MB together. The sizes are printed for docs/dicom-results.md.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { allDisplayHeatmaps, type AnalysisResult, type RadiographPixels } from '../../extension/src/engine';
import {
  buildResultObjects,
  captureBackground,
  parsePart10,
  RESULT_OBJECTS_BUDGET_BYTES,
  type SourceImage,
  sourceImageFromDataset,
} from '../../extension/src/dicomResults';
import { readDicomFile } from '../../extension/src/cli/io/readDicomFile';
import { rasterizeSvgNode } from '../../extension/src/cli/svgRasterizer';
import { dicomPart10, FIXTURE_ROOT_UID } from '../fixtures/dicomPart10';
import { nihPng } from '../fixtures/paths';
import { realDemoModel } from '../support/realModel';

let pixels: RadiographPixels;
let result: AnalysisResult;
let source: SourceImage;

beforeAll(async () => {
  const png = PNG.sync.read(readFileSync(nihPng('jrzech__00001369_000.png')));
  const grey = new Uint8Array(png.width * png.height);
  for (let i = 0; i < grey.length; i++) grey[i] = png.data[4 * i];
  const bytes = dicomPart10('1.2.840.10008.5.1.4.1.1.1.1', `${FIXTURE_ROOT_UID}.77`, {
    StudyInstanceUID: `${FIXTURE_ROOT_UID}.7700`,
    SeriesInstanceUID: `${FIXTURE_ROOT_UID}.7701`,
    PatientName: 'NIH^00001369',
    PatientID: 'NIH-00001369',
    PatientBirthDate: '',
    PatientSex: 'M',
    StudyDate: '20261201',
    StudyTime: '101500',
    StudyID: '1',
    AccessionNumber: 'A1369',
    Modality: 'DX',
    BodyPartExamined: 'CHEST',
    ViewPosition: 'PA',
    Rows: png.height,
    Columns: png.width,
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [grey.buffer],
    _vrMap: { PixelData: 'OB' },
  });
  pixels = await readDicomFile(new Uint8Array(bytes));
  result = await (await realDemoModel()).analyze(pixels);
  source = sourceImageFromDataset(parsePart10(new Uint8Array(bytes).buffer), 1);
});

async function sizes(captures: number) {
  const byScore = [...result.findings].sort((a, b) => b.probability - a.probability);
  const objects = await buildResultObjects({
    result,
    source,
    maps: allDisplayHeatmaps(result),
    captureFindings: byScore.slice(0, captures).map((f) => f.name),
    background: captureBackground(pixels, 1024),
    displayName: (name) => name,
    rasterizeSvg: rasterizeSvgNode,
    now: new Date(),
  });
  const rows = objects.map((o) => {
    const d = parsePart10(o.part10);
    return `${o.kind} ${d.Columns ?? ''}${d.Rows ? `x${d.Rows}` : ''}${d.NumberOfFrames ? `x${d.NumberOfFrames}` : ''}: ${o.part10.byteLength} bytes`;
  });
  const total = objects.reduce((n, o) => n + o.part10.byteLength, 0);
  console.log(
    `${captures} captures on a ${pixels.columns}x${pixels.rows} image: ${total} bytes\n  ${rows.join('\n  ')}`,
  );
  return { objects, total };
}

let six: Awaited<ReturnType<typeof sizes>>;

test('14 maps and 6 captures of a 1024 x 1024 radiograph stay under 10 MB', async () => {
  six = await sizes(6);
  const { objects, total } = six;
  expect(objects.filter((o) => o.kind === 'secondary-capture')).toHaveLength(6);
  expect(total).toBeLessThan(RESULT_OBJECTS_BUDGET_BYTES);
});

test('with all 14 findings captured, the captures shrink to fit and the whole still stays under 10 MB', async () => {
  const sixCapture = parsePart10(six.objects[2].part10);
  const { objects, total } = await sizes(14);
  const fourteen = parsePart10(objects[2].part10);
  expect(objects.filter((o) => o.kind === 'secondary-capture')).toHaveLength(14);
  expect(Number(fourteen.Columns)).toBeLessThan(Number(sixCapture.Columns));
  expect(total).toBeLessThan(RESULT_OBJECTS_BUDGET_BYTES);
});
