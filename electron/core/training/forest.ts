/**
 * Random forest and extra trees over the histogram CART grower.
 *
 * Determinism: tree t draws everything (bootstrap sample, feature draws,
 * random thresholds) from `deriveSeed(seed, t)`. So `fitForestRange` on any
 * partition of the tree indices, merged in index order by `mergeForestParts`,
 * gives exactly the model a single call over all indices gives.
 */
import { binMatrix, type BinnedMatrix } from './binning';
import { TrainingError } from './errors';
import { addTreeOutputs, leafIndexBinned, type FlatTree } from './flat-tree';
import { extraTreesParamsSchema, forestParamsSchema, type TrainTask } from '../../../shared/training';
import { parseModelParams, resolveMaxFeatures, type MaxFeatures } from './params';
import { deriveSeed, Rng } from './random';
import { TreeGrower, type GrowParams } from './tree-grower';

/** Resolved forest hyper-parameters. */
export interface ForestParams {
  nEstimators: number;
  criterion: 'gini' | 'entropy' | 'squared_error';
  maxDepth: number;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  maxLeafNodes: number;
  maxFeatures: MaxFeatures;
  bootstrap: boolean;
  oobScore: boolean;
  classWeight: 'none' | 'balanced';
  extraTrees: boolean;
  maxBins: number;
}

/**
 * Forest params with scikit-learn's defaults, validated by the shared schema
 * (shared/training.ts: its limits are the app's and the CLI's). The criterion
 * must suit the task.
 */
export function parseForestParams(raw: Record<string, unknown>, task: TrainTask, extraTrees: boolean): ForestParams {
  const p = parseModelParams(extraTrees ? extraTreesParamsSchema : forestParamsSchema, raw);
  const cls = task === 'classification';
  const criteria = cls ? ['gini', 'entropy'] : ['squared_error'];
  if (p.criterion !== undefined && !criteria.includes(p.criterion)) {
    throw new TrainingError('BAD_PARAM', `criterion: must be ${criteria.join(' or ')} for ${task}; got "${p.criterion}"`);
  }
  return {
    nEstimators: p.nEstimators ?? 100,
    criterion: p.criterion ?? (cls ? 'gini' : 'squared_error'),
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesSplit: p.minSamplesSplit ?? 2,
    minSamplesLeaf: p.minSamplesLeaf ?? 1,
    // 0 = no limit (depth-first growth).
    maxLeafNodes: p.maxLeafNodes ?? 0,
    maxFeatures: p.maxFeatures ?? (cls ? 'sqrt' : 'all'),
    bootstrap: p.bootstrap ?? !extraTrees,
    oobScore: p.oobScore ?? false,
    classWeight: p.classWeight ?? 'none',
    extraTrees,
    maxBins: p.maxBins ?? 255,
  };
}

/** Training inputs shared by all tree ranges of one forest. */
export interface ForestData {
  binned: BinnedMatrix;
  y: Float64Array;
  nClasses: number; // 0 = regression
}

/** Trees fitted for a range of indices. */
export interface ForestPart {
  from: number;
  trees: FlatTree[];
  importances: Float64Array[];
}

/** A fitted forest (without the encoding/metadata wrapper). */
export interface ForestModel {
  type: 'forest';
  nClasses: number;
  nFeatures: number;
  trees: FlatTree[];
  /** Impurity-based importance, normalised to sum 1 (scikit-learn's feature_importances_). */
  importance: number[];
  oobScore?: number;
}

/** Bin a matrix for a forest (do this once; share the result across tree ranges). */
export function prepareForestData(
  X: Float64Array,
  nRows: number,
  nFeatures: number,
  y: Float64Array,
  nClasses: number,
  maxBins = 255,
): ForestData {
  return { binned: binMatrix(X, nRows, nFeatures, maxBins), y, nClasses };
}

function growParamsOf(params: ForestParams, data: ForestData): GrowParams {
  const cls = data.nClasses > 0;
  return {
    mode: cls ? 'classification' : 'regression',
    nClasses: data.nClasses,
    criterion: params.criterion,
    maxDepth: params.maxDepth,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxLeafNodes: params.maxLeafNodes,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, data.binned.nFeatures, cls ? 'sqrt' : 'all'),
    splitter: params.extraTrees ? 'random' : 'best',
    minImpurityDecrease: 0,
    l2: 0,
    minHessian: 0,
  };
}

/** Bootstrap counts of tree t (regenerated identically for OOB scoring). Returns the tree's RNG, positioned after the draw. */
function drawSample(n: number, seed: number, t: number, bootstrap: boolean, counts: Int32Array): Rng {
  const rng = new Rng(deriveSeed(seed, t));
  if (bootstrap) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[rng.nextInt(n)]++;
  } else counts.fill(1);
  return rng;
}

function classWeights(y: Float64Array, nClasses: number, mode: 'none' | 'balanced'): Float64Array | null {
  if (mode === 'none' || nClasses === 0) return null;
  const counts = new Float64Array(nClasses);
  for (let i = 0; i < y.length; i++) counts[y[i]]++;
  const w = new Float64Array(nClasses);
  for (let k = 0; k < nClasses; k++) w[k] = counts[k] > 0 ? y.length / (nClasses * counts[k]) : 0;
  const rowW = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) rowW[i] = w[y[i]];
  return rowW;
}

/**
 * Fit trees with indices [from, to) of a forest. `onTree` is called after
 * each tree (progress); returning `false` from `shouldStop` cancels.
 */
export function fitForestRange(
  data: ForestData,
  params: ForestParams,
  seed: number,
  from: number,
  to: number,
  hooks: { onTree?: (t: number) => void; shouldStop?: () => boolean } = {},
): ForestPart {
  const n = data.binned.nRows;
  const grower = new TreeGrower(data.binned, growParamsOf(params, data));
  const rowW = classWeights(data.y, data.nClasses, params.classWeight);
  const counts = new Int32Array(n);
  const rows = new Int32Array(n);
  const mul = new Float64Array(n);
  const trees: FlatTree[] = [];
  const importances: Float64Array[] = [];
  for (let t = from; t < to; t++) {
    if (hooks.shouldStop?.()) throw new TrainingError('CANCELLED', 'Training was cancelled');
    const rng = drawSample(n, seed, t, params.bootstrap, counts);
    let m = 0;
    for (let i = 0; i < n; i++) {
      if (counts[i] > 0) {
        rows[m] = i;
        mul[m] = counts[i];
        m++;
      }
    }
    const g = grower.grow(rows, m, data.y, rowW, mul, rng.nextU32());
    trees.push(g.tree);
    importances.push(g.importance);
    hooks.onTree?.(t);
  }
  return { from, trees, importances };
}

/** Merge tree ranges (any order) into a forest; optionally compute the out-of-bag score. */
export function mergeForestParts(parts: ForestPart[], data: ForestData, params: ForestParams, seed: number): ForestModel {
  const sorted = [...parts].sort((a, b) => a.from - b.from);
  const trees: FlatTree[] = [];
  const imps: Float64Array[] = [];
  for (const p of sorted) {
    if (p.from !== trees.length)
      throw new TrainingError(
        'BAD_INPUT',
        `Forest parts do not cover the tree indices contiguously (expected ${trees.length}, got ${p.from})`,
      );
    trees.push(...p.trees);
    imps.push(...p.importances);
  }
  const nFeatures = data.binned.nFeatures;
  const importance = new Float64Array(nFeatures);
  for (const imp of imps) {
    let s = 0;
    for (let f = 0; f < nFeatures; f++) s += imp[f];
    if (s > 0) for (let f = 0; f < nFeatures; f++) importance[f] += imp[f] / s;
  }
  let tot = 0;
  for (let f = 0; f < nFeatures; f++) tot += importance[f];
  const model: ForestModel = {
    type: 'forest',
    nClasses: data.nClasses,
    nFeatures,
    trees,
    importance: Array.from(importance, (v) => (tot > 0 ? v / tot : 0)),
  };
  if (params.oobScore && params.bootstrap) model.oobScore = computeOobScore(model, data, params, seed);
  return model;
}

/** Out-of-bag accuracy (classification) or R² (regression), as scikit-learn's oob_score_. */
export function computeOobScore(model: ForestModel, data: ForestData, params: ForestParams, seed: number): number {
  return forestOob(model, data, seed, []).score;
}

/** One point of a per-step series: `step` trees, `value` the metric. */
export interface SeriesPoint {
  step: number;
  value: number;
  /** When the step was reached (epoch ms), for series timed as they happen (boosting iterations). */
  timestamp?: number;
}

/**
 * The numbers of trees at which the OOB error curve is recorded: every one
 * up to `maxPoints` trees, above that `maxPoints` evenly spaced counts ending
 * with the last tree.
 */
export function oobSteps(nTrees: number, maxPoints = 100): number[] {
  if (nTrees <= maxPoints) return Array.from({ length: nTrees }, (_, i) => i + 1);
  // nTrees / maxPoints > 1, so the rounded counts are strictly increasing.
  return Array.from({ length: maxPoints }, (_, i) => Math.round(((i + 1) * nTrees) / maxPoints));
}

/**
 * Out-of-bag evaluation of a bootstrap forest in one pass over its trees in
 * index order: the final OOB score (as scikit-learn's oob_score_) and the OOB
 * error after the first `steps[j]` trees — 1 − accuracy for classification
 * (scikit-learn's "OOB errors for random forests" example plots 1 − oob_score_),
 * 1 − R² for regression (so the last point is 1 − oob_score in both tasks).
 * At each step only the rows that were out of bag for at least one of the
 * trees so far count (scikit-learn leaves the others out too, with a warning);
 * a step where no row was out of bag yet, or R² is undefined, has no point.
 * Computed from the merged model, so it does not depend on how many workers fitted the trees.
 */
export function forestOob(
  model: ForestModel,
  data: ForestData,
  seed: number,
  steps: readonly number[],
): { score: number; errors: SeriesPoint[] } {
  const n = data.binned.nRows;
  const K = Math.max(1, data.nClasses);
  const sums = new Float64Array(n * K);
  const seen = new Int32Array(n);
  const counts = new Int32Array(n);
  const errors: SeriesPoint[] = [];
  let next = 0;
  model.trees.forEach((tree, t) => {
    drawSample(n, seed, t, true, counts);
    for (let i = 0; i < n; i++) {
      if (counts[i] > 0) continue;
      const leaf = leafIndexBinned(tree, data.binned.codes, n, i);
      for (let k = 0; k < K; k++) sums[i * K + k] += tree.value[leaf * tree.nOut + k];
      seen[i]++;
    }
    while (next < steps.length && steps[next] <= t + 1) {
      if (steps[next] === t + 1) {
        const score = oobScoreOf(sums, seen, data);
        if (!Number.isNaN(score)) errors.push({ step: t + 1, value: 1 - score });
      }
      next++;
    }
  });
  return { score: oobScoreOf(sums, seen, data), errors };
}

/** Accuracy or R² of the OOB votes so far (`sums`: summed tree outputs per row; `seen`: trees that had the row out of bag). */
function oobScoreOf(sums: Float64Array, seen: Int32Array, data: ForestData): number {
  const n = seen.length;
  const K = Math.max(1, data.nClasses);
  let used = 0;
  if (data.nClasses > 0) {
    let correct = 0;
    for (let i = 0; i < n; i++) {
      if (!seen[i]) continue;
      used++;
      let best = 0;
      for (let k = 1; k < K; k++) if (sums[i * K + k] > sums[i * K + best]) best = k;
      if (best === data.y[i]) correct++;
    }
    return used ? correct / used : NaN;
  }
  let mean = 0;
  for (let i = 0; i < n; i++) {
    if (seen[i]) {
      mean += data.y[i];
      used++;
    }
  }
  mean /= used || 1;
  let ssr = 0;
  let sst = 0;
  for (let i = 0; i < n; i++) {
    if (!seen[i]) continue;
    const d = data.y[i] - sums[i] / seen[i];
    ssr += d * d;
    sst += (data.y[i] - mean) ** 2;
  }
  return sst > 0 ? 1 - ssr / sst : NaN;
}

/** Fit a whole forest in this thread. */
export function fitForest(
  data: ForestData,
  params: ForestParams,
  seed: number,
  hooks: { onTree?: (t: number) => void; shouldStop?: () => boolean } = {},
): ForestModel {
  const part = fitForestRange(data, params, seed, 0, params.nEstimators, hooks);
  return mergeForestParts([part], data, params, seed);
}

/**
 * Forest outputs for a column-major batch: class probabilities (row-major
 * nRows × K) or predictions (nRows). Trees are summed in index order, so the
 * result does not depend on how the forest was trained.
 */
export function predictForest(model: ForestModel, X: Float64Array, nRows: number): Float64Array {
  const K = Math.max(1, model.nClasses);
  const out = new Float64Array(nRows * K);
  addTreeOutputs(model.trees, X, nRows, model.nFeatures, out, K, () => 0);
  const inv = 1 / model.trees.length;
  for (let j = 0; j < out.length; j++) out[j] *= inv;
  return out;
}
