/**
 * A forest laid out for answering one row at a time, as a scoring server
 * does. A single row's walk through 100 deep trees is bound by memory
 * latency: every step is a dependent load, and the engine's batch layout
 * (flat-tree.ts: features, thresholds and children in separate arrays, plus
 * every node's values) spreads a step over several cache lines of a forest
 * too large for the caches. Here:
 *
 * - each row is first coded per feature as the number of that feature's split
 *   thresholds below it (a binary search over at most a few hundred values), so
 *   `x ≤ threshold` becomes `code < rank + 1` on small integers;
 * - each node is then 8 bytes — feature, threshold rank and missing-goes-left
 *   in one 32-bit word, the left child (or, for a leaf, its values' offset) in
 *   the next — a quarter of the engine's footprint, so more of it stays cached;
 * - only leaves keep values.
 *
 * Routing and summation are the engine's exactly (left when x ≤ threshold, or
 * when x is missing and the node sends missing values left; trees added in
 * index order, then divided by their count), so the outputs are the same
 * numbers as predictOutputs' for finite or missing (NaN) inputs — what the
 * request parsing lets through.
 */
import type { ForestModel } from '../training/forest';

/** Feature slot of a leaf (16 bits). */
const LEAF = 0xffff;
/** Code of a missing value (never a real code: ranks stay below 2^15). */
const MISSING = 0xffff;
const MAX_RANK = 0x7fff;

export interface RowForest {
  /** Outputs per row: class probabilities (classification) or 1 value (regression). */
  nOut: number;
  /** Writes the outputs of one row (feature values in matrix order, finite or NaN) into `out` (length nOut). */
  predictRow(x: ArrayLike<number>, out: Float64Array): void;
}

/**
 * Compiles a fitted forest for single-row prediction (once, when a model is
 * loaded). Null when it does not fit the compact layout (65,535 or more
 * features, or more than 32,767 distinct thresholds on one feature): the
 * engine's path then answers.
 */
export function compileRowForest(model: ForestModel): RowForest | null {
  const nOut = Math.max(1, model.nClasses);
  const p = model.nFeatures;
  if (p >= LEAF) return null;
  // Each feature's distinct finite thresholds, ascending (a −∞ threshold means "only missing values go left").
  const sets = Array.from({ length: p }, () => new Set<number>());
  let totalNodes = 0;
  let totalLeaves = 0;
  for (const t of model.trees) {
    if (t.nOut !== nOut) return null;
    totalNodes += t.nNodes;
    for (let i = 0; i < t.nNodes; i++) {
      const f = t.feature[i];
      if (f < 0) totalLeaves++;
      else if (Number.isFinite(t.threshold[i])) sets[f].add(t.threshold[i]);
    }
  }
  const cuts = sets.map((s) => Float64Array.from([...s].sort((a, b) => a - b)));
  if (cuts.some((c) => c.length > MAX_RANK)) return null;

  const nodes = new Uint32Array(totalNodes * 2);
  const values = new Float64Array(totalLeaves * nOut);
  const roots = new Uint32Array(model.trees.length);
  let base = 0;
  let leafAt = 0;
  model.trees.forEach((t, ti) => {
    roots[ti] = base;
    for (let i = 0; i < t.nNodes; i++) {
      const at = (base + i) * 2;
      const f = t.feature[i];
      if (f < 0) {
        nodes[at] = LEAF;
        nodes[at + 1] = leafAt;
        for (let k = 0; k < nOut; k++) values[leafAt + k] = t.value[i * nOut + k];
        leafAt += nOut;
        continue;
      }
      const thr = t.threshold[i];
      // rank + 1 of the threshold among the feature's cuts: x ≤ cut[j] ⟺ (cuts below x) < j + 1; −∞ → 0, never left.
      const rank = Number.isFinite(thr) ? lowerBound(cuts[f], thr) + 1 : 0;
      nodes[at] = (f | (rank << 16) | (t.missingLeft[i] === 1 ? 0x80000000 : 0)) >>> 0;
      nodes[at + 1] = base + t.left[i];
    }
    base += t.nNodes;
  });

  const codes = new Uint16Array(p);
  const inv = 1 / model.trees.length;
  return {
    nOut,
    predictRow(x, out) {
      for (let f = 0; f < p; f++) {
        const v = x[f];
        codes[f] = v !== v ? MISSING : lowerBound(cuts[f], v);
      }
      out.fill(0);
      for (let t = 0; t < roots.length; t++) {
        let at = roots[t] * 2;
        let w = nodes[at];
        while ((w & 0xffff) !== LEAF) {
          const c = codes[w & 0xffff];
          const goLeft = c === MISSING ? w >>> 31 === 1 : c < ((w >>> 16) & MAX_RANK);
          at = (nodes[at + 1] + (goLeft ? 0 : 1)) * 2;
          w = nodes[at];
        }
        const vo = nodes[at + 1];
        for (let k = 0; k < nOut; k++) out[k] += values[vo + k];
      }
      for (let k = 0; k < nOut; k++) out[k] *= inv;
    },
  };
}

/** Number of values in the ascending `cuts` below `v`. */
function lowerBound(cuts: Float64Array, v: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
