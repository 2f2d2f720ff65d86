/**
 * Quantile binning: each feature is mapped once per data set to ≤ 255 bins
 * stored as Uint8 codes (code 255 = missing). Trees then work on the codes
 * only, which makes node histograms small and split search O(bins).
 *
 * A split "code ≤ b" is exactly the raw-value test "x ≤ edges[b]", because
 * binning uses that same comparison; so a tree learned on codes predicts on
 * raw values with identical routing.
 */
export const MISSING_BIN = 255;
export const MAX_BINS = 255;

/** Per-feature bin upper edges; `edges[f][b]` is the largest value (inclusive) of bin b. */
export interface Binning {
  edges: Float64Array[];
  /** Number of value bins per feature (≤ 255; the missing bin is extra). */
  nBins: Int32Array;
  hasMissing: Uint8Array;
}

/** Binned matrix: column-major codes. */
export interface BinnedMatrix {
  codes: Uint8Array;
  nRows: number;
  nFeatures: number;
  binning: Binning;
}

/**
 * Compute bin edges for every feature. Up to `maxBins` distinct values get
 * one bin each (edges at midpoints, like scikit-learn's HistGradientBoosting);
 * more values are cut at quantiles. `sampleRows` bounds the cost on big data
 * (rows taken at a fixed stride, so deterministic).
 */
export function computeBinning(X: Float64Array, nRows: number, nFeatures: number, maxBins = MAX_BINS, sampleRows = 200_000): Binning {
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(nFeatures);
  const hasMissing = new Uint8Array(nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const r = computeFeatureEdges(X, nRows, f, maxBins, sampleRows);
    edges.push(r.edges);
    nBins[f] = r.edges.length;
    hasMissing[f] = r.hasMissing ? 1 : 0;
  }
  return { edges, nBins, hasMissing };
}

/** Bin edges of one feature (see computeBinning). Features are independent, so workers can bin disjoint feature ranges. */
export function computeFeatureEdges(
  X: Float64Array,
  nRows: number,
  f: number,
  maxBins = MAX_BINS,
  sampleRows = 200_000,
): { edges: Float64Array; hasMissing: boolean } {
  const bins = Math.max(2, Math.min(MAX_BINS, maxBins));
  const stride = nRows > sampleRows ? nRows / sampleRows : 1;
  const nSample = nRows > sampleRows ? sampleRows : nRows;
  const buf = new Float64Array(nSample);
  const off = f * nRows;
  let m = 0;
  for (let s = 0; s < nSample; s++) {
    const v = X[off + Math.floor(s * stride)];
    if (v === v) buf[m++] = v;
  }
  let hasMissing = false;
  for (let i = 0; i < nRows; i++) {
    if (X[off + i] !== X[off + i]) {
      hasMissing = true;
      break;
    }
  }
  const sorted = buf.subarray(0, m).sort();
  return { edges: edgesFromSorted(sorted, m, bins), hasMissing };
}

/** Bin edges from the sorted non-missing values of a feature (the rule of computeFeatureEdges). */
function edgesFromSorted(sorted: Float64Array, m: number, bins: number): Float64Array {
  // Count distinct values without materialising them unless there are few.
  let nDistinct = m > 0 ? 1 : 0;
  for (let i = 1; i < m && nDistinct <= bins; i++) if (sorted[i] !== sorted[i - 1]) nDistinct++;
  const e: number[] = [];
  if (nDistinct <= bins) {
    let prev = sorted[0];
    for (let i = 1; i < m; i++) {
      const v = sorted[i];
      if (v !== prev) {
        e.push(midpoint(prev, v));
        prev = v;
      }
    }
  } else {
    for (let b = 1; b < bins; b++) {
      const pos = Math.floor((b * m) / bins);
      const lo = sorted[pos - 1];
      const hi = sorted[pos];
      // Cut between two different values only; duplicates of a value never straddle two bins.
      const cut = lo === hi ? lo : midpoint(lo, hi);
      if (e.length === 0 || cut > e[e.length - 1]) e.push(cut);
    }
  }
  e.push(Infinity);
  return Float64Array.from(e);
}

// Below this many rows a comparison sort plus binary searches is cheaper than the radix passes.
const RADIX_MIN_ROWS = 4096;
const RADIX_SIZE = 1 << 11;

/**
 * computeBinning + applyBinning in one pass per feature, with identical
 * edges and codes. When the edges come from all rows (nRows ≤ sampleRows),
 * each column is radix-sorted with its row numbers: the sorted values give the
 * edges, and one walk along them gives every row's code (no binary search).
 * With `rows`, only those rows of X (nRows rows) are binned, as if gathered
 * first, without the copy.
 */
export function binMatrixFast(
  X: Float64Array,
  nRows: number,
  nFeatures: number,
  maxBins = MAX_BINS,
  sampleRows = 200_000,
  rows?: Int32Array,
): BinnedMatrix {
  if (rows) {
    const n = rows.length;
    if (n < RADIX_MIN_ROWS || n > sampleRows) return binMatrix(gatherRows(X, nRows, nFeatures, rows), n, nFeatures, maxBins);
    return binRadix(X, nRows, nFeatures, maxBins, rows);
  }
  if (nRows < RADIX_MIN_ROWS || nRows > sampleRows) return binMatrix(X, nRows, nFeatures, maxBins);
  return binRadix(X, nRows, nFeatures, maxBins, null);
}

/** Rows `rows` of a column-major matrix with nRows rows, as a new column-major matrix. */
export function gatherRows(X: Float64Array, nRows: number, nFeatures: number, rows: ArrayLike<number>): Float64Array {
  const m = rows.length;
  const out = new Float64Array(m * nFeatures);
  for (let f = 0; f < nFeatures; f++) {
    const src = f * nRows;
    const dst = f * m;
    for (let r = 0; r < m; r++) out[dst + r] = X[src + rows[r]];
  }
  return out;
}

function binRadix(X: Float64Array, xRows: number, nFeatures: number, maxBins: number, take: Int32Array | null): BinnedMatrix {
  const nRows = take ? take.length : xRows;
  const bins = Math.max(2, Math.min(MAX_BINS, maxBins));
  const codes = new Uint8Array(nRows * nFeatures);
  const edges: Float64Array[] = [];
  const nBins = new Int32Array(nFeatures);
  const hasMissing = new Uint8Array(nFeatures);
  const vals = new Float64Array(nRows);
  const words = new Uint32Array(vals.buffer);
  const sorter = new RadixSorter(nRows);
  for (let f = 0; f < nFeatures; f++) {
    const off = f * nRows;
    const xOff = f * xRows;
    let m = 0;
    for (let i = 0; i < nRows; i++) {
      const v = X[xOff + (take ? take[i] : i)];
      if (v === v) {
        vals[m] = v;
        sorter.rows[m] = i;
        m++;
      } else codes[off + i] = MISSING_BIN;
    }
    hasMissing[f] = m < nRows ? 1 : 0;
    const sorted = sorter.sort(vals, words, m);
    const e = edgesFromSorted(sorted, m, bins);
    edges.push(e);
    nBins[f] = e.length;
    // Codes: code(v) = first b with v ≤ e[b]; values ascend, so b only moves forward.
    const rows = sorter.rows;
    let b = 0;
    for (let j = 0; j < m; j++) {
      const v = sorted[j];
      while (v > e[b]) b++;
      codes[off + rows[j]] = b;
    }
  }
  return { codes, nRows, nFeatures, binning: { edges, nBins, hasMissing } };
}

/**
 * Radix sort of float64 values with a row-number payload, on the IEEE bits
 * mapped to unsigned order (−0 before +0, as TypedArray.prototype.sort). Gives
 * the same value sequence as Float64Array.prototype.sort on non-NaN values.
 *
 * Keys are sorted on their high 32 bits only (three stable LSD passes of
 * 11/11/10 bits, counts small enough for L1), then runs with equal high words
 * (values within about 1e-6 relative of each other: rare) are finished by a
 * stable sort on the low word.
 */
class RadixSorter {
  rows: Int32Array;
  private hi: Uint32Array;
  private lo: Uint32Array;
  private hi2: Uint32Array;
  private lo2: Uint32Array;
  private rows2: Int32Array;
  private readonly out: Float64Array;
  private readonly outWords: Uint32Array;
  private readonly count = new Int32Array(3 * RADIX_SIZE);

  constructor(n: number) {
    this.rows = new Int32Array(n);
    this.rows2 = new Int32Array(n);
    this.hi = new Uint32Array(n);
    this.lo = new Uint32Array(n);
    this.hi2 = new Uint32Array(n);
    this.lo2 = new Uint32Array(n);
    this.out = new Float64Array(n);
    this.outWords = new Uint32Array(this.out.buffer);
  }

  /** Sort vals[0..m) (their words view `w`, little-endian) with this.rows as payload; returns the sorted values. */
  sort(vals: Float64Array, w: Uint32Array, m: number): Float64Array {
    let { hi, lo, rows } = this;
    const count = this.count;
    count.fill(0);
    for (let i = 0; i < m; i++) {
      const h = w[2 * i + 1];
      const l = w[2 * i];
      // Negative: flip all bits; positive: flip the sign bit.
      const neg = h >>> 31;
      const k = (h ^ (neg ? 0xffffffff : 0x80000000)) >>> 0;
      hi[i] = k;
      lo[i] = (l ^ (neg ? 0xffffffff : 0)) >>> 0;
      count[k & 0x7ff]++;
      count[RADIX_SIZE + ((k >>> 11) & 0x7ff)]++;
      count[2 * RADIX_SIZE + (k >>> 22)]++;
    }
    for (let pass = 0; pass < 3; pass++) {
      const shift = pass * 11;
      const base = pass * RADIX_SIZE;
      // A digit shared by every value leaves the order unchanged.
      if (count[base + ((hi[0] >>> shift) & 0x7ff)] === m) continue;
      let sum = 0;
      for (let d = base; d < base + RADIX_SIZE; d++) {
        const c = count[d];
        count[d] = sum;
        sum += c;
      }
      const { hi2, lo2, rows2 } = this;
      for (let i = 0; i < m; i++) {
        const k = count[base + ((hi[i] >>> shift) & 0x7ff)]++;
        hi2[k] = hi[i];
        lo2[k] = lo[i];
        rows2[k] = rows[i];
      }
      this.hi2 = hi;
      this.lo2 = lo;
      this.rows2 = rows;
      hi = hi2;
      lo = lo2;
      rows = rows2;
    }
    this.hi = hi;
    this.lo = lo;
    this.rows = rows;
    // Runs of equal high words: sort them on the low word (stable).
    for (let a = 0; a < m; ) {
      let b = a + 1;
      let sorted = true;
      while (b < m && hi[b] === hi[a]) {
        if (lo[b] < lo[b - 1]) sorted = false;
        b++;
      }
      if (!sorted) sortRunByLow(lo, rows, a, b);
      a = b;
    }
    const ow = this.outWords;
    for (let i = 0; i < m; i++) {
      const h = hi[i];
      const neg = (h >>> 31) ^ 1;
      ow[2 * i + 1] = (h ^ (neg ? 0xffffffff : 0x80000000)) >>> 0;
      ow[2 * i] = (lo[i] ^ (neg ? 0xffffffff : 0)) >>> 0;
    }
    return this.out;
  }
}

/** Stable sort of positions [a, b) on lo (payload rows): insertion sort when short, else an index sort. */
function sortRunByLow(lo: Uint32Array, rows: Int32Array, a: number, b: number): void {
  if (b - a <= 32) {
    for (let i = a + 1; i < b; i++) {
      const l = lo[i];
      const r = rows[i];
      let k = i - 1;
      while (k >= a && lo[k] > l) {
        lo[k + 1] = lo[k];
        rows[k + 1] = rows[k];
        k--;
      }
      lo[k + 1] = l;
      rows[k + 1] = r;
    }
    return;
  }
  const order = Array.from({ length: b - a }, (_, i) => a + i).sort((x, y) => lo[x] - lo[y]);
  const l2 = Uint32Array.from(order, (i) => lo[i]);
  const r2 = Int32Array.from(order, (i) => rows[i]);
  lo.set(l2, a);
  rows.set(r2, a);
}

function midpoint(a: number, b: number): number {
  const m = a + (b - a) / 2;
  // Keep the cut strictly below b so b lands in the upper bin.
  return m < b ? m : a;
}

/** Bin code of a single value for feature f. */
export function binValue(edges: Float64Array, v: number): number {
  if (v !== v) return MISSING_BIN;
  let lo = 0;
  let hi = edges.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Apply a binning to a column-major matrix. */
export function applyBinning(X: Float64Array, nRows: number, nFeatures: number, binning: Binning): BinnedMatrix {
  const codes = new Uint8Array(nRows * nFeatures);
  for (let f = 0; f < nFeatures; f++) binColumn(X, nRows, f, binning.edges[f], codes);
  return { codes, nRows, nFeatures, binning };
}

/** Write the codes of feature f into `codes` (column-major, may be a shared buffer). */
export function binColumn(X: Float64Array, nRows: number, f: number, edges: Float64Array, codes: Uint8Array): void {
  const off = f * nRows;
  for (let i = 0; i < nRows; i++) codes[off + i] = binValue(edges, X[off + i]);
}

/** Compute and apply a binning in one go. */
export function binMatrix(X: Float64Array, nRows: number, nFeatures: number, maxBins = MAX_BINS): BinnedMatrix {
  return applyBinning(X, nRows, nFeatures, computeBinning(X, nRows, nFeatures, maxBins));
}
