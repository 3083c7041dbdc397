/** The ROC curve and the threshold rules calibration uses (Youden, Cancer 3 (1950)). */
import { byClass } from './delong';
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
