/**
 * The run a train job records: created when the job starts training (a job
 * cancelled while queued leaves no run), finished with everything it logged,
 * or marked failed / killed with the error. A run left RUNNING by a process
 * that died is marked failed at the next start (`failInterruptedRuns`).
 */
import type { GateSpec } from '../../../shared/registry';
import type { TrainingResult } from '../../../shared/training';
import { DEFAULT_EXPERIMENT_ID, SYSTEM_TAGS, type RunInfo, type RunSource } from '../../../shared/tracking';
import type { Store } from '../store';
import { currentUser, osDescription, runParams, trainingRunRecord, type RunInputs } from './record-run';
import { logRecord, writeTrainingRecord } from './run-writer';

/** Where a train job's run goes (from the wizard, the CLI, a reproduction or a pipeline). */
export interface RunTarget {
  experimentId?: number;
  name?: string;
  source?: RunSource;
  /** Sibling runs launched together share this id (the `mlwb.comparison` tag). */
  comparison?: string;
  /** The run this one reproduces. */
  reproducedFrom?: string;
  tags?: { key: string; value: string }[];
  /** One of several runs trained by one job (a pipeline's candidates): the run is not linked to the job (a job links one run). */
  sharedJob?: boolean;
  /** Register the model when the run finishes (behind the gates), as this actor. */
  register?: { name: string; gates: GateSpec; actor: string; via: string };
}

/** A default run name: the model and the data, e.g. `rf · churn@v1`. */
export function defaultRunName(inputs: Pick<RunInputs, 'algorithm' | 'source'>): string {
  return `${inputs.algorithm} · ${inputs.source.label}`.slice(0, 500);
}

/** Creates the RUNNING run of a train job, with its inputs logged as params up front (so a failed run still shows them). */
export function startTrainingRun(store: Store, jobId: number | null, inputs: RunInputs & { run?: RunTarget }): RunInfo {
  const target = inputs.run ?? {};
  const name = target.name ?? defaultRunName(inputs);
  const userId = currentUser();
  const tags = [
    { key: SYSTEM_TAGS.runName, value: name },
    { key: SYSTEM_TAGS.user, value: userId },
    { key: SYSTEM_TAGS.modelType, value: inputs.algorithm },
    { key: SYSTEM_TAGS.dataset, value: inputs.source.label },
    ...(target.comparison ? [{ key: SYSTEM_TAGS.comparison, value: target.comparison }] : []),
    ...(target.reproducedFrom ? [{ key: SYSTEM_TAGS.reproducedFrom, value: target.reproducedFrom }] : []),
    ...(target.tags ?? []),
  ];
  return store.transaction(() => {
    const run = store.tracking.createRun({
      experimentId: target.experimentId ?? DEFAULT_EXPERIMENT_ID,
      name,
      userId,
      source: target.source ?? 'app',
      jobId,
      datasetVersionId: inputs.source.versionId ?? null,
      spec: inputs,
      tags,
    });
    logRecord(store, run.runId, { params: runParams(inputs, {}), tags: [], metrics: [] });
    return run;
  });
}

/** Logs a finished run's metrics, tags and artifacts and marks it FINISHED. */
export function finishTrainingRun(store: Store, runId: string, inputs: RunInputs, result: TrainingResult, appVersion: string): RunInfo {
  const info = store.tracking.getRunInfo(runId);
  const end = Date.now();
  const record = trainingRunRecord(inputs, result, { appVersion, userId: info.userId, os: osDescription(), runName: info.name }, end);
  // The inputs were logged when the run started; only the effective values of params left at their defaults are new.
  const logged = store.tracking.getRun(runId).params;
  writeTrainingRecord(store, runId, { ...record, params: record.params.filter((p) => !(p.key in logged)) }, result.model);
  return store.tracking.updateRun(runId, { status: 'FINISHED', endTime: end });
}

/** Marks a run failed (with the error) or killed (cancelled). */
export function endTrainingRun(store: Store, runId: string, outcome: { cancelled: boolean; error?: string }): RunInfo {
  return store.tracking.updateRun(runId, {
    status: outcome.cancelled ? 'KILLED' : 'FAILED',
    endTime: Date.now(),
    error: outcome.cancelled ? null : (outcome.error ?? 'failed'),
  });
}
