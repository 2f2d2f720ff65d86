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
