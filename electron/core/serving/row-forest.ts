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

/** Feature slots are 16 bits; the last one is never a feature. */
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
  if (p + 1 >= LEAF) return null;
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

  const nTrees = model.trees.length;
  const nodes = new Uint32Array(totalNodes * 2);
  const values = new Float64Array(totalLeaves * nOut);
  /** Offset into `values` of each leaf node. */
  const leafValues = new Uint32Array(totalNodes);
  const roots = new Uint32Array(nTrees);
  const depths = new Uint16Array(nTrees);
  // A leaf loops to itself: its word reads the always-0 code slot `p` against rank 1 (always "left", which is itself).
  const LEAF_WORD = (p | (1 << 16)) >>> 0;
  let base = 0;
  let leafAt = 0;
  model.trees.forEach((t, ti) => {
    roots[ti] = base;
    const depth = new Uint16Array(t.nNodes);
    for (let i = 0; i < t.nNodes; i++) {
      const at = (base + i) * 2;
      const f = t.feature[i];
      if (f < 0) {
        nodes[at] = LEAF_WORD;
        nodes[at + 1] = base + i;
        leafValues[base + i] = leafAt;
        for (let k = 0; k < nOut; k++) values[leafAt + k] = t.value[i * nOut + k];
        leafAt += nOut;
        continue;
      }
      const thr = t.threshold[i];
      // rank + 1 of the threshold among the feature's cuts: x ≤ cut[j] ⟺ (cuts below x) < j + 1; −∞ → 0, never left.
      const rank = Number.isFinite(thr) ? lowerBound(cuts[f], thr) + 1 : 0;
      nodes[at] = (f | (rank << 16) | (t.missingLeft[i] === 1 ? 0x80000000 : 0)) >>> 0;
      nodes[at + 1] = base + t.left[i];
      depth[t.left[i]] = depth[t.left[i] + 1] = depth[i] + 1;
      if (depth[i] + 1 > depths[ti]) depths[ti] = depth[i] + 1;
    }
    base += t.nNodes;
  });
  // Trees are walked four at a time (four independent chains of loads in flight), each group for its deepest tree's steps.
  const groupDepths = Uint16Array.from({ length: nTrees >> 2 }, (_, g) =>
    Math.max(depths[4 * g], depths[4 * g + 1], depths[4 * g + 2], depths[4 * g + 3]),
  );

  const codes = new Uint16Array(p + 1);
  const inv = 1 / nTrees;
  /** The child of node n for this row's codes (a leaf: itself). */
  const next = (n: number): number => {
    const w = nodes[n * 2];
    const c = codes[w & 0xffff];
    const goLeft = c === MISSING ? w >>> 31 === 1 : c < ((w >>> 16) & MAX_RANK);
    return nodes[n * 2 + 1] + (goLeft ? 0 : 1);
  };
  const add = (out: Float64Array, leaf: number) => {
    const vo = leafValues[leaf];
    for (let k = 0; k < nOut; k++) out[k] += values[vo + k];
  };
  return {
    nOut,
    predictRow(x, out) {
      for (let f = 0; f < p; f++) {
        const v = x[f];
        codes[f] = v !== v ? MISSING : lowerBound(cuts[f], v);
      }
      out.fill(0);
      let t = 0;
      for (; t + 4 <= nTrees; t += 4) {
        let a = roots[t];
        let b = roots[t + 1];
        let c = roots[t + 2];
        let d = roots[t + 3];
        for (let s = groupDepths[t >> 2]; s > 0; s--) {
          a = next(a);
          b = next(b);
          c = next(c);
          d = next(d);
        }
        // In tree order, as the engine sums.
        add(out, a);
        add(out, b);
        add(out, c);
        add(out, d);
      }
      for (; t < nTrees; t++) {
        let a = roots[t];
        for (let s = depths[t]; s > 0; s--) a = next(a);
        add(out, a);
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
