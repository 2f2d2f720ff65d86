import { z } from 'zod';
import { defineChannel } from '../contract';
import type { JobRecord } from '../jobs';
import { trainStartSchema, type TrainableVersion, type TrainingRun, type TrainingRunSummary } from '../training';

const jobId = z.number().int().positive();

/** Training from the app: what can be trained, start a train job, its result and its model file. */
export const trainingChannels = {
  /** Dataset versions with their columns (types, distinct counts, implied task), newest first. */
  'training:sources': defineChannel(z.object({}).strict())<TrainableVersion[]>(),
  /** Starts a train job (progress and cancel in the job tray). */
  'training:start': defineChannel(trainStartSchema)<JobRecord>(),
  /** A train job: its request, status and, once it succeeded, the stored result. */
  'training:run': defineChannel(z.object({ jobId }).strict())<TrainingRun>(),
  /** Recent train jobs (from the jobs list), newest first. */
  'training:recent': defineChannel(z.object({ limit: z.number().int().min(1).max(200).default(30) }).strict())<TrainingRunSummary[]>(),
  /** The model JSON of a succeeded train job (from the content-addressed object store). */
  'training:model': defineChannel(z.object({ jobId }).strict())<{ name: string; text: string; sha256: string }>(),
};
