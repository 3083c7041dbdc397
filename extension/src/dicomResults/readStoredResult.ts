/** Reading our SR back (reopening a study): undefined for any SR that is not ours. */
import type { BackendName, FindingResult } from '../engine';
import { first, isoFromDicom, MANUFACTURER, numberOf, text } from './attributes';
import { CODES, sameCode } from './codes';
import { childrenOf } from './contentItems';
import { BACKEND_PREFIX, COMPREHENSIVE_3D_SR, SHA256_PREFIX } from './structuredReport';
import type { NaturalizedDataset, StoredResult } from './types';

const BACKENDS: BackendName[] = ['webgpu', 'wasm', 'cpu-native'];

const find = (items: NaturalizedDataset[], concept: (typeof CODES)[keyof typeof CODES]) =>
  items.find((i) => sameCode(i.ConceptNameCodeSequence, concept));

const all = (items: NaturalizedDataset[], concept: (typeof CODES)[keyof typeof CODES]) =>
  items.filter((i) => sameCode(i.ConceptNameCodeSequence, concept));

function numValue(item: NaturalizedDataset | undefined): number {
  const measured = first(item?.MeasuredValueSequence) as NaturalizedDataset | undefined;
  return numberOf(measured?.FloatingPointValue) ?? numberOf(measured?.NumericValue) ?? Number.NaN;
}

function codeValue(item: NaturalizedDataset | undefined) {
  return first(item?.ConceptCodeSequence);
}

function referenced(item: NaturalizedDataset | undefined): { sopInstanceUid: string; frameNumber: number } | undefined {
  const ref = first(item?.ReferencedSOPSequence) as NaturalizedDataset | undefined;
  const sopInstanceUid = text(ref?.ReferencedSOPInstanceUID);
  if (!sopInstanceUid) return undefined;
  return { sopInstanceUid, frameNumber: numberOf(ref?.ReferencedFrameNumber) ?? 1 };
}

/** Ours: a TID 1500 Comprehensive 3D SR whose device observer is this product. */
function isOurs(dataset: NaturalizedDataset): boolean {
  if (text(dataset.SOPClassUID) !== COMPREHENSIVE_3D_SR) return false;
  if (!sameCode(dataset.ConceptNameCodeSequence, CODES.imagingMeasurementReport)) return false;
  return text(find(childrenOf(dataset), CODES.deviceObserverManufacturer)?.TextValue) === MANUFACTURER;
}

export function readStoredResult(dataset: NaturalizedDataset): StoredResult | undefined {
  if (!isOurs(dataset)) return undefined;
  const root = childrenOf(dataset);
  const library = childrenOf(find(root, CODES.imageLibrary));
  const image = referenced(library.flatMap(childrenOf).find((i) => i.ValueType === 'IMAGE'));
  const groups = childrenOf(find(root, CODES.imagingMeasurements)).filter((g) =>
    sameCode(g.ConceptNameCodeSequence, CODES.measurementGroup),
  );
  if (!image || groups.length === 0) return undefined;
  const parameters = all(childrenOf(groups[0]), CODES.algorithmParameters).map((i) => text(i.TextValue) ?? '');
  const parameter = (prefix: string) => parameters.find((p) => p.startsWith(prefix))?.slice(prefix.length) ?? '';
  const backend = parameter(BACKEND_PREFIX) as BackendName;
  const findings: FindingResult[] = [];
  const maps: StoredResult['maps'] = [];
  for (const group of groups) {
    const items = childrenOf(group);
    const name = text(find(items, CODES.trackingIdentifier)?.TextValue) ?? '';
    findings.push({
      name,
      probability: numValue(find(items, CODES.probability)),
      threshold: numValue(find(items, CODES.operatingThreshold)),
      positive: sameCode(codeValue(find(items, CODES.qualitativeEvaluations)), CODES.present),
      trained: !sameCode(codeValue(find(items, CODES.findingTrained)), CODES.no),
    });
    const map = referenced(find(items, CODES.activationMap));
    if (map) maps.push({ finding: name, ...map });
  }
  return {
    srSopInstanceUid: text(dataset.SOPInstanceUID) ?? '',
    srSeriesInstanceUid: text(dataset.SeriesInstanceUID) ?? '',
    storedAt: isoFromDicom(
      text(dataset.ContentDate) ?? '19700101',
      text(dataset.ContentTime) ?? '000000',
      text(dataset.TimezoneOffsetFromUTC),
    ),
    imageSopInstanceUid: image.sopInstanceUid,
    frameNumber: image.frameNumber,
    model: {
      name: text(find(childrenOf(groups[0]), CODES.algorithmName)?.TextValue) ?? '',
      version: text(find(childrenOf(groups[0]), CODES.algorithmVersion)?.TextValue) ?? '',
      sha256: parameter(SHA256_PREFIX),
      demo: find(root, CODES.demoWeights) !== undefined,
    },
    backend: BACKENDS.includes(backend) ? backend : 'wasm',
    findings,
    maps,
  };
}
