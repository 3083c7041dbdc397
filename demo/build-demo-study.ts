/**
 * Writes the demo study into .cache/demo-study/: the NIH ChestX-ray14 PNGs in demo/data/nih as
 * DX DICOM files with real acquisition metadata (view, spacing) and clearly fake identifiers, the
 * real MONOCHROME1 JPEG 2000 CR (NEMA WG04 RG1) re-identified into the same demo study, and the
 * `dicomjson` manifest OHIF reads (study.json). Deterministic: UIDs derive from the file names.
 *
 *   npx tsx demo/build-demo-study.ts [--out dir] [--force]
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PNG } from 'pngjs';
import { DicomMessage, DicomMetaDictionary, EXPLICIT_VR_LE, fileMeta as part10Meta, writePart10 } from './dicomPart10';

const ROOT = path.resolve(__dirname, '..');
const DATA = path.join(ROOT, 'demo', 'data');
/** Bumped when the output format changes, so stale caches are rebuilt. */
const FORMAT = 5;

/** UID under the ISO "2.25" UUID arc, derived from a fixed demo namespace and a name. */
export function demoUid(name: string): string {
  const hex = createHash('sha256').update(`chest-xray-ai-demo/${name}`).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`).toString(10)}`;
}

/** One NIH image: values from demo/data/MANIFEST.csv and NIH's Data_Entry_2017_v2020.csv. */
interface NihImage {
  file: string;
  imageIndex: string;
  view: 'PA' | 'AP' | 'LL';
  labels: string;
  /**
   * Set for a film whose header the demo changes on purpose (no licence-clean lateral film is
   * available, so a PA film is labelled lateral to show the chest-film gate): why, shown in its
   * series description.
   */
  relabelled?: string;
  age: number;
  sex: 'M' | 'F';
  /** NIH's OriginalImage[Width,Height] and OriginalImagePixelSpacing[x,y] (mm) before their resize. */
  originalSize: [number, number];
  originalSpacing: [number, number];
}

const NIH_IMAGES: NihImage[] = [
  {
    file: 'jrzech__00001369_000.png',
    imageIndex: '00001369_000',
    view: 'PA',
    labels: 'Cardiomegaly',
    age: 35,
    sex: 'F',
    originalSize: [2048, 2500],
    originalSpacing: [0.171, 0.171],
  },
  {
    file: 'jrzech__00002578_000.png',
    imageIndex: '00002578_000',
    view: 'PA',
    labels: 'Nodule',
    age: 35,
    sex: 'F',
    originalSize: [2048, 2500],
    originalSpacing: [0.171, 0.171],
  },
  {
    file: 'jrzech__00001968_000.png',
    imageIndex: '00001968_000',
    view: 'PA',
    labels: 'Pneumothorax',
    age: 43,
    sex: 'F',
    originalSize: [2742, 2991],
    originalSpacing: [0.143, 0.143],
  },
  {
    file: 'jrzech__00026911_000.png',
    imageIndex: '00026911_000',
    view: 'AP',
    labels: 'Effusion|Infiltration|Mass',
    age: 10,
    sex: 'M',
    originalSize: [3056, 2544],
    originalSpacing: [0.139, 0.139],
  },
  {
    file: 'txv__00000001_000.png',
    imageIndex: '00000001_000',
    view: 'PA',
    labels: 'Cardiomegaly',
    age: 57,
    sex: 'M',
    originalSize: [2682, 2749],
    originalSpacing: [0.143, 0.143],
  },
  {
    file: 'txv__00027426_000.png',
    imageIndex: '00027426_000',
    view: 'PA',
    labels: 'No Finding',
    age: 53,
    sex: 'M',
    originalSize: [2992, 2991],
    originalSpacing: [0.143, 0.143],
  },
];

/** Films whose header the demo changes on purpose, after the real ones (so series numbers stay). */
const RELABELLED_IMAGES: NihImage[] = NIH_IMAGES.filter((img) => img.imageIndex === '00001968_000').map((img) => ({
  ...img,
  view: 'LL',
  relabelled: 'DEMO: a PA film labelled LATERAL in its header (chest-film gate)',
}));

const RG1_FILE = 'pydicom-data__RG1_J2KI.dcm';

const STUDY = {
  StudyInstanceUID: demoUid('study'),
  PatientName: 'DEMO^CHEST-XRAY-AI',
  PatientID: 'DEMO-CXR-0001',
  AccessionNumber: 'DEMO0001',
  StudyID: 'DEMO1',
  StudyDate: '20260101',
  StudyTime: '090000',
  StudyDescription: 'DEMO chest films (NIH ChestX-ray14, NEMA RG1), not patient data',
  ReferringPhysicianName: 'DEMO^REFERRER',
  PatientBirthDate: '',
  PatientSex: 'O',
};

const DX_FOR_PRESENTATION = '1.2.840.10008.5.1.4.1.1.1.1';
const IMPLEMENTATION_UID = demoUid('implementation');

export interface DemoInstance {
  fileName: string;
  seriesNumber: number;
  description: string;
  /** Naturalized DICOM attributes without pixel data, as OHIF's dicomjson source wants them. */
  metadata: Record<string, unknown>;
}

function toArrayBuffer(buf: Buffer): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function fileMeta(sopClassUid: string, sopInstanceUid: string, transferSyntax: string): Record<string, unknown> {
  return part10Meta(sopClassUid, sopInstanceUid, transferSyntax, {
    classUid: IMPLEMENTATION_UID,
    versionName: 'CXRAI_DEMO_1',
  });
}

/** Grey values of a PNG: the red channel (NIH PNGs are grey, some stored as RGBA). */
function readPngGrey(file: string): { rows: number; columns: number; pixels: Uint8Array } {
  const png = PNG.sync.read(fs.readFileSync(file));
  const pixels = new Uint8Array(png.width * png.height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = png.data[i * 4];
  return { rows: png.height, columns: png.width, pixels };
}

function nihInstance(img: NihImage, seriesNumber: number): { instance: DemoInstance; bytes: Buffer } {
  const { rows, columns, pixels } = readPngGrey(path.join(DATA, 'nih', img.file));
  // NIH resized every film to 1024 (or txv: 512) square; the spacing of this grid follows from
  // the original size and spacing NIH published: [row spacing, column spacing] in mm.
  const spacing = [
    +((img.originalSize[1] * img.originalSpacing[1]) / rows).toFixed(4),
    +((img.originalSize[0] * img.originalSpacing[0]) / columns).toFixed(4),
  ];
  const key = img.relabelled ? `${img.imageIndex}-${img.view}` : img.imageIndex;
  const sopInstanceUid = demoUid(`nih/${key}/instance`);
  const description =
    img.relabelled ?? `NIH ${img.imageIndex} ${img.view} (NIH labels: ${img.labels.replace(/\|/g, ', ')})`;
  const dataset: Record<string, unknown> = {
    _vrMap: { PixelData: 'OB' },
    SpecificCharacterSet: 'ISO_IR 100',
    ImageType: ['DERIVED', 'PRIMARY'],
    SOPClassUID: DX_FOR_PRESENTATION,
    SOPInstanceUID: sopInstanceUid,
    StudyDate: STUDY.StudyDate,
    SeriesDate: STUDY.StudyDate,
    ContentDate: STUDY.StudyDate,
    StudyTime: STUDY.StudyTime,
    SeriesTime: STUDY.StudyTime,
    ContentTime: STUDY.StudyTime,
    AccessionNumber: STUDY.AccessionNumber,
    Modality: 'DX',
    PresentationIntentType: 'FOR PRESENTATION',
    Manufacturer: 'DEMO (converted from NIH ChestX-ray14 PNG)',
    ReferringPhysicianName: STUDY.ReferringPhysicianName,
    StudyDescription: STUDY.StudyDescription,
    SeriesDescription: description,
    PatientName: STUDY.PatientName,
    PatientID: STUDY.PatientID,
    PatientBirthDate: STUDY.PatientBirthDate,
    PatientSex: STUDY.PatientSex,
    // The NIH patient's real age at this film (NIH Data_Entry): the chest-film gate reads it.
    PatientAge: `${String(img.age).padStart(3, '0')}Y`,
    BodyPartExamined: 'CHEST',
    ViewPosition: img.view,
    StudyInstanceUID: STUDY.StudyInstanceUID,
    SeriesInstanceUID: demoUid(`nih/${key}/series`),
    StudyID: STUDY.StudyID,
    SeriesNumber: seriesNumber,
    InstanceNumber: 1,
    PatientOrientation: ['L', 'F'],
    ImageComments:
      `DEMO image, not patient data. NIH ChestX-ray14 ${img.imageIndex} (patient ${img.age}${img.sex}), ` +
      `NIH labels: ${img.labels}. Source: NIH Clinical Center (Wang et al., CVPR 2017).`,
    BurnedInAnnotation: 'NO',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    Rows: rows,
    Columns: columns,
    PixelSpacing: spacing,
    ImagerPixelSpacing: spacing,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    // Full 8-bit range, so the image is shown (and analysed) as the PNG was.
    WindowCenter: 128,
    WindowWidth: 256,
    RescaleIntercept: 0,
    RescaleSlope: 1,
    RescaleType: 'US',
    LossyImageCompression: '00',
    PixelData: [pixels.buffer],
  };
  const bytes = writePart10(fileMeta(DX_FOR_PRESENTATION, sopInstanceUid, EXPLICIT_VR_LE), dataset);
  const metadata = { ...dataset };
  delete metadata.PixelData;
  delete metadata._vrMap;
  return {
    instance: { fileName: `nih-${key}.dcm`, seriesNumber, description, metadata },
    bytes,
  };
}

/** Byte offset of the (7FE0,0010) element in an explicit VR little endian dataset. */
function pixelDataOffset(bytes: Buffer): number {
  // Search from the end for the tag followed by "OB"/"OW"; PixelData is the last element here.
  for (let i = bytes.length - 8; i >= 132; i--) {
    if (
      bytes[i] === 0xe0 &&
      bytes[i + 1] === 0x7f &&
      bytes[i + 2] === 0x10 &&
      bytes[i + 3] === 0x00 &&
      bytes[i + 5] === 0x42 &&
      bytes[i + 4] === 0x4f &&
      bytes[i + 6] === 0 &&
      bytes[i + 7] === 0
    ) {
      return i;
    }
  }
  throw new Error('PixelData element not found');
}

/**
 * The real CR, moved into the demo study: identifiers replaced, acquisition metadata kept, the
 * JPEG 2000 pixel data copied byte for byte (dcmjs would re-fragment it).
 */
function rg1Instance(seriesNumber: number): { instance: DemoInstance; bytes: Buffer } {
  const original = fs.readFileSync(path.join(DATA, 'dicom', RG1_FILE));
  const parsed = DicomMessage.readFile(toArrayBuffer(original));
  const meta = DicomMetaDictionary.naturalizeDataset(parsed.meta);
  const dataset = DicomMetaDictionary.naturalizeDataset(parsed.dict);
  const sopInstanceUid = demoUid('rg1/instance');
  const description = 'NEMA WG04 RG1 CR PA (real CR, MONOCHROME1, JPEG 2000, 15-bit)';
  const replaced: Record<string, unknown> = {
    ...dataset,
    SOPInstanceUID: sopInstanceUid,
    StudyInstanceUID: STUDY.StudyInstanceUID,
    SeriesInstanceUID: demoUid('rg1/series'),
    StudyDate: STUDY.StudyDate,
    StudyTime: STUDY.StudyTime,
    AccessionNumber: STUDY.AccessionNumber,
    StudyID: STUDY.StudyID,
    StudyDescription: STUDY.StudyDescription,
    SeriesDescription: description,
    ReferringPhysicianName: STUDY.ReferringPhysicianName,
    PatientName: STUDY.PatientName,
    PatientID: STUDY.PatientID,
    PatientBirthDate: STUDY.PatientBirthDate,
    PatientSex: STUDY.PatientSex,
    OtherPatientIDs: '',
    SeriesNumber: seriesNumber,
    InstanceNumber: 1,
    ImageComments: 'DEMO image, not patient data. NEMA WG04 compression sample RG1 (JPEG 2000 irreversible).',
  };
  // The sample says PixelSpacing 0\0, which no viewer can use; drop it rather than invent one.
  delete replaced.PixelSpacing;
  delete replaced.PixelData;
  const header = writePart10(
    fileMeta(String(meta.MediaStorageSOPClassUID), sopInstanceUid, String(meta.TransferSyntaxUID)),
    replaced,
  );
  const pixelElement = original.subarray(pixelDataOffset(original));
  const bytes = Buffer.concat([header, pixelElement]);
  const metadata = { ...replaced };
  delete metadata._vrMap;
  return { instance: { fileName: 'cr-rg1-mono1-j2k.dcm', seriesNumber, description, metadata }, bytes };
}

/** OHIF's dicomjson manifest; instance URLs are relative to the page's origin. */
export function dicomJsonManifest(instances: DemoInstance[], urlPrefix: string): unknown {
  const modalities = [...new Set(instances.map((i) => String(i.metadata.Modality)))].join('\\');
  return {
    studies: [
      {
        StudyInstanceUID: STUDY.StudyInstanceUID,
        StudyDate: STUDY.StudyDate,
        StudyTime: STUDY.StudyTime,
        StudyDescription: STUDY.StudyDescription,
        PatientName: STUDY.PatientName,
        PatientID: STUDY.PatientID,
        AccessionNumber: STUDY.AccessionNumber,
        Modalities: modalities,
        NumInstances: instances.length,
        series: instances.map((inst) => ({
          SeriesInstanceUID: inst.metadata.SeriesInstanceUID,
          SeriesNumber: inst.seriesNumber,
          SeriesDescription: inst.description,
          Modality: inst.metadata.Modality,
          SeriesDate: inst.metadata.SeriesDate ?? STUDY.StudyDate,
          SeriesTime: inst.metadata.SeriesTime ?? STUDY.StudyTime,
          instances: [{ metadata: inst.metadata, url: `dicomweb:${urlPrefix}${inst.fileName}` }],
        })),
      },
    ],
  };
}

export const DEMO_STUDY_UID = STUDY.StudyInstanceUID;

export interface BuildResult {
  outDir: string;
  studyInstanceUid: string;
  files: { fileName: string; sopInstanceUid: string; description: string; modality: string }[];
}

/** Builds the study into outDir unless it is already there in this format. */
export function buildDemoStudy(outDir = path.join(ROOT, '.cache', 'demo-study'), force = false): BuildResult {
  const markerPath = path.join(outDir, 'index.json');
  if (!force && fs.existsSync(markerPath)) {
    const existing = JSON.parse(fs.readFileSync(markerPath, 'utf8')) as BuildResult & { format?: number };
    if (existing.format === FORMAT && existing.files.every((f) => fs.existsSync(path.join(outDir, f.fileName)))) {
      return { ...existing, outDir };
    }
  }
  fs.mkdirSync(outDir, { recursive: true });
  const built = [
    ...NIH_IMAGES.map((img, i) => nihInstance(img, i + 1)),
    rg1Instance(NIH_IMAGES.length + 1),
    ...RELABELLED_IMAGES.map((img, i) => nihInstance(img, NIH_IMAGES.length + 2 + i)),
  ];
  for (const { instance, bytes } of built) fs.writeFileSync(path.join(outDir, instance.fileName), bytes);
  const instances = built.map((b) => b.instance);
  fs.writeFileSync(
    path.join(outDir, 'study.json'),
    JSON.stringify(dicomJsonManifest(instances, '/demo-study/'), null, 1),
  );
  const result: BuildResult = {
    outDir,
    studyInstanceUid: STUDY.StudyInstanceUID,
    files: instances.map((i) => ({
      fileName: i.fileName,
      sopInstanceUid: String(i.metadata.SOPInstanceUID),
      description: i.description,
      modality: String(i.metadata.Modality),
    })),
  };
  fs.writeFileSync(markerPath, JSON.stringify({ format: FORMAT, ...result, outDir: undefined }, null, 1));
  return result;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const outIdx = args.indexOf('--out');
  const outDir = outIdx >= 0 ? path.resolve(args[outIdx + 1]) : undefined;
  const result = buildDemoStudy(outDir, args.includes('--force'));
  console.log(`[demo-study] ${result.files.length} DICOM files + study.json in ${path.relative(ROOT, result.outDir)}`);
  console.log(`[demo-study] StudyInstanceUID ${result.studyInstanceUid}`);
}

/** One DICOM file for a study of test fixtures, and a Part 10 file with its attributes. */
export interface FixtureStudyFile {
  file: string;
  /** Read for the manifest when `file` itself cannot be (a bare dataset without file meta). */
  metadataFrom: string;
  /** Attributes to set in the manifest's metadata (a damaged file's own identity). */
  overrides?: Record<string, unknown>;
}

/**
 * A dicomjson study of fixture files (one series each) beside the demo study, in
 * `<outDir>/<name>/`, served under `/demo-study/<name>/`: the viewer reads each file as it is.
 */
export function buildFixtureStudy(
  files: FixtureStudyFile[],
  name = 'fixtures',
  outDir = path.join(ROOT, '.cache', 'demo-study'),
): { manifestUrl: string; studyInstanceUid: string; fileNames: string[] } {
  const dir = path.join(outDir, name);
  fs.mkdirSync(dir, { recursive: true });
  const instances: DemoInstance[] = files.map((f, i) => {
    const fileName = path.basename(f.file);
    fs.copyFileSync(f.file, path.join(dir, fileName));
    let parsed: ReturnType<typeof DicomMessage.readFile>;
    try {
      parsed = DicomMessage.readFile(toArrayBuffer(fs.readFileSync(f.file)));
    } catch {
      parsed = DicomMessage.readFile(toArrayBuffer(fs.readFileSync(f.metadataFrom)));
    }
    const metadata = { ...DicomMetaDictionary.naturalizeDataset(parsed.dict), ...f.overrides };
    delete metadata.PixelData;
    delete metadata._vrMap;
    return { fileName, seriesNumber: i + 1, description: String(metadata.SeriesDescription ?? fileName), metadata };
  });
  const manifest = dicomJsonManifest(instances, `/demo-study/${name}/`) as {
    studies: { StudyInstanceUID: unknown }[];
  };
  const studyInstanceUid = String(instances[0]?.metadata.StudyInstanceUID);
  manifest.studies[0].StudyInstanceUID = studyInstanceUid;
  fs.writeFileSync(path.join(dir, 'study.json'), JSON.stringify(manifest, null, 1));
  return {
    manifestUrl: `/demo-study/${name}/study.json`,
    studyInstanceUid,
    fileNames: instances.map((i) => i.fileName),
  };
}
