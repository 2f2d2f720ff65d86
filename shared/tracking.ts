/**
 * Experiment tracking: the domain types and zod schemas shared by main, the
 * renderer, the CLI and (later) the MLflow REST layer. Names, limits and
 * statuses follow MLflow's tracking API so one store serves all of them.
 * No Node or DOM imports.
 */
import { z } from 'zod';

/** MLflow's run statuses (the UI says running, scheduled, finished, failed, cancelled). */
export const RUN_STATUSES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const LIFECYCLE_STAGES = ['active', 'deleted'] as const;
export type LifecycleStage = (typeof LIFECYCLE_STAGES)[number];

/** Where a run came from. */
export const RUN_SOURCES = ['app', 'cli', 'mlflow-client', 'mlflow-import', 'mlflow-pull', 'pipeline', 'reproduction', 'upgrade'] as const;
export type RunSource = (typeof RUN_SOURCES)[number];
/** Runs that came from MLflow (its client, an mlruns import, a team server): no workbench spec to re-run. */
export const isMlflowSource = (source: RunSource): boolean => source.startsWith('mlflow-');

/** The experiment every workspace has (MLflow's experiment 0). */
export const DEFAULT_EXPERIMENT_ID = 0;

/**
 * MLflow's limits (mlflow/utils/validation.py), one place for every surface:
 * keys up to 250 characters, param values up to 6,000, tag values up to
 * 8,000; a batch holds at most 1,000 metrics, 100 params and 100 tags.
 */
export const TRACKING_LIMITS = {
  maxKeyLength: 250,
  maxParamValueLength: 6000,
  maxTagValueLength: 8000,
  maxExperimentNameLength: 500,
  maxRunNameLength: 500,
  maxDescriptionLength: 20_000,
  maxNoteLength: 100_000,
  maxBatchMetrics: 1000,
  maxBatchParams: 100,
  maxBatchTags: 100,
} as const;

/**
 * A key (param, metric or tag name) as MLflow accepts it: letters and digits
 * of any script, underscores, dashes, periods, spaces, colons and slashes; not
 * a path that climbs out (`..`) or starts at the root.
 */
export const KEY_PATTERN = /^[\p{L}\p{N}_\-. :/]+$/u;

/** The reason a key is refused, or null when it is fine. */
export function checkKey(key: string, what = 'key'): string | null {
  if (key.length === 0) return `The ${what} must not be empty.`;
  if (key.length > TRACKING_LIMITS.maxKeyLength)
    return `The ${what} "${key.slice(0, 40)}…" is ${key.length} characters long; the limit is ${TRACKING_LIMITS.maxKeyLength}.`;
  if (!KEY_PATTERN.test(key))
    return `Invalid ${what} "${key.slice(0, 80)}": names may only contain letters, digits, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/).`;
  if (key.startsWith('/') || key.split('/').some((part) => part === '..' || part === '.'))
    return `Invalid ${what} "${key.slice(0, 80)}": it must be a relative path without "." or ".." parts.`;
  return null;
}

const keySchema = (what: string) =>
  z.string().superRefine((k, ctx) => {
    const problem = checkKey(k, what);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const paramKeySchema = keySchema('param name');
export const metricKeySchema = keySchema('metric name');
export const tagKeySchema = keySchema('tag name');

export const paramValueSchema = z
  .string()
  .max(TRACKING_LIMITS.maxParamValueLength, `A param value may be at most ${TRACKING_LIMITS.maxParamValueLength} characters long.`);
export const tagValueSchema = z
  .string()
  .max(TRACKING_LIMITS.maxTagValueLength, `A tag value may be at most ${TRACKING_LIMITS.maxTagValueLength} characters long.`);

/**
 * A metric value on the wire. JSON has no NaN or infinities (the browser host
 * speaks JSON), so those travel as the strings MLflow's JSON uses.
 */
export type WireNumber = number | 'NaN' | 'Infinity' | '-Infinity';
export const wireNumberSchema = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

/** A number for JSON: NaN and ±Infinity become their MLflow strings. */
export function toWireNumber(v: number): WireNumber {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return v;
}

/** The number a wire value stands for. */
export function fromWireNumber(v: WireNumber): number {
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return v;
}

export const experimentNameSchema = z
  .string()
  .trim()
  .min(1, 'An experiment needs a name.')
  .max(
    TRACKING_LIMITS.maxExperimentNameLength,
    `An experiment name may be at most ${TRACKING_LIMITS.maxExperimentNameLength} characters long.`,
  );
export const experimentIdSchema = z.number().int().min(0);
export const runIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'A run id is 32 hexadecimal characters.');
export const runNameSchema = z.string().trim().min(1, 'A run needs a name.').max(TRACKING_LIMITS.maxRunNameLength);
export const descriptionSchema = z.string().max(TRACKING_LIMITS.maxDescriptionLength);

export const metricPointSchema = z
  .object({
    key: metricKeySchema,
    value: wireNumberSchema,
    /** Epoch milliseconds. */
    timestamp: z.number().int().min(0),
    step: z.number().int().default(0),
  })
  .strict();
export const paramSchema = z.object({ key: paramKeySchema, value: paramValueSchema }).strict();
export const tagSchema = z.object({ key: tagKeySchema, value: tagValueSchema }).strict();

/** One batch of logging (MLflow's log-batch): limits as MLflow's. */
export const logBatchSchema = z
  .object({
    runId: runIdSchema,
    metrics: z
      .array(metricPointSchema)
      .max(TRACKING_LIMITS.maxBatchMetrics, `A batch may hold at most ${TRACKING_LIMITS.maxBatchMetrics} metrics.`)
      .default([]),
    params: z
      .array(paramSchema)
      .max(TRACKING_LIMITS.maxBatchParams, `A batch may hold at most ${TRACKING_LIMITS.maxBatchParams} params.`)
      .default([]),
    tags: z
      .array(tagSchema)
      .max(TRACKING_LIMITS.maxBatchTags, `A batch may hold at most ${TRACKING_LIMITS.maxBatchTags} tags.`)
      .default([]),
  })
  .strict();
export type LogBatchRequest = z.input<typeof logBatchSchema>;

/** An experiment as the pages and the CLI see it. */
export interface Experiment {
  id: number;
  name: string;
  description: string;
  lifecycleStage: LifecycleStage;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
  deletedAt: number | null;
  tags: Record<string, string>;
  /** Active runs in it. */
  runCount: number;
  /** Runs still running (an experiment with one cannot be deleted). */
  runningCount: number;
}

/** A run's own fields (MLflow's RunInfo, plus the workbench's links). */
export interface RunInfo {
  runId: string;
  experimentId: number;
  name: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  /** The OS user who ran it. */
  userId: string;
  lifecycleStage: LifecycleStage;
  error: string | null;
  source: RunSource;
  /** The background job that trains it (null for runs logged from outside). */
  jobId: number | null;
  datasetVersionId: number | null;
}

/** The latest value of a metric (highest step, then timestamp). */
export interface LatestMetric {
  key: string;
  value: WireNumber;
  timestamp: number;
  step: number;
}

export interface ArtifactEntry {
  /** Relative path inside the run, e.g. `model/model.json`. */
  path: string;
  sha256: string;
  size: number;
  mediaType: string;
  createdAt: number;
}

/** A run with everything it logged (points of a metric's history: see `runs:metricHistory`). */
export interface Run {
  info: RunInfo;
  params: Record<string, string>;
  metrics: LatestMetric[];
  tags: Record<string, string>;
  artifacts: ArtifactEntry[];
}

/** A metric's history point. */
export interface MetricHistoryPoint {
  value: WireNumber;
  timestamp: number;
  step: number;
}

/** System tag names the workbench sets on the runs it trains (MLflow's where MLflow has one). */
export const SYSTEM_TAGS = {
  runName: 'mlflow.runName',
  user: 'mlflow.user',
  note: 'mlflow.note.content',
  sourceName: 'mlflow.source.name',
  sourceType: 'mlflow.source.type',
  modelType: 'mlwb.model_type',
  task: 'mlwb.task',
  dataset: 'mlwb.dataset',
  datasetSha256: 'mlwb.dataset.sha256',
  recipe: 'mlwb.recipe',
  seed: 'mlwb.seed',
  appVersion: 'mlwb.app_version',
  engineVersion: 'mlwb.engine_version',
  os: 'mlwb.os',
  comparison: 'mlwb.comparison',
  reproducedFrom: 'mlwb.reproduced_from',
} as const;

/** A run as a row of the runs table: its info with the latest metrics, params and tags by key. */
export interface RunSummary {
  info: RunInfo;
  metrics: Record<string, WireNumber>;
  params: Record<string, string>;
  tags: Record<string, string>;
}

/** MLflow's run view types. */
export const RUN_VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type RunViewType = (typeof RUN_VIEW_TYPES)[number];

/** MLflow's search_runs bounds (SEARCH_MAX_RESULTS_DEFAULT, SEARCH_MAX_RESULTS_THRESHOLD): 1,000 by default, at most 50,000 a page. */
export const SEARCH_MAX_RESULTS_DEFAULT = 1000;
export const SEARCH_MAX_RESULTS_THRESHOLD = 50_000;

export const searchRunsSchema = z
  .object({
    experimentIds: z.array(experimentIdSchema).min(1).max(100),
    /** MLflow's filter syntax, e.g. `metrics.accuracy > 0.9 and params.model = 'rf'`. */
    filter: z.string().max(20_000).default(''),
    /** MLflow's order_by clauses, e.g. `metrics.accuracy DESC`. */
    orderBy: z.array(z.string().max(500)).max(20).default([]),
    runViewType: z.enum(RUN_VIEW_TYPES).default('ACTIVE_ONLY'),
    maxResults: z.number().int().min(1).max(SEARCH_MAX_RESULTS_THRESHOLD).default(SEARCH_MAX_RESULTS_DEFAULT),
    pageToken: z.string().max(1000).optional(),
    /**
     * Only these keys of each run's metrics, params and tags (a kind left out: all of its keys).
     * The runs table asks for its visible columns, which cuts a page of 10,000 runs several-fold.
     */
    keys: z
      .strictObject({
        metrics: z.array(z.string().max(TRACKING_LIMITS.maxKeyLength)).max(1000).optional(),
        params: z.array(z.string().max(TRACKING_LIMITS.maxKeyLength)).max(1000).optional(),
        tags: z.array(z.string().max(TRACKING_LIMITS.maxKeyLength)).max(1000).optional(),
      })
      .optional(),
  })
  .strict();
export type SearchRunsRequest = z.input<typeof searchRunsSchema>;
/** What the store's search takes: the parsed request, every field optional (no experiment ids: every experiment). */
export type SearchRunsOptions = Partial<z.output<typeof searchRunsSchema>>;

export interface SearchRunsResult {
  runs: RunSummary[];
  nextPageToken?: string;
}

/** The keys logged in some experiments: what the column chooser and the filter box offer. */
export interface RunKeys {
  params: string[];
  metrics: string[];
  tags: string[];
}

/** A run page: the run with its experiment's name, the metric keys that have series, and where its data came from. */
export interface RunDetail extends Run {
  experimentName: string;
  /** Metric keys with more than one point (charted as lines). */
  seriesKeys: string[];
  /** The dataset version it trained on, when it still exists. */
  dataset: { versionId: number; label: string; sha256: string } | null;
  /** The inputs it was trained from (null for runs logged from outside): what "Reproduce" re-runs. */
  reproducible: boolean;
}

/** A saved view of the runs table: filter, order and columns. */
export interface SavedView {
  id: number;
  experimentId: number | null;
  name: string;
  filter: string;
  orderBy: string[];
  /** Column ids: `metrics.KEY`, `params.KEY`, `tags.KEY` or an attribute (`attributes.status`, …). */
  columns: string[];
  createdAt: number;
}

export const savedViewSchema = z
  .object({
    experimentId: experimentIdSchema.nullable(),
    name: z.string().trim().min(1, 'A view needs a name.').max(200),
    filter: z.string().max(20_000).default(''),
    orderBy: z.array(z.string().max(500)).max(20).default([]),
    columns: z.array(z.string().max(300)).max(200).default([]),
  })
  .strict();

/** The verdict of a reproduction: identical (every metric equal to the last bit, same model file) or what differs. */
export interface ReproductionVerdict {
  originalRunId: string;
  reproductionRunId: string;
  identical: boolean;
  modelSha256: { original: string | null; reproduction: string | null };
  /** Inputs that differ (data hash, params, engine version…), each with both values. */
  inputDifferences: { what: string; original: string; reproduction: string }[];
  /** Metrics whose values differ (latest values), with the delta. */
  metricDifferences: { key: string; original: WireNumber | null; reproduction: WireNumber | null; delta: number | null }[];
}
