/**
 * Chi-square test of independence on the 2 x k table (baseline counts, current counts) of a
 * categorical column, equal to `scipy.stats.chi2_contingency(table)` (correction=True,
 * Pearson's statistic): expected = row total * column total / grand total; dof = k - 1;
 * Yates' continuity correction only when dof = 1, moving each observed count toward its
 * expected one by min(0.5, |expected - observed|), as scipy since gh-13875; dof = 0 gives
 * statistic 0 and p = 1. Categories absent on both sides are left out first (scipy would
 * refuse a zero expected count).
 *
 * Evidently's own "chisquare" test is a goodness-of-fit (scipy.stats.chisquare of the current
 * counts against the reference shares scaled to the current size); the issue asks for the
 * contingency form, which treats both samples as samples.
 *
 * The survival function is the regularised upper incomplete gamma Q(dof/2, x/2) of
 * gamma-inc.ts (why not the npm package is said there), accurate for tiny p-values too.
 */
import { gammaQ } from './gamma-inc';

/** The result of chi2_contingency on a 2-row table. */
export interface ChiSquareResult {
  statistic: number;
  pValue: number;
  dof: number;
  /** Whether Yates' correction was applied (dof = 1). */
  yates: boolean;
  /** Categories that were kept (count > 0 on at least one side), as indices into the input. */
  kept: number[];
}

/** Pr(X >= x) for X ~ chi-square(dof): scipy.stats.chi2.sf. */
export function chi2Sf(x: number, dof: number): number {
  if (Number.isNaN(x) || !(dof > 0)) return NaN;
  if (x <= 0) return 1;
  if (x === Infinity) return 0;
  return gammaQ(dof / 2, x / 2);
}

/**
 * chi2_contingency([baseline, current]) for two equally long count vectors.
 * Throws when a side has no counts at all (the table has a zero row).
 */
export function chi2Contingency2(baseline: ArrayLike<number>, current: ArrayLike<number>): ChiSquareResult {
  if (baseline.length !== current.length) throw new RangeError('baseline and current count vectors differ in length');
  const kept: number[] = [];
  let r0 = 0;
  let r1 = 0;
  for (let j = 0; j < baseline.length; j++) {
    const a = baseline[j];
    const b = current[j];
    if (!(a >= 0 && b >= 0) || !Number.isFinite(a) || !Number.isFinite(b)) throw new RangeError('counts must be finite and non-negative');
    if (a + b > 0) kept.push(j);
    r0 += a;
    r1 += b;
  }
  if (r0 === 0 || r1 === 0) throw new RangeError('chi-square needs counts on both sides');
  const total = r0 + r1;
  const dof = kept.length - 1;
  if (dof <= 0) return { statistic: 0, pValue: 1, dof: 0, yates: false, kept };
  const yates = dof === 1;
  let stat = 0;
  for (const j of kept) {
    const c = baseline[j] + current[j];
    for (const [obs0, row] of [
      [baseline[j], r0],
      [current[j], r1],
    ]) {
      const expected = (row * c) / total;
      let obs = obs0;
      if (yates) {
        const diff = expected - obs;
        obs += Math.min(0.5, Math.abs(diff)) * Math.sign(diff);
      }
      stat += (obs - expected) ** 2 / expected;
    }
  }
  return { statistic: stat, pValue: chi2Sf(stat, dof), dof, yates, kept };
}
