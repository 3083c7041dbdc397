/**
 * AUROC with DeLong's variance, and the paired DeLong test between two models. DeLong, DeLong &
 * Clarke-Pearson, Biometrics 44 (1988) 837-845 (the structural components V10/V01 and their covariance).
 */
import { normalCdf, Z95, type Interval } from './normal';

export function byClass(scores: readonly number[], positive: readonly boolean[]): { pos: number[]; neg: number[] } {
  const pos: number[] = [];
  const neg: number[] = [];
  scores.forEach((s, i) => (positive[i] ? pos : neg).push(s));
  return { pos, neg };
}

/** Fraction of `others` that `score` beats, ties counting half, against sorted `others`. */
function placement(score: number, sortedOthers: readonly number[], above: boolean): number {
  let lo = 0;
  let hi = sortedOthers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sortedOthers[mid] < score) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  let equalEnd = lo;
  while (equalEnd < sortedOthers.length && sortedOthers[equalEnd] === score) equalEnd++;
  const equal = equalEnd - below;
  const higher = sortedOthers.length - equalEnd;
  return ((above ? below : higher) + equal / 2) / sortedOthers.length;
}

/**
 * DeLong's structural components: V10[i] for each positive (the fraction of negatives it scores
 * above), V01[j] for each negative (the fraction of positives scoring above it). AUC = mean(V10).
 */
export function structuralComponents(
  scores: readonly number[],
  positive: readonly boolean[],
): { v10: number[]; v01: number[] } | undefined {
  const { pos, neg } = byClass(scores, positive);
  if (pos.length === 0 || neg.length === 0) return undefined;
  const sortedPos = [...pos].sort((a, b) => a - b);
  const sortedNeg = [...neg].sort((a, b) => a - b);
  return {
    v10: pos.map((s) => placement(s, sortedNeg, true)),
    v01: neg.map((s) => placement(s, sortedPos, false)),
  };
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Sample covariance (denominator n - 1). */
function covariance(a: readonly number[], b: readonly number[]): number {
  const ma = mean(a);
  const mb = mean(b);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - ma) * (b[i] - mb);
  return sum / (a.length - 1);
}

export interface AucEstimate {
  auc: number;
  /** DeLong variance of the AUC; undefined with fewer than 2 positives or 2 negatives. */
  variance?: number;
  /** AUC +/- z * sqrt(variance), clipped to [0, 1] (as pROC's ci.auc with method "delong"). */
  ci?: Interval;
}

/** AUROC with its DeLong variance and 95% interval; undefined without both classes. */
export function aucWithDelongCi(
  scores: readonly number[],
  positive: readonly boolean[],
  z = Z95,
): AucEstimate | undefined {
  const components = structuralComponents(scores, positive);
  if (!components) return undefined;
  const { v10, v01 } = components;
  const auc = mean(v10);
  if (v10.length < 2 || v01.length < 2) return { auc };
  const variance = covariance(v10, v10) / v10.length + covariance(v01, v01) / v01.length;
  const half = z * Math.sqrt(variance);
  return { auc, variance, ci: { lower: Math.max(0, auc - half), upper: Math.min(1, auc + half) } };
}

export interface PairedDelong {
  aucA: number;
  aucB: number;
  /** aucB - aucA. */
  difference: number;
  /** Variance of the difference; undefined with fewer than 2 positives or negatives. */
  variance?: number;
  ci?: Interval;
  z?: number;
  /** Two-sided p-value of H0: equal AUCs (undefined when the variance is 0 or unknown). */
  pValue?: number;
}

/** DeLong's test for two correlated ROC curves: two models' scores on the same cases. */
export function pairedDelong(
  scoresA: readonly number[],
  scoresB: readonly number[],
  positive: readonly boolean[],
  zCrit = Z95,
): PairedDelong | undefined {
  const a = structuralComponents(scoresA, positive);
  const b = structuralComponents(scoresB, positive);
  if (!a || !b) return undefined;
  const aucA = mean(a.v10);
  const aucB = mean(b.v10);
  const difference = aucB - aucA;
  const m = a.v10.length;
  const n = a.v01.length;
  if (m < 2 || n < 2) return { aucA, aucB, difference };
  const s10 = covariance(a.v10, a.v10) + covariance(b.v10, b.v10) - 2 * covariance(a.v10, b.v10);
  const s01 = covariance(a.v01, a.v01) + covariance(b.v01, b.v01) - 2 * covariance(a.v01, b.v01);
  const variance = Math.max(0, s10 / m + s01 / n);
  const sd = Math.sqrt(variance);
  const result: PairedDelong = {
    aucA,
    aucB,
    difference,
    variance,
    ci: { lower: difference - zCrit * sd, upper: difference + zCrit * sd },
  };
  if (sd > 0) {
    result.z = difference / sd;
    result.pValue = 2 * (1 - normalCdf(Math.abs(result.z)));
  }
  return result;
}

/** Wilson score interval for k successes in n trials; undefined when n is 0. */
