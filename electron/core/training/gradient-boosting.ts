/**
 * Histogram gradient boosting (the algorithm of scikit-learn's
 * HistGradientBoosting*): Newton leaves −G/(H+λ), best-first trees with
 * `maxLeafNodes` leaves, histogram subtraction (all features per split).
 * Losses: binary logistic, multiclass softmax (one tree per class per
 * iteration), squared error. Optional early stopping on a validation split.
 */
import os from 'node:os';
import { applyBinning, binMatrixFast, gatherRows, type BinnedMatrix } from './binning';
import { TrainingError } from './errors';
import { addTreeOutputs, leafIndexBinned, type FlatTree } from './flat-tree';
import { gbmParamsSchema } from '../../../shared/training';
import { parseModelParams } from './params';
import { deriveSeed } from './random';
import { stratifiedTrainTestSplit, trainTestSplit } from './split';
import type { SplitterOptions } from './gradient-split';
import { TreeGrower } from './tree-grower';

/** Resolved boosting hyper-parameters (scikit-learn HistGradientBoosting defaults). */
export interface GbmParams {
  maxIter: number;
  learningRate: number;
  maxLeafNodes: number;
  maxDepth: number;
  minSamplesLeaf: number;
  l2Regularization: number;
  maxBins: number;
  earlyStopping: 'auto' | 'on' | 'off';
  validationFraction: number;
  nIterNoChange: number;
  tol: number;
}

/** Boosting params with scikit-learn's defaults, validated by the shared schema (shared/training.ts: the app's and the CLI's limits). */
export function parseGbmParams(raw: Record<string, unknown>): GbmParams {
  const p = parseModelParams(gbmParamsSchema, raw);
  return {
    maxIter: p.maxIter ?? 100,
    learningRate: p.learningRate ?? 0.1,
    maxLeafNodes: p.maxLeafNodes ?? 31,
    maxDepth: p.maxDepth ?? Infinity,
    minSamplesLeaf: p.minSamplesLeaf ?? 20,
    l2Regularization: p.l2Regularization ?? 0,
    maxBins: p.maxBins ?? 255,
    earlyStopping: p.earlyStopping ?? 'auto',
    validationFraction: p.validationFraction ?? 0.1,
    nIterNoChange: p.nIterNoChange ?? 10,
    tol: p.tol ?? 1e-7,
  };
}

/** A fitted boosting model. Tree `it * treesPerIteration + k` is iteration it, output k; leaf values include the learning rate. */
export interface GbmModel {
  type: 'gbm';
  nClasses: number;
  nFeatures: number;
  loss: 'log_loss' | 'squared_error';
  baseline: number[];
  treesPerIteration: number;
  nIterations: number;
  trees: FlatTree[];
  importance: number[];
  /** Validation loss per iteration when early stopping ran. */
  validationLoss?: number[];
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** Convert raw scores (row-major n × nOut) to probabilities in place layout n × K. */
function rawToProba(raw: Float64Array, n: number, nClasses: number, out: Float64Array): void {
  if (nClasses === 2) {
    for (let i = 0; i < n; i++) {
      const p = sigmoid(raw[i]);
      out[2 * i] = 1 - p;
      out[2 * i + 1] = p;
    }
    return;
  }
  const K = nClasses;
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i * K + k]);
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(raw[i * K + k] - mx);
      out[i * K + k] = e;
      s += e;
    }
    for (let k = 0; k < K; k++) out[i * K + k] /= s;
  }
}

function lossOf(raw: Float64Array, y: ArrayLike<number>, n: number, nClasses: number): number {
  let s = 0;
  if (nClasses === 0) {
    for (let i = 0; i < n; i++) s += 0.5 * (raw[i] - y[i]) ** 2;
    return s / n;
  }
  if (nClasses === 2) {
    for (let i = 0; i < n; i++) {
      const z = raw[i];
      // log(1 + exp(z)) − y·z, computed stably.
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    }
    return s / n;
  }
  const K = nClasses;
  for (let i = 0; i < n; i++) {
    let mx = -Infinity;
    for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i * K + k]);
    let se = 0;
    for (let k = 0; k < K; k++) se += Math.exp(raw[i * K + k] - mx);
    s += mx + Math.log(se) - raw[i * K + y[i]];
  }
  return s / n;
}

// The training loss is taken each iteration from buffers the fit keeps anyway, with one logarithm
// per LOSS_CHUNK rows: −Σ log pᵢ = −log Πᵢ pᵢ over chunks of true-class probabilities ≥ LOSS_MIN_P
// (no underflow: LOSS_MIN_P^LOSS_CHUNK ≫ the smallest double). Rows below it (confidently wrong ones,
// rare) take the exact formula from the raw score. A logarithm and an exponential per row cost ~13%
// of a binary fit at 72,000 rows, a logarithm per row ~5%; this costs ~1%.
const LOSS_CHUNK = 32;
const LOSS_MIN_P = 1e-4;

/**
 * Binary log loss on the rows the fit uses, from the current gradients g = q − y
 * (q = sigmoid(raw)): the probability of the true class is 1 − |g|, within a
 * few 1e-16 (so relative error ≤ ~1e-12 above LOSS_MIN_P). Rows below
 * LOSS_MIN_P use the exact log(1 + e^z) − y·z from raw.
 */
function binaryTrainLoss(g: Float64Array, raw: Float64Array, y: Float64Array, n: number): number {
  let s = 0;
  let prod = 1;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const p = 1 - Math.abs(g[i]);
    if (p >= LOSS_MIN_P) {
      prod *= p;
      if (++c === LOSS_CHUNK) {
        s -= Math.log(prod);
        prod = 1;
        c = 0;
      }
    } else {
      const z = raw[i];
      s += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i] * z;
    }
  }
  return (s - Math.log(prod)) / n;
}

/** Multiclass log loss from the current probabilities (n × K); rows with a tiny true-class probability use log-sum-exp on raw. */
function multiclassTrainLoss(proba: Float64Array, raw: Float64Array, y: Float64Array, n: number, K: number): number {
  let s = 0;
  let prod = 1;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const p = proba[i * K + y[i]];
    if (p >= LOSS_MIN_P) {
      prod *= p;
      if (++c === LOSS_CHUNK) {
        s -= Math.log(prod);
        prod = 1;
        c = 0;
      }
    } else {
      let mx = -Infinity;
      for (let k = 0; k < K; k++) mx = Math.max(mx, raw[i * K + k]);
      let se = 0;
      for (let k = 0; k < K; k++) se += Math.exp(raw[i * K + k] - mx);
      s += mx + Math.log(se) - raw[i * K + y[i]];
    }
  }
  return (s - Math.log(prod)) / n;
}

/**
 * Fit a boosting model on a column-major matrix. `nClasses` = 0 for
 * regression. `onIteration(it)` reports progress; `shouldStop()` cancels.
 */
export function fitGbm(
  X: Float64Array,
  nRows: number,
  nFeatures: number,
  y: Float64Array,
  nClasses: number,
  params: GbmParams,
  seed: number,
  hooks: {
    onIteration?: (it: number, total: number) => void;
    shouldStop?: () => boolean;
    /** Threads for node splits and score updates (default: 2 when the data is large enough and 2 cores exist). Results do not depend on it. */
    threads?: number;
    /** How node splits get their helper thread and histogram loop (default: the production ones; tests inject others). */
    splitter?: SplitterOptions;
    /**
     * Losses after each iteration (1-based): the training loss — the loss the
     * fit optimises, on the rows it fits (the training part when early
     * stopping holds out a validation split), as scikit-learn's `train_score_`
     * but positive — and the validation loss when early stopping runs (as
     * `validation_score_`, which scikit-learn gives negated). The training
     * loss is computed only when this hook is given, from the gradients or
     * probabilities the fit keeps current anyway (see binaryTrainLoss).
     */
    onLoss?: (iteration: number, trainLoss: number, validationLoss: number | undefined) => void;
  } = {},
): GbmModel {
  const useEs = params.earlyStopping === 'on' || (params.earlyStopping === 'auto' && nRows > 10000);
  let trainRows: Int32Array;
  let valRows: Int32Array | null = null;
  if (useEs) {
    const s =
      nClasses > 0
        ? stratifiedTrainTestSplit(y, nClasses, params.validationFraction, deriveSeed(seed, 0x6b6d))
        : trainTestSplit(nRows, params.validationFraction, deriveSeed(seed, 0x6b6d));
    trainRows = s.train;
    valRows = s.test;
  } else trainRows = Int32Array.from({ length: nRows }, (_, i) => i);
  const n = trainRows.length;
  const ytr = Float64Array.from(trainRows, (i) => y[i]);
  const binned: BinnedMatrix = binMatrixFast(X, nRows, nFeatures, params.maxBins, undefined, valRows ? trainRows : undefined);
  const binning = binned.binning;
  let valBinned: BinnedMatrix | null = null;
  let yval: Float64Array | null = null;
  if (valRows) {
    valBinned = applyBinning(gatherRows(X, nRows, nFeatures, valRows), valRows.length, nFeatures, binning);
    yval = Float64Array.from(valRows, (i) => y[i]);
  }

  const nOut = nClasses > 2 ? nClasses : 1;
  const baseline = new Array<number>(nOut).fill(0);
  if (nClasses === 0) baseline[0] = ytr.reduce((s, v) => s + v, 0) / n;
  else if (nClasses === 2) {
    const p = Math.min(Math.max(ytr.reduce((s, v) => s + v, 0) / n, 1e-15), 1 - 1e-15);
    baseline[0] = Math.log(p / (1 - p));
  } else {
    const counts = new Float64Array(nClasses);
    for (let i = 0; i < n; i++) counts[ytr[i]]++;
    for (let k = 0; k < nClasses; k++) baseline[k] = Math.log(Math.max(counts[k] / n, 1e-15));
  }
  const nVal = valRows ? valRows.length : 0;
  const rawVal = new Float64Array(nVal * nOut);
  for (let i = 0; i < nVal; i++) for (let k = 0; k < nOut; k++) rawVal[i * nOut + k] = baseline[k];

  const grower = new TreeGrower(binned, {
    mode: 'gradient',
    nClasses: 0,
    criterion: 'squared_error',
    maxDepth: params.maxDepth,
    minSamplesSplit: 2,
    minSamplesLeaf: params.minSamplesLeaf,
    maxLeafNodes: params.maxLeafNodes,
    maxFeatures: nFeatures,
    splitter: 'best',
    minImpurityDecrease: 0,
    l2: params.l2Regularization,
    minHessian: 1e-3,
    // A second thread for node splits and score updates (bit-identical results); not worth its start-up on small data.
    histThreads: hooks.threads ?? (n * nFeatures >= PARALLEL_MIN_CELLS ? Math.min(2, availableCores()) : 1),
    splitOptions: hooks.splitter,
    // Binary and regression: the grower applies each tree to the scores and recomputes gradients itself.
    boosting: nOut === 1,
  });
  try {
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const loss = nClasses === 2 ? 'logistic' : 'squared';
    let g: Float64Array;
    let h: Float64Array;
    // Multiclass: raw scores n × K here, gradients computed here per class.
    let raw: Float64Array | null = null;
    if (nOut === 1) {
      const b = grower.boostingBuffers();
      ({ g, h } = b);
      b.y.set(ytr);
      b.raw.fill(baseline[0]);
      // First gradients, at the baseline score (then boostLeaves keeps them current).
      const q = loss === 'logistic' ? 1 / (1 + Math.exp(-baseline[0])) : baseline[0];
      for (let i = 0; i < n; i++) {
        g[i] = q - ytr[i];
        h[i] = loss === 'logistic' ? q * (1 - q) : 1;
      }
    } else {
      g = new Float64Array(n);
      h = new Float64Array(n);
      raw = new Float64Array(n * nOut);
      for (let i = 0; i < n; i++) for (let k = 0; k < nOut; k++) raw[i * nOut + k] = baseline[k];
    }
    const proba = nClasses > 2 ? new Float64Array(n * nClasses) : null;
    const trees: FlatTree[] = [];
    const importance = new Float64Array(nFeatures);
    const valLoss: number[] = [];
    const scores: number[] = [];
    if (valRows) {
      const l = lossOf(rawVal, yval!, nVal, nClasses);
      valLoss.push(l);
      scores.push(-l);
    }
    // Multiclass: probabilities of the current raw scores (updated after each iteration's trees).
    if (raw && proba) rawToProba(raw, n, nClasses, proba);
    let it = 0;
    for (; it < params.maxIter; it++) {
      if (hooks.shouldStop?.()) throw new TrainingError('CANCELLED', 'Training was cancelled');
      for (let k = 0; k < nOut; k++) {
        if (proba) {
          for (let i = 0; i < n; i++) {
            const p = proba[i * nClasses + k];
            g[i] = p - (ytr[i] === k ? 1 : 0);
            h[i] = p * (1 - p);
          }
        }
        const grown = grower.grow(rows, n, g, h, null, 0);
        const tree = grown.tree;
        for (let j = 0; j < tree.value.length; j++) tree.value[j] *= params.learningRate;
        if (raw) grower.addLeafValues(tree, raw, nOut, k, 1);
        else grower.boostLeaves(tree, loss);
        if (valBinned) {
          for (let i = 0; i < nVal; i++) rawVal[i * nOut + k] += tree.value[leafIndexBinned(tree, valBinned.codes, nVal, i)];
        }
        for (let f = 0; f < nFeatures; f++) importance[f] += grown.importance[f];
        trees.push(tree);
      }
      if (raw && proba) rawToProba(raw, n, nClasses, proba);
      hooks.onIteration?.(it + 1, params.maxIter);
      const vl = valRows ? lossOf(rawVal, yval!, nVal, nClasses) : undefined;
      if (hooks.onLoss) {
        let tl: number;
        if (raw && proba) tl = multiclassTrainLoss(proba, raw, ytr, n, nClasses);
        // Binary and regression: the grower double-buffers the raw scores, so ask for the current ones each time.
        else if (nClasses === 2) tl = binaryTrainLoss(g, grower.boostingBuffers().raw, ytr, n);
        else tl = lossOf(grower.boostingBuffers().raw, ytr, n, 0);
        hooks.onLoss(it + 1, tl, vl);
      }
      if (vl !== undefined) {
        const l = vl;
        valLoss.push(l);
        scores.push(-l);
        // scikit-learn's rule: stop when none of the last n scores beats the one before them by more than tol.
        const m = params.nIterNoChange;
        if (scores.length > m) {
          const ref = scores[scores.length - 1 - m] + params.tol;
          let improved = false;
          for (let j = scores.length - m; j < scores.length; j++) if (scores[j] > ref) improved = true;
          if (!improved) {
            it++;
            break;
          }
        }
      }
    }
    let tot = 0;
    for (let f = 0; f < nFeatures; f++) tot += importance[f];
    return {
      type: 'gbm',
      nClasses,
      nFeatures,
      loss: nClasses > 0 ? 'log_loss' : 'squared_error',
      baseline,
      treesPerIteration: nOut,
      nIterations: trees.length / nOut,
      trees,
      importance: Array.from(importance, (v) => (tot > 0 ? v / tot : 0)),
      validationLoss: valRows ? valLoss : undefined,
    };
  } finally {
    grower.close();
  }
}

/** Cores this process may use. */
function availableCores(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
}

// Below this many binned cells (rows × features) boosting stays on one thread.
const PARALLEL_MIN_CELLS = 200_000;

/** Raw scores (n × nOut, row-major) for a column-major batch. */
export function predictGbmRaw(model: GbmModel, X: Float64Array, nRows: number): Float64Array {
  const nOut = model.treesPerIteration;
  const raw = new Float64Array(nRows * nOut);
  for (let i = 0; i < nRows; i++) for (let k = 0; k < nOut; k++) raw[i * nOut + k] = model.baseline[k];
  addTreeOutputs(model.trees, X, nRows, model.nFeatures, raw, nOut, (t) => t % nOut);
  return raw;
}

/** Probabilities (n × K) for classification, predictions (n) for regression. */
export function predictGbm(model: GbmModel, X: Float64Array, nRows: number): Float64Array {
  const raw = predictGbmRaw(model, X, nRows);
  if (model.nClasses === 0) return raw;
  const out = new Float64Array(nRows * model.nClasses);
  rawToProba(raw, nRows, model.nClasses, out);
  return out;
}
