/**
 * The workbench's experiments and runs in MLflow's JSON (service.proto as
 * MLflow's server writes it: int64 as numbers, experiment ids as strings,
 * unset optional fields left out, NaN and infinities as protobuf's strings),
 * and MLflow's error answers.
 */
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { MLFLOW_ERROR_STATUS, type MlflowErrorCode } from '../../../shared/mlflow';
import type { Experiment, Run, RunInfo } from '../../../shared/tracking';
import type { RunDatasetInput } from '../store/tracking-repo';

/** A refusal as MLflow answers it: HTTP status and {"error_code", "message"}. */
export class MlflowApiError extends Error {
  readonly status: number;
  constructor(
    readonly errorCode: MlflowErrorCode,
    message: string,
    status?: number,
  ) {
    super(message);
    this.name = 'MlflowApiError';
    this.status = status ?? MLFLOW_ERROR_STATUS[errorCode];
  }
  toJSON(): { error_code: string; message: string } {
    return { error_code: this.errorCode, message: this.message };
  }
}

/** The MLflow error for a store error (not found → RESOURCE_DOES_NOT_EXIST; refusals → INVALID_PARAMETER_VALUE). */
export function toMlflowError(err: unknown): MlflowApiError {
  if (err instanceof MlflowApiError) return err;
  if (err instanceof AppError) {
    switch (err.code) {
      case 'not_found':
        return new MlflowApiError('RESOURCE_DOES_NOT_EXIST', err.message);
      case 'bad_input':
      case 'invalid_payload':
      case 'conflict':
        return new MlflowApiError('INVALID_PARAMETER_VALUE', err.message);
      case 'forbidden':
        return new MlflowApiError('PERMISSION_DENIED', err.message);
      default:
        return new MlflowApiError('INTERNAL_ERROR', err.message);
    }
  }
  return new MlflowApiError('INTERNAL_ERROR', `Internal error: ${(err as Error)?.message ?? String(err)}`);
}

/** MLflow's wording for a request that does not fit its message: the first issue, naming the field. */
export function zodToMlflowError(error: z.ZodError, input: unknown): MlflowApiError {
  const issue = error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  let at: unknown = input;
  for (const key of issue.path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
  if (at === undefined && issue.path.length > 0)
    return new MlflowApiError(
      'INVALID_PARAMETER_VALUE',
      `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
    );
  return new MlflowApiError('INVALID_PARAMETER_VALUE', `Invalid value for parameter '${field}' supplied: ${issue.message}`);
}

export const artifactLocation = (experimentId: number) => `mlflow-artifacts:/${experimentId}`;
export const runArtifactUri = (experimentId: number, runId: string) => `mlflow-artifacts:/${experimentId}/${runId}/artifacts`;

const kv = (record: Record<string, string>) => Object.entries(record).map(([key, value]) => ({ key, value }));

export function toMlflowExperiment(e: Experiment) {
  const tags = { ...e.tags };
  if (e.description && tags['mlflow.note.content'] === undefined) tags['mlflow.note.content'] = e.description;
  return {
    experiment_id: String(e.id),
    name: e.name,
    artifact_location: artifactLocation(e.id),
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.updatedAt,
    creation_time: e.createdAt,
    tags: kv(tags),
  };
}

export function toMlflowRunInfo(info: RunInfo) {
  return {
    run_id: info.runId,
    run_uuid: info.runId,
    run_name: info.name,
    experiment_id: String(info.experimentId),
    user_id: info.userId,
    status: info.status,
    start_time: info.startTime,
    ...(info.endTime !== null ? { end_time: info.endTime } : {}),
    artifact_uri: runArtifactUri(info.experimentId, info.runId),
    lifecycle_stage: info.lifecycleStage,
  };
}

export function toMlflowRun(run: Run, inputs: RunDatasetInput[]) {
  return {
    info: toMlflowRunInfo(run.info),
    data: {
      metrics: run.metrics.map((m) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step })),
      params: kv(run.params),
      tags: kv(run.tags),
    },
    inputs: {
      dataset_inputs: inputs.map((i) => ({
        tags: i.tags,
        dataset: {
          name: i.name,
          digest: i.digest,
          source_type: i.sourceType,
          source: i.source,
          ...(i.schema != null ? { schema: i.schema } : {}),
          ...(i.profile != null ? { profile: i.profile } : {}),
        },
      })),
    },
  };
}
