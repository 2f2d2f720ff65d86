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
  return { edges: Float64Array.from(e), hasMissing };
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
