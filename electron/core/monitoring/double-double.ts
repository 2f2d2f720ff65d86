/**
 * Double-double arithmetic (a number as an unevaluated sum hi + lo, about 106 bits),
 * just the operations the one-sided Smirnov sum needs (see smirnov.ts). scipy's cephes
 * `smirnov` computes its terms this way because each term is a power (1 - x - v/n)^(n - v)
 * with n up to a million: in plain doubles the base's rounding error is multiplied by n.
 *
 * Written here rather than taken from npm: the sum needs frexp/ldexp on double-doubles and
 * runs in a loop of up to n terms, where small mutable-free objects are cheaper than the
 * array-returning APIs of the npm packages. The algorithms are the textbook ones
 * (Dekker's split and two-product, Knuth's two-sum; Hida, Li & Bailey's QD library, which
 * is also what cephes' dd_real.h follows).
 */

/** hi + lo with |lo| <= ulp(hi) / 2. */
export interface DD {
  readonly hi: number;
  readonly lo: number;
}

export const DD_ZERO: DD = { hi: 0, lo: 0 };
export const DD_ONE: DD = { hi: 1, lo: 0 };

const SPLITTER = 134217729; // 2^27 + 1

function quickTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

/** Exact a + b as a double-double. */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

/** Exact a * b as a double-double (Dekker; JavaScript has no fused multiply-add). */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

/** A + B. */
export function add(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  let r = quickTwoSum(s.hi, s.lo + t.hi);
  r = quickTwoSum(r.hi, r.lo + t.lo);
  return r;
}

/** A + b. */
export function addD(a: DD, b: number): DD {
  const s = twoSum(a.hi, b);
  return quickTwoSum(s.hi, s.lo + a.lo);
}

/** A - B. */
export function sub(a: DD, b: DD): DD {
  return add(a, { hi: -b.hi, lo: -b.lo });
}

/** A * B. */
export function mul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return quickTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

/** A * b. */
export function mulD(a: DD, b: number): DD {
  const p = twoProd(a.hi, b);
  return quickTwoSum(p.hi, p.lo + a.lo * b);
}

/** a / b for two doubles, to double-double precision. */
export function divDD(a: number, b: number): DD {
  const q1 = a / b;
  const p = twoProd(q1, b);
  const s = twoSum(a, -p.hi);
  const q2 = (s.hi + (s.lo - p.lo)) / b;
  return quickTwoSum(q1, q2);
}

/** A / B (three correction steps, as QD's accurate division). */
export function div(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  let r = sub(a, mulD(b, q1));
  const q2 = r.hi / b.hi;
  r = sub(r, mulD(b, q2));
  const q3 = r.hi / b.hi;
  return addD(quickTwoSum(q1, q2), q3);
}

/** The double nearest to A. */
export function toNumber(a: DD): number {
  return a.hi + a.lo;
}

export function isZero(a: DD): boolean {
  return a.hi === 0;
}

/** floor(A) for a double-double. */
export function floor(a: DD): DD {
  const hi = Math.floor(a.hi);
  if (hi !== a.hi) return { hi, lo: 0 };
  return quickTwoSum(hi, Math.floor(a.lo));
}

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
const TWO_54 = 18014398509481984;

/**
 * C's frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x for 0, ±Infinity and NaN, e = 0).
 * Reads the exponent bits, so it is exact.
 */
export function frexp(x: number): { m: number; e: number } {
  if (x === 0 || !Number.isFinite(x)) return { m: x, e: 0 };
  let adjust = 0;
  scratch[0] = x;
  let biased = (scratchWords[1] >>> 20) & 0x7ff;
  if (biased === 0) {
    // Subnormal: scale into the normal range first.
    scratch[0] = x * TWO_54;
    biased = (scratchWords[1] >>> 20) & 0x7ff;
    adjust = -54;
  }
  const e = biased - 1022;
  scratchWords[1] = (scratchWords[1] & 0x800fffff) | (1022 << 20);
  return { m: scratch[0], e: e + adjust };
}

/** C's ldexp: x * 2^e, in steps so that 2^e itself never overflows or underflows. */
export function ldexp(x: number, e: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
    if (!Number.isFinite(x)) return x;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
    if (x === 0) return x;
  }
  return x * 2 ** e;
}

/** frexp of a double-double: the mantissa of hi in [0.5, 1), lo scaled alike. */
export function frexpDD(a: DD): { m: DD; e: number } {
  const f = frexp(a.hi);
  return { m: { hi: f.m, lo: ldexp(a.lo, -f.e) }, e: f.e };
}

/** A * 2^e. */
export function ldexpDD(a: DD, e: number): DD {
  return { hi: ldexp(a.hi, e), lo: ldexp(a.lo, e) };
}
