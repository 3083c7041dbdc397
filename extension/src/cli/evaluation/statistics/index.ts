/**
 * The statistics of a site validation, in one place: AUROC with DeLong's variance (and the paired
 * DeLong test between two models), the ROC curve, counts at an operating threshold with Wilson
 * score intervals, and the threshold rules calibration uses. Pure functions of numbers; every
 * interval is 95% two-sided unless a level is given.
 *
 * References: DeLong, DeLong & Clarke-Pearson, Biometrics 44 (1988) 837-845 (the structural
 * components V10/V01 and their covariance); Wilson, JASA 22 (1927) 209-212; Youden, Cancer 3 (1950).
 */
export { rocAuc } from '../rocAuc';
export * from './normal';
export * from './delong';
export * from './proportions';
export * from './roc';
