/**
 * Training domain types and zod schemas shared by main, the renderer and the
 * CLI: what the Experiments page may ask for (bounded hyper-parameters per
 * model) and what a finished train job reports. No Node or DOM imports.
 */
import { z } from 'zod';
import type { ColumnType } from './datasets';

export const ALGORITHM_IDS = ['rf', 'et', 'gbm', 'logreg', 'linear'] as const;
export type AlgorithmId = (typeof ALGORITHM_IDS)[number];
export type TrainTask = 'classification' | 'regression';
export const TASK_CHOICES = ['auto', 'classification', 'regression'] as const;
export type TaskChoice = (typeof TASK_CHOICES)[number];

/** Which tasks a model can do (logistic regression classifies, linear regression regresses). */
export const ALGORITHM_TASKS: Record<AlgorithmId, readonly TrainTask[]> = {
  rf: ['classification', 'regression'],
  et: ['classification', 'regression'],
  gbm: ['classification', 'regression'],
  logreg: ['classification'],
  linear: ['regression'],
};

/** Integer counts classified as labels up to this many distinct values (as the engine's type_of_target rule). */
export const MAX_INTEGER_CLASSES = 20;

/**
 * The task a target column implies, from its profile: categories, booleans and
 * text are classes; integers with at most 20 distinct values are class codes;
 * other numbers are regression targets. Dates are not targets (null).
 */
export function detectTask(column: { type: ColumnType; distinct: number }): TrainTask | null {
  if (column.type === 'category' || column.type === 'boolean' || column.type === 'text') return 'classification';
  if (column.type === 'integer') return column.distinct <= MAX_INTEGER_CLASSES ? 'classification' : 'regression';
  if (column.type === 'number') return 'regression';
  return null;
}

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const maxFeaturesSchema = z.union([
  z.enum(['sqrt', 'log2', 'all']),
  z
    .number()
    .positive()
    .max(100_000)
    .refine((v) => v <= 1 || Number.isInteger(v), 'must be a fraction in (0, 1] or a whole number of features'),
]);

/** Random forest and extra trees (names and meaning as MODEL-FORMAT.md). */
export const forestParamsSchema = z
  .object({
    nEstimators: int(1, 5000).optional(),
    criterion: z.enum(['gini', 'entropy', 'squared_error']).optional(),
    /** null = no limit. */
    maxDepth: int(1, 1000).nullable().optional(),
    minSamplesSplit: int(2, 1_000_000).optional(),
    minSamplesLeaf: int(1, 1_000_000).optional(),
    /** null = no limit (depth-first growth). */
    maxLeafNodes: int(2, 1_000_000).nullable().optional(),
    maxFeatures: maxFeaturesSchema.optional(),
    bootstrap: z.boolean().optional(),
    oobScore: z.boolean().optional(),
    classWeight: z.enum(['none', 'balanced']).optional(),
    maxBins: int(2, 255).optional(),
  })
  .strict();

/** Histogram gradient boosting. */
export const gbmParamsSchema = z
  .object({
    maxIter: int(1, 10_000).optional(),
    learningRate: z.number().min(0.0001).max(10).optional(),
    maxLeafNodes: int(2, 100_000).optional(),
    maxDepth: int(1, 1000).nullable().optional(),
    minSamplesLeaf: int(1, 1_000_000).optional(),
    l2Regularization: z.number().min(0).max(1e6).optional(),
    earlyStopping: z.enum(['auto', 'on', 'off']).optional(),
    validationFraction: z.number().min(0.01).max(0.9).optional(),
    nIterNoChange: int(1, 1000).optional(),
    tol: z.number().min(0).max(1).optional(),
    maxBins: int(2, 255).optional(),
  })
  .strict();

/** Logistic regression (L2, lbfgs). */
export const logregParamsSchema = z
  .object({
    C: z.number().min(1e-6).max(1e6).optional(),
    maxIter: int(1, 100_000).optional(),
    tol: z.number().min(0).max(1).optional(),
    standardize: z.boolean().optional(),
    fitIntercept: z.boolean().optional(),
  })
  .strict();

/** Linear / ridge regression. */
export const linearParamsSchema = z
  .object({
    alpha: z.number().min(0).max(1e9).optional(),
    fitIntercept: z.boolean().optional(),
    standardize: z.boolean().optional(),
  })
  .strict();

const columnName = z.string().min(1).max(500);
const startBase = {
  versionId: z.number().int().positive(),
  target: columnName,
  task: z.enum(TASK_CHOICES).default('auto'),
  /** Feature columns to use (default: every column but the target). */
  features: z.array(columnName).min(1).max(5000).optional(),
  /** Hold-out share; 0 fits on every row (no test metrics). */
  testSize: z.number().min(0).max(0.9).default(0.2),
  stratify: z.boolean().default(true),
  /** k-fold cross-validation on the training part: 0 (none) or 2–20. */
  cvFolds: int(0, 20)
    .refine((v) => v !== 1, 'must be 0 (no cross-validation) or from 2 to 20')
    .default(0),
  seed: int(0, 2 ** 32 - 1).default(0),
  /**
   * A saved preprocessing recipe of the same dataset (id); its spec is fitted
   * on the training rows (and per CV fold) and embedded in the model.
   * Omitted: the engine's built-in encoding.
   */
  recipeId: z.number().int().positive().optional(),
};

/** A train request from the Experiments page: the model's params are checked by its own schema. */
export const trainStartSchema = z.discriminatedUnion('algorithm', [
  z.object({ ...startBase, algorithm: z.literal('rf'), params: forestParamsSchema.default({}) }).strict(),
  z.object({ ...startBase, algorithm: z.literal('et'), params: forestParamsSchema.default({}) }).strict(),
  z.object({ ...startBase, algorithm: z.literal('gbm'), params: gbmParamsSchema.default({}) }).strict(),
  z.object({ ...startBase, algorithm: z.literal('logreg'), params: logregParamsSchema.default({}) }).strict(),
  z.object({ ...startBase, algorithm: z.literal('linear'), params: linearParamsSchema.default({}) }).strict(),
]);
export type TrainStartRequest = z.input<typeof trainStartSchema>;

/** A column of a trainable version, with what the page needs to offer it as target or feature. */
export interface TrainableColumn {
  name: string;
  type: ColumnType;
  distinct: number;
  missing: number;
  /** Task the column implies as a target (null: cannot be a target, e.g. a date). */
  detectedTask: TrainTask | null;
}

/** A dataset version that can be trained on. */
export interface TrainableVersion {
  versionId: number;
  /** The dataset's id (its saved recipes are listed by it). */
  datasetId: number;
  datasetName: string;
  tag: string;
  /** `name@tag`. */
  label: string;
  rows: number;
  sha256: string;
  createdAt: string;
  columns: TrainableColumn[];
}

export interface ClassificationMetricSet {
  accuracy: number;
  precisionMacro: number;
  recallMacro: number;
  f1Macro: number;
  precisionWeighted: number;
  recallWeighted: number;
  f1Weighted: number;
  /** Binary problems only: positive class = class index 1. */
  precision?: number;
  recall?: number;
  f1?: number;
  rocAuc: number;
  logLoss: number;
  confusionMatrix: number[][];
}

export interface RegressionMetricSet {
  r2: number;
  rmse: number;
  mae: number;
}

export type MetricSet = ClassificationMetricSet | RegressionMetricSet;

/** What a succeeded train job stores as its result (the model itself is an object file). */
export interface TrainingResult {
  task: TrainTask;
  source: string;
  target: string;
  algorithm: AlgorithmId;
  split: { nTrain: number; nTest: number; testSize: number; stratified: boolean; seed: number };
  test?: MetricSet;
  curves?: {
    roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
    pr: { precision: number[]; recall: number[]; thresholds: number[] };
  };
  cv?: { folds: number; perFold: MetricSet[]; mean: Record<string, number>; std: Record<string, number> };
  oobScore?: number;
  importance: { features: string[]; impurity: number[]; permutation?: { mean: number[]; std: number[] } };
  warnings: string[];
  model: {
    /** sha256 of the model JSON = its object id in the workspace store. */
    sha256: string;
    bytes: number;
    params: Record<string, unknown>;
    seed: number;
    classes?: string[];
    featureNames: string[];
    trainingDataHash: string;
    engineVersion: string;
    formatVersion: number;
  };
  workers: number;
  durationMs: number;
}

/** What was asked for (from the job's stored spec). */
export interface TrainingRequestSummary {
  source: string;
  versionId: number | null;
  /** sha256 of the dataset version's bytes. */
  dataSha256: string | null;
  target: string;
  /** The task trained (auto was resolved before the job started). */
  task: TrainTask | null;
  algorithm: AlgorithmId;
  params: Record<string, unknown>;
  features: string[] | null;
  testSize: number;
  stratify: boolean;
  cvFolds: number;
  seed: number;
  /** The preprocessing recipe the run used (null: the built-in encoding). */
  recipe: { id: number; name: string } | null;
}

/** One train job with its request and, once it succeeded, its result. */
export interface TrainingRun {
  jobId: number;
  title: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  createdAt: string;
  finishedAt: string | null;
  progressDone: number;
  progressTotal: number;
  progressMessage: string | null;
  error: string | null;
  request: TrainingRequestSummary | null;
  result: TrainingResult | null;
}

/** A line of the recent train jobs list. */
export interface TrainingRunSummary {
  jobId: number;
  title: string;
  status: TrainingRun['status'];
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
  source: string | null;
  target: string | null;
  algorithm: AlgorithmId | null;
  task: TrainTask | null;
  /** Headline test metric: accuracy (classification) or R² (regression). */
  testScore: number | null;
  /** The same metric's CV mean and std. */
  cvMean: number | null;
  cvStd: number | null;
  durationMs: number | null;
}
