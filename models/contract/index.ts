/**
 * The NIH ChestX-ray14 contract (finding names in model order, ImageNet normalisation), read from
 * the one JSON file the Python exporter reads too.
 */
import contract from './nih-chestxray14.json';

export interface ContractFinding {
  /** NIH Data_Entry_2017 spelling, e.g. `Pleural_Thickening`. */
  name: string;
  /** What the panel and reports show, e.g. `Pleural thickening`. */
  displayName: string;
}

/** The 14 findings in CheXNet's (and reproduce-chexnet's) output order. */
export const NIH_FINDINGS: readonly ContractFinding[] = contract.findings;

export const NIH_FINDING_NAMES: readonly string[] = NIH_FINDINGS.map((finding) => finding.name);

/** Per-channel RGB mean and std of ImageNet, applied to intensities in [0, 1]. */
export const IMAGENET_NORMALIZATION: { readonly mean: readonly number[]; readonly std: readonly number[] } =
  contract.imagenetNormalization;

/** Who NIH-trained CheXNet-style models are for: the chest-film gate reads it from the manifest. */
export const NIH_INTENDED_POPULATION: { readonly minAgeYears: number; readonly views: readonly string[] } =
  contract.intendedPopulation;
