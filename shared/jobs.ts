import { z } from 'zod';

/** Life cycle of a background job, as recorded in the jobs table. */
export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

/** A job as the renderer and CLI see it. */
export interface JobRecord {
  id: number;
  kind: string;
  /** Human label, e.g. "Self-check" or "Import churn.csv". */
  title: string;
  status: JobStatus;
  /** Units done and total (bytes, rows, trees …); total 0 means unknown. */
  progressDone: number;
  progressTotal: number;
  progressMessage: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** JSON result written by the job kind on success. */
  result: unknown;
}

export const jobIdSchema = z.object({ id: z.number().int().positive() });

/** Parameters of the built-in self-check job. */
export const selfCheckParamsSchema = z
  .object({
    /** How many times the sample is hashed; each pass must give the same digest. */
    passes: z.number().int().min(1).max(100_000).default(20),
  })
  .strict();
export type SelfCheckParams = z.infer<typeof selfCheckParamsSchema>;

/** What the self-check reports. */
export interface SelfCheckResult {
  file: string;
  bytes: number;
  sha256: string;
  passes: number;
  consistent: boolean;
  mbPerSecond: number;
}
