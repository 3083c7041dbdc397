/**
 * Heatmaps as one float Parametric Map: one frame per finding, values in logit units (the
 * engine's Grad-CAM scale, models/README.md) with a Real World Value Mapping whose quantity is
 * class activation. A projection radiograph has no patient frame of reference, so the map gets
 * its own: the analysed image's pixel matrix (1 unit = 1 source pixel, x along columns, y along
 * rows, z = 0), in which each frame's position and spacing place it on the image exactly; the
 * source is referenced as the Derivation Image of every frame.
 */
import type { Heatmap, ModelIdentity } from '../engine';
import {
  commonModules,
  fitLo,
  dicomDateTime,
  ds,
  numberOf,
  seriesModule,
  sourceReference,
  studyModules,
  text,
} from './attributes';
import { CODES } from './codes';
import { itemsOf } from './contentItems';
import type { NaturalizedDataset, SourceImage } from './types';
import { newUid } from './uids';

export const PARAMETRIC_MAP_STORAGE = '1.2.840.10008.5.1.4.1.1.30';
export const PM_SERIES_NUMBER = 9902;
/** Frame Label and LUT Label carry the finding's name (LUT Label is SH: 16 characters). */
const FRAME_LABEL = 0x00209453;
const FRAME_CONTENT_SEQUENCE = 0x00209111;

export interface ParametricMapInput {
  maps: Heatmap[];
  source: SourceImage;
  model: ModelIdentity;
  displayName: (finding: string) => string;
  now: Date;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

function regionOf(map: Heatmap) {
  return map.imageRegion ?? { x: 0, y: 0, width: map.columns, height: map.rows };
}

function frameGroups(map: Heatmap, index: number, displayName: string, source: SourceImage): NaturalizedDataset {
  const region = regionOf(map);
  const dx = region.width / map.columns;
  const dy = region.height / map.rows;
  let max = 0;
  let min = 0;
  for (const v of map.data) {
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return {
    FrameContentSequence: [{ DimensionIndexValues: [index + 1], FrameLabel: fitLo(map.finding) }],
    PixelMeasuresSequence: [{ PixelSpacing: [ds(dy), ds(dx)], SliceThickness: '1' }],
    // Centre of the map's first pixel, in the analysed image's pixel matrix.
    PlanePositionSequence: [{ ImagePositionPatient: [ds(region.x + dx / 2), ds(region.y + dy / 2), '0'] }],
    DerivationImageSequence: [
      {
        DerivationDescription: `Grad-CAM of the ${displayName} logit, logit units`,
        DerivationCodeSequence: [CODES.classActivation],
        SourceImageSequence: [
          { ...sourceReference(source), PurposeOfReferenceCodeSequence: [CODES.sourceImageForProcessing] },
        ],
      },
    ],
    RealWorldValueMappingSequence: [
      {
        LUTLabel: map.finding.slice(0, 16),
        LUTExplanation: fitLo(`${displayName}: class activation (Grad-CAM), logit units`),
        MeasurementUnitsCodeSequence: [CODES.logit],
        QuantityDefinitionSequence: [
          {
            ValueType: 'CODE',
            ConceptNameCodeSequence: [CODES.quantity],
            ConceptCodeSequence: [CODES.classActivation],
          },
        ],
        DoubleFloatRealWorldValueFirstValueMapped: min,
        DoubleFloatRealWorldValueLastValueMapped: Math.max(max, map.fullScale),
        RealWorldValueIntercept: 0,
        RealWorldValueSlope: 1,
      },
    ],
    // The display scale: 0 to the full scale, as the viewer colours it.
    FrameVOILUTSequence: [{ WindowCenter: ds(map.fullScale / 2), WindowWidth: ds(map.fullScale) }],
    ParametricMapFrameTypeSequence: [{ FrameType: ['DERIVED', 'PRIMARY', 'MAP', 'NONE'] }],
  };
}

export function parametricMap(input: ParametricMapInput): NaturalizedDataset {
  const { maps, source, now } = input;
  if (maps.length === 0) throw new Error('No heatmaps to write.');
  const { rows, columns } = maps[0];
  if (maps.some((m) => m.rows !== rows || m.columns !== columns || m.data.length !== rows * columns)) {
    throw new Error('All heatmaps of one result must have the same size (one Parametric Map frame each).');
  }
  const pixels = new Float32Array(rows * columns * maps.length);
  maps.forEach((m, i) => pixels.set(m.data, i * rows * columns));
  const { date, time } = dicomDateTime(now);
  const dimensionOrganizationUid = newUid();
  const frames = maps.map((m, i) => frameGroups(m, i, input.displayName(m.finding), source));
  const measures = frames.map((f) => JSON.stringify(f.PixelMeasuresSequence));
  const sharedMeasures = measures.every((m) => m === measures[0]) ? frames[0].PixelMeasuresSequence : undefined;
  const perFrame = sharedMeasures ? frames.map(({ PixelMeasuresSequence: _shared, ...rest }) => rest) : frames;
  return {
    ...commonModules(PARAMETRIC_MAP_STORAGE, input.sopInstanceUid, input.model, now),
    ...studyModules(source),
    ...seriesModule('OT', input.seriesInstanceUid, PM_SERIES_NUMBER, 'heatmaps', input.model, now),
    FrameOfReferenceUID: newUid(),
    PositionReferenceIndicator: '',
    ImageType: ['DERIVED', 'PRIMARY', 'MAP', 'NONE'],
    InstanceNumber: 1,
    ContentDate: date,
    ContentTime: time,
    ContentLabel: 'CAM',
    ContentDescription: 'Class activation (Grad-CAM), logit units, a frame per finding',
    ContentCreatorName: '',
    ContentQualification: input.model.demo ? 'RESEARCH' : 'PRODUCT',
    SamplesPerPixel: 1,
    PhotometricInterpretation: 'MONOCHROME2',
    PresentationLUTShape: 'IDENTITY',
    Rows: rows,
    Columns: columns,
    BitsAllocated: 32,
    NumberOfFrames: maps.length,
    BurnedInAnnotation: 'NO',
    RecognizableVisualFeatures: 'NO',
    LossyImageCompression: '00',
    AcquisitionContextSequence: [],
    ReferencedSeriesSequence: [
      {
        SeriesInstanceUID: source.seriesInstanceUid,
        ReferencedInstanceSequence: [
          { ReferencedSOPClassUID: source.sopClassUid, ReferencedSOPInstanceUID: source.sopInstanceUid },
        ],
      },
    ],
    DimensionOrganizationSequence: [{ DimensionOrganizationUID: dimensionOrganizationUid }],
    DimensionIndexSequence: [
      {
        DimensionOrganizationUID: dimensionOrganizationUid,
        DimensionIndexPointer: FRAME_LABEL,
        FunctionalGroupPointer: FRAME_CONTENT_SEQUENCE,
        DimensionDescriptionLabel: 'Finding',
      },
    ],
    SharedFunctionalGroupsSequence: [
      {
        // Shared when every frame has it (one result's maps do): OHIF 3.13's PMAP viewport reads
        // PixelMeasuresSequence from the shared group only, and a page without it breaks.
        ...(sharedMeasures ? { PixelMeasuresSequence: sharedMeasures } : {}),
        PlaneOrientationSequence: [{ ImageOrientationPatient: ['1', '0', '0', '0', '1', '0'] }],
        PixelValueTransformationSequence: [{ RescaleIntercept: '0', RescaleSlope: '1', RescaleType: 'US' }],
        FrameAnatomySequence: [{ AnatomicRegionSequence: [CODES.chest], FrameLaterality: 'U' }],
      },
    ],
    PerFrameFunctionalGroupsSequence: perFrame,
    FloatPixelData: [pixels.buffer],
  };
}

const items = itemsOf;

/** One frame's functional group, per-frame first, then shared. */
function group(dataset: NaturalizedDataset, frameIndex: number, key: string): NaturalizedDataset | undefined {
  const perFrame = items(dataset.PerFrameFunctionalGroupsSequence)[frameIndex];
  return items(perFrame?.[key])[0] ?? items(items(dataset.SharedFunctionalGroupsSequence)[0]?.[key])[0];
}

const numbers = (value: unknown): number[] =>
  (Array.isArray(value) ? value : [value]).map((v) => Number(v)).filter((n) => Number.isFinite(n));

/**
 * One finding's heatmap back from our Parametric Map: `floatPixels` is the object's Float Pixel
 * Data (all frames, or just this one), `frameNumber` 1-based. The region and full scale come from
 * the frame's position, spacing and VOI window; the finding from its Frame Label.
 */
export function heatmapFromParametricMap(
  dataset: NaturalizedDataset,
  floatPixels: Float32Array,
  frameNumber: number,
): Heatmap {
  const rows = numberOf(dataset.Rows) ?? 0;
  const columns = numberOf(dataset.Columns) ?? 0;
  const frames = numberOf(dataset.NumberOfFrames) ?? 1;
  const plane = rows * columns;
  if (frameNumber < 1 || frameNumber > frames) throw new RangeError(`No frame ${frameNumber}: the map has ${frames}.`);
  const data =
    floatPixels.length === plane
      ? Float32Array.from(floatPixels)
      : floatPixels.slice((frameNumber - 1) * plane, frameNumber * plane);
  if (data.length !== plane) throw new Error('The Parametric Map has fewer pixels than its size says.');
  const i = frameNumber - 1;
  const finding = text(group(dataset, i, 'FrameContentSequence')?.FrameLabel) ?? `frame ${frameNumber}`;
  const [dy, dx] = numbers(group(dataset, i, 'PixelMeasuresSequence')?.PixelSpacing);
  const [px, py] = numbers(group(dataset, i, 'PlanePositionSequence')?.ImagePositionPatient);
  const fullScale = numberOf(group(dataset, i, 'FrameVOILUTSequence')?.WindowWidth) ?? 1;
  let max = 0;
  let at = 0;
  data.forEach((v, k) => {
    if (v > max) {
      max = v;
      at = k;
    }
  });
  const region = { x: px - dx / 2, y: py - dy / 2, width: dx * columns, height: dy * rows };
  const peakRow = Math.floor(region.y + ((Math.floor(at / columns) + 0.5) * region.height) / rows);
  const peakColumn = Math.floor(region.x + (((at % columns) + 0.5) * region.width) / columns);
  return {
    finding,
    rows,
    columns,
    imageRegion: region,
    data,
    fullScale,
    max,
    peak: { row: peakRow, column: peakColumn },
  };
}

/** The finding of each frame, 1-based frame numbers (reopening: which frame is which map). */
export function parametricMapFrames(dataset: NaturalizedDataset): { finding: string; frameNumber: number }[] {
  const frames = numberOf(dataset.NumberOfFrames) ?? 1;
  return Array.from({ length: frames }, (_, i) => ({
    finding: text(group(dataset, i, 'FrameContentSequence')?.FrameLabel) ?? `frame ${i + 1}`,
    frameNumber: i + 1,
  }));
}
