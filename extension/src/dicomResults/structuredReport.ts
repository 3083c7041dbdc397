/**
 * Our SR: Comprehensive 3D SR with TID 1500 (Imaging Measurement Report) as root, in the IHE AI
 * Results style: the analysed image in the Image Library, one Measurement Group (TID 1501) per
 * finding with its code, probability, operating threshold and present/absent at that threshold,
 * the algorithm (TID 4019) in every group, the device as observer, and references to the maps.
 */
import type { AnalysisResult, FindingResult } from '../engine';
import {
  commonModules,
  DEMO_LABEL,
  deviceUid,
  dicomDateTime,
  LOCAL_CODING_SCHEME,
  MANUFACTURER,
  MANUFACTURER_MODEL_NAME,
  seriesModule,
  sourceReference,
  studyModules,
} from './attributes';
import { CODES, findingCode } from './codes';
import {
  codeItem,
  container,
  type ContentItem,
  imageItem,
  numItem,
  pointItem,
  textItem,
  uidItem,
} from './contentItems';
import type { NaturalizedDataset, SourceImage } from './types';
import { newUid } from './uids';

export const COMPREHENSIVE_3D_SR = '1.2.840.10008.5.1.4.1.1.88.34';
export const SR_SERIES_NUMBER = 9901;

/** A stored object the SR points to, per finding. */
export interface ObjectReference {
  sopClassUid: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  /** Frame of a multi-frame object (the Parametric Map's frame of this finding). */
  frameNumber?: number;
}

export interface SrInput {
  result: AnalysisResult;
  source: SourceImage;
  displayName: (finding: string) => string;
  now: Date;
  maps: Map<string, ObjectReference>;
  /** Where each finding's map is hottest (image pixel row and column); absent: the image centre. */
  peaks: Map<string, { row: number; column: number }>;
  captures: Map<string, ObjectReference>;
  sopInstanceUid: string;
  seriesInstanceUid: string;
}

/** Algorithm Parameters texts: what, besides name and version, identifies the run. */
export const SHA256_PREFIX = 'model sha256: ';
export const BACKEND_PREFIX = 'backend: ';

function algorithm(result: AnalysisResult): ContentItem[] {
  return [
    textItem('HAS CONCEPT MOD', CODES.algorithmName, result.model.name),
    textItem('HAS CONCEPT MOD', CODES.algorithmVersion, result.model.version),
    textItem('HAS CONCEPT MOD', CODES.algorithmParameters, `${SHA256_PREFIX}${result.model.sha256}`),
    textItem('HAS CONCEPT MOD', CODES.algorithmParameters, `${BACKEND_PREFIX}${result.backend}`),
  ];
}

function reference(ref: ObjectReference) {
  return {
    ReferencedSOPClassUID: ref.sopClassUid,
    ReferencedSOPInstanceUID: ref.sopInstanceUid,
    ...(ref.frameNumber !== undefined ? { ReferencedFrameNumber: ref.frameNumber } : {}),
  };
}

function measurementGroup(input: SrInput, finding: FindingResult): ContentItem {
  const { result, source } = input;
  const map = input.maps.get(finding.name);
  const capture = input.captures.get(finding.name);
  const peak = input.peaks.get(finding.name) ?? {
    row: Math.floor(source.rows / 2),
    column: Math.floor(source.columns / 2),
  };
  return container(
    'CONTAINS',
    CODES.measurementGroup,
    [
      textItem('HAS OBS CONTEXT', CODES.trackingIdentifier, finding.name),
      uidItem('HAS OBS CONTEXT', CODES.trackingUid, newUid()),
      codeItem('CONTAINS', CODES.finding, findingCode(finding.name, input.displayName(finding.name))),
      // Where the map peaks, on the analysed image. Also what OHIF 3.13's SR loader needs: it reads
      // every measurement group's first spatial coordinate and fails on groups without one.
      pointItem('CONTAINS', CODES.heatmapPeak, peak.column + 0.5, peak.row + 0.5, sourceReference(source)),
      ...algorithm(result),
      numItem('CONTAINS', CODES.probability, finding.probability, CODES.ratio, [
        imageItem('INFERRED FROM', CODES.sourceOfMeasurement, sourceReference(source)),
      ]),
      numItem('CONTAINS', CODES.operatingThreshold, finding.threshold, CODES.ratio),
      codeItem('CONTAINS', CODES.qualitativeEvaluations, finding.positive ? CODES.present : CODES.absent),
      codeItem('CONTAINS', CODES.findingTrained, finding.trained ? CODES.yes : CODES.no),
      ...(map ? [imageItem('CONTAINS', CODES.activationMap, reference(map))] : []),
      ...(capture ? [imageItem('CONTAINS', CODES.heatmapCapture, reference(capture))] : []),
    ],
    '1501',
  );
}

function observerContext(result: AnalysisResult): ContentItem[] {
  return [
    codeItem('HAS OBS CONTEXT', CODES.observerType, CODES.device),
    uidItem('HAS OBS CONTEXT', CODES.deviceObserverUid, deviceUid(result.model)),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverName, result.model.name),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverManufacturer, MANUFACTURER),
    textItem('HAS OBS CONTEXT', CODES.deviceObserverModelName, MANUFACTURER_MODEL_NAME),
  ];
}

/** Every instance the SR references, by series (Current Requested Procedure Evidence). */
function evidence(input: SrInput): NaturalizedDataset[] {
  const bySeries = new Map<string, Map<string, string>>();
  const add = (series: string, sopClass: string, sop: string) => {
    if (!bySeries.has(series)) bySeries.set(series, new Map());
    bySeries.get(series)?.set(sop, sopClass);
  };
  add(input.source.seriesInstanceUid, input.source.sopClassUid, input.source.sopInstanceUid);
  for (const ref of [...input.maps.values(), ...input.captures.values()])
    add(ref.seriesInstanceUid, ref.sopClassUid, ref.sopInstanceUid);
  return [
    {
      StudyInstanceUID: input.source.studyInstanceUid,
      ReferencedSeriesSequence: [...bySeries].map(([series, sops]) => ({
        SeriesInstanceUID: series,
        ReferencedSOPSequence: [...sops].map(([sop, sopClass]) => ({
          ReferencedSOPClassUID: sopClass,
          ReferencedSOPInstanceUID: sop,
        })),
      })),
    },
  ];
}

export function structuredReport(input: SrInput): NaturalizedDataset {
  const { result, source, now } = input;
  const { date, time } = dicomDateTime(now);
  const notices: ContentItem[] = [
    ...(result.model.demo ? [textItem('CONTAINS', CODES.demoWeights, DEMO_LABEL)] : []),
    textItem('CONTAINS', CODES.intendedUse, result.intendedUse || 'Decision support; not a diagnosis.'),
  ];
  return {
    ...commonModules(COMPREHENSIVE_3D_SR, input.sopInstanceUid, result.model, now),
    ...LOCAL_CODING_SCHEME,
    ...studyModules(source),
    ...seriesModule('SR', input.seriesInstanceUid, SR_SERIES_NUMBER, 'results', result.model, now),
    ReferencedPerformedProcedureStepSequence: [],
    InstanceNumber: 1,
    CompletionFlag: 'COMPLETE',
    VerificationFlag: 'UNVERIFIED',
    ContentDate: date,
    ContentTime: time,
    PerformedProcedureCodeSequence: [],
    CurrentRequestedProcedureEvidenceSequence: evidence(input),
    ValueType: 'CONTAINER',
    ConceptNameCodeSequence: [CODES.imagingMeasurementReport],
    ContinuityOfContent: 'SEPARATE',
    ContentTemplateSequence: [{ MappingResource: 'DCMR', TemplateIdentifier: '1500' }],
    ContentSequence: [
      codeItem('HAS CONCEPT MOD', CODES.language, CODES.english),
      ...observerContext(result),
      codeItem('HAS CONCEPT MOD', CODES.procedureReported, CODES.chestXray),
      container('CONTAINS', CODES.imageLibrary, [
        container('CONTAINS', CODES.imageLibraryGroup, [imageItem('CONTAINS', undefined, sourceReference(source))]),
      ]),
      ...notices,
      container(
        'CONTAINS',
        CODES.imagingMeasurements,
        result.findings.map((f) => measurementGroup(input, f)),
      ),
    ],
  };
}
