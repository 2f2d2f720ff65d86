/**
 * Messages between the serving manager (main) and one scoring-server process.
 * They travel over the same channel as the job workers' (utilityProcess in the
 * app, child_process.fork elsewhere): see electron/core/jobs/protocol.ts.
 */
import type { ProcessHandle, SpawnProcess } from '../jobs/protocol';

/** A model version as main hands it to the server: the registry's number and the model file's JSON text. */
export interface ServedModelPayload {
  version: number;
  modelJson: string;
}

/** Which versions answer: the primary one, and with an A/B split the challenger for `share` of the requests. */
export interface ServedModels {
  primary: ServedModelPayload;
  challenger: (ServedModelPayload & { share: number }) | null;
}

/** Everything the server process needs to start. */
export interface ServerConfig {
  serverId: number;
  name: string;
  host: string;
  port: number;
  logPredictions: boolean;
  /** A request body that has not arrived whole after this long gets 408. */
  bodyTimeoutMs: number;
  /** Log batches go to main at least this often … */
  logFlushMs: number;
  /** … or as soon as this many rows are waiting. */
  logBatchRows: number;
  models: ServedModels;
}

export type ToServer =
  | { type: 'start'; config: ServerConfig }
  /** New versions to answer with (the registry changed); the server swaps once they are loaded. */
  | { type: 'swap'; models: ServedModels }
  /** Stop listening, send the last log batch, exit. */
  | { type: 'stop' };

/**
 * Logged rows answered by one version, column-wise: keys and class labels
 * once per batch instead of once per row, so the batches cost little to send
 * and main turns each row into a prediction_log row without re-walking objects.
 */
export interface PredictionLogBatch {
  version: number;
  /** Input column names, in the order of each `inputs` row. */
  columns: string[];
  /** Class labels, in the order of each `probabilities` row (null for regression). */
  classes: string[] | null;
  predictionIds: string[];
  /** epoch ms per row */
  at: number[];
  latencyMs: number[];
  inputs: (string | number | boolean | null)[][];
  predictions: (string | number)[];
  probabilities: number[][] | null;
}

export type FromServer =
  | { type: 'ready' }
  | { type: 'listening'; host: string; port: number; pid: number; version: number; challengerVersion: number | null }
  | { type: 'failed'; message: string }
  | { type: 'swapped'; version: number; challengerVersion: number | null }
  | { type: 'swap-failed'; message: string }
  /** Predictions served so far, and (with logging on) the rows logged since the last batch. */
  | { type: 'log'; served: number; batches: PredictionLogBatch[]; dropped: number }
  | { type: 'stopped' };

export type ServerHandle = ProcessHandle<ToServer, FromServer>;
/** Starts one scoring-server process (out/main/scoring-server.js, or the .ts entry under tsx in tests). */
export type SpawnScoringServer = SpawnProcess<ToServer, FromServer>;
