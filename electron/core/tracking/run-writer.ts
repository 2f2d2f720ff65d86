/**
 * Writes what a training run logs into the store: its params, metrics and
 * tags in one batch per MLflow limit, its JSON artifacts as content-addressed
 * objects, and the model file as the `model/model.json` artifact. Also turns
 * train jobs recorded before runs existed into runs of the Default experiment
 * (once; a job that has its run is skipped).
 */
import type { TrainingResult } from '../../../shared/training';
import { DEFAULT_EXPERIMENT_ID, TRACKING_LIMITS, type RunStatus } from '../../../shared/tracking';
import type { Store } from '../store';
import type { KeyValue, MetricPointInput } from '../store/tracking-repo';
import { currentUser, osDescription, runParams, trainingRunRecord, type RunInputs, type RunRecord } from './record-run';

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Logs params, tags and metrics in MLflow-sized batches (all in one transaction). */
export function logRecord(
  store: Store,
  runId: string,
  record: { params: KeyValue[]; tags: KeyValue[]; metrics: MetricPointInput[] },
): void {
  store.transaction(() => {
    for (const params of chunks(record.params, TRACKING_LIMITS.maxBatchParams)) store.tracking.logBatch(runId, { params });
    for (const tags of chunks(record.tags, TRACKING_LIMITS.maxBatchTags)) store.tracking.logBatch(runId, { tags });
    for (const metrics of chunks(record.metrics, TRACKING_LIMITS.maxBatchMetrics)) store.tracking.logBatch(runId, { metrics });
  });
}

/** Stores a JSON artifact of a run (pretty-printed, content-addressed). */
export function writeJsonArtifact(store: Store, runId: string, path: string, value: unknown): void {
  const { sha256, size } = store.objects.writeObject(`${JSON.stringify(value, null, 2)}\n`);
  store.tracking.addArtifact(runId, { path, sha256, size, mediaType: 'application/json' });
}

/** Everything a finished training run logs, written at once; the model object must already be stored. */
export function writeTrainingRecord(store: Store, runId: string, record: RunRecord, model: { sha256: string; bytes: number }): void {
  // Objects first (outside the transaction: files are not rolled back, and an unreferenced object is harmless).
  const artifacts = record.artifacts.map((a) => ({ path: a.path, ...store.objects.writeObject(`${JSON.stringify(a.value, null, 2)}\n`) }));
  store.transaction(() => {
    logRecord(store, runId, record);
    store.tracking.addArtifact(runId, { path: 'model/model.json', sha256: model.sha256, size: model.bytes, mediaType: 'application/json' });
    for (const a of artifacts)
      store.tracking.addArtifact(runId, { path: a.path, sha256: a.sha256, size: a.size, mediaType: 'application/json' });
  });
}

const JOB_TO_RUN_STATUS: Record<string, RunStatus> = {
  succeeded: 'FINISHED',
  failed: 'FAILED',
  cancelled: 'KILLED',
  queued: 'FAILED',
  running: 'FAILED',
};

/**
 * Train jobs from before runs existed become runs of the Default experiment,
 * with the same params, metrics, tags and artifacts a new run records. Runs
 * in one transaction per job; returns how many were adopted.
 */
export function adoptTrainJobs(store: Store, appVersion: string): number {
  // One query finds the jobs still to adopt, so a workspace already upgraded reads no job rows at start.
  const jobIds = store.tracking.trainJobsWithoutRun();
  if (jobIds.length === 0) return 0;
  let adopted = 0;
  const versionIds = new Set(store.datasets.listDatasets().flatMap((d) => d.versions.map((v) => v.id)));
  for (const jobId of jobIds) {
    const job = store.jobs.getJob(jobId);
    const spec = store.jobs.getJobParams(job.id) as (RunInputs & { source: RunInputs['source'] }) | undefined;
    if (!spec || typeof spec !== 'object' || !spec.source || !spec.algorithm) continue;
    const result = job.status === 'succeeded' ? (job.result as TrainingResult | null) : null;
    const start = Date.parse(job.startedAt ?? job.createdAt);
    const end = job.finishedAt ? Date.parse(job.finishedAt) : start;
    const userId = currentUser();
    const runName = `${spec.algorithm}-job-${job.id}`;
    const versionId = spec.source.versionId;
    const versionExists = versionId !== undefined && versionIds.has(versionId);
    const run = store.tracking.createRun({
      experimentId: DEFAULT_EXPERIMENT_ID,
      name: runName,
      userId,
      source: 'upgrade',
      status: JOB_TO_RUN_STATUS[job.status] ?? 'FAILED',
      startTime: Number.isFinite(start) ? start : Date.now(),
      jobId: job.id,
      datasetVersionId: versionExists ? versionId : null,
      spec,
      tags: [{ key: 'mlwb.upgraded_from_job', value: String(job.id) }],
    });
    store.tracking.updateRun(run.runId, { endTime: Number.isFinite(end) ? end : null, error: job.error });
    if (result) {
      const record = trainingRunRecord(
        spec,
        result,
        { appVersion, userId, os: osDescription(), runName },
        Number.isFinite(end) ? end : Date.now(),
      );
      writeTrainingRecord(store, run.runId, record, result.model);
    } else {
      logRecord(store, run.runId, {
        params: runParams(spec, {}),
        metrics: [],
        tags: [
          { key: 'mlflow.runName', value: runName },
          { key: 'mlflow.user', value: userId },
          { key: 'mlwb.model_type', value: spec.algorithm },
          { key: 'mlwb.dataset', value: spec.source.label },
        ],
      });
    }
    adopted++;
  }
  return adopted;
}
