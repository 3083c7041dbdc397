import type {
  AcquisitionInfo,
  GateAction,
  GateAssessment,
  GateCheckName,
  GateFinding,
  GatePolicy,
  IntendedPopulation,
} from '../types/ChestFilmGate';
import type { ModelManifest } from '../types/ModelManifest';
import type { RadiographPixels } from '../types/RadiographPixels';
import { patientAgeYears } from './patientAge';
import { spreadOfPixels } from './pixelSpread';

/**
 * What each check does unless a site says otherwise. Non-chest and non-frontal images are refused;
 * an AP film or a patient outside the model's population is shown with a caution.
 */
export const DEFAULT_GATE_POLICY: Readonly<Record<GateCheckName, GateAction>> = {
  colour: 'refuse',
  'multi-frame': 'refuse',
  modality: 'refuse',
  'body-part': 'refuse',
  'view-position': 'refuse',
  age: 'refuse',
  size: 'refuse',
  'aspect-ratio': 'refuse',
  'near-constant': 'refuse',
};

/** NIH ChestX-ray14 is adults' PA and AP films; a manifest may say otherwise. */
export const DEFAULT_POPULATION: Required<Pick<IntendedPopulation, 'minAgeYears' | 'views'>> = {
  minAgeYears: 18,
  views: ['PA', 'AP'],
};

const upper = (value: string | undefined) => value?.trim().toUpperCase() || undefined;

export const PROJECTION_MODALITIES: readonly string[] = ['CR', 'DX'];

/**
 * Why an image of this modality is not read (undefined when it is): the gate's modality check,
 * also used by the viewer to refuse before the model is even loaded.
 */
export function modalityRefusal(modality: string | undefined, accepted: readonly string[] = PROJECTION_MODALITIES) {
  const m = upper(modality);
  if (!m || accepted.includes(m)) return undefined;
  return `This image is ${m}; the model reads chest radiographs (${accepted.join(' or ')}).`;
}
const CHEST_BODY_PARTS = ['CHEST', 'THORAX', 'LUNG', 'PORT CHEST'];
const LATERAL_VIEWS = ['LL', 'RL', 'LATERAL', 'LAT', 'LLD', 'RLD', 'LLO', 'RLO'];
/** Smallest side a radiograph may have; the model sees 224 pixels, a real film has thousands. */
export const MIN_SIDE_PIXELS = 256;
const MAX_ASPECT_RATIO = 2;

const mentions = (info: AcquisitionInfo, word: RegExp) =>
  word.test(info.seriesDescription ?? '') || word.test(info.studyDescription ?? '');

interface Raised {
  check: GateCheckName;
  /** The check's own strength: a caution check never refuses, whatever the policy says. */
  severity: 'refuse' | 'caution';
  sentence: string;
}

function raisedChecks(pixels: RadiographPixels, manifest: ModelManifest): Raised[] {
  const info = pixels.acquisition ?? {};
  const population = { ...DEFAULT_POPULATION, ...manifest.intendedPopulation };
  const raised: Raised[] = [];
  const raise = (check: GateCheckName, sentence: string, severity: Raised['severity'] = 'refuse') =>
    raised.push({ check, severity, sentence });

  const photometric = upper(pixels.photometricInterpretation) ?? 'MONOCHROME2';
  if (pixels.samplesPerPixel !== 1 || !photometric.startsWith('MONOCHROME')) {
    raise('colour', `This is a colour image (${photometric}); the model reads greyscale radiographs.`);
  }
  if ((pixels.numberOfFrames ?? 1) > 1) {
    raise('multi-frame', `This object has ${pixels.numberOfFrames} frames; the model reads a single radiograph.`);
  }
  const modality = modalityRefusal(info.modality);
  if (modality) raise('modality', modality);
  const bodyPart = upper(info.bodyPartExamined);
  if (bodyPart && !CHEST_BODY_PARTS.includes(bodyPart)) {
    raise('body-part', `The body part is ${bodyPart}; the model reads chest films.`);
  }
  const view = upper(info.viewPosition);
  if ((view && LATERAL_VIEWS.includes(view)) || (!view && mentions(info, /\bLAT(ERAL)?\b/i))) {
    raise('view-position', 'This is a lateral view; the model reads frontal (PA or AP) chest films.');
  } else if (view === 'AP' || mentions(info, /\bAP\b|PORTABLE|SUPINE/i)) {
    const portable = mentions(info, /PORTABLE/i) ? ' portable' : '';
    if (population.views[0] !== 'AP') {
      raise('view-position', `AP${portable} film: the model was trained mostly on PA films.`, 'caution');
    }
  } else if (view && view !== 'PA' && !population.views.includes(view)) {
    raise('view-position', `The view is ${view}; the model reads frontal (PA or AP) chest films.`);
  }
  const age = patientAgeYears(info.patientAge);
  if (age !== undefined && age < population.minAgeYears) {
    raise(
      'age',
      `The patient is ${formatAge(age)}; the model is meant for patients ${population.minAgeYears} and over.`,
    );
  } else if (age !== undefined && population.maxAgeYears !== undefined && age > population.maxAgeYears) {
    raise('age', `The patient is ${formatAge(age)}; the model is meant for patients up to ${population.maxAgeYears}.`);
  }
  const { rows, columns } = pixels;
  if (Math.min(rows, columns) < MIN_SIDE_PIXELS) {
    raise('size', `The image is ${columns}x${rows} pixels, too small for a radiograph (at least ${MIN_SIDE_PIXELS}).`);
  } else if (Math.max(rows, columns) / Math.min(rows, columns) > MAX_ASPECT_RATIO) {
    raise('aspect-ratio', `The image is ${columns}x${rows} pixels, too elongated for a chest film.`);
  }
  if (photometric.startsWith('MONOCHROME') && spreadOfPixels(pixels) < 0.01) {
    raise('near-constant', 'The image is almost uniform: there is no radiograph to read in it.');
  }
  return raised;
}

function formatAge(years: number): string {
  return years >= 2 ? `${Math.floor(years)} years old` : `${Math.round(years * 12)} months old`;
}

/**
 * The chest-film gate, before inference: refuses what the model was not made for and cautions
 * where it may be less reliable. `policy` turns a check off or makes it a caution; a check that
 * only cautions (an AP film) is never turned into a refusal.
 */
export function assessChestFilm(
  pixels: RadiographPixels,
  manifest: ModelManifest,
  policy: GatePolicy = {},
): GateAssessment {
  const findings: GateFinding[] = [];
  for (const { check, severity, sentence } of raisedChecks(pixels, manifest)) {
    const action = policy[check] ?? DEFAULT_GATE_POLICY[check];
    if (action === 'off') continue;
    findings.push({ check, action: severity === 'caution' ? 'caution' : action, sentence });
  }
  const outcome = findings.some((f) => f.action === 'refuse') ? 'refuse' : findings.length > 0 ? 'caution' : 'pass';
  return { outcome, findings };
}
