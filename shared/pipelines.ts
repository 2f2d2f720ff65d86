/**
 * Pipelines: the chapter's Level-1 `AutoTrainingPipeline` (load → validate →
 * preprocess → train → evaluate → `should_register_model` → register) as a
 * versioned definition, run by hand, on a schedule, on new data or on drift.
 * The definition names things (dataset, suite, recipe, model) rather than
 * pointing at ids, so a pipeline file exported from one workspace imports
 * into another and can live in a git repository.
 */
import { z } from 'zod';
import { gateSpecSchema, modelNameSchema, type GateReport } from './registry';
import { modelChoiceSchema, trainSettingsSchema } from './training';

export const PIPELINE_LIMITS = {
  maxNameLength: 100,
  maxModels: 5,
  maxDescriptionLength: 2000,
  /** Log lines kept per step (the oldest are dropped past it). */
  maxLogLines: 200,
  maxEveryHours: 24 * 7,
  /** A lock whose holder has not written a heartbeat for this long is stale (its process died). */
  lockStaleMs: 120_000,
  /** How often a running pipeline refreshes its lock. */
  heartbeatMs: 15_000,
  /** The scheduler's poll period (schedules, new data, drift). */
  tickMs: 30_000,
  /** A due time older than this when it is noticed is run as a catch-up (once). */
  catchUpAfterMs: 120_000,
} as const;

/** A file's kind marker: an imported file without it (or with another) is refused. */
export const PIPELINE_FILE_KIND = 'mlwb-pipeline';
export const PIPELINE_FILE_FORMAT = 1;

export const pipelineNameSchema = z
  .string()
  .trim()
  .min(1, 'A pipeline needs a name.')
  .max(PIPELINE_LIMITS.maxNameLength, `A pipeline name may be at most ${PIPELINE_LIMITS.maxNameLength} characters long.`)
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u,
    'A pipeline name may contain letters, digits, spaces, ".", "_" and "-", and starts with a letter or digit.',
  );

const datasetName = z.string().trim().min(1, 'Name the dataset.').max(200);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'A time is HH:MM (00:00–23:59).');
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** When a scheduled pipeline is due; evaluated in the definition's time zone (croner). */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('daily'), at: hhmm }),
  z.strictObject({ kind: z.literal('weekly'), day: z.enum(WEEKDAYS), at: hhmm }),
  z.strictObject({ kind: z.literal('hours'), every: z.number().int().min(1).max(PIPELINE_LIMITS.maxEveryHours) }),
  /** Five or six fields (croner's syntax); checked by croner in the store before it is saved. */
  z.strictObject({ kind: z.literal('cron'), expression: z.string().trim().min(9).max(120) }),
]);
export type Schedule = z.output<typeof scheduleSchema>;

export const pipelineSourceSchema = z.discriminatedUnion('kind', [
  /** The newest version of a dataset in the workspace. */
  z.strictObject({ kind: z.literal('dataset'), dataset: datasetName }),
  /** A CSV file re-imported into `dataset` as a new version whenever its SHA-256 changes. */
  z.strictObject({ kind: z.literal('watch'), path: z.string().trim().min(1).max(4096), dataset: datasetName }),
]);
export type PipelineSource = z.output<typeof pipelineSourceSchema>;

export const pipelineDefinitionSchema = z.strictObject({
  name: pipelineNameSchema,
  description: z.string().max(PIPELINE_LIMITS.maxDescriptionLength).default(''),
  source: pipelineSourceSchema,
  /** A validation suite of the dataset (by name) that must pass before training. */
  validationSuite: z.string().trim().min(1).max(200).nullable().default(null),
  /** A saved recipe of the dataset (by name), refitted on each run's training rows. */
  recipe: z.string().trim().min(1).max(200).nullable().default(null),
  training: trainSettingsSchema,
  /** Candidates; with several, the best by `selectBy` is the one that goes to the gates. */
  models: z.array(modelChoiceSchema).min(1, 'Choose at least one model.').max(PIPELINE_LIMITS.maxModels),
  selectBy: z
    .strictObject({
      /** A test metric (default: the task's headline, accuracy or R²). */
      metric: z.string().trim().min(1).max(250).optional(),
      better: z.enum(['higher', 'lower']).optional(),
    })
    .default({}),
  /** The registered model the pipeline feeds. */
  model: modelNameSchema,
  gates: gateSpecSchema,
  /** Where a registered version goes: left in None, or moved to Staging (default). */
  stage: z.enum(['None', 'Staging']).default('Staging'),
  promotion: z
    .strictObject({
      /** Promote to Production by itself — only when the new version beats Production on the same test rows. */
      toProduction: z.boolean().default(false),
      /** After an automatic promotion: roll back when the next monitoring window is worse than the previous version's. */
      rollbackIfWorse: z.boolean().default(true),
    })
    .default({ toProduction: false, rollbackIfWorse: true }),
  triggers: z
    .strictObject({
      schedule: scheduleSchema.nullable().default(null),
      /** Run when the source gets a new version (dataset) or the watched file's bytes change. */
      onNewData: z.boolean().default(false),
      /** Run when a drift check on the model's Production version finds dataset drift. */
      onDrift: z.boolean().default(false),
    })
    .default({ schedule: null, onNewData: false, onDrift: false }),
  /** IANA time zone the schedule is read in (default: the machine's, when the pipeline is saved). */
  timezone: z.string().trim().min(1).max(100).default('UTC'),
});
export type PipelineDefinition = z.output<typeof pipelineDefinitionSchema>;
export type PipelineDefinitionInput = z.input<typeof pipelineDefinitionSchema>;

export const PIPELINE_STEPS = ['import', 'validate', 'train', 'evaluate', 'gate', 'register', 'promote'] as const;
export type PipelineStepName = (typeof PIPELINE_STEPS)[number];

export const PIPELINE_TRIGGERS = ['manual', 'cli', 'schedule', 'catch-up', 'new-data', 'drift', 'retry'] as const;
export type PipelineTrigger = (typeof PIPELINE_TRIGGERS)[number];

export type PipelineRunStatus = 'running' | 'succeeded' | 'failed' | 'refused' | 'cancelled' | 'interrupted';
export type PipelineStepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'cancelled';

export interface PipelineLogLine {
  at: number;
  text: string;
}

/** What a step produced, for the next steps and a retry (ids), and for the page (links). */
export interface PipelineStepDetail {
  datasetVersionId?: number;
  datasetLabel?: string;
  imported?: boolean;
  validationResultId?: number;
  failedRules?: string[];
  runIds?: string[];
  bestRunId?: string;
  metric?: string;
  metricValue?: number | null;
  gates?: GateReport;
  modelVersion?: number;
  stage?: string;
  promoted?: boolean;
}

export interface PipelineStep {
  name: PipelineStepName;
  status: PipelineStepStatus;
  startedAt: number | null;
  finishedAt: number | null;
  log: PipelineLogLine[];
  detail: PipelineStepDetail;
}

export interface PipelineRun {
  id: number;
  pipelineId: number;
  pipeline: string;
  /** The definition version the run used (editing the pipeline later does not change it). */
  pipelineVersion: number;
  trigger: PipelineTrigger;
  status: PipelineRunStatus;
  startedAt: number;
  finishedAt: number | null;
  jobId: number | null;
  /** Who runs it: `app` or `scheduler`, with host and pid (the lock's owner). */
  owner: string;
  /** Why it stopped, in a sentence (failed rules, the gate that refused and by how much…). */
  reason: string | null;
  datasetVersionId: number | null;
  modelVersion: number | null;
  steps: PipelineStep[];
}

export interface PipelineSummary {
  id: number;
  name: string;
  enabled: boolean;
  version: number;
  definition: PipelineDefinition;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  lastRun: Omit<PipelineRun, 'steps'> | null;
  /** The next scheduled time (ms), when enabled with a schedule. */
  nextDueAt: number | null;
  running: boolean;
}

export interface PipelineVersionRecord {
  version: number;
  createdAt: number;
  createdBy: string;
  definition: PipelineDefinition;
}

export interface PipelineDetail extends PipelineSummary {
  versions: PipelineVersionRecord[];
  runs: Omit<PipelineRun, 'steps'>[];
}

export type PipelineNotificationKind = 'failed' | 'refused' | 'staging' | 'promoted' | 'rolled-back';

export interface PipelineNotification {
  id: number;
  at: number;
  pipeline: string;
  runId: number | null;
  kind: PipelineNotificationKind;
  message: string;
  read: boolean;
}

/** The file a pipeline exports to (YAML), and imports from. */
export const pipelineFileSchema = z.strictObject({
  kind: z.literal(PIPELINE_FILE_KIND, { message: `Not a pipeline file (its "kind" must be "${PIPELINE_FILE_KIND}").` }),
  formatVersion: z.literal(PIPELINE_FILE_FORMAT, {
    message: `Unsupported pipeline file format (this app reads format ${PIPELINE_FILE_FORMAT}).`,
  }),
  pipeline: pipelineDefinitionSchema,
});

/** `mlwb pipelines run` and the app's Run now: the result a CI job reads (exit code 0 only when registered). */
export interface PipelineRunOutcome {
  run: PipelineRun;
  registered: boolean;
}
