/**
 * The statistics against values computed independently, in Python: scikit-learn's roc_auc_score,
 * roc_curve and confusion_matrix, SciPy's Wilson interval (binomtest.proportion_ci) and normal
 * distribution, and a NumPy DeLong written from Sun & Xu's midrank algorithm (IEEE SPL 2014) — a
 * different computation from ours (placements by binary search). Needs Debian's python3-sklearn
 * (.ci/run installs it).
 */
import { execFileSync } from 'node:child_process';
import {
  aucWithDelongCi,
  chooseThreshold,
  normalCdf,
  operatingPoint,
  pairedDelong,
  rocCurve,
  wilsonInterval,
} from './statistics';

const REFERENCE = String.raw`
import json, sys
import numpy as np
from scipy import stats
from sklearn.metrics import confusion_matrix, roc_auc_score, roc_curve

def midrank(x):
    order = np.argsort(x, kind="mergesort"); z = x[order]; n = len(x)
    t = np.zeros(n); i = 0
    while i < n:
        j = i
        while j < n and z[j] == z[i]: j += 1
        t[i:j] = 0.5 * (i + j - 1) + 1; i = j
    out = np.empty(n); out[order] = t
    return out

def fast_delong(preds, m):
    # preds: k x n, the first m columns positives (Sun & Xu 2014)
    k, n = preds.shape[0], preds.shape[1] - m
    pos, neg = preds[:, :m], preds[:, m:]
    tx = np.array([midrank(r) for r in pos]); ty = np.array([midrank(r) for r in neg])
    tz = np.array([midrank(r) for r in preds])
    aucs = tz[:, :m].sum(axis=1) / m / n - (m + 1.0) / 2.0 / n
    v01 = (tz[:, :m] - tx) / n
    v10 = 1.0 - (tz[:, m:] - ty) / m
    sx = np.atleast_2d(np.cov(v01)); sy = np.atleast_2d(np.cov(v10))
    return aucs, sx / m + sy / n

out = []
for case in json.load(sys.stdin):
    y = np.array(case["y"], dtype=int); a = np.array(case["a"], float); b = np.array(case["b"], float)
    order = np.concatenate([np.where(y == 1)[0], np.where(y == 0)[0]]); m = int(y.sum())
    aucs, cov = fast_delong(np.vstack([a[order], b[order]]), m)
    z = stats.norm.ppf(0.975)
    se_a = np.sqrt(cov[0, 0]); d = aucs[1] - aucs[0]; se_d = np.sqrt(cov[0, 0] + cov[1, 1] - 2 * cov[0, 1])
    t = case["threshold"]
    tn, fp, fn, tp = confusion_matrix(y, (a >= t).astype(int), labels=[0, 1]).ravel()
    def wilson(k, n):
        ci = stats.binomtest(int(k), int(n)).proportion_ci(0.95, method="wilson")
        return [ci.low, ci.high]
    fpr, tpr, thr = roc_curve(y, a, drop_intermediate=False)
    out.append({
        "auc": roc_auc_score(y, a), "aucB": roc_auc_score(y, b), "delongAuc": aucs[0],
        "variance": cov[0, 0], "ci": [max(0, aucs[0] - z * se_a), min(1, aucs[0] + z * se_a)],
        "difference": d, "varianceDiff": se_d ** 2, "p": 2 * stats.norm.sf(abs(d / se_d)),
        "tp": int(tp), "fp": int(fp), "tn": int(tn), "fn": int(fn),
        "sens": wilson(tp, tp + fn), "spec": wilson(tn, tn + fp), "ppv": wilson(tp, tp + fp), "npv": wilson(tn, tn + fn),
        "fpr": fpr.tolist(), "tpr": tpr.tolist(), "thr": thr[1:].tolist(),
        "youden": float(thr[1:][np.argmax((tpr - fpr)[1:])]),
    })
print(json.dumps(out))
`;

/** Seeded scores (mulberry32), rounded to two decimals so that ties occur. */
function makeCase(seed: number, n: number, prevalence: number, separation: number) {
  let s = seed >>> 0;
  const random = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const y: number[] = [];
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < n; i++) {
    const positive = random() < prevalence || i === 0 ? 1 : i === 1 ? 0 : 0;
    const shared = random();
    y.push(positive);
    a.push(
      Math.round(
        100 * Math.min(1, Math.max(0, 0.5 * shared + 0.5 * random() + separation * positive - separation / 2)),
      ) / 100,
    );
    b.push(
      Math.round(
        100 * Math.min(1, Math.max(0, 0.5 * shared + 0.5 * random() + 1.5 * separation * positive - separation)),
      ) / 100,
    );
  }
  return { y, a, b, threshold: 0.5 };
}

const CASES = [
  makeCase(1, 40, 0.3, 0.2),
  makeCase(7, 200, 0.1, 0.3),
  makeCase(42, 25, 0.5, 0.05),
  makeCase(9, 500, 0.2, 0.1),
];

interface Reference {
  auc: number;
  aucB: number;
  delongAuc: number;
  variance: number;
  ci: [number, number];
  difference: number;
  varianceDiff: number;
  p: number;
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  sens: [number, number];
  spec: [number, number];
  ppv: [number, number];
  npv: [number, number];
  fpr: number[];
  tpr: number[];
  thr: number[];
  youden: number;
}

let references: Reference[];

beforeAll(() => {
  try {
    references = JSON.parse(
      execFileSync('/usr/bin/python3', ['-c', REFERENCE], { input: JSON.stringify(CASES), encoding: 'utf8' }),
    ) as Reference[];
  } catch (error) {
    throw new Error('the reference needs /usr/bin/python3 with python3-sklearn (apt-get install python3-sklearn)', {
      cause: error,
    });
  }
});

describe('statistics against scikit-learn, SciPy and an independent DeLong', () => {
  it('AUROC, its DeLong variance and 95% interval', () => {
    CASES.forEach((c, i) => {
      const ref = references[i];
      const truth = c.y.map((v) => v === 1);
      const estimate = aucWithDelongCi(c.a, truth);
      expect(estimate?.auc).toBeCloseTo(ref.auc, 12);
      expect(ref.delongAuc).toBeCloseTo(ref.auc, 12);
      expect(estimate?.variance).toBeCloseTo(ref.variance, 12);
      expect(estimate?.ci?.lower).toBeCloseTo(ref.ci[0], 10);
      expect(estimate?.ci?.upper).toBeCloseTo(ref.ci[1], 10);
    });
  });

  it("DeLong's paired test of two models on the same cases", () => {
    CASES.forEach((c, i) => {
      const ref = references[i];
      const result = pairedDelong(
        c.a,
        c.b,
        c.y.map((v) => v === 1),
      );
      expect(result?.aucB).toBeCloseTo(ref.aucB, 12);
      expect(result?.difference).toBeCloseTo(ref.difference, 12);
      expect(result?.variance).toBeCloseTo(ref.varianceDiff, 12);
      // Our normal CDF is a Chebyshev fit (relative error < 1.2e-7).
      expect(result?.pValue).toBeCloseTo(ref.p, 6);
    });
  });

  it('counts, sensitivity, specificity, PPV and NPV with Wilson intervals at a threshold', () => {
    CASES.forEach((c, i) => {
      const ref = references[i];
      const op = operatingPoint(
        c.a,
        c.y.map((v) => v === 1),
        c.threshold,
      );
      expect([op.tp, op.fp, op.tn, op.fn]).toEqual([ref.tp, ref.fp, ref.tn, ref.fn]);
      for (const [ours, theirs] of [
        [op.sensitivity, ref.sens],
        [op.specificity, ref.spec],
        [op.ppv, ref.ppv],
        [op.npv, ref.npv],
      ] as const) {
        expect(ours.ci?.lower).toBeCloseTo(theirs[0], 12);
        expect(ours.ci?.upper).toBeCloseTo(theirs[1], 12);
      }
    });
  });

  it("the ROC curve, point for point, and Youden's cut-off", () => {
    CASES.forEach((c, i) => {
      const ref = references[i];
      const truth = c.y.map((v) => v === 1);
      const curve = rocCurve(c.a, truth);
      expect(curve.map((p) => p.fpr)).toEqual(ref.fpr.map((v) => expect.closeTo(v, 12)));
      expect(curve.map((p) => p.tpr)).toEqual(ref.tpr.map((v) => expect.closeTo(v, 12)));
      expect(curve.slice(1).map((p) => p.threshold)).toEqual(ref.thr);
      // numpy's argmax takes the first maximum along descending thresholds: the highest cut-off, as ours.
      expect(chooseThreshold(c.a, truth, { kind: 'youden' })?.threshold).toBe(ref.youden);
    });
  });
});

describe('statistics on hand-worked inputs', () => {
  it("Wilson's interval for 0 of 10 and 10 of 10, and none for n = 0", () => {
    const z2 = 1.959963984540054 ** 2;
    expect(wilsonInterval(0, 10)?.lower).toBe(0);
    expect(wilsonInterval(0, 10)?.upper).toBeCloseTo(z2 / (10 + z2), 12);
    expect(wilsonInterval(10, 10)?.lower).toBeCloseTo(10 / (10 + z2), 12);
    expect(wilsonInterval(0, 0)).toBeUndefined();
  });

  it('the normal CDF at known points', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 7);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 7);
  });

  it('a target sensitivity takes the most specific cut-off that reaches it', () => {
    const scores = [0.9, 0.8, 0.7, 0.6, 0.4, 0.3, 0.2, 0.1];
    const truth = [true, false, true, true, false, true, false, false];
    // Sensitivity 0.75 is first reached at 0.6 (3 of 4 positives at or above it).
    expect(chooseThreshold(scores, truth, { kind: 'sensitivity', target: 0.75 })).toEqual({
      threshold: 0.6,
      sensitivity: 0.75,
      specificity: 0.75,
    });
    expect(chooseThreshold(scores, truth, { kind: 'sensitivity', target: 1 })?.threshold).toBe(0.3);
    expect(
      chooseThreshold(scores, [true, true, true, true, true, true, true, true], { kind: 'youden' }),
    ).toBeUndefined();
  });

  it('no interval with a single positive, and none without both classes', () => {
    expect(aucWithDelongCi([0.1, 0.9, 0.5], [false, true, false])).toEqual({ auc: 1 });
    expect(aucWithDelongCi([0.1, 0.9], [false, false])).toBeUndefined();
  });
});
