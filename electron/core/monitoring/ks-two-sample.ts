/**
 * Two-sample Kolmogorov–Smirnov test, two-sided, equal to `scipy.stats.ks_2samp`
 * (Debian python3-scipy 1.10, scipy/stats/_stats_py.py) in statistic and p-value:
 *  - the statistic is max |F1 - F2| over the pooled values, with each ECDF value computed as
 *    scipy does (count / n, then the difference), found by a merge walk over the two sorted
 *    samples instead of scipy's two searchsorted calls;
 *  - `method: 'auto'` is exact when max(n1, n2) <= 10,000 and asymptotic above, as scipy;
 *  - exact: the lattice-path counts of `_compute_prob_outside_square` (n1 == n2) and
 *    `_compute_outer_prob_inside_method` (Hodges' inside method in Viehmann's 1 - p form), with
 *    the statistic rounded to h / lcm(n1, n2) as scipy returns it, falling back to asymp when
 *    the computation leaves [0, 1] or lcm is too large (scipy warns; we say so in `note`);
 *  - asymp: kstwo.sf(d, round(n1 n2 / (n1 + n2))) (ks-distribution.ts). Note that scipy 1.10
 *    uses the finite-n distribution here, not the Kolmogorov limit (kstwobign).
 */
import { kstwoSf } from './ks-distribution';
import { SamplePair } from './sample-pair';
import { sortFloat64 } from './sort-float64';

/** How to compute the p-value: scipy's `method` argument. */
export type KsMethod = 'auto' | 'exact' | 'asymp';

/** The outcome of a two-sample KS test. */
export interface KsResult {
  /** D = sup |F1 - F2| (for the exact method: h / lcm(n1, n2), as scipy returns it). */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  /** The method actually used (auto resolves to one of these). */
  method: 'exact' | 'asymp';
  /** Set when an exact request fell back to asymp (scipy's RuntimeWarning). */
  note?: string;
}

/** scipy's 'auto' is exact when both samples have at most this many values. */
export const KS_MAX_AUTO_N = 10000;
const INT32_MAX = 2147483647;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** numpy's round: half to even. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Pr(D_{n,n} >= h/n): scipy's _compute_prob_outside_square (Horner form of the alternating sum). */
export function probOutsideSquare(n: number, h: number): number {
  let P = 0.0;
  let k = Math.floor(n / h);
  while (k >= 0) {
    let p1 = 1.0;
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1);
    P = p1 * (1.0 - P);
    k -= 1;
  }
  return 2 * P;
}

/**
 * The share of lattice paths from (0,0) to (m,n) that leave the band |x/m - y/n| < h/lcm:
 * scipy's _compute_outer_prob_inside_method (a pythran kernel; same recursion and windows).
 */
export function probOutsideBand(m: number, n: number, g: number, h: number): number {
  if (m < n) [m, n] = [n, m];
  const mg = Math.trunc(m / g);
  const ng = Math.trunc(n / g);
  let minj = 0;
  let maxj = Math.min(Math.ceil(h / mg), n + 1);
  let curlen = maxj - minj;
  const lenA = Math.min(2 * maxj + 2, n + 1);
  const A = new Float64Array(lenA).fill(1);
  for (let j = minj; j < maxj; j++) A[j] = 0.0;
  for (let i = 1; i <= m; i++) {
    const lastminj = minj;
    const lastlen = curlen;
    minj = Math.max(Math.floor((ng * i - h) / mg) + 1, 0);
    minj = Math.min(minj, n);
    maxj = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxj <= minj) return 1.0;
    let val = minj === 0 ? 0.0 : 1.0;
    for (let jj = 0; jj < maxj - minj; jj++) {
      const j = jj + minj;
      val = (A[jj + minj - lastminj] * i + val * j) / (i + j);
      A[jj] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) A.fill(1, maxj - minj, maxj - minj + (lastlen - curlen));
  }
  return A[maxj - minj - 1];
}

/** scipy's _attempt_exact_2kssamp for the two-sided alternative. */
function attemptExact(n1: number, n2: number, g: number, d: number): { ok: boolean; d: number; p: number } {
  const lcm = Math.trunc(n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dr = (h * 1.0) / lcm;
  if (h === 0) return { ok: true, d: dr, p: 1.0 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  // scipy fails over to asymp when the count overflowed or left [0, 1].
  if (!(p >= 0 && p <= 1)) return { ok: false, d: dr, p };
  return { ok: true, d: dr, p };
}

/**
 * The statistic sup |F1 - F2| of two ascending samples without NaN (±Infinity allowed),
 * by one merge walk. Ties between and within the samples are stepped over together, which
 * is what scipy's searchsorted(side='right') on the pooled values amounts to.
 */
export function ksStatisticSorted(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n1 = a.length;
  const n2 = b.length;
  let i = 0;
  let j = 0;
  let maxS = -Infinity;
  let minS = Infinity;
  while (i < n1 || j < n2) {
    // The next pooled value, and every copy of it on both sides.
    const v = j >= n2 || (i < n1 && a[i] <= b[j]) ? a[i] : b[j];
    while (i < n1 && a[i] === v) i++;
    while (j < n2 && b[j] === v) j++;
    const diff = i / n1 - j / n2;
    if (diff > maxS) maxS = diff;
    if (diff < minS) minS = diff;
  }
  const neg = Math.min(Math.max(-minS, 0), 1);
  return neg > maxS ? neg : maxS;
}

/**
 * The p-value part of ks_2samp for a statistic d of samples of sizes n1 and n2 (scipy's
 * method choice, exact attempt and asymp fallback; exact also rounds d to h / lcm).
 */
export function ksFromStatistic(d: number, n1: number, n2: number, method: KsMethod = 'auto'): KsResult {
  if (Math.min(n1, n2) === 0) throw new RangeError('ks_2samp needs at least one value on each side');
  const g = gcd(n1, n2);
  const n1g = Math.trunc(n1 / g);
  const n2g = Math.trunc(n2 / g);
  let mode: 'exact' | 'asymp';
  let note: string | undefined;
  if (method === 'auto') {
    mode = Math.max(n1, n2) <= KS_MAX_AUTO_N ? 'exact' : 'asymp';
  } else if (method === 'exact' && n1g >= INT32_MAX / n2g) {
    mode = 'asymp';
    note = `exact KS is not possible with sample sizes ${n1} and ${n2}: switched to asymp`;
  } else {
    mode = method;
  }
  let prob = -Infinity;
  if (mode === 'exact') {
    const r = attemptExact(n1, n2, g, d);
    d = r.d;
    prob = r.p;
    if (!r.ok) {
      mode = 'asymp';
      note = 'exact KS calculation unsuccessful: switched to asymp';
    }
  }
  if (mode === 'asymp') {
    const m = Math.max(n1, n2);
    const n = Math.min(n1, n2);
    const en = (m * n) / (m + n);
    prob = kstwoSf(d, roundHalfEven(en));
  }
  prob = Math.min(Math.max(prob, 0), 1);
  const out: KsResult = { statistic: d, pValue: prob, method: mode };
  if (note) out.note = note;
  return out;
}

/**
 * ks_2samp on two samples that are already sorted ascending and hold no NaN.
 * Throws on an empty sample (scipy raises ValueError too); callers report that case.
 */
export function ks2SampSorted(a: ArrayLike<number>, b: ArrayLike<number>, method: KsMethod = 'auto'): KsResult {
  if (Math.min(a.length, b.length) === 0) throw new RangeError('ks_2samp needs at least one value on each side');
  return ksFromStatistic(ksStatisticSorted(a, b), a.length, b.length, method);
}

/**
 * ks_2samp on two unsorted samples, NaN (missing) values left out as the chapter's dropna():
 * the statistic from a SamplePair (no sort of either sample), then ksFromStatistic.
 */
export function ks2Samp(a: Float64Array, b: Float64Array, method: KsMethod = 'auto'): KsResult {
  const pair = new SamplePair(a, b);
  if (Math.min(pair.nA, pair.nB) === 0) throw new RangeError('ks_2samp needs at least one value on each side');
  return ksFromStatistic(pair.ksStatistic(), pair.nA, pair.nB, method);
}

/** The finite-or-infinite values of x in ascending order (NaN, i.e. missing, left out). */
export function sortedWithoutNaN(x: ArrayLike<number>): Float64Array {
  let k = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === x[i]) k++;
  const out = new Float64Array(k);
  k = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v === v) out[k++] = v;
  }
  return sortFloat64(out);
}
