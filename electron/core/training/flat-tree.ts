/**
 * A fitted decision tree in flat typed arrays (structure of arrays). The two
 * children of node i are `left[i]` and `left[i] + 1`; `feature[i] = -1`
 * marks a leaf. Routing: go left when `x ≤ threshold[i]`; a missing value
 * (NaN) goes left when `missingLeft[i] = 1`.
 */
export interface FlatTree {
  nNodes: number;
  /** Outputs per node: class count for classification trees, 1 otherwise. */
  nOut: number;
  feature: Int32Array;
  threshold: Float64Array;
  /** Same split in bin codes (`code ≤ bin`); -1 means "only missing values go left". */
  bin: Int16Array;
  missingLeft: Uint8Array;
  left: Int32Array;
  /** nNodes × nOut values (class probabilities, mean, or raw boosting score). */
  value: Float64Array;
}

/** Index of the leaf reached by row `i` of a column-major matrix with `nRows` rows. */
export function leafIndex(tree: FlatTree, X: Float64Array, nRows: number, i: number): number {
  const feature = tree.feature;
  const threshold = tree.threshold;
  const left = tree.left;
  let node = 0;
  let f = feature[0];
  while (f >= 0) {
    const v = X[f * nRows + i];
    const goLeft = v <= threshold[node] || (v !== v && tree.missingLeft[node] === 1);
    node = goLeft ? left[node] : left[node] + 1;
    f = feature[node];
  }
  return node;
}

/** Leaf reached by a single row given as an array of feature values. */
export function leafIndexRow(tree: FlatTree, row: ArrayLike<number>): number {
  let node = 0;
  let f = tree.feature[0];
  while (f >= 0) {
    const v = row[f];
    const goLeft = v <= tree.threshold[node] || (v !== v && tree.missingLeft[node] === 1);
    node = goLeft ? tree.left[node] : tree.left[node] + 1;
    f = tree.feature[node];
  }
  return node;
}

/** Leaf reached by row i of a binned (Uint8 codes) column-major matrix. */
export function leafIndexBinned(tree: FlatTree, codes: Uint8Array, nRows: number, i: number): number {
  let node = 0;
  let f = tree.feature[0];
  while (f >= 0) {
    const c = codes[f * nRows + i];
    const goLeft = c === 255 ? tree.missingLeft[node] === 1 : c <= tree.bin[node];
    node = goLeft ? tree.left[node] : tree.left[node] + 1;
    f = tree.feature[node];
  }
  return node;
}

/** Number of leaves. */
export function countLeaves(tree: FlatTree): number {
  let n = 0;
  for (let i = 0; i < tree.nNodes; i++) if (tree.feature[i] < 0) n++;
  return n;
}

/** Depth of the tree (root alone = 0). */
export function treeDepth(tree: FlatTree): number {
  const depth = new Int32Array(tree.nNodes);
  let max = 0;
  for (let i = 0; i < tree.nNodes; i++) {
    if (tree.feature[i] >= 0) {
      const l = tree.left[i];
      depth[l] = depth[l + 1] = depth[i] + 1;
      if (depth[i] + 1 > max) max = depth[i] + 1;
    }
  }
  return max;
}

/** Branch-free form of a tree for batch prediction: leaves loop to themselves (threshold +∞), so every row takes exactly `depth` steps. */
interface CompiledTree {
  F: Int32Array;
  L: Int32Array;
  T: Float64Array;
  depth: number;
}

const compiled = new WeakMap<FlatTree, CompiledTree>();

function compileTree(t: FlatTree): CompiledTree {
  let c = compiled.get(t);
  if (c) return c;
  const n = t.nNodes;
  const F = new Int32Array(n);
  const L = new Int32Array(n);
  const T = new Float64Array(n);
  const d = new Int32Array(n);
  let depth = 0;
  for (let i = 0; i < n; i++) {
    if (t.feature[i] >= 0) {
      F[i] = t.feature[i];
      L[i] = t.left[i];
      T[i] = t.threshold[i];
      d[t.left[i]] = d[t.left[i] + 1] = d[i] + 1;
      if (d[i] + 1 > depth) depth = d[i] + 1;
    } else {
      L[i] = i;
      T[i] = Infinity;
    }
  }
  c = { F, L, T, depth };
  compiled.set(t, c);
  return c;
}

/**
 * Add the leaf values of `trees` for every row of a column-major batch into
 * `out[row * stride + offsetOf(t) + k]` (k < tree.nOut). Rows without missing
 * values take a branch-free path, four rows at a time (the comparisons
 * compile to flag arithmetic and the four walks overlap); rows with a NaN use
 * the regular walk that honours each node's missing-value direction. Values
 * are added tree by tree in index order, so results do not depend on the path.
 */
export function addTreeOutputs(
  trees: readonly FlatTree[],
  X: Float64Array,
  nRows: number,
  nFeatures: number,
  out: Float64Array,
  stride: number,
  offsetOf: (t: number) => number,
): void {
  // Split rows into complete ones and ones with a missing value.
  const hasNaN = new Uint8Array(nRows);
  let nNaN = 0;
  for (let f = 0; f < nFeatures; f++) {
    const off = f * nRows;
    for (let i = 0; i < nRows; i++) {
      const x = X[off + i];
      if (x !== x && !hasNaN[i]) {
        hasNaN[i] = 1;
        nNaN++;
      }
    }
  }
  const clean = new Int32Array(nRows - nNaN);
  const dirty = new Int32Array(nNaN);
  for (let i = 0, a = 0, b = 0; i < nRows; i++) {
    if (hasNaN[i]) dirty[b++] = i;
    else clean[a++] = i;
  }
  const nc = clean.length;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t];
    const { F, L, T, depth } = compileTree(tree);
    const v = tree.value;
    const K = tree.nOut;
    const base = offsetOf(t);
    let q = 0;
    for (; q + 4 <= nc; q += 4) {
      const i0 = clean[q];
      const i1 = clean[q + 1];
      const i2 = clean[q + 2];
      const i3 = clean[q + 3];
      let a = 0;
      let b = 0;
      let c = 0;
      let e = 0;
      for (let s = 0; s < depth; s++) {
        a = L[a] + +(X[F[a] * nRows + i0] > T[a]);
        b = L[b] + +(X[F[b] * nRows + i1] > T[b]);
        c = L[c] + +(X[F[c] * nRows + i2] > T[c]);
        e = L[e] + +(X[F[e] * nRows + i3] > T[e]);
      }
      for (let k = 0; k < K; k++) {
        out[i0 * stride + base + k] += v[a * K + k];
        out[i1 * stride + base + k] += v[b * K + k];
        out[i2 * stride + base + k] += v[c * K + k];
        out[i3 * stride + base + k] += v[e * K + k];
      }
    }
    for (; q < nc; q++) {
      const i = clean[q];
      let a = 0;
      for (let s = 0; s < depth; s++) a = L[a] + +(X[F[a] * nRows + i] > T[a]);
      for (let k = 0; k < K; k++) out[i * stride + base + k] += v[a * K + k];
    }
    for (let r = 0; r < nNaN; r++) {
      const i = dirty[r];
      const leaf = leafIndex(tree, X, nRows, i);
      for (let k = 0; k < K; k++) out[i * stride + base + k] += v[leaf * K + k];
    }
  }
}
