/**
 * Serving: the local scoring server (one utility process per server), its
 * prediction log, and batch scoring of a dataset version or CSV to a new CSV
 * and a stored prediction set. The request schemas here are the one place
 * for every limit (app, CLI and host parse with them).
 */
import { z } from 'zod';
import { aliasSchema, modelNameSchema, versionSelectorSchema, type VersionSelector } from './registry';

export const SERVING_LIMITS = {
  /** Largest request body the scoring server reads (413 above). */
  maxBodyBytes: 1_000_000,
  /** Rows in one request. */
  maxRowsPerRequest: 10_000,
  minPort: 1024,
  maxPort: 65_535,
  defaultPort: 5001,
  /** Prediction log cap: the oldest rows are pruned beyond it. */
  defaultPredictionLogCap: 100_000,
  minPredictionLogCap: 1000,
  maxPredictionLogCap: 10_000_000,
} as const;

export const portSchema = z
  .number()
  .int()
  .min(SERVING_LIMITS.minPort, `Choose a port from ${SERVING_LIMITS.minPort} to ${SERVING_LIMITS.maxPort}.`)
  .max(SERVING_LIMITS.maxPort, `Choose a port from ${SERVING_LIMITS.minPort} to ${SERVING_LIMITS.maxPort}.`);

export const LOOPBACK_HOST = '127.0.0.1';

export const startServerSchema = z.strictObject({
  name: modelNameSchema,
  /** Which version answers: the Production stage by default. */
  selector: versionSelectorSchema.default({ kind: 'stage', stage: 'Production' }),
  host: z.string().trim().min(1).max(255).default(LOOPBACK_HOST),
  port: portSchema.default(SERVING_LIMITS.defaultPort),
  /** Log each prediction for monitoring (on by default). */
  logPredictions: z.boolean().default(true),
  /** A/B: this share of requests (0 < share < 1) goes to the version holding `alias`. */
  split: z.strictObject({ alias: aliasSchema, share: z.number().gt(0).lt(1) }).optional(),
});
export type StartServerRequest = z.input<typeof startServerSchema>;

export const SERVER_STATES = ['starting', 'running', 'stopped', 'failed'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

export interface ServerStatus {
  id: number;
  name: string;
  selector: VersionSelector;
  host: string;
  port: number;
  url: string;
  state: ServerState;
  pid: number | null;
  startedAt: number;
  stoppedAt: number | null;
  /** The version answering now (and the challenger's, with a split). */
  version: number | null;
  challengerVersion: number | null;
  split: { alias: string; share: number } | null;
  logPredictions: boolean;
  predictionsServed: number;
  /** Why it stopped or failed. */
  error: string | null;
}

/** One logged prediction (one row of a request). */
export interface PredictionLogEntry {
  predictionId: string;
  model: string;
  version: number;
  /** epoch ms */
  at: number;
  latencyMs: number;
  inputs: Record<string, unknown>;
  prediction: string | number;
  probabilities: Record<string, number> | null;
  /** 'server' (REST) or 'batch' */
  source: 'server' | 'batch';
  serverId: number | null;
}

export interface PredictionLogStats {
  rows: number;
  cap: number;
  oldestAt: number | null;
  newestAt: number | null;
}

export interface ServingSettings {
  predictionLogCap: number;
  /** Bind the scoring server to an address other than 127.0.0.1 (off: refused). */
  allowNonLoopback: boolean;
}

// ---------- batch scoring ----------

export const scoreBatchSchema = z
  .strictObject({
    name: modelNameSchema,
    selector: versionSelectorSchema.default({ kind: 'stage', stage: 'Production' }),
    /** A dataset version, or a CSV file main can read. */
    datasetVersionId: z.number().int().min(1).optional(),
    file: z.string().min(1).max(4096).optional(),
    /** Where to write the scored CSV (default: beside the stored prediction set only). */
    out: z.string().min(1).max(4096).optional(),
  })
  .refine((v) => (v.datasetVersionId === undefined) !== (v.file === undefined), 'Choose either a dataset version or a CSV file to score.');
export type ScoreBatchRequest = z.input<typeof scoreBatchSchema>;

/** A stored batch of predictions (the scored CSV is an object file). */
export interface PredictionSet {
  id: number;
  model: string;
  version: number;
  sourceLabel: string;
  datasetVersionId: number | null;
  rows: number;
  sha256: string;
  bytes: number;
  createdAt: number;
  jobId: number | null;
  /** Share per class, or mean/std of the predictions. */
  summary: Record<string, number>;
}
