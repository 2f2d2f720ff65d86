import { z } from 'zod';
import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import { gateSpecSchema, modelNameSchema } from '../registry';
import { ALGORITHM_IDS, trainStartSchema } from '../training';
import {
  descriptionSchema,
  experimentIdSchema,
  experimentNameSchema,
  LIFECYCLE_STAGES,
  runIdSchema,
  runNameSchema,
  savedViewSchema,
  searchRunsSchema,
  tagKeySchema,
  tagValueSchema,
  TRACKING_LIMITS,
  type Experiment,
  type MetricHistoryPoint,
  type RunDetail,
  type RunInfo,
  type RunKeys,
  type SavedView,
  type SearchRunsResult,
} from '../tracking';

const idOnly = z.strictObject({ id: experimentIdSchema });
const runOnly = z.strictObject({ runId: runIdSchema });

/** At most this many models in one launch (sibling runs of one comparison). */
export const MAX_MODELS_PER_LAUNCH = 10;

/**
 * The New run wizard's launch: shared settings (data, target, split, CV) and
 * one or several models. Each model is checked as a whole train request by
 * `trainStartSchema` (the one source of every limit), its problems reported
 * under `models.N.…`.
 */
export const launchRunsSchema = z
  .strictObject({
    experimentId: experimentIdSchema,
    settings: z.record(z.string(), z.unknown()),
    models: z
      .array(
        z.strictObject({
          algorithm: z.enum(ALGORITHM_IDS),
          params: z.record(z.string(), z.unknown()).default({}),
          runName: runNameSchema.optional(),
        }),
      )
      .min(1, 'Choose at least one model.')
      .max(MAX_MODELS_PER_LAUNCH, `At most ${MAX_MODELS_PER_LAUNCH} models can be launched at once.`),
    /** Register each finished run's model as a version of this model, behind these gates (a refused run stays unregistered). */
    register: z.strictObject({ name: modelNameSchema, gates: gateSpecSchema }).optional(),
  })
  .transform((value, ctx) => {
    const runs = value.models.map((m, i) => {
      const parsed = trainStartSchema.safeParse({ ...value.settings, algorithm: m.algorithm, params: m.params });
      if (!parsed.success) {
        for (const issue of parsed.error.issues) {
          const inSettings = issue.path[0] !== 'params' && issue.path[0] !== 'algorithm';
          ctx.addIssue({
            code: 'custom',
            path: inSettings ? ['settings', ...issue.path] : ['models', i, ...issue.path],
            message: issue.message,
          });
        }
        return null;
      }
      return { request: parsed.data, runName: m.runName };
    });
    return { experimentId: value.experimentId, register: value.register, runs: runs.filter((r): r is NonNullable<typeof r> => r !== null) };
  });
export type LaunchRunsRequest = z.input<typeof launchRunsSchema>;

/** Experiments, runs, their data and artifacts, saved views, launch and reproduction. */
export const trackingChannels = {
  'experiments:list': defineChannel(z.strictObject({ stage: z.enum([...LIFECYCLE_STAGES, 'all']).default('active') }))<Experiment[]>(),
  'experiments:create': defineChannel(
    z.strictObject({ name: experimentNameSchema, description: descriptionSchema.default('') }),
  )<Experiment>(),
  'experiments:update': defineChannel(
    z.strictObject({ id: experimentIdSchema, name: experimentNameSchema.optional(), description: descriptionSchema.optional() }),
  )<Experiment>(),
  /** To the trash (restorable); refused while a run of it is running. */
  'experiments:delete': defineChannel(idOnly)<Experiment>(),
  'experiments:restore': defineChannel(idOnly)<Experiment>(),
  /** Deletes a trashed experiment and its runs for good. */
  'experiments:purge': defineChannel(idOnly)<{ id: number; runsDeleted: number }>(),

  'runs:search': defineChannel(searchRunsSchema)<SearchRunsResult>(),
  /** Param, metric and tag keys logged in these experiments (column chooser, filter hints). */
  'runs:keys': defineChannel(z.strictObject({ experimentIds: z.array(experimentIdSchema).min(1).max(100) }))<RunKeys>(),
  'runs:get': defineChannel(runOnly)<RunDetail>(),
  /** Every point of some metrics of some runs (charts): runId → key → points. */
  'runs:metricHistory': defineChannel(
    z.strictObject({
      runIds: z.array(runIdSchema).min(1).max(20),
      keys: z.array(z.string().min(1).max(TRACKING_LIMITS.maxKeyLength)).min(1).max(50),
    }),
  )<Record<string, Record<string, MetricHistoryPoint[]>>>(),
  /** An artifact's content (text; binary files come base64-encoded). */
  'runs:artifact': defineChannel(z.strictObject({ runId: runIdSchema, path: z.string().min(1).max(1000) }))<{
    name: string;
    path: string;
    sha256: string;
    mediaType: string;
    size: number;
    text?: string;
    base64?: string;
  }>(),
  'runs:rename': defineChannel(z.strictObject({ runId: runIdSchema, name: runNameSchema }))<RunInfo>(),
  /** The run's Markdown notes (MLflow's `mlflow.note.content` tag). */
  'runs:setNote': defineChannel(z.strictObject({ runId: runIdSchema, note: z.string().max(TRACKING_LIMITS.maxNoteLength) }))<RunInfo>(),
  'runs:setTag': defineChannel(z.strictObject({ runId: runIdSchema, key: tagKeySchema, value: tagValueSchema }))<RunInfo>(),
  'runs:deleteTag': defineChannel(z.strictObject({ runId: runIdSchema, key: tagKeySchema }))<RunInfo>(),
  'runs:delete': defineChannel(runOnly)<RunInfo>(),
  'runs:restore': defineChannel(runOnly)<RunInfo>(),
  /** Starts one train job per model; they share a comparison id. */
  'runs:launch': defineChannel(launchRunsSchema)<{ comparison: string; jobs: JobRecord[] }>(),
  /** Re-runs a run from its recorded inputs; the job's result is a ReproductionVerdict. */
  'runs:reproduce': defineChannel(runOnly)<JobRecord>(),

  'views:list': defineChannel(z.strictObject({ experimentId: experimentIdSchema.nullable() }))<SavedView[]>(),
  'views:save': defineChannel(savedViewSchema)<SavedView>(),
  'views:delete': defineChannel(z.strictObject({ id: z.number().int().positive() }))<{ id: number }>(),
};
