/**
 * High-level training: split → fit → evaluate (hold-out metrics, curves,
 * k-fold CV mean ± std) → importances → model envelope. Forest fitting can
 * be delegated to a parallel runner (worker pool) through `forestRunner`;
 * because trees are seeded by index, the result is identical either way.
 */
import { ALGORITHM_IDS } from '../../../shared/training';
import { splitDataset, subsetDataset, type Dataset } from './data-matrix';
import { TrainingError } from './errors';
import {
  fitForest,
  forestOob,
  oobSteps,
  parseForestParams,
  prepareForestData,
  type ForestData,
  type ForestModel,
  type ForestParams,
  type SeriesPoint,
} from './forest';
import { fitGbm, parseGbmParams, type GbmParams } from './gradient-boosting';
import { fitLinear, fitLogistic, parseLinearParams, parseLogregParams, type LinearParams, type LogregParams } from './linear-models';
import {
  accuracy,
  classificationMetrics,
  precisionRecallCurve,
  r2Score,
  regressionMetrics,
  rocCurve,
  type ClassificationMetrics,
  type RegressionMetrics,
} from './metrics';
import {
  argmaxRows,
  ENGINE_VERSION,
  hashDataset,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  predictOutputs,
  type Algorithm,
  type Estimator,
  type TrainedModel,
} from './model';
import { permutationImportance } from './permutation-importance';
import { deriveSeed } from './random';
import { kFold, stratifiedKFold, stratifiedTrainTestSplit, trainTestSplit, type SplitIndices } from './split';

/** Every model kind (the shared list). */
export const ALGORITHMS: readonly Algorithm[] = ALGORITHM_IDS;

/** Progress event: phase and counts (trees built, iterations, folds done). */
export interface TrainProgress {
  phase: 'fit' | 'cv' | 'importance' | 'done';
  /** Fold being fitted (0-based) during CV; undefined for the final model. */
  fold?: number;
  unit: 'trees' | 'iterations' | 'folds' | 'steps';
  done: number;
  total: number;
}

/** One forest of a training run: `fold-<f>` for CV folds, `final` for the returned model. */
export interface ForestJob {
  key: string;
  data: ForestData;
  params: ForestParams;
  seed: number;
}

/** Runs a forest somewhere (e.g. tree ranges over a worker pool); must return the model fitForest would. */
export type ForestRunner = (job: ForestJob, onTrees: (done: number) => void) => Promise<ForestModel>;

/** What to train. */
export interface TrainRequest {
  algorithm: Algorithm;
  params?: Record<string, unknown>;
  seed?: number;
  /** Hold-out share (default 0.2); 0 fits on all rows and reports no test metrics. */
  testSize?: number;
  /** Stratify the hold-out split for classification (default true). */
  stratify?: boolean;
  /** k-fold CV on the training part (0 or undefined = none). */
  cvFolds?: number;
  /** Permutation importance on (up to 2,000 rows of) the test part (default true). */
  permutationImportance?: boolean;
}

/** Hooks for progress and cancellation. */
export interface TrainHooks {
  onProgress?: (p: TrainProgress) => void;
  shouldStop?: () => boolean;
  forestRunner?: ForestRunner;
}

export type Metrics = ClassificationMetrics | RegressionMetrics;

/**
 * Per-step series of the final fit, by metric name (a run's metric histories):
 * boosting `train_loss` and, with early stopping, `validation_loss` at
 * iterations 1..n; bootstrap forests `oob_error` by number of trees.
 */
export type TrainSeries = Record<string, SeriesPoint[]>;

/** Result of a training run. */
export interface TrainResult {
  model: TrainedModel;
  task: 'classification' | 'regression';
  split: { nTrain: number; nTest: number; testSize: number; stratified: boolean; seed: number };
  /** Hold-out metrics (absent when testSize = 0). */
  test?: Metrics;
  /** Binary classification: ROC and precision-recall points on the test part. */
  curves?: { roc: ReturnType<typeof rocCurve>; pr: ReturnType<typeof precisionRecallCurve> };
  cv?: { folds: number; perFold: Metrics[]; mean: Record<string, number>; std: Record<string, number> };
  oobScore?: number;
  /** Per-step series of the final model (absent for models without any: linear ones, forests without bootstrap). */
  series?: TrainSeries;
  importance: { features: string[]; impurity: number[]; permutation?: { mean: number[]; std: number[] } };
  warnings: string[];
}

/** Resolve raw params for an algorithm (validates them; throws BAD_PARAM). */
export function resolveParams(
  algorithm: Algorithm,
  raw: Record<string, unknown>,
  task: 'classification' | 'regression',
): Record<string, unknown> {
  switch (algorithm) {
    case 'rf':
    case 'et':
      return { ...parseForestParams(raw, task, algorithm === 'et') };
    case 'gbm':
      return { ...parseGbmParams(raw) };
    case 'logreg':
      if (task !== 'classification') throw new TrainingError('BAD_PARAM', 'Logistic regression needs a classification target');
      return { ...parseLogregParams(raw) };
    case 'linear':
      if (task !== 'regression') throw new TrainingError('BAD_PARAM', 'Linear regression needs a numeric (regression) target');
      return { ...parseLinearParams(raw) };
    default:
      throw new TrainingError('BAD_PARAM', `Unknown model "${String(algorithm)}"; use one of ${ALGORITHMS.join(', ')}`);
  }
}

/** Fit one estimator on a data set (no evaluation). */
export async function fitEstimator(
  ds: Dataset,
  algorithm: Algorithm,
  params: Record<string, unknown>,
  seed: number,
  hooks: TrainHooks = {},
  fold?: number,
): Promise<Estimator> {
  return (await fitWithSeries(ds, algorithm, params, seed, hooks, fold, false)).estimator;
}

/** fitEstimator, plus the fit's per-step series when `withSeries` (the final model of a run). */
async function fitWithSeries(
  ds: Dataset,
  algorithm: Algorithm,
  params: Record<string, unknown>,
  seed: number,
  hooks: TrainHooks,
  fold: number | undefined,
  withSeries: boolean,
): Promise<{ estimator: Estimator; series?: TrainSeries }> {
  const key = fold === undefined ? 'final' : `fold-${fold}`;
  const progress = (unit: TrainProgress['unit'], done: number, total: number): void =>
    hooks.onProgress?.({ phase: fold === undefined ? 'fit' : 'cv', fold, unit, done, total });
  if (algorithm === 'rf' || algorithm === 'et') {
    const p = params as unknown as ForestParams;
    const data = prepareForestData(ds.X, ds.nRows, ds.nFeatures, ds.y, ds.nClasses, p.maxBins);
    const oob = withSeries && p.bootstrap;
    // With the OOB curve wanted, one OOB pass over the merged forest (below) gives the curve and the
    // score, so the forest is merged without its own pass (oobScore does not change the trees).
    const fitParams = oob ? { ...p, oobScore: false } : p;
    let done = 0;
    const model = hooks.forestRunner
      ? await hooks.forestRunner({ key, data, params: fitParams, seed }, (d) => progress('trees', d, p.nEstimators))
      : fitForest(data, fitParams, seed, { onTree: () => progress('trees', ++done, p.nEstimators), shouldStop: hooks.shouldStop });
    if (!oob) return { estimator: model };
    const { score, errors } = forestOob(model, data, seed, oobSteps(model.trees.length));
    if (p.oobScore) model.oobScore = score;
    return { estimator: model, series: { oob_error: errors } };
  }
  if (algorithm === 'gbm') {
    const trainLoss: SeriesPoint[] = [];
    const validationLoss: SeriesPoint[] = [];
    // `params` were resolved by resolveParams (defaults filled, Infinity for "no limit"): not parsed again.
    const estimator = fitGbm(ds.X, ds.nRows, ds.nFeatures, ds.y, ds.nClasses, params as unknown as GbmParams, seed, {
      onIteration: (it, total) => progress('iterations', it, total),
      shouldStop: hooks.shouldStop,
      onLoss: withSeries
        ? (step, train, validation) => {
            // The time each iteration ended, so a run's loss curves can be drawn against time as well as step.
            const timestamp = Date.now();
            trainLoss.push({ step, value: train, timestamp });
            if (validation !== undefined) validationLoss.push({ step, value: validation, timestamp });
          }
        : undefined,
    });
    if (!withSeries) return { estimator };
    const series: TrainSeries = { train_loss: trainLoss };
    if (validationLoss.length) series.validation_loss = validationLoss;
    return { estimator, series };
  }
  if (hooks.shouldStop?.()) throw new TrainingError('CANCELLED', 'Training was cancelled');
  const est =
    algorithm === 'logreg'
      ? fitLogistic(ds.X, ds.nRows, ds.nFeatures, ds.y, ds.nClasses, params as unknown as LogregParams)
      : fitLinear(ds.X, ds.nRows, ds.nFeatures, ds.y, params as unknown as LinearParams);
  progress('steps', 1, 1);
  return { estimator: est };
}

function wrap(ds: Dataset, algorithm: Algorithm, params: Record<string, unknown>, seed: number, estimator: Estimator): TrainedModel {
  return {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    engine: { name: 'mlwb-training', version: ENGINE_VERSION },
    algorithm,
    task: ds.encoding.task,
    params,
    seed,
    encoding: ds.encoding,
    trainingDataHash: hashDataset(ds),
    nTrainingRows: ds.nRows,
    estimator,
  };
}

/** Evaluate a model on a data set. */
export function evaluateModel(model: TrainedModel, ds: Dataset): Metrics {
  const out = predictOutputs(model, ds.X, ds.nRows);
  if (model.task === 'regression') return regressionMetrics(ds.y, out);
  const K = model.encoding.classes!.length;
  return classificationMetrics(ds.y, argmaxRows(out, ds.nRows, K), out, K);
}

function scalarMetrics(m: Metrics): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) if (typeof v === 'number') r[k] = v;
  return r;
}

/** The data parts of a training run, derived deterministically from (data set, request). */
export interface TrainingPlan {
  seed: number;
  params: Record<string, unknown>;
  testSize: number;
  stratified: boolean;
  train: Dataset;
  test: Dataset | null;
  /** CV folds of the training part, each with the seed its model is fitted with. */
  folds: { train: Dataset; test: Dataset; seed: number }[];
  warnings: string[];
}

/**
 * The hold-out split of a request: which rows of `ds` train and which test
 * (null without a test part). The registry's "beats Production" gate scores
 * other models on exactly these test rows.
 */
export function holdOutSplit(ds: Dataset, req: Pick<TrainRequest, 'seed' | 'testSize' | 'stratify'>): SplitIndices | null {
  const seed = (req.seed ?? 0) >>> 0;
  const testSize = req.testSize ?? 0.2;
  if (!(testSize > 0)) return null;
  const stratified = ds.encoding.task === 'classification' && req.stratify !== false;
  return stratified
    ? stratifiedTrainTestSplit(ds.y, ds.nClasses, testSize, deriveSeed(seed, 0x5eed))
    : trainTestSplit(ds.nRows, testSize, deriveSeed(seed, 0x5eed));
}

/** Split a data set for a request: hold-out split, then CV folds of the training part (all seeded). */
export function planTraining(ds: Dataset, req: TrainRequest): TrainingPlan {
  const seed = (req.seed ?? 0) >>> 0;
  const task = ds.encoding.task;
  const params = resolveParams(req.algorithm, req.params ?? {}, task);
  const testSize = req.testSize ?? 0.2;
  const stratified = task === 'classification' && req.stratify !== false;
  const warnings = [...ds.warnings];
  let train = ds;
  let test: Dataset | null = null;
  const s = holdOutSplit(ds, req);
  // With a recipe, it is refitted on the training part only (no leak of the test rows).
  if (s) [train, test] = splitDataset(ds, s.train, s.test);
  if (task === 'classification') {
    const present = new Set(train.y);
    if (present.size < 2) throw new TrainingError('ONE_CLASS', 'The training part has only one class');
    if (present.size < ds.nClasses) warnings.push(`${ds.nClasses - present.size} classes have no training rows`);
  }
  const folds: TrainingPlan['folds'] = [];
  if (req.cvFolds && req.cvFolds > 0) {
    const k = req.cvFolds;
    const split =
      task === 'classification'
        ? stratifiedKFold(train.y, train.nClasses, k, deriveSeed(seed, 0xcf))
        : kFold(train.nRows, k, deriveSeed(seed, 0xcf));
    if (task === 'classification') {
      const counts = new Map<number, number>();
      for (const v of train.y) counts.set(v, (counts.get(v) ?? 0) + 1);
      const least = Math.min(...counts.values());
      if (least < k) warnings.push(`The least populated class has ${least} rows, fewer than ${k} folds`);
    }
    split.forEach((s, f) => {
      // Per fold, as a Pipeline in cross_val_score: a recipe is refitted on the fold's training rows.
      const [foldTrain, foldTest] = splitDataset(train, s.train, s.test);
      folds.push({ train: foldTrain, test: foldTest, seed: deriveSeed(seed, 1000 + f) });
    });
  }
  return { seed, params, testSize, stratified, train, test, folds, warnings };
}

/** Train and evaluate a model according to `req`. */
export async function trainModel(ds: Dataset, req: TrainRequest, hooks: TrainHooks = {}): Promise<TrainResult> {
  const plan = planTraining(ds, req);
  const { seed, params, testSize, stratified, train, test, warnings } = plan;
  const task = ds.encoding.task;

  let cv: TrainResult['cv'];
  if (plan.folds.length) {
    const k = plan.folds.length;
    const perFold: Metrics[] = [];
    for (let f = 0; f < k; f++) {
      if (hooks.shouldStop?.()) throw new TrainingError('CANCELLED', 'Training was cancelled');
      const tr = plan.folds[f].train;
      const te = plan.folds[f].test;
      const est = await fitEstimator(tr, req.algorithm, params, plan.folds[f].seed, hooks, f);
      perFold.push(evaluateModel(wrap(tr, req.algorithm, params, seed, est), te));
      hooks.onProgress?.({ phase: 'cv', unit: 'folds', done: f + 1, total: k });
    }
    const scal = perFold.map(scalarMetrics);
    const mean: Record<string, number> = {};
    const std: Record<string, number> = {};
    for (const key of Object.keys(scal[0])) {
      const vals = scal.map((s) => s[key]);
      const m = vals.reduce((a, b) => a + b, 0) / k;
      mean[key] = m;
      std[key] = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / k);
    }
    cv = { folds: k, perFold, mean, std };
  }

  const { estimator, series } = await fitWithSeries(train, req.algorithm, params, seed, hooks, undefined, true);
  const model = wrap(train, req.algorithm, params, seed, estimator);
  const result: TrainResult = {
    model,
    task,
    split: { nTrain: train.nRows, nTest: test ? test.nRows : 0, testSize, stratified, seed },
    cv,
    importance: { features: train.encoding.featureNames, impurity: estimator.importance },
    warnings,
  };
  if (estimator.type === 'forest' && estimator.oobScore !== undefined) result.oobScore = estimator.oobScore;
  if (series) result.series = series;
  if (test) {
    result.test = evaluateModel(model, test);
    if (task === 'classification' && ds.nClasses === 2) {
      const out = predictOutputs(model, test.X, test.nRows);
      const score = Float64Array.from({ length: test.nRows }, (_, i) => out[2 * i + 1]);
      result.curves = { roc: rocCurve(test.y, score), pr: precisionRecallCurve(test.y, score) };
    }
    if (req.permutationImportance !== false) {
      hooks.onProgress?.({ phase: 'importance', unit: 'steps', done: 0, total: 1 });
      const cap = Math.min(test.nRows, 2000);
      const rows = Int32Array.from({ length: cap }, (_, i) => Math.floor((i * test!.nRows) / cap));
      const sub = subsetDataset(test, rows);
      const K = ds.nClasses;
      const scorer = (X: Float64Array): number => {
        const out = predictOutputs(model, X, sub.nRows);
        return task === 'regression' ? r2Score(sub.y, out) : accuracy(sub.y, argmaxRows(out, sub.nRows, K));
      };
      const pi = permutationImportance(sub.X, sub.nRows, sub.nFeatures, scorer, deriveSeed(seed, 0x9e), 5);
      result.importance.permutation = { mean: pi.mean, std: pi.std };
    }
  }
  hooks.onProgress?.({ phase: 'done', unit: 'steps', done: 1, total: 1 });
  return result;
}
