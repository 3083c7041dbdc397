/** A 95% interval and the standard normal distribution, for the tests and intervals here. */
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
