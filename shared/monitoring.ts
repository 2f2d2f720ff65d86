/**
 * Monitoring: stored drift checks (baseline vs current, one DriftResult each),
 * their history and trend, prediction monitoring of served models over time
 * windows (with actual labels joined later), and alerts. Request schemas here
 * are the one place for limits (app, CLI and host parse with them).
 */
import { z } from 'zod';
import type { DriftResult, DriftRule, DriftSummary } from './drift';
import { modelNameSchema, versionNumberSchema } from './registry';

export const MONITORING_LIMITS = {
  maxColumns: 1000,
  maxChecksListed: 1000,
  maxWindows: 1000,
  defaultAccuracyThreshold: 0.7,
  defaultDriftShareThreshold: 0.3,
  defaultPThreshold: 0.05,
} as const;

/** The baseline of a check: a model version's training data (its run's dataset version), or any dataset version. */
export const driftBaselineSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('model'), name: modelNameSchema, version: versionNumberSchema }),
  z.strictObject({ kind: z.literal('dataset'), versionId: z.number().int().min(1) }),
]);
export type DriftBaseline = z.infer<typeof driftBaselineSchema>;

/** The current set: another dataset version, a CSV file, or what the scoring server logged for a model over a time window. */
export const driftCurrentSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dataset'), versionId: z.number().int().min(1) }),
  z.strictObject({ kind: z.literal('file'), path: z.string().min(1).max(4096) }),
  z.strictObject({
    kind: z.literal('predictions'),
    name: modelNameSchema,
    version: versionNumberSchema.optional(),
    /** epoch ms, inclusive; default: the whole log */
    from: z.number().int().optional(),
    to: z.number().int().optional(),
  }),
]);
export type DriftCurrent = z.infer<typeof driftCurrentSchema>;

export const startDriftCheckSchema = z.strictObject({
  baseline: driftBaselineSchema,
  current: driftCurrentSchema,
  /** 'chapter': KS / chi-square, p < threshold; 'evidently': Evidently's defaults. */
  rule: z.enum(['chapter', 'evidently']).default('chapter'),
  pThreshold: z.number().gt(0).lt(1).default(MONITORING_LIMITS.defaultPThreshold),
  driftShareThreshold: z.number().gt(0).lt(1).default(MONITORING_LIMITS.defaultDriftShareThreshold),
  ksMethod: z.enum(['auto', 'exact', 'asymp']).default('auto'),
  /** Columns to check (default: every column of the baseline but the target). */
  columns: z.array(z.string().min(1).max(1000)).max(MONITORING_LIMITS.maxColumns).optional(),
});
export type StartDriftCheckRequest = z.input<typeof startDriftCheckSchema>;

/** A stored check without its per-column rows (lists, history). */
export interface DriftCheckSummary {
  id: number;
  createdAt: number;
  createdBy: string;
  jobId: number | null;
  /** The model the check is about (baseline of kind model, or predictions of a model). */
  model: string | null;
  modelVersion: number | null;
  baselineLabel: string;
  baselineVersionId: number | null;
  currentLabel: string;
  currentKind: DriftCurrent['kind'];
  currentVersionId: number | null;
  rule: DriftRule;
  summary: DriftSummary;
}

/** A stored check with its whole report. */
export interface DriftCheck extends DriftCheckSummary {
  request: z.output<typeof startDriftCheckSchema>;
  result: DriftResult;
}

/** History and trend of checks, per model or per dataset (the chapter's drift history and "top 5" tables). */
export interface DriftTrend {
  points: { checkId: number; at: number; driftShare: number; datasetDrift: boolean; drifted: number; tested: number }[];
  /** Columns by how often they drifted, most often first. */
  topColumns: { column: string; drifted: number; checks: number }[];
}

export const ALERT_KINDS = ['data-drift', 'prediction-drift', 'accuracy'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface MonitoringAlert {
  id: number;
  at: number;
  kind: AlertKind;
  model: string | null;
  modelVersion: number | null;
  checkId: number | null;
  message: string;
  value: number | null;
  threshold: number | null;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  /** The time window the alert is about (prediction monitoring): its UTC-aligned start (epoch ms) and size; null for a drift check's alert. */
  windowStart: number | null;
  windowSize: WindowSize | null;
}

// ---------- prediction monitoring ----------

export const WINDOW_SIZES = ['1h', '6h', '1d', '7d'] as const;
export type WindowSize = (typeof WINDOW_SIZES)[number];

/** Per model: prediction monitoring on or off, the window, and the accuracy alert threshold (the chapter: 0.7). */
export const monitorSettingsSchema = z.strictObject({
  name: modelNameSchema,
  enabled: z.boolean(),
  window: z.enum(WINDOW_SIZES).default('1d'),
  /** Accuracy (classification) or R² (regression) below this raises an alert. */
  threshold: z.number().min(-1e6).max(1).default(MONITORING_LIMITS.defaultAccuracyThreshold),
});
export type MonitorSettings = z.output<typeof monitorSettingsSchema>;

export const predictionWindowsSchema = z.strictObject({
  name: modelNameSchema,
  version: versionNumberSchema.optional(),
  window: z.enum(WINDOW_SIZES).default('1d'),
  from: z.number().int().optional(),
  to: z.number().int().optional(),
});

/** One window of logged predictions (the chapter's monitor_predictions, per window). */
export interface PredictionWindow {
  start: number;
  end: number;
  count: number;
  /** Regression: the predictions' mean, std, min, max. */
  mean: number | null;
  std: number | null;
  min: number | null;
  max: number | null;
  /** Classification: share of each predicted class. */
  classShares: Record<string, number> | null;
  /** Predictions whose actual label has arrived. */
  labelled: number;
  /** With labels: accuracy and macro F1 (classification), or RMSE and R² (regression). */
  accuracy: number | null;
  f1: number | null;
  rmse: number | null;
  r2: number | null;
  /** True when the window's accuracy (or R²) is under the model's threshold. */
  belowThreshold: boolean;
}

/**
 * The served predictions of one version against that version's own predictions
 * on its run's held-out test split: two-sample KS (regression, as
 * scipy.stats.ks_2samp) or chi-square on the 2 x classes table (as
 * scipy.stats.chi2_contingency); drifted when p < pThreshold.
 */
export interface PredictionDrift {
  version: number;
  test: 'ks' | 'chi-square';
  statistic: number;
  pValue: number;
  pThreshold: number;
  drifted: boolean;
  /** Logged predictions compared (of `version`, in the span asked for). */
  rows: number;
  /** Rows of the test split. */
  testRows: number;
  /** Shares per class (classification) or per histogram bin of shared edges (regression): test split vs logged. */
  bars: { label: string; test: number; logged: number }[];
}

export interface PredictionMonitor {
  name: string;
  task: 'classification' | 'regression';
  settings: MonitorSettings;
  windows: PredictionWindow[];
  /** The served predictions against the model's own predictions on its test split (KS or chi-square); null with a note when it cannot be computed. */
  predictionDrift: PredictionDrift | null;
  /** Why predictionDrift is null (no logged predictions, no test split, a run not trained here …). */
  predictionDriftNote: string | null;
  /** Scored files whose actual labels were imported (batch predictions, not in the log), newest first. */
  labelledSets: LabelledScoredFile[];
}

/** What a scored file with its actual label column gave (batch scoring output, imported as actual labels). */
export interface LabelledScoredFile {
  id: number;
  at: number;
  version: number | null;
  predictionSetId: number | null;
  sourceLabel: string;
  rows: number;
  labelled: number;
  accuracy: number | null;
  f1: number | null;
  rmse: number | null;
  r2: number | null;
  belowThreshold: boolean;
}

export const importActualsSchema = z.strictObject({
  name: modelNameSchema,
  /**
   * A CSV with a prediction id column and an actual label column (joined on
   * the prediction log), or a scored file of batch scoring (its `prediction`
   * column) with the actual label column in the same file.
   */
  file: z.string().min(1).max(4096),
  idColumn: z.string().min(1).max(1000).default('prediction_id'),
  actualColumn: z.string().min(1).max(1000).default('actual'),
  /** The scored file's prediction column (used only when the file has no id column). */
  predictionColumn: z.string().min(1).max(1000).default('prediction'),
});

export interface ImportActualsResult {
  /** 'joined': labels joined on prediction id; 'scored-file': a scored file's prediction and actual columns compared row by row. */
  mode: 'joined' | 'scored-file';
  rows: number;
  matched: number;
  unmatched: number;
  /** Alerts raised by the windows the labels completed (or by the scored file). */
  alerts: number;
  /** The scored file's result (mode 'scored-file'). */
  scored: LabelledScoredFile | null;
}
