/** Counts at an operating threshold with Wilson score intervals (Wilson, JASA 22 (1927) 209-212). */
import { Z95, type Interval } from './normal';

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
