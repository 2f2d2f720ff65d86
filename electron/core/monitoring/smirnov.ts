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
 * given as mantissa and exponent; returned as mantissa (double-double) and exponent.
 */
function termAvScaled(n: number, x: number, v: number, cMan: DD, cExp: number): { v: DD; e: number } {
  const t2x = dd.addD(dd.divDD(n - v, n), -x); // 1 - x - v/n
  const t2 = pow2Scaled(t2x, n - v);
  const t1x = dd.addD(dd.divDD(v, n), x); // x + v/n
  const t1 = pow2Scaled(t1x, v - 1);
  return { v: dd.mul(dd.mul(t1.v, t2.v), cMan), e: cExp + t1.e + t2.e };
}

function termAv(n: number, x: number, v: number, cMan: DD, cExp: number): DD {
  const t = termAvScaled(n, x, v, cMan, cExp);
  return dd.ldexpDD(t.v, t.e);
}

// ln 2 split so that E * LN2_HI is exact for |E| < 2^21 (fdlibm's constants).
const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;

/** The natural log of a term, exact to double rounding of the result (terms far below 1e-308 included). */
function logTermAv(n: number, x: number, v: number, cMan: DD, cExp: number): number {
  const t = termAvScaled(n, x, v, cMan, cExp);
  if (t.v.hi <= 0) return -Infinity;
  return Math.log(t.v.hi) + t.v.lo / t.v.hi + t.e * LN2_LO + t.e * LN2_HI;
}

/** Above this many terms the lower sum is taken by the recurrence below rather than term by term. */
const RECURRENCE_MIN_TERMS = 2000;
/** Exact terms (as scipy computes them) every this many steps re-anchor the recurrence. */
const ANCHOR_EVERY = 128;
/** Terms this many nats below the largest are dropped (e^-64 ≈ 1.6e-28, times at most 10^6 terms). */
const NEGLIGIBLE_NATS = 64;

/**
 * The lower Birnbaum–Tingey sum x * sum_{v < nTerms} A_v for large n. scipy evaluates every
 * term with double-double powers (about 4 µs a term in C, 10 µs here), and for the asymptotic
 * p-value of 10^6 vs 10^6 rows it needs ~350,000 of them per column. Here consecutive terms
 * follow from
 *   log(A_{v+1}/A_v) = log((n-v)(nx+v+1) / ((v+1)(n-v-nx))) + (v-1) log1p(1/(nx+v)) + (n-v-1) log1p(-1/(n-v-nx)),
 * whose three parts are O(1) where the terms matter (about 1e-15 absolute error a step), with
 * an exact term every 128 steps so the error cannot accumulate past ~1e-13 relative; the sum
 * stops once the terms have fallen 64 nats below the largest, as scipy stops once the remaining
 * terms cannot change it. The result agrees with scipy's to ~1e-13 (tests: 1e-9).
 */
function lowerSumByRecurrence(n: number, x: number, nTerms: number): number {
  const nx = n * x;
  // C(n, v) as (cHi + cLo) * 2^cExp, updated in place (the same double-double steps as
  // scipy's updateBinomial, normalised only when the mantissa leaves [2^-500, 2^500]).
  let cHi = 1;
  let cLo = 0;
  let cExp = 0;
  let anchorLog = logTermAv(n, x, 0, dd.DD_ONE, 0);
  let delta = 0; // log A_v - anchorLog
  let ref = anchorLog; // terms are summed as exp(log A_v - ref)
  let maxLog = anchorLog;
  let s = 1; // exp(anchorLog - ref)
  let comp = 0;
  for (let v = 0; v + 1 < nTerms; v++) {
    // rat = (n - v) / (v + 1) in double-double, then C *= rat.
    {
      const a = n - v;
      const b = v + 1;
      const q1 = a / b;
      let t = SPLIT * q1;
      const qh = t - (t - q1);
      const ql = q1 - qh;
      t = SPLIT * b;
      const bh = t - (t - b);
      const bl = b - bh;
      const p = q1 * b;
      const pe = qh * bh - p + qh * bl + ql * bh + ql * bl;
      const sh = a - p;
      const bb = sh - a;
      const se = a - (sh - bb) + (-p - bb);
      const q2 = (sh + (se - pe)) / b;
      const rHi = q1 + q2;
      const rLo = q2 - (rHi - q1);
      // (cHi, cLo) * (rHi, rLo)
      const m = cHi * rHi;
      t = SPLIT * cHi;
      const ch = t - (t - cHi);
      const cl = cHi - ch;
      t = SPLIT * rHi;
      const rh = t - (t - rHi);
      const rl = rHi - rh;
      const me = ch * rh - m + ch * rl + cl * rh + cl * rl + (cHi * rLo + cLo * rHi);
      cHi = m + me;
      cLo = me - (cHi - m);
      if (cHi > 2 ** 500 || cHi < 2 ** -500) {
        const f = dd.frexp(cHi);
        cExp += f.e;
        cHi = f.m;
        cLo = dd.ldexp(cLo, -f.e);
      }
    }
    const w = v + 1;
    let logA: number;
    if (w % ANCHOR_EVERY === 0) {
      anchorLog = logTermAv(n, x, w, { hi: cHi, lo: cLo }, cExp);
      delta = 0;
      logA = anchorLog;
    } else {
      const A = nx + v;
      const B = n - v - nx;
      delta += Math.log(((n - v) * (A + 1)) / ((v + 1) * B)) + (v - 1) * Math.log1p(1 / A) + (n - v - 1) * Math.log1p(-1 / B);
      logA = anchorLog + delta;
    }
    if (logA - ref > 600) {
      // Rescale so exp() cannot overflow (the sum of <= 10^6 terms of at most e^600 is finite).
      const f = Math.exp(ref - logA);
      s *= f;
      comp *= f;
      ref = logA;
    }
    const term = Math.exp(logA - ref);
    const u = s + term;
    comp += s >= term ? s - u + term : term - u + s;
    s = u;
    if (logA > maxLog) maxLog = logA;
    else if (logA < maxLog - NEGLIGIBLE_NATS) break;
  }
  const sum = s + comp;
  if (!(sum > 0)) return 0;
  return x * Math.exp(ref + Math.log(sum));
}

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter
const DBL_MIN = 2.2250738585072014e-308;

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

  if (!useUpper && n1mxfl + 1 > RECURRENCE_MIN_TERMS) {
    const p = lowerSumByRecurrence(n, x, n1mxfl + 1);
    // Below 2^-1022 scipy's terms are subnormal and keep only a few digits; to return its value
    // there, such (rare: p < 1e-308) cases take scipy's term-by-term path below.
    if (p >= DBL_MIN) return clip01(p);
  }

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
