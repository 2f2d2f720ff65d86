import { z } from 'zod';
import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import {
  pipelineDefinitionSchema,
  pipelineNameSchema,
  type PipelineDetail,
  type PipelineNotification,
  type PipelineRun,
  type PipelineSummary,
} from '../pipelines';

const name = z.strictObject({ name: pipelineNameSchema });
const runId = z.strictObject({ runId: z.number().int().min(1) });

export const pipelineChannels = {
  'pipelines:list': defineChannel(z.strictObject({}))<PipelineSummary[]>(),
  'pipelines:get': defineChannel(name)<PipelineDetail>(),
  /** Creates a pipeline, or (same name) saves its definition as a new version; old runs keep theirs. */
  'pipelines:save': defineChannel(z.strictObject({ definition: pipelineDefinitionSchema }))<PipelineSummary>(),
  'pipelines:setEnabled': defineChannel(z.strictObject({ name: pipelineNameSchema, enabled: z.boolean() }))<PipelineSummary>(),
  'pipelines:delete': defineChannel(name)<{ deleted: true }>(),
  /** Runs it now (refused while it runs); the job's result is the finished PipelineRun. */
  'pipelines:run': defineChannel(name)<{ run: PipelineRun; job: JobRecord }>(),
  'pipelines:runs': defineChannel(
    z.strictObject({ name: pipelineNameSchema.optional(), limit: z.number().int().min(1).max(1000).default(100) }),
  )<Omit<PipelineRun, 'steps'>[]>(),
  'pipelines:getRun': defineChannel(runId)<PipelineRun>(),
  /** Retries a failed or interrupted run from its first unfinished step, reusing what the earlier steps produced. */
  'pipelines:retry': defineChannel(runId)<{ run: PipelineRun; job: JobRecord }>(),
  'pipelines:cancel': defineChannel(runId)<PipelineRun>(),
  /** The pipeline as a file (YAML) or as a CI workflow running `mlwb pipelines run`. */
  'pipelines:export': defineChannel(
    z.strictObject({ name: pipelineNameSchema, format: z.enum(['pipeline', 'github', 'gitlab']).default('pipeline') }),
  )<{ fileName: string; text: string }>(),
  /** A pipeline file's text; refused when it is not one (or not valid), nothing saved. */
  'pipelines:import': defineChannel(z.strictObject({ text: z.string().min(1).max(200_000) }))<PipelineSummary>(),
  'pipelines:notifications': defineChannel(z.strictObject({ includeRead: z.boolean().default(false) }))<PipelineNotification[]>(),
  'pipelines:markRead': defineChannel(z.strictObject({ id: z.number().int().min(1).optional() }))<{ updated: number }>(),
};
