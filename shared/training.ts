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

/** Bounds of one numeric setting. */
export interface NumberLimit {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer?: boolean;
}

/**
 * The bounds of every numeric hyper-parameter, per model family: the one
 * source the schemas below are built from. The app (IPC and the browser host),
 * the CLI and the engine all validate with those schemas, so they refuse the
 * same values with the same message; the Experiments form may read its input
 * bounds from here.
 */
export const PARAM_LIMITS = {
  forest: {
    nEstimators: { min: 1, max: 5000, integer: true },
    maxDepth: { min: 1, max: 1000, integer: true },
    minSamplesSplit: { min: 2, max: 1_000_000, integer: true },
    minSamplesLeaf: { min: 1, max: 1_000_000, integer: true },
    maxLeafNodes: { min: 2, max: 1_000_000, integer: true },
    /** Upper bound of a whole-number maxFeatures (a share is in (0, 1]). */
    maxFeatures: { min: 0, max: 100_000 },
    maxBins: { min: 2, max: 255, integer: true },
  },
  gbm: {
    maxIter: { min: 1, max: 10_000, integer: true },
    learningRate: { min: 0.0001, max: 10 },
    maxLeafNodes: { min: 2, max: 100_000, integer: true },
    maxDepth: { min: 1, max: 1000, integer: true },
    minSamplesLeaf: { min: 1, max: 1_000_000, integer: true },
    l2Regularization: { min: 0, max: 1e6 },
    validationFraction: { min: 0.01, max: 0.9 },
    nIterNoChange: { min: 1, max: 1000, integer: true },
    tol: { min: 0, max: 1 },
    maxBins: { min: 2, max: 255, integer: true },
  },
  logreg: {
    C: { min: 1e-6, max: 1e6 },
    maxIter: { min: 1, max: 100_000, integer: true },
    tol: { min: 0, max: 1 },
  },
  linear: {
    alpha: { min: 0, max: 1e9 },
  },
} as const satisfies Record<string, Record<string, NumberLimit>>;

/** Bounds of a train request's own settings (not the model's). */
export const TRAIN_REQUEST_LIMITS = {
  /** Hold-out share; 0 fits on every row (no test metrics). */
  testSize: { min: 0, max: 0.9 },
  /** k-fold cross-validation: 0 (none) or 2–20. */
  cvFolds: { min: 0, max: 20, integer: true },
  seed: { min: 0, max: 2 ** 32 - 1, integer: true },
  features: { min: 1, max: 5000, integer: true },
} as const satisfies Record<string, NumberLimit>;

/** A zod number within a limit, with messages that name the bound (the same text everywhere). */
export function boundedNumber(limit: NumberLimit): z.ZodNumber {
  const n = z.number({ error: 'must be a number' });
  return (limit.integer ? n.int('must be a whole number') : n)
    .min(limit.min, `must be ≥ ${limit.min}`)
    .max(limit.max, `must be ≤ ${limit.max}`);
}

/**
 * A strict object of a model's parameters: an unknown key is refused with the
 * list of known ones, so a typo is not silently ignored.
 */
function paramsObject<S extends z.ZodRawShape>(model: string, shape: S) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `Unknown parameter ${issue.keys.map((k) => `"${k}"`).join(', ')} for ${model}; known: ${Object.keys(shape).join(', ')}`
        : undefined,
  });
}

const F = PARAM_LIMITS.forest;
const maxFeaturesSchema = z.union([
  z.enum(['sqrt', 'log2', 'all']),
  z
    .number()
    .positive('must be > 0')
    .max(F.maxFeatures.max, `must be ≤ ${F.maxFeatures.max}`)
    .refine((v) => v <= 1 || Number.isInteger(v), 'must be a fraction in (0, 1] or a whole number of features'),
]);

const forestShape = {
  nEstimators: boundedNumber(F.nEstimators).optional(),
  criterion: z.enum(['gini', 'entropy', 'squared_error']).optional(),
  /** null = no limit. */
  maxDepth: boundedNumber(F.maxDepth).nullable().optional(),
  minSamplesSplit: boundedNumber(F.minSamplesSplit).optional(),
  minSamplesLeaf: boundedNumber(F.minSamplesLeaf).optional(),
  /** null = no limit (depth-first growth). */
  maxLeafNodes: boundedNumber(F.maxLeafNodes).nullable().optional(),
  maxFeatures: maxFeaturesSchema.optional(),
  bootstrap: z.boolean().optional(),
  oobScore: z.boolean().optional(),
  classWeight: z.enum(['none', 'balanced']).optional(),
  maxBins: boundedNumber(F.maxBins).optional(),
};

/** Random forest (names and meaning as MODEL-FORMAT.md). */
export const forestParamsSchema = paramsObject('random forest', forestShape);
/** Extra trees: the forest's parameters. */
export const extraTreesParamsSchema = paramsObject('extra trees', forestShape);
export type ForestParamsInput = z.infer<typeof forestParamsSchema>;

const G = PARAM_LIMITS.gbm;
/** Histogram gradient boosting. */
export const gbmParamsSchema = paramsObject('gradient boosting', {
  maxIter: boundedNumber(G.maxIter).optional(),
  learningRate: boundedNumber(G.learningRate).optional(),
  maxLeafNodes: boundedNumber(G.maxLeafNodes).optional(),
  /** null = no limit. */
  maxDepth: boundedNumber(G.maxDepth).nullable().optional(),
  minSamplesLeaf: boundedNumber(G.minSamplesLeaf).optional(),
  l2Regularization: boundedNumber(G.l2Regularization).optional(),
  earlyStopping: z.enum(['auto', 'on', 'off']).optional(),
  validationFraction: boundedNumber(G.validationFraction).optional(),
  nIterNoChange: boundedNumber(G.nIterNoChange).optional(),
  tol: boundedNumber(G.tol).optional(),
  maxBins: boundedNumber(G.maxBins).optional(),
});
export type GbmParamsInput = z.infer<typeof gbmParamsSchema>;

const L = PARAM_LIMITS.logreg;
/** Logistic regression (L2, lbfgs). */
export const logregParamsSchema = paramsObject('logistic regression', {
  C: boundedNumber(L.C).optional(),
  maxIter: boundedNumber(L.maxIter).optional(),
  tol: boundedNumber(L.tol).optional(),
  standardize: z.boolean().optional(),
  fitIntercept: z.boolean().optional(),
});
export type LogregParamsInput = z.infer<typeof logregParamsSchema>;

/** Linear / ridge regression. */
export const linearParamsSchema = paramsObject('linear regression', {
  alpha: boundedNumber(PARAM_LIMITS.linear.alpha).optional(),
  fitIntercept: z.boolean().optional(),
  standardize: z.boolean().optional(),
});
export type LinearParamsInput = z.infer<typeof linearParamsSchema>;

/** Each model's parameter schema. */
export const PARAMS_SCHEMAS = {
  rf: forestParamsSchema,
  et: extraTreesParamsSchema,
  gbm: gbmParamsSchema,
  logreg: logregParamsSchema,
  linear: linearParamsSchema,
} as const satisfies Record<AlgorithmId, z.ZodType>;

const R = TRAIN_REQUEST_LIMITS;
const columnName = z.string().min(1).max(500);
/** The settings of a train request other than its data source and model. */
const requestFields = {
  target: columnName,
  task: z.enum(TASK_CHOICES).default('auto'),
  /** Feature columns to use (default: every column but the target). */
  features: z.array(columnName).min(R.features.min).max(R.features.max).optional(),
  /** Hold-out share; 0 fits on every row (no test metrics). */
  testSize: boundedNumber(R.testSize).default(0.2),
  stratify: z.boolean().default(true),
  /** k-fold cross-validation on the training part: 0 (none) or 2–20. */
  cvFolds: boundedNumber(R.cvFolds)
    .refine((v) => v !== 1, `must be 0 (no cross-validation) or from 2 to ${R.cvFolds.max}`)
    .default(0),
  seed: boundedNumber(R.seed).default(0),
};

/** The settings of a train request other than its data source and model, on their own (a pipeline's training step). */
export const trainSettingsSchema = z.strictObject(requestFields);

/** A model and its params, checked by the model's own schema (a pipeline's candidates). */
export const modelChoiceSchema = z.discriminatedUnion('algorithm', [
  z.strictObject({ algorithm: z.literal('rf'), params: forestParamsSchema.default({}) }),
  z.strictObject({ algorithm: z.literal('et'), params: extraTreesParamsSchema.default({}) }),
  z.strictObject({ algorithm: z.literal('gbm'), params: gbmParamsSchema.default({}) }),
  z.strictObject({ algorithm: z.literal('logreg'), params: logregParamsSchema.default({}) }),
  z.strictObject({ algorithm: z.literal('linear'), params: linearParamsSchema.default({}) }),
]);
export type ModelChoice = z.output<typeof modelChoiceSchema>;

/**
 * A train request for a given kind of data source: the fields every front end
 * shares, and the model's params checked by the model's own schema. The app
 * names a dataset version by id ({@link trainStartSchema}); the CLI names a
 * file or `NAME@TAG` ({@link trainCommandSchema}).
 */
export function trainRequestSchema<S extends z.ZodRawShape>(source: S) {
  const base = { ...source, ...requestFields };
  return z.discriminatedUnion('algorithm', [
    z.strictObject({ ...base, algorithm: z.literal('rf'), params: forestParamsSchema.default({}) }),
    z.strictObject({ ...base, algorithm: z.literal('et'), params: extraTreesParamsSchema.default({}) }),
    z.strictObject({ ...base, algorithm: z.literal('gbm'), params: gbmParamsSchema.default({}) }),
    z.strictObject({ ...base, algorithm: z.literal('logreg'), params: logregParamsSchema.default({}) }),
    z.strictObject({ ...base, algorithm: z.literal('linear'), params: linearParamsSchema.default({}) }),
  ]);
}

/** A train request from the Experiments page (IPC and the browser host). */
export const trainStartSchema = trainRequestSchema({
  versionId: z.number().int().positive(),
  /**
   * A saved preprocessing recipe of the same dataset (id); its spec is fitted
   * on the training rows (and per CV fold) and embedded in the model.
   * Omitted: the engine's built-in encoding.
   */
  recipeId: z.number().int().positive().optional(),
});
export type TrainStartRequest = z.input<typeof trainStartSchema>;
/** A parsed train request without its source: what the app and the CLI share. */
export type TrainRequestSettings = Omit<z.output<typeof trainStartSchema>, 'versionId' | 'recipeId'>;

/** A train request from `mlwb train`: the data is a CSV file or `NAME@TAG`, the recipe a name or an id. */
export const trainCommandSchema = trainRequestSchema({
  data: z.string().min(1).max(4096),
  recipe: z.string().trim().min(1).max(200).optional(),
});
export type TrainCommandRequest = z.output<typeof trainCommandSchema>;

/** A column of a trainable version, with what the page needs to offer it as target or feature. */
export interface TrainableColumn {
  name: string;
  type: ColumnType;
  distinct: number;
  missing: number;
  /** Task the column implies as a target (null: cannot be a target, e.g. a date). */
  detectedTask: TrainTask | null;
  /**
   * Rows per value (missing excluded), from the profile, when the column could be a
   * classification target and the profile counts every value exactly (at most 40
   * distinct values): what the wizard checks k-fold CV against. Absent otherwise.
   */
  classCounts?: { value: string; count: number }[];
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
  /**
   * Per-step series of the final model, by metric name, recorded as the run's
   * metric histories: boosting `train_loss` and (with early stopping)
   * `validation_loss` per iteration, bootstrap forests `oob_error` by number of trees.
   */
  series?: Record<string, { step: number; value: number; timestamp?: number }[]>;
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
