/**
 * Two numeric samples bucketed on one shared, value-ordered grid, so the KS statistic and
 * order statistics (median, PSI deciles) come out exactly without sorting either sample.
 *
 * Sorting two columns of a million doubles is most of what ks_2samp costs (numpy sorts, then
 * searchsorted twice). Here each value gets a bucket by one subtraction and one multiply on a
 * linear grid between the 0.1% and 99.9% quantiles of a strided sample (plus one bucket below
 * and one above), which is monotone in the value — equal values share a bucket and buckets are
 * value intervals — so per-bucket counts give both ECDFs exactly at every bucket end. Inside a
 * bucket |F1 - F2| can only exceed its value at the bucket's ends by that bucket's counts, so
 * only buckets whose bound reaches the best end value are gathered, sorted and walked value by
 * value. The result is the same set of i/n1 - j/n2 values scipy takes the maximum of, so the
 * statistic is equal to the last bit. NaN (missing) values are skipped; ±Infinity is ranked.
 */
import { sortFloat64 } from './sort-float64';

/** The bucket of a NaN (missing) value. */
const NAN_BUCKET = 0xffff;
/** Interior buckets at most (plus one below and one above the grid; 0xffff is NaN's). */
const MAX_BUCKETS = 65000;
/** Strided sample used to place the grid. */
const GRID_SAMPLE = 4096;

interface Side {
  values: Float64Array;
  bucket: Uint16Array;
  counts: Uint32Array;
  /** prefix[k] = values in buckets < k. */
  prefix: Float64Array;
  /** Non-NaN values. */
  n: number;
  /** Moments of the finite values, taken in the same pass (so callers need no pass of their own). */
  moments: SampleMoments;
}

/** Counts and first moments of one sample, from the bucketing pass. */
export interface SampleMoments {
  /** Non-NaN values (±Infinity included). */
  count: number;
  finite: number;
  negInf: number;
  /** Sum, min and max of the finite values (min > max when there are none). */
  sum: number;
  min: number;
  max: number;
}

export class SamplePair {
  readonly a: Side;
  readonly b: Side;
  private readonly nb: number;
  private lo = 0;
  private scale = 0;

  /** `a` and `b` are not copied or reordered; NaN values count as missing. */
  constructor(a: Float64Array, b: Float64Array) {
    // Sized by the lengths (NaN included): an exact count would cost a pass over both.
    const pooled = a.length + b.length;
    const interior = Math.max(1, Math.min(MAX_BUCKETS, Math.floor(pooled / 8)));
    this.nb = interior + 2;
    this.placeGrid(a, b, interior);
    this.a = this.assign(a);
    this.b = this.assign(b);
  }

  /** Non-NaN values of the first and second sample. */
  get nA(): number {
    return this.a.n;
  }
  get nB(): number {
    return this.b.n;
  }

  private placeGrid(a: Float64Array, b: Float64Array, interior: number): void {
    const sample: number[] = [];
    for (const x of [a, b]) {
      const step = Math.max(1, Math.floor(x.length / (GRID_SAMPLE / 2)));
      for (let i = 0; i < x.length; i += step) if (Number.isFinite(x[i])) sample.push(x[i]);
    }
    if (sample.length === 0) return; // no finite values: everything lands in the end buckets
    sample.sort((p, q) => p - q);
    const lo = sample[Math.floor(0.001 * (sample.length - 1))];
    const hi = sample[Math.ceil(0.999 * (sample.length - 1))];
    this.lo = lo;
    this.scale = hi > lo ? interior / (hi - lo) : 0;
  }

  /** Monotone bucket of a non-NaN value: 0 below the grid, 1 .. interior on it, interior + 1 above. */
  private bucketOf(v: number): number {
    if (this.scale === 0) return v < this.lo ? 0 : v === this.lo ? 1 : this.nb - 1;
    const k = Math.floor((v - this.lo) * this.scale) + 1;
    return k < 0 ? 0 : k >= this.nb ? this.nb - 1 : k;
  }

  private assign(x: Float64Array): Side {
    const bucket = new Uint16Array(x.length);
    const counts = new Uint32Array(this.nb);
    const lo = this.lo;
    const scale = this.scale;
    const last = this.nb - 1;
    let n = 0;
    let finite = 0;
    let negInf = 0;
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      if (v !== v) {
        bucket[i] = NAN_BUCKET;
        continue;
      }
      let k: number;
      if (scale !== 0) {
        k = Math.floor((v - lo) * scale) + 1;
        if (k < 0) k = 0;
        else if (k > last) k = last;
      } else {
        k = this.bucketOf(v);
      }
      bucket[i] = k;
      counts[k]++;
      n++;
      if (v - v === 0) {
        finite++;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      } else if (v < 0) {
        negInf++;
      }
    }
    const prefix = new Float64Array(this.nb + 1);
    for (let k = 0; k < this.nb; k++) prefix[k + 1] = prefix[k] + counts[k];
    return { values: x, bucket, counts, prefix, n, moments: { count: n, finite, negInf, sum, min, max } };
  }

  /**
   * The values of the chosen buckets of one side, each bucket's slice sorted, laid out bucket by
   * bucket: `start[k]` is where bucket k begins in `values` (only for chosen k).
   */
  private gather(side: Side, chosen: Uint8Array): { values: Float64Array; start: Int32Array } {
    const start = new Int32Array(this.nb + 1).fill(-1);
    let total = 0;
    for (let k = 0; k < this.nb; k++) {
      if (!chosen[k]) continue;
      start[k] = total;
      total += side.counts[k];
    }
    const out = new Float64Array(total);
    const fill = new Int32Array(this.nb);
    for (let k = 0; k < this.nb; k++) fill[k] = start[k];
    const { bucket, values } = side;
    for (let i = 0; i < values.length; i++) {
      const k = bucket[i];
      if (k !== NAN_BUCKET && chosen[k]) out[fill[k]++] = values[i];
    }
    for (let k = 0; k < this.nb; k++) {
      const c = side.counts[k];
      if (!chosen[k] || c < 2) continue;
      if (c <= 24) insertionSort(out, start[k], start[k] + c);
      else sortFloat64(out.subarray(start[k], start[k] + c));
    }
    return { values: out, start };
  }

  /**
   * sup |F1 - F2| over the pooled values, computed as scipy does (i / n1 - j / n2).
   * Both samples must have at least one non-NaN value.
   */
  ksStatistic(): number {
    const { a, b } = this;
    const n1 = a.n;
    const n2 = b.n;
    if (n1 === 0 || n2 === 0) throw new RangeError('the KS statistic needs at least one value on each side');
    // Exact |diff| at every non-empty bucket's end (the diff at its largest value).
    let best = 0;
    for (let k = 0; k < this.nb; k++) {
      if (a.counts[k] + b.counts[k] === 0) continue;
      const d = Math.abs(a.prefix[k + 1] / n1 - b.prefix[k + 1] / n2);
      if (d > best) best = d;
    }
    // Buckets whose inside could beat it.
    const chosen = new Uint8Array(this.nb);
    let any = false;
    for (let k = 0; k < this.nb; k++) {
      const ca = a.counts[k];
      const cb = b.counts[k];
      if (ca + cb < 2) continue;
      const before = a.prefix[k] / n1 - b.prefix[k] / n2;
      const bound = Math.max(Math.abs(before + ca / n1), Math.abs(before - cb / n2));
      if (bound + 1e-12 >= best) {
        chosen[k] = 1;
        any = true;
      }
    }
    if (!any) return best;
    const ga = this.gather(a, chosen);
    const gb = this.gather(b, chosen);
    for (let k = 0; k < this.nb; k++) {
      if (!chosen[k]) continue;
      const va = ga.values;
      const vb = gb.values;
      let i = ga.start[k];
      let j = gb.start[k];
      const iEnd = i + a.counts[k];
      const jEnd = j + b.counts[k];
      // Counts below the bucket, then walk its values as ksStatisticSorted does.
      const i0 = a.prefix[k] - i;
      const j0 = b.prefix[k] - j;
      while (i < iEnd || j < jEnd) {
        const v = j >= jEnd || (i < iEnd && va[i] <= vb[j]) ? va[i] : vb[j];
        while (i < iEnd && va[i] === v) i++;
        while (j < jEnd && vb[j] === v) j++;
        const d = Math.abs((i0 + i) / n1 - (j0 + j) / n2);
        if (d > best) best = d;
      }
    }
    return best;
  }

  /**
   * Order statistics of one side: the values at the given 0-based ranks among its non-NaN
   * values in ascending order (±Infinity included).
   */
  orderStatistics(which: 'a' | 'b', ranks: readonly number[]): number[] {
    const side = which === 'a' ? this.a : this.b;
    const chosen = new Uint8Array(this.nb);
    const at: number[] = [];
    for (const r of ranks) {
      if (!(r >= 0 && r < side.n) || !Number.isInteger(r)) throw new RangeError(`rank ${r} is outside 0 .. ${side.n - 1}`);
      // The bucket holding rank r: the last k with prefix[k] <= r.
      let lo = 0;
      let hi = this.nb - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >>> 1;
        if (side.prefix[mid] <= r) lo = mid;
        else hi = mid - 1;
      }
      chosen[lo] = 1;
      at.push(lo);
    }
    const g = this.gather(side, chosen);
    return ranks.map((r, i) => g.values[g.start[at[i]] + (r - side.prefix[at[i]])]);
  }
}

/** Sorts x[from, to) ascending (no NaN) — for the many tiny buckets, cheaper than a typed-array sort call. */
function insertionSort(x: Float64Array, from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const v = x[i];
    let j = i - 1;
    while (j >= from && x[j] > v) {
      x[j + 1] = x[j];
      j--;
    }
    x[j + 1] = v;
  }
}
