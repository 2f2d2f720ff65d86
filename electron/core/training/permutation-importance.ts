/**
 * Permutation importance: the drop of a score when one feature's column is
 * shuffled (scikit-learn's permutation_importance), with seeded shuffles.
 */
import { Rng, deriveSeed } from './random';

/** Mean and standard deviation of the score drop per feature. */
export interface PermutationImportance {
  mean: number[];
  std: number[];
  baseline: number;
}

/**
 * `score(X)` must return the model's score on the fixed rows (higher is
 * better). Each feature is shuffled `nRepeats` times with seeds derived from
 * (seed, feature, repeat), so results do not depend on evaluation order.
 */
export function permutationImportance(
  X: Float64Array,
  nRows: number,
  nFeatures: number,
  score: (X: Float64Array) => number,
  seed: number,
  nRepeats = 5,
): PermutationImportance {
  const baseline = score(X);
  const work = Float64Array.from(X);
  const perm = new Int32Array(nRows);
  const mean: number[] = [];
  const std: number[] = [];
  for (let f = 0; f < nFeatures; f++) {
    const off = f * nRows;
    const drops: number[] = [];
    for (let r = 0; r < nRepeats; r++) {
      const rng = new Rng(deriveSeed(deriveSeed(seed, f), r));
      for (let i = 0; i < nRows; i++) perm[i] = i;
      rng.shuffle(perm);
      for (let i = 0; i < nRows; i++) work[off + i] = X[off + perm[i]];
      drops.push(baseline - score(work));
    }
    work.set(X.subarray(off, off + nRows), off);
    const m = drops.reduce((s, v) => s + v, 0) / nRepeats;
    mean.push(m);
    std.push(Math.sqrt(drops.reduce((s, v) => s + (v - m) ** 2, 0) / nRepeats));
  }
  return { mean, std, baseline };
}
