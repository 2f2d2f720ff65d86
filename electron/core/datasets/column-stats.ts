import type { HistogramBin } from '../../../shared/datasets';

/**
 * Rearranges `a[lo..hi]` so that `a[k]` holds the value it would have if the
 * range were sorted, smaller-or-equal values before it and larger-or-equal
 * after (Hoare partition with median-of-three). O(n) on average, in place, so
 * quartiles need no sort and no copy.
 */
export function selectKth(a: Float64Array, k: number, lo = 0, hi = a.length - 1): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // median of three as pivot, guards against sorted input
    let x = a[lo];
    let y = a[mid];
    const z = a[hi];
    if (x > y) [x, y] = [y, x];
    if (y > z) {
      y = z;
      if (x > y) y = x;
    }
    const pivot = y;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** Minimum of a[lo..hi]. */
function minOf(a: Float64Array, lo: number, hi: number): number {
  let m = a[lo];
  for (let i = lo + 1; i <= hi; i++) if (a[i] < m) m = a[i];
  return m;
}

/**
 * Quartiles with linear interpolation between order statistics, as
 * numpy/pandas' default (`(n - 1) * q`). Reorders `values` in place.
 */
export function computeQuartiles(values: Float64Array): { q25: number; median: number; q75: number } {
  const n = values.length;
  if (n === 0) return { q25: NaN, median: NaN, q75: NaN };
  const at = (q: number, lo: number, hi: number): { v: number; k: number } => {
    const pos = (n - 1) * q;
    const k = Math.floor(pos);
    const frac = pos - k;
    const a = selectKth(values, k, lo, hi);
    if (frac === 0 || k + 1 >= n) return { v: a, k };
    // after selection everything right of k is >= a[k]; the next order statistic is their minimum
    const b = minOf(values, k + 1, k + 1 <= hi ? hi : n - 1);
    return { v: a + (b - a) * frac, k };
  };
  const med = at(0.5, 0, n - 1);
  const q25 = at(0.25, 0, Math.max(0, med.k));
  const q75 = at(0.75, Math.min(n - 1, med.k), n - 1);
  return { q25: q25.v, median: med.v, q75: q75.v };
}

/**
 * Equal-width histogram over [min, max]. Integer columns with a small range
 * get one bin per value so counts of e.g. 0/1 flags read naturally.
 * `scale` multiplies counts (for histograms of a reservoir sample).
 */
export function computeHistogram(values: Float64Array, min: number, max: number, integer: boolean, scale = 1, maxBins = 20): HistogramBin[] {
  if (values.length === 0 || !Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) return [{ lo: min, hi: max, count: Math.round(values.length * scale) }];
  let bins: number;
  let width: number;
  let start = min;
  if (integer && max - min + 1 <= maxBins * 2) {
    bins = max - min + 1;
    width = 1;
    start = min - 0.5;
  } else {
    bins = maxBins;
    width = (max - min) / bins;
  }
  const counts = new Float64Array(bins);
  const inv = 1 / width;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) continue;
    let b = Math.floor((v - start) * inv);
    if (b >= bins) b = bins - 1;
    else if (b < 0) b = 0;
    counts[b]++;
  }
  const out: HistogramBin[] = [];
  for (let b = 0; b < bins; b++) {
    out.push({ lo: start + b * width, hi: start + (b + 1) * width, count: Math.round(counts[b] * scale) });
  }
  return out;
}

/**
 * Deterministic PRNG (mulberry32) so reservoir samples and generated data are
 * reproducible from a seed.
 */
export function createRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Quartiles and histogram of a numeric column. */
export interface ValueSummary {
  q25: number;
  median: number;
  q75: number;
  histogram: HistogramBin[];
}

const QUARTILES = [0.25, 0.5, 0.75] as const;

/** Linear-interpolated quantile from an order-statistic lookup (numpy's default). */
function interpolate(n: number, q: number, orderStat: (k: number) => number): number {
  const pos = (n - 1) * q;
  const lo = Math.floor(pos);
  const a = orderStat(lo);
  const frac = pos - lo;
  return frac === 0 ? a : a + (orderStat(Math.min(n - 1, lo + 1)) - a) * frac;
}

/** Integer columns with a modest range: exact quartiles and histogram from one counting pass. */
function summarizeIntegers(chunks: readonly Float64Array[], n: number, min: number, max: number, scale: number, bins: number): ValueSummary {
  const range = max - min + 1;
  const counts = new Float64Array(range);
  for (const c of chunks) for (let i = 0; i < c.length; i++) counts[c[i] - min]++;
  const cum = new Float64Array(range + 1);
  for (let v = 0; v < range; v++) cum[v + 1] = cum[v] + counts[v];
  const orderStat = (k: number): number => {
    let lo = 0;
    let hi = range - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid + 1] <= k) lo = mid + 1;
      else hi = mid;
    }
    return min + lo;
  };
  const histogram: HistogramBin[] = [];
  if (range <= bins * 2) {
    for (let v = 0; v < range; v++) histogram.push({ lo: min + v - 0.5, hi: min + v + 0.5, count: Math.round(counts[v] * scale) });
  } else {
    const width = (max - min) / bins;
    const acc = new Float64Array(bins);
    for (let v = 0; v < range; v++) acc[Math.min(bins - 1, Math.floor(v / width))] += counts[v];
    for (let b = 0; b < bins; b++) histogram.push({ lo: min + b * width, hi: b === bins - 1 ? max : min + (b + 1) * width, count: Math.round(acc[b] * scale) });
  }
  const [q25, median, q75] = QUARTILES.map((q) => interpolate(n, q, orderStat));
  return { q25, median, q75, histogram };
}

/**
 * Quartiles (exact, numpy's linear interpolation) and the histogram of values
 * held in chunks, without concatenating them. Integers with a range up to
 * 65,536 are counted per value. Otherwise two linear passes: pass 1 counts
 * values into fine equal-width buckets (bins × 205); pass 2 copies only the
 * buckets holding the needed order statistics, which are then selected within
 * those small arrays; the display histogram is the fine buckets merged 205 to
 * one. About 10× faster than three quickselects on a million values.
 * `scale` multiplies histogram counts (reservoir samples).
 */
export function summarizeValues(input: Float64Array | readonly Float64Array[], min: number, max: number, integer: boolean, scale = 1, bins = 20): ValueSummary {
  const chunks = input instanceof Float64Array ? [input] : input;
  let n = 0;
  for (const c of chunks) n += c.length;
  if (n > 0 && integer && max > min && max - min < 65_536) return summarizeIntegers(chunks, n, min, max, scale, bins);
  if (n < 4096 || !(max > min) || !Number.isFinite(max - min)) {
    const values = new Float64Array(n);
    let o = 0;
    for (const c of chunks) {
      values.set(c, o);
      o += c.length;
    }
    const histogram = computeHistogram(values, min, max, integer, scale, bins);
    return { ...computeQuartiles(values), histogram };
  }
  const per = 205;
  const fine = bins * per;
  const counts = new Uint32Array(fine);
  const k = fine / (max - min);
  const last = fine - 1;
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) {
      let b = ((c[i] - min) * k) | 0;
      if (b > last) b = last;
      counts[b]++;
    }
  }
  const cum = new Float64Array(fine + 1);
  for (let b = 0; b < fine; b++) cum[b + 1] = cum[b] + counts[b];
  const bucketOf = (r: number): number => {
    let lo = 0;
    let hi = fine - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid + 1] <= r) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  // Direct-indexed slots for the gather pass (a Map lookup per value would dominate).
  const slot = new Int32Array(fine).fill(-1);
  const arrays: Float64Array[] = [];
  const fills: number[] = [];
  for (const q of QUARTILES) {
    const pos = (n - 1) * q;
    for (const r of [Math.floor(pos), Math.min(n - 1, Math.floor(pos) + 1)]) {
      const b = bucketOf(r);
      if (slot[b] < 0) {
        slot[b] = arrays.length;
        arrays.push(new Float64Array(counts[b]));
        fills.push(0);
      }
    }
  }
  for (const c of chunks) {
    for (let i = 0; i < c.length; i++) {
      const v = c[i];
      let b = ((v - min) * k) | 0;
      if (b > last) b = last;
      const sl = slot[b];
      if (sl >= 0) arrays[sl][fills[sl]++] = v;
    }
  }
  const orderStat = (r: number): number => {
    const b = bucketOf(r);
    return selectKth(arrays[slot[b]], r - cum[b]);
  };
  const histogram: HistogramBin[] = [];
  const width = (max - min) / bins;
  for (let b = 0; b < bins; b++) {
    let c = 0;
    for (let j = b * per; j < (b + 1) * per; j++) c += counts[j];
    histogram.push({ lo: min + b * width, hi: b === bins - 1 ? max : min + (b + 1) * width, count: Math.round(c * scale) });
  }
  const [q25, median, q75] = QUARTILES.map((q) => interpolate(n, q, orderStat));
  return { q25, median, q75, histogram };
}
