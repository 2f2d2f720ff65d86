/**
 * The MLflow REST API 2.0 the workbench serves (electron/core/mlflow/): the
 * request bodies of each endpoint as zod schemas, MLflow's limits and error
 * codes, and the settings of the endpoint. One place for every rule: the HTTP
 * server, the CLI and the app's settings parse with these. Field names are
 * MLflow's (mlflow/protos/service.proto); no Node or DOM imports.
 *
 * As MLflow's server (ParseDict with ignore_unknown_fields), fields a request
 * carries that the endpoint does not know are ignored; int64 fields may be
 * JSON numbers or decimal strings (protobuf's JSON mapping allows both).
 */
import { z } from 'zod';
import { portSchema } from './serving';
import { checkKey, TRACKING_LIMITS } from './tracking';

/**
 * MLflow's limits (mlflow/utils/validation.py, MLflow 2.x), and the
 * workbench's own bounds for what MLflow leaves open.
 */
export const MLFLOW_LIMITS = {
  /**
   * Largest JSON body read (413 above). MLflow's server sets none; 16 MiB holds
   * the largest valid batch (1,000 metrics + 100 params × 6,000 + 100 tags ×
   * 8,000 characters, well under 2 MB) and lets an over-long value (a 10 MB
   * param) reach validation, so it gets MLflow's INVALID_PARAMETER_VALUE.
   */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Largest artifact a single PUT uploads (streamed to objects/, hashed on the way). */
  maxArtifactBytes: 4 * 1024 * 1024 * 1024,
  maxArtifactPathLength: 1000,
  maxBatchMetrics: TRACKING_LIMITS.maxBatchMetrics,
  maxBatchParams: TRACKING_LIMITS.maxBatchParams,
  maxBatchTags: TRACKING_LIMITS.maxBatchTags,
  /** MLflow's MAX_ENTITIES_PER_BATCH: metrics + params + tags of one log-batch. */
  maxBatchEntities: 1000,
  maxKeyLength: TRACKING_LIMITS.maxKeyLength,
  /** MLflow ≥ 2.3 (MAX_PARAM_VAL_LENGTH); earlier versions had 500. */
  maxParamValueLength: TRACKING_LIMITS.maxParamValueLength,
  maxTagValueLength: TRACKING_LIMITS.maxTagValueLength,
  maxExperimentNameLength: TRACKING_LIMITS.maxExperimentNameLength,
  maxRunNameLength: TRACKING_LIMITS.maxRunNameLength,
  /** search-runs and search-experiments: default page size and the largest one (SEARCH_MAX_RESULTS_*). */
  searchMaxResultsDefault: 1000,
  searchMaxResultsThreshold: 50_000,
  /** get-history: MLflow's GET_METRIC_HISTORY_MAX_RESULTS. */
  historyMaxResults: 25_000,
  maxDatasetsPerCall: 1000,
  maxDatasetNameLength: 500,
  maxDatasetDigestLength: 36,
  maxDatasetSourceLength: 65_535,
  maxDatasetSchemaLength: 1_048_575,
  maxDatasetProfileLength: 16_777_215,
  maxDatasetContextLength: 500,
  maxTokenLength: 500,
  defaultPort: 5000,
} as const;

/** MLflow's error codes the API answers with, and the HTTP status MLflow gives each. */
export const MLFLOW_ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  INVALID_STATE: 400,
  REQUEST_LIMIT_EXCEEDED: 413,
  INTERNAL_ERROR: 500,
} as const;
export type MlflowErrorCode = keyof typeof MLFLOW_ERROR_STATUS;

/** The endpoint's settings (Settings → "MLflow endpoint"). */
export interface MlflowSettings {
  mlflowEnabled: boolean;
  mlflowPort: number;
  /**
   * Whether clients must send a bearer token (`Authorization: Bearer …`). The
   * token itself is kept in the secret store (the OS keychain in the app),
   * never in the settings table.
   */
  mlflowTokenSet: boolean;
}

export const DEFAULT_MLFLOW_SETTINGS: MlflowSettings = {
  mlflowEnabled: false,
  mlflowPort: MLFLOW_LIMITS.defaultPort,
  mlflowTokenSet: false,
};

export const mlflowTokenSchema = z
  .string()
  .max(MLFLOW_LIMITS.maxTokenLength, `A token may be at most ${MLFLOW_LIMITS.maxTokenLength} characters long.`)
  .regex(/^[\x21-\x7e]*$/, 'A token is printable ASCII without spaces.');

export const mlflowSettingsPatchShape = {
  mlflowEnabled: z.boolean().optional(),
  mlflowPort: portSchema.optional(),
  mlflowTokenSet: z.boolean().optional(),
};

/** mlflow:configure — turn the endpoint on or off, or move it; `token` sets the bearer token ('' removes it). */
export const mlflowConfigureSchema = z.strictObject({
  enabled: z.boolean(),
  port: portSchema.optional(),
  token: mlflowTokenSchema.optional(),
});

/** What the Settings card and `mlflow:status` show. */
export interface MlflowStatus {
  enabled: boolean;
  running: boolean;
  host: string;
  port: number;
  /** The tracking URI to give clients (MLFLOW_TRACKING_URI) while running. */
  url: string | null;
  tokenRequired: boolean;
  /** A token is saved (clients will need it once the endpoint runs). */
  tokenSet: boolean;
  /** Where the token is kept: the OS keychain, a fixed-key fallback (Linux without a keychain), or this session only. */
  tokenProtection: 'os-keychain' | 'weak' | 'session';
  /** Why it is not running although enabled (port in use…). */
  error: string | null;
}

// ---------- request bodies (service.proto) ----------

/** An int64 field: a JSON integer or a decimal string. */
const int64 = z.union([
  z.number().int('must be an integer'),
  z
    .string()
    .regex(/^-?\d{1,18}$/, 'must be an integer')
    .transform(Number),
]);
/** An experiment id: MLflow's ids are strings of digits. */
const experimentId = z.union([
  z.string().regex(/^\d{1,15}$/, 'must be an experiment id (digits)'),
  z
    .number()
    .int()
    .min(0)
    .transform((n) => String(n)),
]);
const runId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a run id (32 hexadecimal characters)');
const text = (max: number, what: string) => z.string().max(max, `${what} exceeds the length limit of ${max}`);

/** A key as MLflow's _validate_param_name / metric / tag name. */
const entityKey = (what: string) =>
  z.string().superRefine((k, ctx) => {
    const problem = checkKey(k, what);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** A metric value: a number, or NaN / ±Infinity as protobuf JSON writes them. */
export const mlflowMetricValueSchema = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]);

const paramValue = z
  .string()
  .max(MLFLOW_LIMITS.maxParamValueLength, `Param value exceeded length limit of ${MLFLOW_LIMITS.maxParamValueLength} characters`);
const tagValue = z
  .string()
  .max(MLFLOW_LIMITS.maxTagValueLength, `Tag value exceeded length limit of ${MLFLOW_LIMITS.maxTagValueLength} characters`);

export const mlflowMetricSchema = z.object({
  key: entityKey('metric name'),
  value: mlflowMetricValueSchema,
  timestamp: int64,
  step: int64.optional(),
});
export const mlflowParamSchema = z.object({ key: entityKey('param name'), value: paramValue });
export const mlflowTagSchema = z.object({ key: entityKey('tag name'), value: tagValue });
const experimentTag = z.object({
  key: entityKey('tag name'),
  value: z.string().max(5000, 'Tag value exceeded length limit of 5000 characters'),
});

const viewType = z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']);
const runStatus = z.enum(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);
const maxResults = (threshold: number) =>
  int64.pipe(z.number().min(1, 'must be at least 1').max(threshold, `must be at most ${threshold}`));
const pageToken = z.string().max(1000);
const orderBy = z.array(z.string().max(500)).max(20);

/** Fills run_id from the older run_uuid when only that is sent (as MLflow's server). */
const withRunId = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess(
    (v) => {
      if (v && typeof v === 'object' && !Array.isArray(v)) {
        const o = v as Record<string, unknown>;
        if (o.run_id === undefined && o.run_uuid !== undefined) return { ...o, run_id: o.run_uuid };
      }
      return v;
    },
    z.object({ run_id: runId, ...shape }),
  );

const datasetSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(MLFLOW_LIMITS.maxDatasetNameLength, `Dataset name exceeds the limit of ${MLFLOW_LIMITS.maxDatasetNameLength}`),
  digest: z
    .string()
    .min(1)
    .max(MLFLOW_LIMITS.maxDatasetDigestLength, `Dataset digest exceeds the limit of ${MLFLOW_LIMITS.maxDatasetDigestLength}`),
  source_type: z.string().min(1).max(200),
  source: z
    .string()
    .max(MLFLOW_LIMITS.maxDatasetSourceLength, `Dataset source exceeds the limit of ${MLFLOW_LIMITS.maxDatasetSourceLength}`),
  schema: z.string().max(MLFLOW_LIMITS.maxDatasetSchemaLength).optional(),
  profile: z.string().max(MLFLOW_LIMITS.maxDatasetProfileLength).optional(),
});

/** One endpoint's body schema per MLflow request message. */
export const mlflowRequests = {
  createExperiment: z.object({
    name: text(MLFLOW_LIMITS.maxExperimentNameLength, 'Experiment name').refine((s) => s.trim().length > 0, 'must not be empty'),
    artifact_location: z.string().max(2000).optional(),
    tags: z.array(experimentTag).max(100).optional(),
  }),
  getExperiment: z.object({ experiment_id: experimentId }),
  getExperimentByName: z.object({ experiment_name: z.string().min(1).max(MLFLOW_LIMITS.maxExperimentNameLength) }),
  searchExperiments: z.object({
    max_results: maxResults(MLFLOW_LIMITS.searchMaxResultsThreshold).optional(),
    page_token: pageToken.optional(),
    filter: z.string().max(20_000).optional(),
    order_by: orderBy.optional(),
    view_type: viewType.optional(),
  }),
  deleteExperiment: z.object({ experiment_id: experimentId }),
  restoreExperiment: z.object({ experiment_id: experimentId }),
  updateExperiment: z.object({
    experiment_id: experimentId,
    new_name: text(MLFLOW_LIMITS.maxExperimentNameLength, 'Experiment name').optional(),
  }),
  setExperimentTag: z.object({ experiment_id: experimentId, key: entityKey('tag name'), value: experimentTag.shape.value }),
  deleteExperimentTag: z.object({ experiment_id: experimentId, key: entityKey('tag name') }),
  createRun: z.object({
    experiment_id: experimentId.optional(),
    user_id: z.string().max(256).optional(),
    run_name: text(MLFLOW_LIMITS.maxRunNameLength, 'Run name').optional(),
    start_time: int64.optional(),
    tags: z.array(mlflowTagSchema).max(MLFLOW_LIMITS.maxBatchEntities).optional(),
  }),
  updateRun: withRunId({
    status: runStatus.optional(),
    end_time: int64.optional(),
    run_name: text(MLFLOW_LIMITS.maxRunNameLength, 'Run name').optional(),
  }),
  deleteRun: withRunId({}),
  restoreRun: withRunId({}),
  getRun: withRunId({}),
  logMetric: withRunId({
    key: mlflowMetricSchema.shape.key,
    value: mlflowMetricValueSchema,
    timestamp: int64,
    step: int64.optional(),
  }),
  logParam: withRunId({ key: mlflowParamSchema.shape.key, value: paramValue }),
  setTag: withRunId({ key: mlflowTagSchema.shape.key, value: tagValue }),
  deleteTag: withRunId({ key: z.string().min(1).max(MLFLOW_LIMITS.maxKeyLength) }),
  logBatch: withRunId({
    metrics: z
      .array(mlflowMetricSchema)
      .max(
        MLFLOW_LIMITS.maxBatchMetrics,
        `A batch logging request can contain at most ${MLFLOW_LIMITS.maxBatchMetrics} metrics. Please split up metrics across multiple requests and try again.`,
      )
      .optional(),
    params: z
      .array(mlflowParamSchema)
      .max(
        MLFLOW_LIMITS.maxBatchParams,
        `A batch logging request can contain at most ${MLFLOW_LIMITS.maxBatchParams} params. Please split up params across multiple requests and try again.`,
      )
      .optional(),
    tags: z
      .array(mlflowTagSchema)
      .max(
        MLFLOW_LIMITS.maxBatchTags,
        `A batch logging request can contain at most ${MLFLOW_LIMITS.maxBatchTags} tags. Please split up tags across multiple requests and try again.`,
      )
      .optional(),
  }).superRefine((b, ctx) => {
    const total = (b.metrics?.length ?? 0) + (b.params?.length ?? 0) + (b.tags?.length ?? 0);
    if (total > MLFLOW_LIMITS.maxBatchEntities)
      ctx.addIssue({
        code: 'custom',
        message: `A batch logging request can contain at most ${MLFLOW_LIMITS.maxBatchEntities} metrics, params, and tags in total. Got ${total}. Please split up the request and try again.`,
      });
  }),
  logInputs: withRunId({
    datasets: z
      .array(
        z.object({
          tags: z
            .array(
              z.object({
                key: z.string().min(1).max(MLFLOW_LIMITS.maxKeyLength),
                value: z.string().max(MLFLOW_LIMITS.maxDatasetContextLength),
              }),
            )
            .max(100)
            .optional(),
          dataset: datasetSchema,
        }),
      )
      .max(MLFLOW_LIMITS.maxDatasetsPerCall)
      .optional(),
  }),
  logModel: withRunId({
    model_json: z
      .string()
      .min(1)
      .max(MLFLOW_LIMITS.maxTagValueLength * 4),
  }),
  searchRuns: z.object({
    experiment_ids: z.array(experimentId).max(100).optional(),
    filter: z.string().max(20_000).optional(),
    run_view_type: viewType.optional(),
    max_results: maxResults(MLFLOW_LIMITS.searchMaxResultsThreshold).optional(),
    order_by: orderBy.optional(),
    page_token: pageToken.optional(),
  }),
  getMetricHistory: withRunId({
    metric_key: z.string().min(1).max(MLFLOW_LIMITS.maxKeyLength),
    page_token: pageToken.optional(),
    max_results: maxResults(MLFLOW_LIMITS.historyMaxResults).optional(),
  }),
  listArtifacts: withRunId({
    path: z.string().max(MLFLOW_LIMITS.maxArtifactPathLength).optional(),
    page_token: pageToken.optional(),
  }),
  listProxyArtifacts: z.object({ path: z.string().max(MLFLOW_LIMITS.maxArtifactPathLength).optional() }),
} as const;

export type MlflowRequest<K extends keyof typeof mlflowRequests> = z.output<(typeof mlflowRequests)[K]>;

/**
 * Fields of each request that are repeated (lists) when sent as a GET query
 * string (`?experiment_ids=1&experiment_ids=2`): a single value becomes a list.
 */
export const MLFLOW_QUERY_LIST_FIELDS: ReadonlySet<string> = new Set(['experiment_ids', 'order_by']);

/**
 * The reason an artifact path is refused (MLflow's validate_path_is_safe), or
 * null when it is a plain relative path: no `..` part, not absolute (`/`,
 * `C:`, `\\`), no NUL or other control character, no backslash.
 */
export function unsafeArtifactPath(p: string): string | null {
  if (p.length > MLFLOW_LIMITS.maxArtifactPathLength) return `Invalid path: longer than ${MLFLOW_LIMITS.maxArtifactPathLength} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(p)) return 'Invalid path: it contains a control character';
  if (p.includes('\\')) return 'Invalid path: backslashes are not allowed';
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('~')) return 'Invalid path: it must be relative';
  if (p.split('/').some((part) => part === '..' || part === '.')) return 'Invalid path: "." and ".." parts are not allowed';
  return null;
}
