/**
 * The statistics of a site validation, in one place: AUROC with DeLong's variance (and the paired
 * DeLong test between two models), the ROC curve, counts at an operating threshold with Wilson
 * score intervals, and the threshold rules calibration uses. Pure functions of numbers; every
 * interval is 95% two-sided unless a level is given.
 *
 * References: DeLong, DeLong & Clarke-Pearson, Biometrics 44 (1988) 837-845 (the structural
 * components V10/V01 and their covariance); Wilson, JASA 22 (1927) 209-212; Youden, Cancer 3 (1950).
 */
import { rocAuc } from './rocAuc';

export { rocAuc };

export interface Interval {
  lower: number;
  upper: number;
}

/** z for a two-sided 95% interval, qnorm(0.975). */
export const Z95 = 1.959963984540054;

/** erfc's Chebyshev fit (Numerical Recipes erfcc), relative error below 1.2e-7 everywhere. */
const ERFC_COEFFICIENTS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223,
  0.17087277,
];

/** Standard normal CDF. */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  let poly = 0;
  for (let i = ERFC_COEFFICIENTS.length - 1; i >= 0; i--) poly = ERFC_COEFFICIENTS[i] + t * poly;
  const erfc = t * Math.exp(-z * z + poly);
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** Split scores into those of positives and of negatives. */
function byClass(scores: readonly number[], positive: readonly boolean[]): { pos: number[]; neg: number[] } {
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
export function wilsonInterval(k: number, n: number, z = Z95): Interval | undefined {
  if (n === 0) return undefined;
  const p = k / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

export interface Proportion {
  value?: number;
  k: number;
  n: number;
  ci?: Interval;
}

const proportion = (k: number, n: number): Proportion => ({
  k,
  n,
  ...(n > 0 ? { value: k / n, ci: wilsonInterval(k, n) } : {}),
});

export interface OperatingPoint {
  threshold: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sensitivity: Proportion;
  specificity: Proportion;
  ppv: Proportion;
  npv: Proportion;
}

/** Counts and rates with the finding called positive at or above `threshold`, as the viewer does. */
export function operatingPoint(
  scores: readonly number[],
  positive: readonly boolean[],
  threshold: number,
): OperatingPoint {
  let tp = 0;
  let fp = 0;
  let tn = 0;
  let fn = 0;
  scores.forEach((s, i) => {
    const called = s >= threshold;
    if (positive[i]) {
      if (called) tp++;
      else fn++;
    } else if (called) fp++;
    else tn++;
  });
  return {
    threshold,
    tp,
    fp,
    tn,
    fn,
    sensitivity: proportion(tp, tp + fn),
    specificity: proportion(tn, tn + fp),
    ppv: proportion(tp, tp + fp),
    npv: proportion(tn, tn + fn),
  };
}

export interface RocPoint {
  /** Calling positive at or above this score; Infinity for the (0, 0) corner. */
  threshold: number;
  fpr: number;
  tpr: number;
}

/** The empirical ROC curve from (0, 0) to (1, 1), one point per distinct score (descending). */
export function rocCurve(scores: readonly number[], positive: readonly boolean[]): RocPoint[] {
  const { pos, neg } = byClass(scores, positive);
  if (pos.length === 0 || neg.length === 0) return [];
  const order = scores.map((s, i) => ({ s, p: positive[i] })).sort((a, b) => b.s - a.s);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < order.length;) {
    const threshold = order[i].s;
    while (i < order.length && order[i].s === threshold) {
      if (order[i].p) tp++;
      else fp++;
      i++;
    }
    points.push({ threshold, fpr: fp / neg.length, tpr: tp / pos.length });
  }
  return points;
}

export type ThresholdRule = { kind: 'youden' } | { kind: 'sensitivity'; target: number };

/**
 * A cut-off chosen from labelled data, among the observed scores (positive at or above it):
 * `youden` maximises sensitivity + specificity - 1 (ties: the highest such score, the more
 * specific); `sensitivity` takes the highest score whose sensitivity still reaches the target
 * (the most specific cut-off that does). Undefined without both classes.
 */
export function chooseThreshold(
  scores: readonly number[],
  positive: readonly boolean[],
  rule: ThresholdRule,
): { threshold: number; sensitivity: number; specificity: number } | undefined {
  const curve = rocCurve(scores, positive).slice(1); // the (0, 0) corner has no finite cut-off
  if (curve.length === 0) return undefined;
  let best: RocPoint | undefined;
  for (const point of curve) {
    if (rule.kind === 'youden') {
      if (!best || point.tpr - point.fpr > best.tpr - best.fpr) best = point;
    } else if (point.tpr >= rule.target) {
      best = point;
      break;
    }
  }
  best ??= curve[curve.length - 1];
  return { threshold: best.threshold, sensitivity: best.tpr, specificity: 1 - best.fpr };
}
