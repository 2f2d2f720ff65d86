/**
 * Seeded train/test splits and k-fold partitions. Stratified variants keep
 * class proportions; all are deterministic in (labels, seed).
 */
import { TrainingError } from './errors';
import { Rng } from './random';

/** Row indices of a split, each sorted ascending. */
export interface SplitIndices {
  train: Int32Array;
  test: Int32Array;
}

function groupByClass(y: ArrayLike<number>, nClasses: number): number[][] {
  const groups: number[][] = Array.from({ length: nClasses }, () => []);
  for (let i = 0; i < y.length; i++) groups[y[i]].push(i);
  return groups;
}

function sorted(a: number[]): Int32Array {
  return Int32Array.from(a).sort();
}

/**
 * Stratified train/test split. The test size is ceil(n × testSize) like
 * scikit-learn; it is shared among classes by largest remainder, and each
 * class keeps at least one training row.
 */
export function stratifiedTrainTestSplit(y: ArrayLike<number>, nClasses: number, testSize: number, seed: number): SplitIndices {
  const n = y.length;
  checkTestSize(n, testSize);
  const nTest = Math.ceil(n * testSize);
  const groups = groupByClass(y, nClasses);
  const rng = new Rng(seed);
  const exact = groups.map((g) => (g.length * nTest) / n);
  const alloc = exact.map((e, k) => Math.min(Math.floor(e), Math.max(0, groups[k].length - 1)));
  let left = nTest - alloc.reduce((s, v) => s + v, 0);
  const order = exact.map((e, k) => k).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || a - b);
  for (const k of order) {
    if (left <= 0) break;
    if (alloc[k] < groups[k].length - 1) {
      alloc[k]++;
      left--;
    }
  }
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, k) => {
    const s = rng.shuffle([...g]);
    test.push(...s.slice(0, alloc[k]));
    train.push(...s.slice(alloc[k]));
  });
  return { train: sorted(train), test: sorted(test) };
}

/** Plain shuffled train/test split (regression). */
export function trainTestSplit(n: number, testSize: number, seed: number): SplitIndices {
  checkTestSize(n, testSize);
  const nTest = Math.ceil(n * testSize);
  const perm = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  return { train: sorted(perm.slice(nTest)), test: sorted(perm.slice(0, nTest)) };
}

function checkTestSize(n: number, testSize: number): void {
  if (!(testSize > 0 && testSize < 1)) throw new TrainingError('BAD_PARAM', `testSize must be in (0, 1); got ${testSize}`);
  const nTest = Math.ceil(n * testSize);
  if (n < 2 || nTest >= n) throw new TrainingError('TOO_FEW_ROWS', `Cannot split ${n} rows with test share ${testSize}`);
}

/**
 * Stratified k folds: each class is shuffled and dealt round-robin across
 * the folds, continuing where the previous class stopped, so folds differ in
 * size by at most one and class shares are kept. Returns each fold's split.
 */
export function stratifiedKFold(y: ArrayLike<number>, nClasses: number, k: number, seed: number): SplitIndices[] {
  checkFolds(y.length, k);
  const rng = new Rng(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let pos = 0;
  for (const g of groupByClass(y, nClasses)) {
    for (const i of rng.shuffle([...g])) folds[pos++ % k].push(i);
  }
  return foldsToSplits(folds, y.length);
}

/** Shuffled k folds (regression). */
export function kFold(n: number, k: number, seed: number): SplitIndices[] {
  checkFolds(n, k);
  const perm = new Rng(seed).shuffle(Array.from({ length: n }, (_, i) => i));
  const folds: number[][] = Array.from({ length: k }, () => []);
  perm.forEach((i, j) => folds[j % k].push(i));
  return foldsToSplits(folds, n);
}

function checkFolds(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) throw new TrainingError('BAD_PARAM', `Number of folds must be an integer ≥ 2; got ${k}`);
  if (n < k) throw new TrainingError('TOO_FEW_ROWS', `Cannot make ${k} folds from ${n} rows`, { rows: n, folds: k });
}

function foldsToSplits(folds: number[][], n: number): SplitIndices[] {
  return folds.map((testRows) => {
    const inTest = new Uint8Array(n);
    for (const i of testRows) inTest[i] = 1;
    const train: number[] = [];
    for (let i = 0; i < n; i++) if (!inTest[i]) train.push(i);
    return { train: Int32Array.from(train), test: sorted(testRows) };
  });
}
