/**
 * The one-sided Kolmogorov–Smirnov survival function Pr(D+_n >= x), as
 * `scipy.special.smirnov(n, x)` computes it (cephes kolmogorov.c, P. van Mulbregt 2018):
 * the Birnbaum–Tingey / Smirnov sum
 *
 *   Pr(D+_n >= x) = x * sum_{v=0}^{floor(n(1-x))} C(n, v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
 *
 * with each term carried in double-double with a separate binary exponent (so neither
 * C(n, v) nor the powers overflow), the short "upper" sum used near x = 0 when it has at
 * most three terms, early termination once the remaining terms cannot change the sum, and
 * the closed forms for x <= 1/n and x >= 1 - 1/n. Only the survival function is computed
 * (scipy also carries the density for its inverse, which we do not need).
 *
 * Needed by kstwo.sf (ks-distribution.ts), which scipy's ks_2samp uses for its asymptotic
 * two-sided p-value.
 */
import * as dd from './double-double';
import type { DD } from './double-double';

/** exp() of anything below this is 0 in doubles (cephes MINLOG = log(2^-1074)). */
const MINLOG = -745.1332191019412;
/** Above this n, scipy switches to the approximation exp(-(6nx+1)^2 / 18n). */
const SMIRNOV_MAX_COMPUTE_N = 1000000;
const SM_UPPER_MAX_TERMS = 3;
const SM_UPPERSUM_MIN_N = 10;
/** Keeps both parts of a double-double normal while a power is built up (< 1023 - 52). */
const MAX_EXPONENT = 960;

/** a^m for a double-double a (libm pow on hi, a first-order correction for lo). */
function powDD(a: DD, m: number): DD {
  if (m <= 0) {
    if (m === 0) return dd.DD_ONE;
    return dd.div(dd.DD_ONE, powDD(a, -m));
  }
  if (dd.isZero(a)) return dd.DD_ZERO;
  const ans = Math.pow(a.hi, m);
  const r = a.lo / a.hi;
  let adj = m * r;
  if (Math.abs(adj) > 1e-8) {
    if (Math.abs(adj) < 1e-4) {
      // First two terms of the Taylor series of (1 + r)^m.
      adj += m * r * (((m - 1) / 2.0) * r);
    } else {
      adj = Math.expm1(m * Math.log1p(r));
    }
  }
  return dd.twoSum(ans, ans * adj);
}

/** cephes' nextPowerOf2 (which rounds x up by one ulp rather than to a power of two). */
function nextPowerOf2(x: number): number {
  const q = dd.ldexp(x, 1 - 53);
  let l = Math.abs(q + x);
  if (l === 0) {
    l = Math.abs(x);
  } else if (Math.abs(l) < 2147483648) {
    const lint = Math.trunc(l);
    if (lint === l) l = lint;
  }
  return l;
}

/** a^m as (mantissa in [0.5, 1), binary exponent), splitting m so no step underflows. */
function pow2Scaled(a: DD, m: number): { v: DD; e: number } {
  if (m <= 0) {
    if (m === 0) return { v: dd.DD_ONE, e: 0 };
    const inv = pow2Scaled(a, -m);
    const f = dd.frexpDD(dd.div(dd.DD_ONE, inv.v));
    return { v: f.m, e: -inv.e + f.e };
  }
  const fy = dd.frexpDD(a);
  const y = fy.m;
  const yE = fy.e;
  if (m === 1) return { v: y, e: yE };
  let maxExpt = MAX_EXPONENT;
  // y^m may need to be built in pieces when it would fall below 2^-960.
  if ((m * (y.hi - 1)) / y.hi < -MAX_EXPONENT * Math.LN2) {
    const lg2y = Math.log(y.hi) / Math.LN2;
    const lgAns = m * lg2y;
    if (lgAns <= -MAX_EXPONENT) {
      maxExpt = Math.trunc(nextPowerOf2(-MAX_EXPONENT / lg2y + 1) / 2);
    }
  }
  if (m <= maxExpt) {
    const f = dd.frexpDD(powDD(y, m));
    return { v: f.m, e: f.e + m * yE };
  }
  const q = Math.trunc(m / maxExpt);
  const r = m % maxExpt;
  // y^m = (y^maxExpt)^q * y^r
  const y2r = pow2Scaled(y, r);
  const y2m = pow2Scaled(y, maxExpt);
  const y2mq = pow2Scaled(y2m.v, q);
  const f = dd.frexpDD(dd.mul(y2r.v, y2mq.v));
  return { v: f.m, e: f.e + y2mq.e + y2m.e * q + y2r.e + m * yE };
}

/** ((a + b) / (c + d))^m in double-double. */
function pow4(a: number, b: number, c: number, d: number, m: number): DD {
  if (m <= 0) {
    if (m === 0) return dd.DD_ONE;
    return pow4(c, d, a, b, -m);
  }
  const A = dd.twoSum(a, b);
  const C = dd.twoSum(c, d);
  if (dd.isZero(A)) return dd.isZero(C) ? { hi: NaN, lo: NaN } : dd.DD_ZERO;
  if (dd.isZero(C)) return A.hi < 0 ? { hi: -Infinity, lo: 0 } : { hi: Infinity, lo: 0 };
  return powDD(dd.div(A, C), m);
}

/**
 * A single term of the sum: C(n, v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1), with C(n, v)
 * given as mantissa and exponent.
 */
function termAv(n: number, x: number, v: number, cMan: DD, cExp: number): DD {
  const t2x = dd.addD(dd.divDD(n - v, n), -x); // 1 - x - v/n
  const t2 = pow2Scaled(t2x, n - v);
  const t1x = dd.addD(dd.divDD(v, n), x); // x + v/n
  const t1 = pow2Scaled(t1x, v - 1);
  const ans = dd.mul(dd.mul(t1.v, t2.v), cMan);
  return dd.ldexpDD(ans, cExp + t1.e + t2.e);
}

/** floor(n x) and its remainder, exactly (rounded up when the remainder is 1 - tiny). */
function modNX(n: number, x: number): { alpha: number; nxFloor: number; nx: number } {
  const nxD = dd.twoProd(n, x);
  const fl = dd.floor(nxD);
  let alpha = dd.sub(nxD, fl).hi;
  let nxFloor = Math.trunc(fl.hi + fl.lo);
  if (alpha === 1) {
    nxFloor += 1;
    alpha = 0;
  }
  return { alpha, nxFloor, nx: nxD.hi };
}

const clip01 = (p: number): number => (p < 0 ? 0 : p > 1 ? 1 : p);

/**
 * Pr(D+_n >= x) for an integer n >= 1 and 0 <= x <= 1 (NaN outside), equal to
 * `scipy.special.smirnov(n, x)`.
 */
export function smirnov(n: number, x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return NaN;
  if (n === 1) return 1 - x;
  if (x === 0.0) return 1.0;
  if (x === 1.0) return 0.0;

  const { alpha, nxFloor: nxfl, nx } = modNX(n, x);
  let n1mxfl = n - nxfl - (alpha === 0 ? 0 : 1);
  let n1mxceil = n - nxfl;
  // If alpha is 0 the last term belongs to neither the lower nor the upper sum.
  if (alpha === 0) {
    n1mxfl -= 1;
    n1mxceil += 1;
  }
  void nx;

  // x <= 1/n: sf = 1 - x (1 + x)^(n-1)
  if (nxfl === 0 || (nxfl === 1 && alpha === 0)) {
    const t = dd.toNumber(powDD(dd.twoSum(1, x), n - 1));
    return 1 - x * t;
  }
  // x so large that the sf underflows.
  if (-2 * n * x * x < MINLOG) return 0;
  // x >= 1 - 1/n: sf = (1 - x)^n
  if (nxfl >= n - 1) return dd.toNumber(powDD(dd.twoSum(1, -x), n));
  if (n > SMIRNOV_MAX_COMPUTE_N) {
    // p ~ e^(-(6nx+1)^2 / 18n)
    const logp = -Math.pow(6.0 * n * x + 1, 2) / 18.0 / n;
    return logp < -Math.LN2 ? Math.exp(logp) : 1 - -Math.expm1(logp);
  }

  // The upper sum (terms v = n .. n1mxceil, alternating) only when it is short.
  const nUpperTerms = n - n1mxceil + 1;
  let useUpper = nUpperTerms <= 1 && x < 0.5;
  useUpper = useUpper || (n >= SM_UPPERSUM_MIN_N && nUpperTerms <= SM_UPPER_MAX_TERMS && x <= 0.5 / Math.sqrt(n));

  let start = 0;
  let step = 1;
  let nTerms = n1mxfl + 1;
  const vmid = Math.trunc(n / 2);
  let cMan: DD = dd.DD_ONE;
  let cExp = 0;
  let aj: DD;
  if (useUpper) {
    start = n;
    step = -1;
    nTerms = n - n1mxceil + 1;
    aj = pow4(1, x, 1, 0, n - 1);
  } else {
    aj = dd.div(pow4(1, -x, 1, 0, n), { hi: x, lo: 0 });
  }
  let ajSum = dd.add(dd.DD_ZERO, aj);

  const updateBinomial = (j: number): void => {
    const rat = dd.divDD(n - j, j + 1.0);
    const f = dd.frexpDD(dd.mul(cMan, rat));
    cExp += f.e;
    cMan = f.m;
  };
  updateBinomial(0);

  for (let j = 1; j < nTerms; j++) {
    const v = start + j * step;
    aj = termAv(n, x, v, cMan, cExp);
    if (Number.isFinite(aj.hi) && !dd.isZero(aj)) ajSum = dd.add(ajSum, aj);
    // Stop once the remaining terms cannot move the sum.
    if (!dd.isZero(aj)) {
      if (4 * (nTerms - j) * Math.abs(dd.toNumber(aj)) < Number.EPSILON * dd.toNumber(ajSum) && j !== nTerms - 1) break;
    } else if (j > vmid) {
      break;
    }
    updateBinomial(j);
  }
  const prob = dd.toNumber(dd.mulD(ajSum, x));
  // The upper sum gives the cdf, the lower sum the sf.
  return clip01(step < 0 ? 1 - prob : prob);
}
