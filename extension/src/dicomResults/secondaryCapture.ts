/**
 * One RGB Secondary Capture per shown finding, for PACS viewers that show neither SR nor
 * Parametric Maps: the film with the map burned in and a caption band. No pixel spacing of any
 * kind, so nobody measures on it.
 */
import type { FindingResult, Heatmap, ModelIdentity } from '../engine';
import { commonModules, dicomDateTime, seriesModule, sourceReference, studyModules } from './attributes';
import { CODES } from './codes';
import { blendHeat, CAPTURE_LOOK, type GreyImage } from './captureImage';
import { captionHeight, captionSvg } from './captureCaption';
import type { NaturalizedDataset, SourceImage, SvgRasterizer } from './types';

export const SECONDARY_CAPTURE_STORAGE = '1.2.840.10008.5.1.4.1.1.7';
export const SC_SERIES_NUMBER = 9903;

export interface CaptureInput {
  background: GreyImage;
  map: Heatmap;
  finding: FindingResult;
  title: string;
  hue: readonly [number, number, number];
  source: SourceImage;
  model: ModelIdentity;
  rasterizeSvg: SvgRasterizer;
  now: Date;
  instanceNumber: number;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

/** Rows of a capture whose film is `background.rows` tall (the caption band below it). */
export function captureRows(background: { rows: number; columns: number }): number {
  return background.rows + captionHeight(background.columns, background.rows);
}

async function capturePixels(input: CaptureInput): Promise<{ rows: number; columns: number; rgb: Uint8Array }> {
  const { background, map, source } = input;
  const columns = background.columns;
  const rows = captureRows(background);
  const film = blendHeat(
    background,
    map,
    { rows: source.rows || background.rows, columns: source.columns || columns },
    {
      hue: input.hue,
      ...CAPTURE_LOOK,
    },
  );
  const svg = captionSvg({
    width: columns,
    imageHeight: background.rows,
    title: input.title,
    finding: input.finding,
    fullScale: map.fullScale,
    threshold: CAPTURE_LOOK.threshold,
    hue: input.hue,
    demo: input.model.demo,
  });
  const overlay = await input.rasterizeSvg(svg, columns, rows);
  if (overlay.length !== rows * columns * 4) throw new Error('The SVG rasteriser returned the wrong size.');
  const rgb = new Uint8Array(rows * columns * 3);
  rgb.set(film);
  for (let i = 0; i < rows * columns; i++) {
    const a = overlay[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(overlay[4 * i + c] * a + rgb[3 * i + c] * (1 - a));
  }
  return { rows, columns, rgb };
}

export async function secondaryCapture(input: CaptureInput): Promise<NaturalizedDataset> {
  const { source, now } = input;
  const { rows, columns, rgb } = await capturePixels(input);
  const { date, time } = dicomDateTime(now);
  const orientation = source.attributes.PatientOrientation;
  return {
    ...commonModules(SECONDARY_CAPTURE_STORAGE, input.sopInstanceUid, input.model, now),
    ...studyModules(source),
    ...seriesModule('OT', input.seriesInstanceUid, SC_SERIES_NUMBER, 'captures', input.model, now),
    // A chest is unpaired: Body Part Examined says so, and Laterality stays absent unless the source has it.
    BodyPartExamined: source.attributes.BodyPartExamined ?? 'CHEST',
    ...(source.attributes.Laterality !== undefined ? { Laterality: source.attributes.Laterality } : {}),
    ConversionType: 'WSD',
    ImageType: ['DERIVED', 'SECONDARY'],
    InstanceNumber: input.instanceNumber,
    PatientOrientation: orientation ?? '',
    ContentDate: date,
    ContentTime: time,
    DateOfSecondaryCapture: date,
    TimeOfSecondaryCapture: time,
    DerivationDescription: `${input.title}: class activation map burned in over the image at display intensities`,
    SourceImageSequence: [
      { ...sourceReference(source), PurposeOfReferenceCodeSequence: [CODES.sourceImageForProcessing] },
    ],
    BurnedInAnnotation: 'YES',
    LossyImageCompression: '00',
    SamplesPerPixel: 3,
    PhotometricInterpretation: 'RGB',
    PlanarConfiguration: 0,
    Rows: rows,
    Columns: columns,
    BitsAllocated: 8,
    BitsStored: 8,
    HighBit: 7,
    PixelRepresentation: 0,
    PixelData: [rgb.buffer],
    _vrMap: { PixelData: 'OB' },
  };
}
